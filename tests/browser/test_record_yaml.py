"""One record writer: the form's docs/assets/record-yaml.js writes, in real Chromium, byte for byte what
catalog/records/record_yaml.py writes (`catalog from-issue`, `catalog new`), for every record of the
catalog and for texts and numbers YAML makes hard (NEL/LS/PS, quotes, colons, `#`, leading spaces, YAML 1.1
booleans and numbers, empty texts, long lines that fold, emoji, right-to-left marks)."""

from __future__ import annotations

import json
import shutil

import pytest

from catalog.records.loader import load_document
from catalog.records.record_yaml import dump, record_text
from devtools.browser import launch_chromium, serve_directory
from tests.helpers import PRACTICES, REPO

pytestmark = pytest.mark.site
ASSETS = REPO / "docs" / "assets"

HARD_TEXTS = [
    "", " ", "  ", "a", "-", "- a", "-a", "--- x", "...", "... x", "?", "? a", ":", ": a", "a:", "a: b", "a:b", "a :b",
    "#", "# c", "a #b", "a#b", "a # b", "'", "''", "'a'", '"', '"a"', "it's", 'say "hi"', "\\", "a\\b", "%", "@x", "`x`",
    "!", "!x", "&a", "*a", "|", "|x", ">", ">x", "[", "]", "{", "}", "[a]", "{a: b}", "a, b", "a,b", ",a",
    "NO", "no", "No", "yes", "Yes", "YES", "on", "On", "OFF", "off", "y", "n", "Y", "N", "true", "False", "TRUE", "null",
    "Null", "NULL", "~", "<<", "=", "012345", "0123", "0b101", "0x28", "0o17", "1_000", "1:30", "190:20:30", "1.10", "1.0",
    "1e-7", "1e3", "1E3", "1.5e+3", ".5", "5.", "+5", "-5", ".inf", "-.inf", ".nan", ".NaN", "2021-03-15",
    "2021-3-5 1:02:03", "2021-03-15T10:00:00Z", "2021", "2021-03", "1250", "1.250", "3,540", "0,5",
    " leading", "trailing ", " both ", "a  b", "a   b", "tab\there", "\ttab", "cr\rhere", "a\x07b", "esc\x1b",
    "nul\x00", "del\x7f", "\x85", "a\x85b", "line\u2028sep", "para\u2029sep", "a\u00a0b", "\u00a0", "\ufeffbom",
    "zero\u200bwidth", "rtl \u200f mark", "\u202eRLO", "emoji 😀", "😀", "🇵🇦 flag", "a\U0001f600\u0085b",
    "ñandú ÁÉÍÓÚ", "中文", "עברית", "العربية \u200f", "\ue000", "\ufffd", "\ufffe", "\uffff", "\U0010fffd",
    "one\ntwo", "one\n\ntwo", "\nleading break", "trailing break\n", "trailing breaks\n\n", "x\n", "\n", "\n\n",
    "  indented\nline", "line\n  indented", "space \nbreak", "a\n b", "a\r\nb", "tab\n\tx", "- item\n- item",
    "# heading\ntext", "a\u0085\nb", "ends with space\nx ", "mixed\u2028\nx",
    "x" * 99, "x" * 100, "x" * 101, "x" * 130, " ".join(["word"] * 40), " ".join(["palabra"] * 30) + ".",
    ("a " * 60).strip(), "a" * 50 + "  " + "b" * 60, "'" + "q " * 60, '"' + "d " * 60, "x\x85 " + "w " * 70,
    "long " * 30 + "\n" + "second " * 30, "é" * 120, "😀 " * 60, "a: " * 40, "#" * 120, "- " * 50,
]
HARD_VALUES = [*HARD_TEXTS, 0.0000001, 1e-7, 12.5, 0.125, 2.5e-9, 1e21, 123456789.125, 40, 0, 3.0, 1e-300,
               -2.5, True, False, None, [], {}, [[]], [{}], {"a": {}}]


def _cases() -> list[tuple[str, object]]:
    """(what to write, the value): every record as a file, and each hard value where a record can hold it."""
    cases: list[tuple[str, object]] = [
        ("record", json.loads(json.dumps(load_document(path).data, default=str))) for path in sorted(PRACTICES.rglob("*.yml"))]
    for value in HARD_VALUES:
        cases += [("dump", {"k": value}), ("dump", {"k": [value]}), ("dump", [{"a": value, "b": 1}]), ("dump", value),
                  ("dump", {"outer": {"inner": [{"x": value}]}})]
        if isinstance(value, str):  # as a key too: a long or multi-line key is written "? key"
            cases += [("dump", {value: 1}), ("dump", {"k": {value: [value]}})]
    return cases


def _python(kind: str, value: object) -> str:
    return record_text(value) if kind == "record" else dump(value)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def writer_page(tmp_path_factory):
    """The form's writer alone on a page, with the rules script it takes plain numbers from."""
    root = tmp_path_factory.mktemp("writer")
    for name in ("propose-rules.js", "record-yaml.js"):
        shutil.copy(ASSETS / name, root / name)
    (root / "index.html").write_text('<!doctype html><meta charset="utf-8">'
                                     '<script src="propose-rules.js"></script><script src="record-yaml.js"></script>',
                                     encoding="utf-8")
    with serve_directory(root) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/index.html")
        yield page


def _in_browser(page, cases: list[tuple[str, object]]) -> list[str]:
    # As JSON text: Playwright would carry -0, NaN or a 2**53 key differently; JSON is what the form has.
    return page.evaluate("""(text) => JSON.parse(text).map(([kind, value]) => kind === "record"
        ? window.catalogRecordYaml.recordText(value) : window.catalogRecordYaml.dump(value))""", json.dumps(cases))


def test_the_browser_writes_every_record_and_hard_value_as_python_does(writer_page):
    cases = _cases()
    assert sum(kind == "record" for kind, _ in cases) >= 20 and len(HARD_VALUES) >= 100
    got = _in_browser(writer_page, cases)
    differences = [(value, _python(kind, value), written) for (kind, value), written in zip(cases, got, strict=True)
                   if written != _python(kind, value)]
    assert not differences, "\n".join(repr(d)[:400] for d in differences[:10])


def test_a_writer_one_byte_off_is_caught(writer_page):
    """The comparison can fail: with the form's number writer swapped for String(), 1e-7 comes out as
    1e-7 (text to YAML, so tagged) instead of Python's 0.0000001, and the same comparison sees it."""
    value = {"value": 1e-7}
    assert _in_browser(writer_page, [("dump", value)]) == [dump(value)] == ["value: 0.0000001\n"]
    writer_page.evaluate("() => { window.keptPlain = window.catalogRules.plainNumber; window.catalogRules.plainNumber = String; }")
    try:
        off = _in_browser(writer_page, [("dump", value)])
        assert off != [dump(value)] and "1e-7" in off[0]
    finally:
        writer_page.evaluate("() => { window.catalogRules.plainNumber = window.keptPlain; }")


def test_the_form_has_no_writer_of_its_own():
    """propose.js writes through record-yaml.js, loaded when first needed; it has no YAML writer itself."""
    script = (ASSETS / "propose.js").read_text(encoding="utf-8")
    assert "record-yaml.js" in script and "catalogRecordYaml.recordText" in script
    for own in ("function emit(", "function scalar(", "|-\\n"):
        assert own not in script, own
