/* Checks of a practice record in the browser, with the same outcome as `catalog validate`.
 *
 * The JSON Schema is checked by window.catalogValidatePractice, generated from the schema with Ajv
 * (scripts/form_validator.cjs): none of its rules is written here. This file only (1) words Ajv's
 * errors with the validator's messages, as catalog/records/schema_errors.py words jsonschema's, and (2) applies
 * the few rules the schema cannot say (catalog/records/rules.py), with the data the page
 * carries from Python: which commitment is whose, the year bounds that move with today, the
 * validator's own text patterns and messages. The vocabularies are enums of the schema
 * (scripts/schema_vocab.py), so Ajv checks them and nothing here does.
 * tests/browser/test_form.py runs both on the same records and requires the same problems.
 */
(function () {
  "use strict";

  function fieldName(path) {
    let out = "";
    for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : String(part);
    return out || "(file)";
  }

  // catalog/records/problems.py field_label: where a problem is, in the form's words ("Resultado 1 › Dato 2 › Año").
  function fieldLabel(data, path) {
    const labels = data.labels;
    const parts = [];
    let dotted = "";
    for (const part of path) {
      if (typeof part === "number") {
        const item = labels.items[dotted];
        parts.splice(-1, 1, `${item || parts[parts.length - 1] || ""} ${part + 1}`.trim());
        continue;
      }
      dotted = dotted ? `${dotted}.${part}` : String(part);
      const known = labels.fields[dotted] || labels.languages[part];
      if (!known) return fieldName(path);
      parts.push(known);
    }
    return parts.length ? parts.join(" \u203a ") : labels.file;
  }

  function get(data, path) {
    return path.reduce((value, part) => (value == null ? undefined : value[part]), data);
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // catalog.records.figures.plain_number: a number in plain decimals, never with an exponent. String(1e-7) is
  // "1e-7", which YAML reads as text: the form writes every figure with this, and counts its decimals on it.
  function plainNumber(value) {
    const text = String(value);
    const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    if (!m) return text;
    const [, sign, whole, fraction = "", exponent] = m;
    const digits = whole + fraction;
    const point = whole.length + Number(exponent);
    let out;
    if (point <= 0) out = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
    else out = digits.slice(0, point) + "." + digits.slice(point);
    if (out.includes(".")) out = out.replace(/0+$/, "").replace(/\.$/, "");
    return sign + out;
  }

  // catalog.records.markup's depth: <ul>, <ol> and <blockquote> inside each other, on the parser's tree.
  function markdownDepth(text) {
    if (!/[>\r]|^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$)/m.test(text)) return 0; // no list or quote can start
    const walker = new window.commonmark.Parser().parse(text).walker();
    let depth = 0;
    let deepest = 0;
    for (let event = walker.next(); event; event = walker.next()) {
      const type = event.node.type;
      if (type !== "list" && type !== "block_quote") continue;
      depth += event.entering ? 1 : -1;
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  // Whether a text may hold a list or a quote (then propose.js loads the parser).
  function mayNest(text) {
    return /^[ \t]*(?:[-*+>]|[0-9]{1,9}[.)])(?=[ \t]|$)|>/m.test(text);
  }

  // schema_errors.py VALUE_KEYWORDS: errors about a value that leave its shape as the rules expect it.
  const VALUE_KEYWORDS = new Set(["pattern", "enum", "const", "format", "minLength", "maxLength", "minimum", "maximum",
    "minItems", "maxItems", "uniqueItems"]);

  function charLength(text) {
    return Array.from(text).length;
  }

  function pointer(instancePath) {
    if (!instancePath) return [];
    return instancePath.slice(1).split("/").map((part) => {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^\d+$/.test(key) ? Number(key) : key;
    });
  }

  class Checker {
    constructor(data, record, today) {
      this.D = data;
      this.record = record;
      this.today = today || new Date();
      this.problems = [];
      this.malformed = []; // paths where the schema found a wrong shape, as Findings.malformed: rules skip them
      this.patterns = {};
      for (const [name, p] of Object.entries(data.patterns)) this.patterns[name] = p;
    }

    re(name, extra) {
      const p = this.patterns[name];
      return new RegExp(p.source, p.flags + (extra || ""));
    }

    add(path, message, params) {
      this.problems.push({ path, field: fieldName(path), message, params: params || {} });
    }

    run() {
      const shapeErrors = this.schema();
      this.text(this.record, []);
      const rules = [this.identity, this.vocabularies, this.dates, this.results, this.figures, this.translations, this.sources,
        this.sourceNumbers];
      for (const rule of rules) {
        try {
          rule.call(this);
        } catch (error) {
          if (!shapeErrors) throw error; // a wrong shape the schema reported: the rule trips over it
        }
      }
      const required = new Set(this.D.required_paths);
      const original = isObject(this.record) ? this.record.original_language : undefined;
      for (const p of this.problems) { // as catalog/records/structure.py _required_wording
        const field = p.field.replace(/\[\d+\]/g, "[]");
        const cut = field.lastIndexOf(".");
        const inOriginal = cut > 0 && field.slice(cut + 1) === original && required.has(field.slice(0, cut));
        if (p.message === "empty" && (required.has(field) || inOriginal)) p.message = "empty_required";
      }
      const unique = new Map();
      for (const p of this.problems) {
        const key = `${p.field}\u0000${p.message}`;
        if (!unique.has(key)) unique.set(key, p);
      }
      return [...unique.values()];
    }

    // --- the schema, worded as catalog/records/schema_errors.py words it -------------------------

    schema() {
      const validate = window.catalogValidatePractice;
      if (validate(this.record)) return false;
      const errors = validate.errors || [];
      const oneOfPaths = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
      for (const error of errors) {
        const at = error.instancePath;
        const value = get(this.record, pointer(at));
        if (oneOfPaths.has(at) && (typeof value === "string" || isObject(value))) {
          // A name written as text or as an es/en block: report only the branch that was meant.
          if (error.keyword === "oneOf" || error.keyword === "type") continue;
          if (typeof value === "string" && /\/(es|en)$/.test(error.instancePath)) continue;
        }
        if (oneOfPaths.has(at) && error.keyword === "oneOf") {
          this.wrongType(pointer(at), "type_localized");
          continue;
        }
        if (this.isInsideOneOfBranch(error, oneOfPaths)) continue;
        this.explain(error);
      }
      return true;
    }

    isInsideOneOfBranch(error, oneOfPaths) {
      // Errors of a name's es/en branch while the name was written as plain text.
      const parent = error.instancePath.replace(/\/[^/]*$/, "");
      return error.keyword !== "oneOf" && oneOfPaths.has(parent) && typeof get(this.record, pointer(parent)) === "string";
    }

    explain(error) {
      const where = pointer(error.instancePath);
      const k = error.keyword;
      const p = error.params || {};
      if (k === "if") return; // Ajv's summary of a failed if/then; the "then" errors themselves follow
      if (!VALUE_KEYWORDS.has(k)) {
        const extra = k === "required" ? [p.missingProperty] : k === "additionalProperties" ? [p.additionalProperty] : [];
        this.malformed.push(fieldName([...where, ...extra]));
      }
      if (k === "required") {
        const path = [...where, p.missingProperty];
        // Some fields say what they are for when missing (schema_errors.py REQUIRED_MESSAGES).
        const message = this.D.required_messages[fieldName(path).replace(/\[\d+\]/g, "[]")] || "required";
        this.add(path, message, { name: fieldName(path) });
      } else if (k === "additionalProperties") {
        this.add([...where, p.additionalProperty], "unknown_field", { name: p.additionalProperty });
      } else if (k === "type") {
        this.wrongType(where, this.typeHint(p.type, error.parentSchema || {}));
      } else if (k === "minProperties") this.wrongType(where, "type_localized");
      else if (k === "minLength") this.add(where, "too_short", { limit: p.limit });
      else if (k === "maxLength") this.add(where, "too_long", { length: charLength(error.data), limit: p.limit });
      else if (k === "minItems") this.add(where, "too_few", { limit: p.limit });
      else if (k === "maxItems") this.add(where, "too_many", { limit: p.limit });
      else if (k === "uniqueItems") this.add(where, "repeated_item");
      else if (k === "minimum" && where[where.length - 1] === "year") { // a figure's year before the schema's earliest
        this.add(where, "implausible_year", { year: error.data, low: p.limit, high: this.today.getFullYear() + 1 });
      } else if (k === "minimum" && where[where.length - 1] === "source") this.add(where, "source_number_from_one", { value: error.data });
      else if (k === "minimum") this.add(where, "negative");
      else if (k === "enum") this.outside(where, error);
      else if (k === "pattern") this.badPattern(where, error.data);
      else this.add(where, "yaml_syntax", { detail: k });
    }

    // A value outside a vocabulary: the schema's $defs name it (themes → vocabulary_themes; generated from
    // vocabularies.yml by scripts/schema_vocab.py), as catalog/records/schema_errors.py _enum words it.
    outside(where, error) {
      const value = error.data;
      const defined = (error.parentSchema || {})["x-def"]; // set by scripts/form_validator.cjs
      const vocabulary = defined ? `vocabulary_${defined}` : where[where.length - 1] === "kind" ? "vocabulary_kinds" : "vocabulary_languages";
      const allowed = error.params.allowedValues.join(", ");
      if (typeof value !== "string" && (error.parentSchema || {}).type === "string") return; // the type's own error says it
      if (defined === "covered_country" || defined === "covered_host_country") {
        if (/^[A-Z]{3}$/.test(value)) this.add(where, "country_not_covered", { value, allowed }); // else the pattern's
      } else this.add(where, "not_in_vocabulary", { value, vocabulary: { msg: vocabulary }, allowed });
    }

    typeHint(expected, schema) {
      const types = String(expected).split(",");
      if (types.length > 1) return types.includes("integer") && types.includes("string") ? "type_date" : `type_${types[0]}`;
      const props = Object.keys(schema.properties || {});
      if (types[0] === "object" && props.length === 2 && props.includes("es") && props.includes("en")) return "type_localized";
      return `type_${types[0]}`;
    }

    wrongType(where, hint) {
      if (get(this.record, where) === null) this.add(where, "empty");
      else this.add(where, "wrong_type", { expected: { msg: hint } });
    }

    badPattern(where, value) {
      const name = where[where.length - 1];
      if (name === "id") this.add(where, "bad_id", { value });
      else if (name === "country" || name === "host_country") this.add(where, "bad_country_code", { value });
      else if (name === "url" || where[where.length - 2] === "url") {
        this.add(where, value.startsWith("https://") ? "bad_https_url" : "not_https", { value });
      }
      else if (name === "submitted" || name === "updated") this.add(where, "bad_pattern", { value, hint: { msg: "hint_day" } });
      else {
        const hints = { subdivision: "hint_subdivision", acronym: "hint_acronym", email: "hint_email" };
        this.add(where, "bad_pattern", { value, hint: { msg: hints[name] || "hint_date" } });
      }
    }

    // --- rules the schema cannot say ---------------------------------------------------------

    text(value, where) {
      if (Array.isArray(value)) value.forEach((item, i) => this.text(item, [...where, i]));
      else if (isObject(value)) for (const [key, item] of Object.entries(value)) this.text(item, [...where, key]);
      else if (typeof value === "string") this.oneText(value, where);
    }

    oneText(value, where) {
      if (value && !value.trim()) this.add(where, "empty");
      const control = this.re("_CONTROL_CHARACTERS").exec(value);
      if (control) this.add(where, "control_character", { code: "U+" + control[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0") });
      if (value.normalize("NFC") !== value) this.add(where, "not_nfc");
      const html = this.re("_HTML").exec(value);
      if (html) this.add(where, "raw_html", { value: value.slice(html.index, html.index + 20).trim() });
      if (value.includes("![")) this.add(where, "markdown_image");
      this.nesting(value, where);
      for (const target of this.linkTargets(value)) {
        const problem = this.urlProblem(target);
        if (problem) this.add(where, problem, { value: target.slice(0, 60) });
      }
    }

    // catalog.records.markup.url_problem: the schema's https and e-mail patterns.
    urlProblem(url) {
      if (url.startsWith("mailto:")) return this.re("_EMAIL").test(url.slice(7)) ? null : "bad_mailto";
      if (!url.startsWith("https://")) return "not_https";
      return this.re("_HTTPS_URL").test(url) ? null : "bad_https_url";
    }

    // How deep lists and quotes nest, counted as `catalog validate` counts them: on the CommonMark
    // parser's own tree (commonmark.js 0.29, the reference twin of the cmark the site renders with;
    // docs/assets/commonmark.min.js), indentation included. propose.js loads the parser the first
    // time a text may nest; until then, only the markers typed on one line are counted.
    nesting(value, where) {
      const deep = window.commonmark ? markdownDepth(value) > this.D.max_nesting : this.oneLineNesting(value);
      if (deep) this.add(where, "too_deeply_nested", { limit: this.D.max_nesting });
    }

    oneLineNesting(value) {
      for (const m of value.matchAll(this.re("_BLOCK_MARKERS", "g"))) {
        if ((m[0].match(/[-*+>]|[0-9]+[.)]/g) || []).length > this.D.max_nesting) return true;
      }
      return false;
    }

    linkTargets(text) {
      const out = [];
      for (const m of text.matchAll(this.re("_MARKDOWN_LINK_TARGET", "g"))) {
        const target = m[1] !== undefined ? m[1] : m[2];
        if (target) out.push(target);
      }
      for (const m of text.matchAll(this.re("_AUTOLINK_OR_BARE_SCHEME", "g"))) out.push(m[1]);
      return out;
    }

    identity() {
      const r = this.record;
      if ("host_country" in r && r.country !== this.D.regional_code) this.add(["host_country"], "host_country_only_regional");
      if (this.D.reserved_ids.includes(r.id)) this.add(["id"], "reserved_id", { value: r.id });
      (r.locations || []).forEach((location, i) => {
        const code = location.subdivision;
        const prefix = this.D.alpha2[r.country];
        if (code && prefix && !code.startsWith(prefix + "-")) {
          this.add(["locations", i, "subdivision"], "subdivision_other_country", { value: code, country: r.country, prefix });
        }
      });
    }

    // Each value is in its vocabulary by the schema; what no enum can say is how two go together.
    vocabularies() {
      const mechanismOf = this.D.commitment_mechanism;
      (this.record.commitments || []).forEach((item, i) => {
        const { commitment, mechanism } = item;
        if (!Object.hasOwn(mechanismOf, commitment) || !this.D.mechanisms.includes(mechanism)) return;
        if (mechanismOf[commitment] !== mechanism) {
          this.add(["commitments", i, "mechanism"], "commitment_mechanism_mismatch", { commitment, expected: mechanismOf[commitment], value: mechanism });
        }
      });
    }

    todayIso() {
      const t = this.today;
      return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, "0")}-${String(t.getDate()).padStart(2, "0")}`;
    }

    dateRange(where, value, low, high) {
      if (typeof value === "boolean" || (typeof value !== "string" && !Number.isInteger(value))) return null;
      const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(value));
      if (!m) {
        this.add(where, "bad_pattern", { value, hint: { msg: "hint_date" } });
        return null;
      }
      const [year, month, day] = [Number(m[1]), m[2] && Number(m[2]), m[3] && Number(m[3])];
      if (year < low || year > high) {
        this.add(where, "implausible_year", { year: m[1], low, high });
        return null;
      }
      const iso = (y, mo, d) => `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const daysIn = (y, mo) => new Date(Date.UTC(y, mo, 0)).getUTCDate();
      if ((month && (month < 1 || month > 12)) || (day && (day < 1 || day > daysIn(year, month)))) {
        this.add(where, "invalid_date", { value });
        return null;
      }
      if (day) return [iso(year, month, day), iso(year, month, day)];
      if (month) return [iso(year, month, 1), iso(year, month, daysIn(year, month))];
      return [iso(year, 1, 1), iso(year, 12, 31)];
    }

    dates() {
      const r = this.record;
      const high = this.today.getFullYear() + 1;
      const period = r.period;
      const parsed = {};
      for (const key of ["start", "end"]) {
        if (key in period) parsed[key] = this.dateRange(["period", key], period[key], this.D.earliest_year, high);
      }
      if (parsed.start && parsed.end && parsed.end[1] < parsed.start[0]) {
        this.add(["period", "end"], "end_before_start", { start: period.start, end: period.end });
      }
      if (r.status === "completed" && !("end" in period)) this.add(["status"], "completed_needs_end");
      if (r.status === "ongoing" && "end" in period) this.add(["period", "end"], "ongoing_has_end");
      const today = this.todayIso();
      for (const key of ["submitted", "updated"]) {
        if (!(key in r)) continue;
        const bounds = this.dateRange([key], r[key], this.D.earliest_year, high);
        if (bounds && bounds[0] > today) this.add([key], "future_date", { value: r[key] });
      }
      if (isObject(r.provenance) && "date" in r.provenance) {
        const bounds = this.dateRange(["provenance", "date"], r.provenance.date, this.D.earliest_year, high);
        if (bounds && bounds[0] > today) this.add(["provenance", "date"], "future_date", { value: r.provenance.date });
      }
      if ("updated" in r && String(r.updated) < String(r.submitted)) {
        this.add(["updated"], "updated_before_submitted", { value: r.updated, submitted: r.submitted });
      }
      r.sources.forEach((source, i) => {
        if (!("date" in source)) return;
        const bounds = this.dateRange(["sources", i, "date"], source.date, this.D.earliest_source_year, high);
        if (bounds && bounds[0] > today) this.add(["sources", i, "date"], "future_date", { value: source.date });
      });
    }

    results() {
      const r = this.record;
      const high = this.today.getFullYear() + 1;
      const low = this.D.earliest_year;
      const startYear = Number(String(r.period.start).slice(0, 4));
      const endYear = "end" in r.period ? Number(String(r.period.end).slice(0, 4)) : this.today.getFullYear();
      if (Number.isNaN(startYear)) throw new TypeError("start");
      (r.results || []).forEach((indicator, i) => {
        const seen = new Set();
        indicator.values.forEach((value, j) => {
          const where = ["results", i, "values", j, "year"];
          const year = value.year;
          if (!Number.isInteger(year)) return; // the schema said so
          if (seen.has(year)) this.add(where, "duplicate_year", { year });
          seen.add(year);
          if (year > high) this.add(where, "implausible_year", { year, low, high }); // the earliest is the schema's
          else if (year >= low && (indicator.kind || "result") === "result" && (year < startYear || year > endYear)) {
            this.add(where, "result_outside_period", { year, start: startYear, end: endYear });
          }
        });
      });
    }

    // catalog.records.figures for the numbers a form can hold: the bounds and decimals, and the rule for a
    // figure as written (thousands separators, decimal comma, whole numbers in count units).
    figures() {
      (this.record.results || []).forEach((indicator, i) => {
        if (!isObject(indicator)) return;
        const count = this.D.count_units.includes(indicator.unit);
        (Array.isArray(indicator.values) ? indicator.values : []).forEach((item, j) => {
          if (!isObject(item)) return;
          const value = item.value;
          const where = ["results", i, "values", j, "value"];
          if (typeof value === "number" && Number.isFinite(value)) {
            const written = plainNumber(value); // what the form writes, and the validator reads
            const decimals = (written.split(".")[1] || "").length;
            if (value > this.D.max_figure) return this.add(where, "number_too_large", { value: written, limit: this.D.max_figure });
            if (decimals > this.D.max_decimals) return this.add(where, "number_too_precise", { raw: written, limit: this.D.max_decimals });
          } else if (typeof value !== "string") return; // the schema said so
          const found = writtenProblem(this.D.figure_patterns, String(value), count);
          if (!found) return;
          const name = fieldName(where);
          this.problems = this.problems.filter((p) => !(p.field === name && (p.message === "wrong_type" || p.message === "retyped")));
          this.add(where, found[0], found[1]);
        });
      });
    }

    translations() {
      const original = this.record.original_language;
      if (original !== "es" && original !== "en") throw new TypeError("original_language");
      for (const [where, block] of localizedBlocks(this.record, [])) {
        if (!block[original]) this.add(where, "missing_original", { language: { lang: original } });
      }
    }

    sources() {
      const sources = this.record.sources;
      if (Array.isArray(sources) && !sources.some((s) => isObject(s) && "url" in s)) this.add(["sources"], "no_source_url");
    }

    // rules.py result_sources_exist: a figure's source is a number in the list of sources, one that exists.
    sourceNumbers() {
      const { results, sources } = this.record;
      // Rule.can_run: not when the record, or either list itself, has a wrong shape.
      if (!Array.isArray(results) || !Array.isArray(sources) || ["(file)", "results", "sources"].some((m) => this.malformed.includes(m))) return;
      const count = sources.length;
      const check = (where, number) => {
        if (Number.isInteger(number) && number > count) this.add(where, "source_number_missing", { number, count });
      };
      results.forEach((indicator, i) => {
        if (!isObject(indicator) || !this.sound(["results", i])) return;
        check(["results", i, "source"], indicator.source);
        (Array.isArray(indicator.values) ? indicator.values : []).forEach((value, j) => {
          if (isObject(value) && this.sound(["results", i, "values", j])) check(["results", i, "values", j, "source"], value.source);
        });
      });
    }

    // Findings.sound: no wrong shape at this field or inside it.
    sound(path) {
      const name = fieldName(path);
      return !this.malformed.some((m) => m === name || m.startsWith(`${name}.`) || m.startsWith(`${name}[`));
    }
  }

  function* localizedBlocks(value, where) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield* localizedBlocks(value[i], [...where, i]);
    } else if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length && keys.every((k) => k === "es" || k === "en") && keys.every((k) => typeof value[k] === "string")) {
        yield [where, value];
        return;
      }
      for (const key of keys) yield* localizedBlocks(value[key], [...where, key]);
    }
  }

  // catalog/records/figures.py written_problem, with its patterns (form_data's figure_patterns).
  function whole(patterns, name, text) {
    return new RegExp(`^(?:${patterns[name].source})$`, patterns[name].flags).exec(text);
  }

  function writtenProblem(patterns, written, count) {
    const text = written.trim();
    const ambiguous = whole(patterns, "AMBIGUOUS", text);
    if (ambiguous) {
      const decimals = ambiguous[2].replace(/0+$/, "");
      const point = decimals ? `${ambiguous[1]}.${decimals}` : ambiguous[1];
      const params = { raw: text, whole: ambiguous[1] + ambiguous[2], reading: { decimal: point } };
      if (count) return ["figure_ambiguous_count", params];
      return ["figure_ambiguous", { ...params, written: twoDecimals(point) }];
    }
    const grouped = whole(patterns, "GROUPED", text);
    if (grouped) return ["figure_grouped", { raw: shorten(text), whole: text.split(grouped[1]).join("").replace(",", ".") }];
    const comma = whole(patterns, "DECIMAL_COMMA", text);
    if (comma && !count) return ["figure_decimal_comma", { raw: shorten(text), written: text.replace(",", ".") }];
    if (count && (comma || (whole(patterns, "PLAIN", text) && text.includes(".")))) return ["figure_not_whole", { raw: shorten(text) }];
    return null;
  }

  function twoDecimals(point) {
    const [integer, decimals] = point.split(".");
    if (!decimals || decimals.length <= 2) return point;
    let cents = BigInt(integer + decimals.slice(0, 2));
    if (Number(decimals[2]) >= 5) cents += 1n; // half up, as Python's ROUND_HALF_UP
    const digits = cents.toString().padStart(3, "0");
    return `${digits.slice(0, -2)}.${digits.slice(-2)}`.replace(/\.?0+$/, "");
  }

  function shorten(text) {
    const chars = Array.from(text);
    return chars.length <= 24 ? text : chars.slice(0, 23).join("") + "\u2026";
  }

  /** Whether a number takes the singular: CLDR's plural rules, as Babel gives them in Python. */
  function isOne(language, value) {
    return typeof value === "number" && new Intl.PluralRules(language).select(value) === "one";
  }

  function word(data, id, params) {
    const text = (data.messages[id] || id).replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
      (_, name, one, other) => (isOne(data.language, (params || {})[name]) ? one : other)); // as catalog/core/i18n.py plural_forms
    return text.replace(/\{(\w+)\}/g, (_, name) => {
      const value = (params || {})[name];
      if (value && typeof value === "object" && "msg" in value) return word(data, value.msg, {});
      if (value && typeof value === "object" && "lang" in value) return data.language_names[value.lang];
      if (value && typeof value === "object" && "decimal" in value) return value.decimal.replace(".", data.decimal_symbol);
      return value === undefined ? `{${name}}` : String(value);
    });
  }

  window.catalogRules = {
    check: (data, record, today) => new Checker(data, record, today).run(),
    word,
    fieldName,
    fieldLabel,
    writtenProblem,
    plainNumber,
    mayNest,
  };
})();
