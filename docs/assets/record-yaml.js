/* The catalog's one YAML writer (catalog/records/record_yaml.py), in the browser: the proposal form
 * writes a record byte for byte as `catalog from-issue` and `catalog new` do.
 *
 * record_yaml.py is PyYAML's safe dumper (yaml 6.0) set up for records: block style, lists indented
 * under their field, Unicode kept, lines folded at 100 columns, keys in the order given; a number in
 * plain decimals (catalog.records.figures.plain_number, here catalogRules.plainNumber); a text holding
 * NEL, LS or PS double-quoted with the character escaped; a text of several lines as a | block. This is
 * that dumper's emitter, ported state for state (yaml/emitter.py: analyze_scalar, choose_scalar_style
 * and the four writers; yaml/resolver.py for which plain texts YAML would retype), on JSON values.
 * Columns count code points, as Python's do. tests/browser/test_record_yaml.py holds it to Python on
 * every record of practices/ and on a corpus of hard texts. propose.js loads it when the form first
 * needs a record written.
 */
(function () {
  "use strict";

  const SCHEMA_COMMENT = "# yaml-language-server: $schema=../../catalog/schema/practice.schema.json";
  const WIDTH = 100; // record_yaml.dump's width
  const INDENT = 2; // PyYAML's best_indent
  const BREAKS = "\n\u0085\u2028\u2029";
  const SPACE_OR_BREAK = "\0 \t\r\n\u0085\u2028\u2029";
  const RAW_LINE_BREAKS = /[\u0085\u2028\u2029]/; // catalog.records.characters.RAW_LINE_BREAKS
  const ESCAPES = { "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\x0B": "v", "\f": "f", "\r": "r",
    "\x1B": "e", '"': '"', "\\": "\\", "\u0085": "N", "\u00A0": "_", "\u2028": "L", "\u2029": "P" };

  // yaml/resolver.py: the tag a plain scalar gets from its text, tried in this order for its first character.
  const RESOLVERS = [
    ["bool", "yYnNtTfFoO", /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/],
    ["float", "-+0123456789.", /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
    ["int", "-+0123456789", /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/],
    ["merge", "<", /^(?:<<)$/],
    ["null", "~nN", /^(?:~|null|Null|NULL|)$/],
    ["timestamp", "0123456789", /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/],
    ["value", "=", /^(?:=)$/],
    ["yaml", "!&*", /^(?:!|&|\*)$/],
  ];

  function plainTag(text) {
    for (const [tag, first, pattern] of RESOLVERS) {
      if ((text === "" ? tag === "null" : first.includes(text[0])) && pattern.test(text)) return tag;
    }
    return "str";
  }

  function printable(c) { // what PyYAML writes as it is with allow_unicode (c: a code point)
    return (c === 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c < 0x10FFFF)) && c !== 0xFEFF;
  }

  // yaml/emitter.py analyze_scalar: which styles can write the text (chars: its code points).
  function analyze(chars) {
    const n = chars.length;
    if (!n) return { empty: true, multiline: false, blockPlain: true, single: true, block: false };
    let blockIndicators = false;
    let lineBreaks = false;
    let special = false;
    let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
    let breakSpace = false, spaceBreak = false;
    const text = chars.join("");
    if (text.startsWith("---") || text.startsWith("...")) blockIndicators = true;
    let precededByWhitespace = true;
    let followedByWhitespace = n === 1 || SPACE_OR_BREAK.includes(chars[1]);
    let previousSpace = false, previousBreak = false;
    for (let index = 0; index < n; index++) {
      const ch = chars[index];
      if (index === 0) {
        if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
        if ("?:".includes(ch) && followedByWhitespace) blockIndicators = true;
        if (ch === "-" && followedByWhitespace) blockIndicators = true;
      } else {
        if (ch === ":" && followedByWhitespace) blockIndicators = true;
        if (ch === "#" && precededByWhitespace) blockIndicators = true;
      }
      const code = ch.codePointAt(0);
      if (BREAKS.includes(ch)) lineBreaks = true;
      if (!(ch === "\n" || (code >= 0x20 && code <= 0x7E)) && !printable(code)) special = true;
      if (ch === " ") {
        if (index === 0) leadingSpace = true;
        if (index === n - 1) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (BREAKS.includes(ch)) {
        if (index === 0) leadingBreak = true;
        if (index === n - 1) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = SPACE_OR_BREAK.includes(ch);
      followedByWhitespace = index + 2 >= n || SPACE_OR_BREAK.includes(chars[index + 2]);
    }
    let blockPlain = true, single = true, block = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
    if (trailingSpace) block = false;
    if (breakSpace) blockPlain = single = false;
    if (spaceBreak || special) blockPlain = single = block = false;
    if (lineBreaks || blockIndicators) blockPlain = false;
    return { empty: false, multiline: lineBreaks, blockPlain, single, block };
  }

  class Emitter {
    constructor() {
      this.out = [];
      this.column = 0;
      this.whitespace = true;
      this.indention = true;
      this.openEnded = false;
      this.indent = null;
      this.indents = [];
      this.root = false;
      this.simpleKey = false;
    }

    write(data, counted) {
      this.out.push(data);
      if (counted) this.column += Array.from(data).length;
    }

    increaseIndent(flow) { // record_yaml._Dumper: never indentless
      this.indents.push(this.indent);
      if (this.indent === null) this.indent = flow ? INDENT : 0;
      else this.indent += INDENT;
    }

    indicator(indicator, needWhitespace, whitespace, indention) {
      const data = this.whitespace || !needWhitespace ? indicator : " " + indicator;
      this.whitespace = !!whitespace;
      this.indention = this.indention && !!indention;
      this.openEnded = false;
      this.write(data, true);
    }

    writeIndent() {
      const indent = this.indent || 0;
      if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
      if (this.column < indent) {
        this.whitespace = true;
        this.out.push(" ".repeat(indent - this.column));
        this.column = indent;
      }
    }

    // A run of breaks inside a plain or single-quoted text, as PyYAML writes it: a leading "\n" twice
    // (reading folds one away), every break kept, then the indent of the next line.
    breaksThenIndent(run) {
      if (run[0] === "\n") this.lineBreak();
      this.lineBreaks(run);
      this.writeIndent();
    }

    lineBreaks(run) {
      for (const br of run) this.lineBreak(br === "\n" ? undefined : br);
    }

    lineBreak(data) {
      this.whitespace = true;
      this.indention = true;
      this.column = 0;
      this.out.push(data || "\n");
    }

    // --- nodes ---------------------------------------------------------------------------------

    node(value, root, simpleKey) {
      this.root = root;
      this.simpleKey = simpleKey;
      if (Array.isArray(value)) {
        if (!value.length) this.emptyFlow("[", "]");
        else this.sequence(value);
      } else if (value !== null && typeof value === "object") {
        const keys = Object.keys(value);
        if (!keys.length) this.emptyFlow("{", "}");
        else this.mapping(value, keys);
      } else this.scalar(represent(value));
    }

    emptyFlow(open, close) {
      this.indicator(open, true, true);
      this.increaseIndent(true);
      this.indent = this.indents.pop();
      this.indicator(close, false);
    }

    sequence(items) {
      this.increaseIndent(false);
      for (const item of items) {
        this.writeIndent();
        this.indicator("-", true, false, true);
        this.node(item, false, false);
      }
      this.indent = this.indents.pop();
    }

    mapping(value, keys) {
      this.increaseIndent(false);
      for (const key of keys) {
        this.writeIndent();
        const scalar = represent(key);
        if (this.isSimpleKey(scalar)) {
          this.node(key, false, true);
          this.indicator(":", false);
        } else {
          this.indicator("?", true, false, true);
          this.node(key, false, false);
          this.writeIndent();
          this.indicator(":", true, false, true);
        }
        this.node(value[key], false, false);
      }
      this.indent = this.indents.pop();
    }

    isSimpleKey(scalar) { // check_simple_key: the tag's prepared text counts, though it is not written
      const analysis = analyze(scalar.chars);
      return ("!!" + scalar.tag).length + scalar.chars.length < 128 && !analysis.empty && !analysis.multiline;
    }

    // --- scalars -------------------------------------------------------------------------------

    scalar(scalar) {
      const analysis = analyze(scalar.chars);
      const implicit = [plainTag(scalar.text) === scalar.tag, scalar.tag === "str"];
      const style = this.style(scalar, analysis, implicit);
      if (!((style === "" && implicit[0]) || (style !== "" && implicit[1]))) this.indicator("!!" + scalar.tag, true);
      this.increaseIndent(true);
      const split = !this.simpleKey;
      if (style === '"') this.doubleQuoted(scalar.chars, split);
      else if (style === "'") this.singleQuoted(scalar.chars, split);
      else if (style === "|") this.literal(scalar.chars);
      else this.plain(scalar.chars, split);
      this.indent = this.indents.pop();
    }

    style(scalar, analysis, implicit) { // choose_scalar_style, out of any flow collection
      if (scalar.style === '"') return '"';
      if (!scalar.style && implicit[0] && !(this.simpleKey && (analysis.empty || analysis.multiline)) && analysis.blockPlain) return "";
      if (scalar.style === "|" && !this.simpleKey && analysis.block) return "|";
      if (!scalar.style && analysis.single && !(this.simpleKey && analysis.multiline)) return "'";
      return '"';
    }

    plain(chars, split) {
      if (this.root) this.openEnded = true;
      if (!chars.length) return;
      if (!this.whitespace) this.write(" ", true);
      this.whitespace = false;
      this.indention = false;
      let spaces = false, breaks = false, start = 0;
      for (let end = 0; end <= chars.length; end++) {
        const ch = end < chars.length ? chars[end] : null;
        if (spaces) {
          if (ch !== " ") {
            if (start + 1 === end && this.column > WIDTH && split) {
              this.writeIndent();
              this.whitespace = false;
              this.indention = false;
            } else this.write(chars.slice(start, end).join(""), true);
            start = end;
          }
        } else if (breaks) {
          if (ch === null || !BREAKS.includes(ch)) {
            this.breaksThenIndent(chars.slice(start, end));
            this.whitespace = false;
            this.indention = false;
            start = end;
          }
        } else if (ch === null || (" " + BREAKS).includes(ch)) {
          this.write(chars.slice(start, end).join(""), true);
          start = end;
        }
        if (ch !== null) {
          spaces = ch === " ";
          breaks = BREAKS.includes(ch);
        }
      }
    }

    singleQuoted(chars, split) {
      this.indicator("'", true);
      let spaces = false, breaks = false, start = 0;
      for (let end = 0; end <= chars.length; end++) {
        const ch = end < chars.length ? chars[end] : null;
        if (spaces) {
          if (ch === null || ch !== " ") {
            if (start + 1 === end && this.column > WIDTH && split && start !== 0 && end !== chars.length) this.writeIndent();
            else this.write(chars.slice(start, end).join(""), true);
            start = end;
          }
        } else if (breaks) {
          if (ch === null || !BREAKS.includes(ch)) {
            this.breaksThenIndent(chars.slice(start, end));
            start = end;
          }
        } else if (ch === null || (" " + BREAKS).includes(ch) || ch === "'") {
          if (start < end) {
            this.write(chars.slice(start, end).join(""), true);
            start = end;
          }
        }
        if (ch === "'") {
          this.write("''", true);
          start = end + 1;
        }
        if (ch !== null) {
          spaces = ch === " ";
          breaks = BREAKS.includes(ch);
        }
      }
      this.indicator("'", false);
    }

    doubleQuoted(chars, split) {
      this.indicator('"', true);
      let start = 0;
      for (let end = 0; end <= chars.length; end++) {
        const ch = end < chars.length ? chars[end] : null;
        const code = ch === null ? 0 : ch.codePointAt(0);
        if (ch === null || '"\\\u0085\u2028\u2029\uFEFF'.includes(ch)
            || !((code >= 0x20 && code <= 0x7E) || (code >= 0xA0 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD))) {
          if (start < end) {
            this.write(chars.slice(start, end).join(""), true);
            start = end;
          }
          if (ch !== null) {
            const hex = code.toString(16).toUpperCase();
            const data = ch in ESCAPES ? "\\" + ESCAPES[ch]
              : code <= 0xFF ? "\\x" + hex.padStart(2, "0") : code <= 0xFFFF ? "\\u" + hex.padStart(4, "0") : "\\U" + hex.padStart(8, "0");
            this.write(data, true);
            start = end + 1;
          }
        }
        if (end > 0 && end < chars.length - 1 && (ch === " " || start >= end) && this.column + (end - start) > WIDTH && split) {
          this.write(chars.slice(start, end).join("") + "\\", true);
          if (start < end) start = end;
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          if (chars[start] === " ") this.write("\\", true);
        }
      }
      this.indicator('"', false);
    }

    literal(chars) {
      let hints = "";
      if (BREAKS.includes(chars[0]) || chars[0] === " ") hints += String(INDENT);
      const last = chars[chars.length - 1];
      if (!BREAKS.includes(last)) hints += "-";
      else if (chars.length === 1 || BREAKS.includes(chars[chars.length - 2])) hints += "+";
      this.indicator("|" + hints, true);
      if (hints.endsWith("+")) this.openEnded = true;
      this.lineBreak();
      let breaks = true, start = 0;
      for (let end = 0; end <= chars.length; end++) {
        const ch = end < chars.length ? chars[end] : null;
        if (breaks) {
          if (ch === null || !BREAKS.includes(ch)) {
            this.lineBreaks(chars.slice(start, end));
            if (ch !== null) this.writeIndent();
            start = end;
          }
        } else if (ch === null || BREAKS.includes(ch)) {
          this.out.push(chars.slice(start, end).join("")); // PyYAML does not count these columns
          if (ch === null) this.lineBreak();
          start = end;
        }
        if (ch !== null) breaks = BREAKS.includes(ch);
      }
    }
  }

  // The representers of record_yaml._Dumper: (tag, text, style) of a JSON value.
  function represent(value) {
    let tag, text, style = null;
    if (value === null) [tag, text] = ["null", "null"];
    else if (typeof value === "boolean") [tag, text] = ["bool", value ? "true" : "false"];
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new TypeError("a record's numbers are finite");
      text = window.catalogRules.plainNumber(value); // 1e21 too: as digits
      tag = text.includes(".") ? "float" : "int";
    } else if (typeof value === "string") {
      [tag, text] = ["str", value];
      style = RAW_LINE_BREAKS.test(value) ? '"' : value.includes("\n") ? "|" : null;
    } else throw new TypeError(`no YAML for ${typeof value}`);
    return { tag, text, style, chars: Array.from(text) };
  }

  /** record_yaml.dump: YAML text of a JSON value, keys in their order. */
  function dump(data) {
    const emitter = new Emitter();
    emitter.node(data, true, false);
    emitter.writeIndent(); // the document's end
    if (emitter.openEnded) {
      emitter.indicator("...", true);
      emitter.writeIndent();
    }
    return emitter.out.join("");
  }

  /** record_yaml.record_text: the file of a record, the schema line first, a blank line between fields. */
  function recordText(record) {
    return SCHEMA_COMMENT + "\n" + Object.entries(record).map(([key, value]) => dump({ [key]: value })).join("\n");
  }

  window.catalogRecordYaml = { dump, recordText };
})();
