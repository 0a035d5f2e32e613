/* The proposal form: reads what the official types into a record, shows its problems as they type
 * (propose-rules.js: the schema through the generated Ajv validator, plus the validator's other
 * rules), and writes the YAML record (record-yaml.js, the catalog's one writer). It never sends
 * anything: the record leaves the page only by a download, a copy, or a link the official chooses to
 * follow (GitHub's "new file" page, e-mail).
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
  const DRAFT = `catalog-proposal-draft:${location.pathname}`; // this browser, this device only
  let showAll = false;
  let dirty = false; // changed since the record last left the page (download, copy, link)
  let last = { record: {}, problems: [], yaml: "" };
  let interacted = false; // the official has typed or chosen something, or a draft was restored

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
    if (rules.writtenProblem(D.figure_patterns, value, false)) return value; // 1.250, 3,540, 0,5: the rules explain, never guess
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

  // The catalog's one writer (catalog/records/record_yaml.py, ported in record-yaml.js), loaded when the
  // form first needs a record written: the official's first input, a restored draft, or an output asked
  // for. Until it has come, the outputs wait and the form says nothing is ready.
  let writerRequested = null;

  function needWriter() {
    if (window.catalogRecordYaml) return Promise.resolve(window.catalogRecordYaml);
    if (!writerRequested) {
      writerRequested = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = assets + "record-yaml.js";
        script.onload = () => { resolve(window.catalogRecordYaml); update(); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return writerRequested;
  }

  function toYaml(record) {
    return window.catalogRecordYaml ? window.catalogRecordYaml.recordText(record) : "";
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
      const label = rules.fieldLabel(D, problem.path);
      const target = focusTarget(el);
      // "The required field 'results[0].indicator' is missing": the key is for people who edit the file;
      // here the label before the message names the field, and an empty box is what the official sees.
      const text = problem.message === "required" ? rules.word(D, "empty_required", {}) : rules.word(D, problem.message, problem.params);
      const visible = showAll || touched.has(target);
      const slot = errorSlot(el);
      if (visible && slot) {
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
        if (target) target.setAttribute("aria-invalid", "true");
      }
      // Every problem is listed (the count above is this list's), each in the form's words and
      // linked to its field; the field itself shows it once the official has been there.
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = target ? `#${target.id}` : "#";
      link.textContent = `${label}: ${text}`;
      link.addEventListener("click", (event) => { event.preventDefault(); if (target) target.focus(); });
      item.append(link);
      list.append(item);
    }
  }

  function status(problems) {
    const box = form.querySelector("[data-pf-status]");
    const n = problems.length;
    if (!n && !window.catalogRecordYaml) return; // ready once the record can be written (needWriter)
    const one = new Intl.PluralRules(D.language).select(n) === "one"; // CLDR, as catalog/core/i18n.py
    const text = n === 0 ? T.form_ready : (one ? T.form_problems_one : T.form_problems_other).replace("{count}", n);
    if (box.textContent !== text) box.textContent = text;
  }

  // --- outputs ---------------------------------------------------------------------------------

  function filePath(record) {
    const folder = typeof record.country === "string" ? record.country.toLowerCase() : "…";
    return `practices/${folder}/${record.id || "…"}.yml`;
  }

  const MAX_LINK = 7500; // GitHub refuses longer addresses; then the official pastes the copied record
  const MAX_MAILTO = 2000; // longer mailto: addresses are cut or refused by some mail programs and browsers

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
      // The record in the message when the whole address stays within what mail programs take;
      // otherwise the message asks for the file, which the same click downloads (see init).
      const start = `mailto:${form.dataset.email}?subject=${encodeURIComponent(T.form_email_subject + " " + filePath(record))}&body=`;
      const inline = start + encodeURIComponent(`${T.form_email_body_inline}\n\n${yaml}`);
      const fits = inline.length <= MAX_MAILTO;
      email.href = fits ? inline : start + encodeURIComponent(T.form_email_body);
      email.dataset.attach = fits ? "" : "true";
      form.querySelector("[data-pf-email-note]").hidden = fits;
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

  // --- the draft, kept in this browser ---------------------------------------------------------

  function saveDraft() {
    const rows = [...form.querySelectorAll("[data-pf-rows]")].map((list) => list.children.length);
    const values = {};
    form.querySelectorAll("[data-pf-root] input, [data-pf-root] textarea, [data-pf-root] select").forEach((el) => {
      if (el.closest('[data-key="submitted"]')) return; // the day the record is made, not the day it was begun
      if (el.type === "checkbox") { if (el.checked) values[el.id] = true; }
      else if (el.value) values[el.id] = el.value;
    });
    try { localStorage.setItem(DRAFT, JSON.stringify({ rows, values })); } catch (error) { /* storage full or off: nothing kept */ }
  }

  function restoreDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch (error) { draft = null; }
    if (!draft || !Array.isArray(draft.rows) || typeof draft.values !== "object") return;
    interacted = true;
    // Lists in page order; a row added to one brings its own lists, which come next in that order.
    for (let i = 0; i < draft.rows.length; i++) {
      const lists = [...form.querySelectorAll("[data-pf-rows]")];
      if (!lists[i]) break;
      while (lists[i].children.length < draft.rows[i]) addRow(lists[i].closest("[data-kind=list]"));
    }
    renumber();
    for (const [id, value] of Object.entries(draft.values)) {
      const el = document.getElementById(id);
      if (!el || !form.contains(el)) continue;
      if (el.type === "checkbox") el.checked = value === true;
      else {
        if (el.matches("select[data-pf-sources]") && ![...el.options].some((o) => o.value === String(value))) el.add(new Option(String(value), String(value)));
        el.value = String(value);
      }
      touched.add(el);
    }
  }

  function clearDraft() {
    try { localStorage.removeItem(DRAFT); } catch (error) { /* nothing kept */ }
    dirty = false;
    location.reload();
  }

  function sourceChoices(record) {
    // A figure's source is a number in the list of sources: offered as "1 — its title", as the list stands now.
    const sources = Array.isArray(record.sources) ? record.sources : [];
    form.querySelectorAll("select[data-pf-sources]").forEach((select) => {
      const kept = select.value;
      const texts = sources.map((source, i) => `${i + 1} \u2014 ${(source && typeof source.title === "string" && source.title) || "\u2026"}`);
      const current = [...select.options].slice(1).map((option) => option.textContent);
      if (current.join("\n") === texts.join("\n")) return;
      while (select.options.length > 1) select.remove(1);
      texts.forEach((text, i) => select.add(new Option(text, String(i + 1))));
      if (kept && Number(kept) > sources.length) select.add(new Option(kept, kept)); // a source since removed: the rules say so
      select.value = kept;
    });
  }

  function update() {
    const idInput = form.querySelector('[data-key="id"] [data-pf-input]');
    const { record: draft } = read();
    if (idInput && !touched.has(idInput) && draft.title) {
      const title = typeof draft.title === "object" ? draft.title[draft.original_language] || "" : "";
      idInput.value = suggestId(title);
    }
    sourceChoices(draft);
    const { record, places } = read();
    const problems = rules.check(D, record);
    needParser(record);
    if (interacted) needWriter();
    last = { record, problems, yaml: toYaml(record) };
    languageNotes(record);
    show(problems, places);
    status(problems);
    outputs(record, last.yaml, problems.length === 0);
    saveDraft();
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
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    form.querySelector('[data-key="submitted"] [data-pf-input]').value = iso;
    form.querySelector('[data-key="original_language"] select').value = D.language;
    form.querySelectorAll("[data-pf-root] > [data-kind=list]").forEach((list) => {
      for (let i = 0; i < Number(list.dataset.min); i++) addRow(list);
    });
    renumber();
    restoreDraft();
    let timer = 0;
    form.addEventListener("input", () => { dirty = interacted = true; needWriter(); clearTimeout(timer); timer = setTimeout(update, 250); });
    form.addEventListener("change", (event) => { dirty = interacted = true; touched.add(event.target); update(); });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = ""; // the browser asks whether to leave; the draft stays kept all the same
    });
    form.addEventListener("focusout", (event) => { if (event.target.matches("input, textarea, select")) touched.add(event.target); update(); });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button, a[data-pf-github], a[data-pf-email]");
      if (!button) return;
      interacted = true;
      if (!window.catalogRecordYaml && button.matches("[data-pf-download], [data-pf-copy], a[data-pf-github], a[data-pf-email]")) {
        event.preventDefault(); // nothing written yet: the same click again once the writer has come
        needWriter().then(() => button.click());
        return;
      }
      if (button.matches("[data-pf-clear]")) { clearDraft(); return; }
      if (button.matches("[data-pf-download], [data-pf-copy], a[data-pf-github], a[data-pf-email]")) dirty = false;
      if (button.matches("a[data-pf-email]") && button.dataset.attach && button.getAttribute("aria-disabled") !== "true") download();
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

  window.catalogProposal = {
    read: () => read().record,
    toYaml: (record) => needWriter().then((writer) => writer.recordText(record)),
    check: (record) => rules.check(D, record),
  };
  init();
})();
