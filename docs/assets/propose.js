/* The proposal form: reads what the official types into a record, shows its problems as they type
 * (propose-rules.js: the schema through the generated Ajv validator, plus the validator's other
 * rules), and writes the YAML record. It never sends anything: the record leaves the page only by
 * a download, a copy, or a link the official chooses to follow (GitHub's "new file" page, e-mail).
 */
(function () {
  "use strict";
  const form = document.querySelector("[data-proposal-form]");
  if (!form || !window.catalogValidatePractice || !window.catalogRules) return;
  const D = JSON.parse(document.getElementById("pf-data").textContent);
  const T = D.ui;
  const rules = window.catalogRules;
  const assets = (document.currentScript && document.currentScript.src.replace(/propose\.js(?:\?.*)?$/, "")) || "";
  let parserRequested = false;
  const touched = new Set();
  let showAll = false;
  let last = { record: {}, problems: [], yaml: "" };

  // --- reading the form into a record -------------------------------------------------------

  function own(container, selector) {
    // Elements matching selector whose nearest field or row container is this one.
    return [...container.querySelectorAll(selector)].filter(
      (el) => el.parentElement.closest("[data-key], [data-pf-row], [data-pf-root]") === container,
    );
  }

  // NEL, LS and PS are treated alike, as `catalog validate` treats them: never turned into a space
  // inside a text (JavaScript's \s takes LS and PS, not NEL), so the rules refuse all three.
  const SPACES = /[^\S\u2028\u2029]+/g;
  const EDGES = /^[\s\u0085]+|[\s\u0085]+$/g;

  function clean(text, multiline) {
    const value = text.normalize("NFC").replace(/\r\n?/g, "\n");
    return (multiline ? value.replace(/[ \t]+$/gm, "") : value.replace(SPACES, " ")).replace(EDGES, "");
  }

  function readNumber(text, integer) {
    const value = clean(text);
    if (!value) return undefined;
    if (/^\d{1,3}([.,\s]\d{3})+$/.test(value)) return value; // thousands separators: the validator explains
    if (integer ? /^\d+$/.test(value) : /^\d+(\.\d+)?$/.test(value)) return Number(value);
    return value;
  }

  function readField(el, path, places) {
    const kind = el.dataset.kind;
    places.set(rules.fieldName(path), el);
    const input = own(el, "[data-pf-input]")[0];
    if (kind === "text" || kind === "name") {
      const out = {};
      for (const lang of D.languages) {
        const box = el.querySelector(`[data-lang="${lang}"]`);
        const value = clean(box.value, box.tagName === "TEXTAREA");
        places.set(rules.fieldName([...path, lang]), box);
        if (value) out[lang] = value;
      }
      const texts = Object.values(out);
      if (!texts.length) return undefined;
      if (kind === "name" && (texts.length === 1 || texts[0] === texts[1])) return texts[0];
      return out;
    }
    if (kind === "choices") {
      const values = own(el, "[data-pf-input]").concat([...el.querySelectorAll("input[type=checkbox]")])
        .filter((box, i, all) => all.indexOf(box) === i && box.checked).map((box) => box.value);
      return values.length ? values : undefined;
    }
    if (kind === "group") return readGroup(el, path, places);
    if (kind === "list") {
      const rows = [...el.querySelector("[data-pf-rows]").children].map((row) => readGroup(row, null, null));
      const kept = [];
      [...el.querySelector("[data-pf-rows]").children].forEach((row, i) => {
        if (rows[i] !== undefined) kept.push(row);
      });
      const items = kept.map((row, i) => readGroup(row, [...path, i], places));
      return items.length ? items : undefined;
    }
    if (kind === "automatic") return input.value || undefined;
    if (kind === "integer" || kind === "number") return readNumber(input.value, kind === "integer");
    const value = clean(input.value);
    return value || undefined;
  }

  function readGroup(container, path, places) {
    const out = {};
    for (const el of own(container, "[data-key]")) {
      const value = readField(el, path ? [...path, el.dataset.key] : [el.dataset.key], places || new Map());
      if (value !== undefined) out[el.dataset.key] = value;
    }
    return Object.keys(out).length ? out : undefined;
  }

  function read() {
    const places = new Map();
    const record = readGroup(form.querySelector("[data-pf-root]"), [], places) || {};
    return { record, places };
  }

  // --- writing the record as YAML ------------------------------------------------------------

  // As catalog/records/record_yaml.py writes: numbers in plain decimals (never 1e-7, which YAML reads as text);
  // a text holding NEL, LS or PS double-quoted with the character escaped (raw, YAML would end the line
  // there or fold it into a space), so that the validator finds it in the value.
  const HIDDEN_BREAKS = /[\u0085\u2028\u2029]/g;

  function scalar(value, indent) {
    if (typeof value === "number") return rules.plainNumber(value);
    if (typeof value !== "string") return JSON.stringify(value); // true, false
    const hidden = value.search(HIDDEN_BREAKS) >= 0;
    if (!hidden && value.includes("\n") && !/^\s/.test(value)) {
      return "|-\n" + value.split("\n").map((line) => (line ? indent + line : "")).join("\n");
    }
    return JSON.stringify(value).replace(HIDDEN_BREAKS, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  }

  function emit(value, indent) {
    const lines = [];
    for (const [key, item] of Object.entries(value)) {
      if (Array.isArray(item)) {
        lines.push(`${indent}${key}:`);
        for (const entry of item) {
          if (typeof entry === "object") {
            const body = emit(entry, indent + "    ");
            lines.push(indent + "  - " + body.slice(indent.length + 4));
          } else lines.push(`${indent}  - ${scalar(entry, indent + "    ")}`);
        }
      } else if (typeof item === "object") {
        lines.push(`${indent}${key}:`, emit(item, indent + "  "));
      } else lines.push(`${indent}${key}: ${scalar(item, indent + "  ")}`);
    }
    return lines.join("\n");
  }

  function toYaml(record) {
    const parts = ["# yaml-language-server: $schema=../../catalog/schema/practice.schema.json"];
    for (const [key, value] of Object.entries(record)) {
      const text = emit({ [key]: value }, "");
      parts.push(typeof value === "object" ? "\n" + text : text);
    }
    return parts.join("\n") + "\n";
  }

  // --- problems on the page --------------------------------------------------------------------

  function placeOf(problem, places) {
    let path = problem.path;
    if (problem.message === "missing_original") path = [...path, problem.params.language.lang];
    for (let n = path.length; n >= 0; n--) {
      const el = places.get(rules.fieldName(path.slice(0, n)));
      if (el) return el;
    }
    return form.querySelector("[data-key]");
  }

  function errorSlot(el) {
    if (el.matches("[data-pf-input], textarea, input, select")) return el.parentElement.querySelector("[data-pf-error]");
    return own(el, "[data-pf-error]")[0] || el.querySelector("[data-pf-error]");
  }

  function focusTarget(el) {
    return el.matches("input, textarea, select") ? el : el.querySelector("input, textarea, select");
  }

  function show(problems, places) {
    form.querySelectorAll("[data-pf-error]").forEach((slot) => { slot.hidden = true; slot.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const list = form.querySelector("[data-pf-problems]");
    list.textContent = "";
    for (const problem of problems) {
      const el = placeOf(problem, places);
      const target = focusTarget(el);
      const text = rules.word(D, problem.message, problem.params);
      const visible = showAll || touched.has(target);
      const slot = errorSlot(el);
      if (visible && slot) {
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
        if (target) target.setAttribute("aria-invalid", "true");
      }
      if (visible) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = target ? `#${target.id}` : "#";
        link.textContent = `${target ? labelOf(target) : problem.field}: ${text}`;
        link.addEventListener("click", (event) => { event.preventDefault(); if (target) target.focus(); });
        item.append(link);
        list.append(item);
      }
    }
  }

  function ownText(el) {
    // A label's or legend's words without its notes ("(required)"), as the official reads them.
    return [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(" ").trim();
  }

  function labelOf(input) {
    // "Sources 1 › Web address" or "Summary (English)": where the problem is, in the page's words.
    const parts = [];
    for (let el = input; el && el !== form; el = el.parentElement) {
      const title = el.matches(".pf-lang") ? el.querySelector(":scope > label")
        : el.matches(".pf-field") ? el.querySelector(":scope > label, :scope > legend")
          : el.matches("[data-pf-row] > fieldset") ? el.querySelector(":scope > legend") : null;
      if (title) parts.unshift(el.matches(".pf-lang") ? `(${ownText(title)})` : ownText(title));
    }
    return parts.join(" › ").replace(/ › \(/g, " (");
  }

  function status(problems) {
    const box = form.querySelector("[data-pf-status]");
    const n = problems.length;
    const text = n === 0 ? T.form_ready : (n === 1 ? T.form_problems_one : T.form_problems_other).replace("{count}", n);
    if (box.textContent !== text) box.textContent = text;
  }

  // --- outputs ---------------------------------------------------------------------------------

  function filePath(record) {
    const folder = typeof record.country === "string" ? record.country.toLowerCase() : "…";
    return `practices/${folder}/${record.id || "…"}.yml`;
  }

  const MAX_LINK = 7500; // GitHub refuses longer addresses; then the official pastes the copied record

  function outputs(record, yaml, ok) {
    form.querySelector("[data-pf-file]").textContent = filePath(record);
    form.querySelector("[data-pf-preview]").textContent = yaml;
    const github = form.querySelector("[data-pf-github]");
    const folder = typeof record.country === "string" ? record.country.toLowerCase() : "";
    let href = `${form.dataset.repository}/new/${form.dataset.branch}/practices/${folder}?filename=${encodeURIComponent((record.id || "") + ".yml")}`;
    const withValue = `${href}&value=${encodeURIComponent(yaml)}`;
    github.href = withValue.length <= MAX_LINK ? withValue : href;
    github.setAttribute("aria-disabled", ok ? "false" : "true");
    const email = form.querySelector("[data-pf-email]");
    if (email) {
      const body = encodeURIComponent(T.form_email_body + "\n\n" + (yaml.length < 1500 ? yaml : ""));
      email.href = `mailto:${form.dataset.email}?subject=${encodeURIComponent(T.form_email_subject + " " + filePath(record))}&body=${body}`;
      email.setAttribute("aria-disabled", ok ? "false" : "true");
    }
  }

  function download() {
    const blob = new Blob([last.yaml], { type: "text/yaml;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${last.record.id || "practice"}.yml`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function copy() {
    const box = form.querySelector("[data-pf-status]");
    const done = () => { box.textContent = T.form_copied; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(last.yaml).then(done, fallbackCopy);
    else fallbackCopy();
    function fallbackCopy() {
      const area = document.createElement("textarea");
      area.value = last.yaml;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      if (document.execCommand("copy")) done();
      area.remove();
    }
  }

  // --- rows, ids and the live update ------------------------------------------------------------

  function addRow(list, focus) {
    const rows = list.querySelector("[data-pf-rows]");
    const template = own(list, "template")[0] || list.querySelector("template");
    rows.append(template.content.cloneNode(true));
    const row = rows.lastElementChild;
    own(row, "[data-kind=list]").concat([...row.querySelectorAll("[data-kind=list]")])
      .forEach((inner) => { while (inner.querySelector("[data-pf-rows]").children.length < Number(inner.dataset.min)) addRow(inner); });
    renumber();
    if (focus) focusTarget(row).focus();
  }

  function renumber() {
    const counters = {};
    form.querySelectorAll("[data-pf-input]").forEach((input) => {
      const keys = [];
      for (let el = input; el && el !== form; el = el.parentElement) {
        if (el.dataset.key) keys.unshift(el.dataset.key);
        if (el.dataset.pfRow !== undefined) keys.unshift([...el.parentElement.children].indexOf(el));
      }
      let id = "pf-" + keys.join("-") + (input.dataset.lang ? "-" + input.dataset.lang : "");
      counters[id] = (counters[id] || 0) + 1;
      if (counters[id] > 1) id += "-" + input.value;
      input.id = id;
      const field = input.closest(".pf-lang, .pf-field, li");
      const label = input.closest("label") ? null : field.querySelector(":scope > label");
      if (label) label.htmlFor = id;
      const help = input.closest(".pf-field").querySelector(":scope > [data-pf-help]");
      const error = (input.closest(".pf-lang") || input.closest(".pf-field")).querySelector("[data-pf-error]");
      const described = [];
      if (help) { help.id = id + "-help"; described.push(help.id); }
      if (error && input.type !== "checkbox") { error.id = id + "-error"; described.push(error.id); }
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    });
    form.querySelectorAll("[data-pf-rows]").forEach((rows) => {
      [...rows.children].forEach((row, i) => {
        const legend = row.querySelector("[data-pf-row-legend]");
        if (!legend.dataset.base) legend.dataset.base = legend.textContent;
        legend.textContent = `${legend.dataset.base} ${i + 1}`;
      });
    });
  }

  function languageNotes(record) {
    const original = record.original_language;
    form.querySelectorAll("[data-pf-lang]").forEach((box) => {
      const note = box.querySelector("[data-pf-lang-note]");
      const required = box.closest("[data-kind]").hasAttribute("data-required");
      const originalNote = required ? T.form_original : T.form_original_optional;
      note.textContent = box.dataset.pfLang === original ? originalNote : T.form_translation;
    });
  }

  function suggestId(title) {
    const folded = title.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    const words = folded.match(/[a-z0-9]+/g) || [];
    let id = words.length ? words[0].slice(0, 60) : "";
    for (const word of words.slice(1)) {
      if (id.length + 1 + word.length > 60) break;
      id += "-" + word;
    }
    return id.length >= 3 ? id : "";
  }

  function update() {
    const idInput = form.querySelector('[data-key="id"] [data-pf-input]');
    const { record: draft } = read();
    if (idInput && !touched.has(idInput) && draft.title) {
      const title = typeof draft.title === "object" ? draft.title[draft.original_language] || "" : "";
      idInput.value = suggestId(title);
    }
    const { record, places } = read();
    const problems = rules.check(D, record);
    needParser(record);
    last = { record, problems, yaml: toYaml(record) };
    languageNotes(record);
    show(problems, places);
    status(problems);
    outputs(record, last.yaml, problems.length === 0);
    form.querySelectorAll('[data-key="host_country"]').forEach((el) => { el.hidden = record.country !== D.regional_code; });
  }

  // The CommonMark parser (25 KB) that counts nesting as the validator does, loaded only once a text
  // may hold a list or a quote; the form checks again when it has come.
  function needParser(record) {
    if (window.commonmark || parserRequested || !assets) return;
    if (!texts(record, []).some(rules.mayNest)) return;
    parserRequested = true;
    const script = document.createElement("script");
    script.src = assets + "commonmark.min.js";
    script.onload = update;
    document.head.appendChild(script);
  }

  function texts(value, out) {
    if (typeof value === "string") out.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach((item) => texts(item, out));
    return out;
  }

  function init() {
    form.hidden = false;
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    form.querySelector('[data-key="submitted"] [data-pf-input]').value = iso;
    form.querySelector('[data-key="original_language"] select').value = D.language;
    form.querySelectorAll("[data-pf-root] > [data-kind=list]").forEach((list) => {
      for (let i = 0; i < Number(list.dataset.min); i++) addRow(list);
    });
    renumber();
    let timer = 0;
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 250); });
    form.addEventListener("change", (event) => { touched.add(event.target); update(); });
    form.addEventListener("focusout", (event) => { if (event.target.matches("input, textarea, select")) touched.add(event.target); update(); });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button, a[data-pf-github], a[data-pf-email]");
      if (!button) return;
      if (button.matches("[data-pf-add]")) addRow(button.closest("[data-kind=list]"), true);
      else if (button.matches("[data-pf-remove]")) {
        // The focus goes to the list's "Add" button, which is always there.
        const list = button.closest("[data-kind=list]");
        button.closest("[data-pf-row]").remove();
        renumber();
        list.querySelector(":scope > [data-pf-add]").focus();
      }
      else if (button.matches("[data-pf-download]")) { showAll = true; update(); download(); }
      else if (button.matches("[data-pf-copy]")) { showAll = true; update(); copy(); }
      else if (button.getAttribute("aria-disabled") === "true") { event.preventDefault(); showAll = true; update(); form.querySelector("[data-pf-status]").focus(); }
      update();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    update();
  }

  window.catalogProposal = { read: () => read().record, toYaml, check: (record) => rules.check(D, record) };
  init();
})();
