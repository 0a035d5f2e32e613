"""Unit tests of catalog.records.validate and the `catalog validate` command: one case per rule.

Each case edits the reference record (practices/pan/onpar-border-access.yml) in a temporary
folder and checks the exact problems: message id, field path and line. The line is found in
the edited text by the text that must stand on it, never taken from the validator.
"""

from __future__ import annotations

import ast
import json
import string
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from catalog.cli.main import main
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import TERM_VOCABULARIES
from catalog.records.validate import Report
from tests.helpers import REPO
from tests.helpers.records import RECORD_ID, TODAY, edit, problems_for, summary, validate, write_record

# Lines of the reference record that the cases edit.
TITLE_ES = "  es: Presencia de la ONPAR en zonas fronterizas para facilitar el acceso al procedimiento de refugio"
TITLE_EN = "  en: ONPAR presence in border areas to ease access to the refugee status procedure"
ITEM_EN = "    - made more visits to border areas to interview and assist asylum seekers;"
CHIRIQUI_NOTE_ES = "      es: Frontera con Costa Rica"
CHIRIQUI_NOTE_EN = "      en: Border with Costa Rica"
THEMES = "themes:\n  - access-to-procedure\n  - border-reception"
SOURCE_URL = ("    url: https://www.diaadia.com.pa/el-pais/inspeccionan-centro-de-recepcion-de-migrantes"
              "-e-instalaciones-de-la-onpar-en-meteti-779387/amp")
VALUE_2023 = "{year: 2023, value: 67}"
CONTACT = "contact:\n  name: ONPAR\n  email: oficina@onpar.gob.pa\n  url: https://www.onpar.gob.pa"


# --- helpers ------------------------------------------------------------------------------------


def line_of(text: str, needle: str) -> int:
    """The number of the one line of `text` that holds `needle` ("^needle": that starts with it).
    A needle of several lines gives the line it starts on."""
    if "\n" in needle:
        assert text.count(needle) == 1, f"{needle!r} is not once in the text"
        return text[: text.index(needle)].count("\n") + 1
    if needle.startswith("^"):
        lines = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith(needle[1:])]
    else:
        lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}, not on exactly one"
    return lines[0]


# --- one case per rule --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    changes: tuple[tuple[str, str], ...]
    expected: tuple[tuple[str, str, str], ...]  # (message id, field, text on the line it names)
    name: str = RECORD_ID
    folder: str = "pan"


def rule(case_id: str, old: str, new: str, message: str, field: str, needle: str, **where: str) -> object:
    return pytest.param(Case(((old, new),), ((message, field, needle),), **where), id=case_id)


RULES = [
    # the JSON Schema, in plain words
    # a missing field is named by its own path, on the line where its parent starts
    rule("required", "status: ongoing\n", "", "required", "status", "^id:"),
    rule("required-nested", "    unit: applications\n", "", "required", "results[0].unit", "  - indicator:"),
    pytest.param(Case((("status: ongoing\n", ""), (THEMES + "\n", "")),
                      (("required", "status", "^id:"), ("required", "themes", "^id:"))), id="required-every-one"),
    rule("unknown-field", "status: ongoing", "status: ongoing\nwebsite: https://www.onpar.gob.pa",
         "unknown_field", "website", "website:"),
    rule("unknown-field-on-stays-text", "status: ongoing", "status: ongoing\non: yes",
         "unknown_field", "on", "on: yes"),
    rule("retyped-NO", "  acronym: ONPAR", "  acronym: NO", "retyped", "lead_entity.acronym", "acronym: NO"),
    rule("retyped-012345", "  - name: Darién", "  - name: 012345", "retyped", "locations[0].name", "012345"),
    rule("retyped-1.10", "  acronym: ONPAR", "  acronym: 1.10", "retyped", "lead_entity.acronym", "acronym: 1.10"),
    rule("empty", "  start: 2021", "  start:", "empty_required", "period.start", "  start:"),
    rule("empty-blank-text", TITLE_EN, '  en: "   "', "empty_required", "title.en", '"   "'),  # the original text
    rule("thousands-separator-reads-two-ways", VALUE_2023, '{year: 2023, value: "1,234"}',
         "figure_ambiguous_count", "results[0].values[1].value", "1,234"),
    rule("wrong-type-nan", VALUE_2023, "{year: 2023, value: .nan}", "wrong_type", "results[0].values[1].value", ".nan"),
    rule("wrong-type-decimal-year", VALUE_2023, "{year: 2023.0, value: 67}",
         "wrong_type", "results[0].values[1].year", "2023.0"),
    rule("wrong-type-one-theme-as-text", THEMES, "themes: access-to-procedure", "wrong_type", "themes", "themes:"),
    rule("too-short", CHIRIQUI_NOTE_ES, "      es: X", "too_short", "locations[1].note.es", "es: X"),
    rule("too-long", TITLE_EN, "  en: " + "x" * 301, "too_long", "title.en", "x" * 301),
    rule("too-few", THEMES, "themes: []", "too_few", "themes", "themes: []"),
    rule("too-many", THEMES, "themes: [gender, access-to-procedure, border-reception, backlog-reduction, "
         "child-protection, quality-integrity, regional-cooperation]", "too_many", "themes", "themes: [gender"),
    rule("repeated-item", THEMES, "themes: [gender, gender]", "repeated_item", "themes", "themes: [gender, gender]"),
    rule("negative", VALUE_2023, "{year: 2023, value: -67}", "negative", "results[0].values[1].value", "-67"),
    rule("kind-not-in-vocabulary", "    unit: applications", "    unit: applications\n    kind: impact",
         "not_in_vocabulary", "results[0].kind", "kind: impact"),
    rule("bad-id", f"id: {RECORD_ID}", "id: Onpar-Border", "bad_id", "id", "id: Onpar-Border", name="Onpar-Border"),
    rule("bad-pattern-subdivision", "subdivision: PA-4", "subdivision: PA-4444",
         "bad_pattern", "locations[1].subdivision", "PA-4444"),
    rule("bad-pattern-submitted", 'submitted: "2026-11-23"', 'submitted: "23/11/2026"',
         "bad_pattern", "submitted", "23/11/2026"),
    rule("bad-pattern-date", "  start: 2021", "  start: March 2021", "bad_pattern", "period.start", "March 2021"),
    rule("bad-pattern-email", "status: ongoing", "status: ongoing\n" + CONTACT.replace("@", " at "),
         "bad_pattern", "contact.email", "email:"),
    rule("not-https-source-url", SOURCE_URL, SOURCE_URL.replace("https", "http"),
         "not_https", "sources[1].url", "url: http://"),
    rule("not-https-javascript-source-url", SOURCE_URL, "    url: javascript:alert(1)",
         "not_https", "sources[1].url", "javascript:"),
    # text: characters, markup, links
    rule("control-zero-width-space", TITLE_EN, TITLE_EN.replace("border areas", "border\u200b areas"),
         "control_character", "title.en", "\u200b"),
    rule("control-bidi-override", TITLE_EN, TITLE_EN.replace("border areas", "border \u202eareas"),
         "control_character", "title.en", "\u202e"),
    rule("control-escaped-nul", TITLE_EN, '  en: "ONPAR presence\\0 in border areas"',
         "control_character", "title.en", "presence\\0"),
    rule("control-raw-nul", TITLE_EN, TITLE_EN.replace("border areas", "border\x00 areas"),
         "control_character", "(file)", "\x00"),
    rule("not-nfc", ITEM_EN, "    - made more visits to borde\u0301r areas;", "not_nfc", "description.en", "e\u0301"),
    rule("raw-html-script", TITLE_EN, "  en: ONPAR presence <script>alert(1)</script>",
         "raw_html", "title.en", "<script>"),
    rule("raw-html-img", ITEM_EN, "    - made <img src=x onerror=alert(1)> visits;",
         "raw_html", "description.en", "<img"),
    rule("raw-html-comment", ITEM_EN, "    - made <!-- hidden --> visits;", "raw_html", "description.en", "<!--"),
    rule("markdown-image", ITEM_EN, "    - made ![map](https://example.org/map.png) visits;",
         "markdown_image", "description.en", "![map]"),
    rule("javascript-link", ITEM_EN, "    - made [visits](javascript:alert(1));",
         "not_https", "description.en", "javascript:"),
    rule("javascript-reference-link", ITEM_EN, ITEM_EN + "\n\n    [visits]: javascript:alert(1)",
         "not_https", "description.en", "[visits]:"),
    rule("data-uri-link", ITEM_EN, "    - made [visits](data:text/html;base64,PHNjcmlwdD4=);",
         "not_https", "description.en", "data:"),
    rule("http-link", ITEM_EN, "    - made [visits](http://example.org);", "not_https", "description.en", "http://"),
    rule("bare-http-address", ITEM_EN, "    - made visits, see http://example.org;",
         "not_https", "description.en", "http://"),
    # identity, place, vocabularies
    rule("id-not-file-name", f"id: {RECORD_ID}", f"id: {RECORD_ID}",
         "id_not_file_name", "id", "^id:", name="other-name"),
    rule("country-not-covered", "country: PAN", "country: USA", "country_not_covered", "country", "USA", folder="usa"),
    rule("wrong-folder", "country: PAN", "country: PAN", "wrong_folder", "country", "country: PAN", folder="mex"),
    rule("host-country-only-regional", "country: PAN", "country: PAN\nhost_country: PAN",
         "host_country_only_regional", "host_country", "host_country:"),
    rule("subdivision-of-another-country", "subdivision: PA-4", "subdivision: CR-G",
         "subdivision_other_country", "locations[1].subdivision", "CR-G"),
    rule("theme-not-in-vocabulary", "  - border-reception", "  - border-control",
         "not_in_vocabulary", "themes[1]", "border-control"),
    rule("status-not-in-vocabulary", "status: ongoing", "status: paused", "not_in_vocabulary", "status", "paused"),
    rule("mechanism-not-in-vocabulary", "  - mechanism: mirps", "  - mechanism: cartagena",
         "not_in_vocabulary", "commitments[0].mechanism", "cartagena"),
    rule("commitment-not-in-vocabulary", "commitment: mirps-national-plan", "commitment: mirps-plan",
         "not_in_vocabulary", "commitments[0].commitment", "mirps-plan"),
    rule("commitment-of-another-mechanism", "  - mechanism: mirps", "  - mechanism: pac",
         "commitment_mechanism_mismatch", "commitments[0].mechanism", "mechanism: pac"),
    rule("unit-not-in-vocabulary", "    unit: applications", "    unit: requests",
         "not_in_vocabulary", "results[0].unit", "requests"),
    rule("qualifier-not-in-vocabulary", VALUE_2023, "{year: 2023, value: 67, qualifier: about}",
         "not_in_vocabulary", "results[0].values[1].qualifier", "about"),
    rule("source-language-not-in-vocabulary", "    language: en", "    language: de",
         "not_in_vocabulary", "sources[0].language", "language: de"),
    # dates and results
    rule("year-1985", "  start: 2021", "  start: 1985", "implausible_year", "period.start", "1985"),
    rule("year-1989", "  start: 2021", "  start: 1989-12", "implausible_year", "period.start", "1989-12"),
    rule("result-year-2099", "{year: 2024, value: 79}", "{year: 2099, value: 79}",
         "implausible_year", "results[0].values[2].year", "2099"),
    rule("source-year-1899", "    language: en", "    language: en\n    date: 1899",
         "implausible_year", "sources[0].date", "1899"),
    rule("invalid-date", "  start: 2021", "  start: 2021-02-30", "invalid_date", "period.start", "2021-02-30"),
    rule("future-submitted", 'submitted: "2026-11-23"', 'submitted: "2026-11-24"',
         "future_date", "submitted", "2026-11-24"),
    rule("future-source-date", "    language: en", '    language: en\n    date: "2026-12"',
         "future_date", "sources[0].date", "2026-12"),
    rule("updated-before-submitted", 'submitted: "2026-11-23"', 'submitted: "2026-11-23"\nupdated: "2026-11-01"',
         "updated_before_submitted", "updated", "updated:"),
    rule("completed-needs-end", "status: ongoing", "status: completed", "completed_needs_end", "status", "status:"),
    rule("ongoing-has-end", "  start: 2021", "  start: 2021\n  end: 2024",
         "ongoing_has_end", "period.end", "end: 2024"),
    rule("result-outside-period", "{year: 2022, value: 40}", "{year: 2019, value: 40}",
         "result_outside_period", "results[0].values[0].year", "2019"),
    rule("duplicate-year", VALUE_2023, "{year: 2022, value: 67}", "duplicate_year", "results[0].values[1].year",
         "{year: 2022, value: 67}"),
    # sources and languages
    rule("no-source-url", "\n" + SOURCE_URL, "", "no_source_url", "sources", "sources:"),
    rule("missing-original", TITLE_EN + "\n", "", "missing_original", "title", "^title:"),
    rule("missing-original-nested", CHIRIQUI_NOTE_EN + "\n", "",
         "missing_original", "locations[1].note", "    note:\n" + CHIRIQUI_NOTE_ES + "\n"),
    # acronyms: one text, or a Spanish/English pair
    rule("acronym-pair-needs-both", "  acronym: ONPAR", "  acronym: {es: ONPAR}",
         "required", "lead_entity.acronym.en", "acronym: {es: ONPAR}"),
    rule("acronym-pair-bad-pattern", "  acronym: ONPAR", "  acronym: {es: ONPAR, en: 'ON!PAR'}",
         "bad_pattern", "lead_entity.acronym.en", "acronym: {es: ONPAR"),
    rule("acronym-pair-unknown-language", "  acronym: ONPAR", "  acronym: {es: ONPAR, en: ONPAR, pt: ONPAR}",
         "unknown_field", "lead_entity.acronym.pt", "acronym: {es: ONPAR"),
    # provenance: how the record came to be
    rule("provenance-required", "provenance:\n  method: compiled\n", "", "required", "provenance", "^id:"),
    rule("provenance-not-in-vocabulary", "  method: compiled", "  method: hearsay",
         "not_in_vocabulary", "provenance.method", "method: hearsay"),
    pytest.param(Case((("  method: compiled", "  method: reviewed"),),
                      (("required", "provenance.by", "^provenance:"), ("required", "provenance.date", "^provenance:"))),
                 id="provenance-reviewed-needs-by-and-date"),
    rule("provenance-future-date", "  method: compiled", "  method: reviewed\n  by: ONPAR\n  date: 2027-01",
         "future_date", "provenance.date", "date: 2027-01"),
    rule("source-descriptive-title-boolean", "    descriptive_title: true", "    descriptive_title: yes please",
         "wrong_type", "sources[1].descriptive_title", "descriptive_title: yes please"),
    # figure sources, change notes and editors' notes
    rule("result-source-beyond-the-sources", "    source: 1", "    source: 3",
         "source_number_missing", "results[0].source", "source: 3"),
    rule("value-source-beyond-the-sources", VALUE_2023, "{year: 2023, value: 67, source: 5}",
         "source_number_missing", "results[0].values[1].source", "source: 5"),
    rule("result-source-zero", "    source: 1", "    source: 0",
         "source_number_from_one", "results[0].source", "source: 0"),
    # every figure names its source (issue 25): a result without one is refused at its entry's line
    rule("result-source-required", "    source: 1\n", "", "source_required", "results[0].source", "  - indicator:"),
    rule("result-source-empty", "    source: 1", "    source:", "empty_required", "results[0].source", "^    source:"),
    rule("change-in-the-future", "status: ongoing", "status: ongoing\nchanges:\n  - date: \"2027-01-02\"\n"
         "    note: {es: Se corrigió una cifra, en: A figure was corrected}",
         "future_date", "changes[0].date", "2027-01-02"),
    rule("change-before-submission", "status: ongoing", "status: ongoing\nchanges:\n  - date: \"2026-10-01\"\n"
         "    note: {es: Se corrigió una cifra, en: A figure was corrected}",
         "change_before_submitted", "changes[0].date", "2026-10-01"),
    rule("editor-note-refuses-invisible-characters", "status: ongoing", "status: ongoing\neditor_note: \"ver\\u200bfuente\"",
         "control_character", "editor_note", "^editor_note:"),
    # what the loader reports, and the file still checked
    rule("duplicate-key", "status: ongoing", "status: ongoing\nstatus: completed",
         "duplicate_key", "status", "completed"),
    rule("anchor", "  start: 2021", "  start: &start 2021", "anchor", "(file)", "&start"),
    rule("explicit-tag", "status: ongoing", "status: !!str ongoing", "explicit_tag", "(file)", "!!str"),
    # one mistake that breaks two rules
    pytest.param(Case(((ITEM_EN, "    - made visits <javascript:alert(1)>;"),),
                      (("raw_html", "description.en", "<javascript:"),
                       ("not_https", "description.en", "<javascript:"))),
                 id="javascript-autolink"),
    pytest.param(Case((("country: PAN", "country: pan"),),
                      (("bad_country_code_suggest", "country", "^country:"),)),
                 id="lower-case-country"),
    pytest.param(Case((("  start: 2021\nstatus: ongoing", "  start: 2021-06\n  end: 2021-03\nstatus: completed"),),
                      (("end_before_start", "period.end", "end: 2021-03"),
                       *(("result_outside_period", f"results[0].values[{n}].year", f"{{year: {2022 + n},")
                         for n in range(3)))),
                 id="end-before-start-and-so-every-result-outside"),
]


@pytest.mark.parametrize("case", RULES)
def test_rule(tmp_path: Path, example_text: str, case: Case) -> None:
    text = edit(example_text, *case.changes)
    expected = [(message, field, line_of(text, needle)) for message, field, needle in case.expected]
    assert summary(problems_for(tmp_path, text, case.name, case.folder)) == expected


def test_a_problem_has_its_column_too(tmp_path: Path, example_text: str) -> None:
    text = edit(example_text, (TITLE_EN, "  en: ONPAR presence <script>alert(1)</script>"))
    [problem] = problems_for(tmp_path, text)
    assert (problem.line, problem.column) == (line_of(text, "<script>"), len("  en: ONPAR presence ") + 1)


# --- what must pass -------------------------------------------------------------------------------


def assert_valid(report: Report) -> None:
    assert report.problems == []
    assert len(report.documents) == report.files_checked == 1


def test_the_reference_record_is_valid(tmp_path: Path, example_text: str) -> None:
    assert_valid(validate(write_record(tmp_path, example_text)))


def test_a_pending_translation_is_a_note_not_an_error(tmp_path: Path, example_text: str) -> None:
    text = edit(example_text, (TITLE_ES + "\n", ""))
    report = validate(write_record(tmp_path, text))
    assert_valid(report)
    assert summary(report.pending) == [("translation_pending", "title", line_of(text, "^title:"))]
    assert report.pending[0].params == {"language": ("lang", "es")}


def test_mailto_link_in_text_and_contact_email_are_accepted(tmp_path: Path, example_text: str) -> None:
    text = edit(example_text, (ITEM_EN, "    - answers at [its office](mailto:oficina@onpar.gob.pa);"),
                ("status: ongoing", "status: ongoing\n" + CONTACT))
    assert_valid(validate(write_record(tmp_path, text)))


CONTEXT = ("    unit: applications", "    unit: applications\n    kind: context")


def test_a_problem_found_by_the_schema_and_a_rule_is_reported_once_with_the_schema_words(
    tmp_path: Path, example_text: str
) -> None:
    [problem] = problems_for(tmp_path, edit(example_text, ('submitted: "2026-11-23"', 'submitted: "23/11/2026"')))
    assert (problem.message, problem.params["hint"]) == ("bad_pattern", ("msg", "hint_day"))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param([('submitted: "2026-11-23"', "submitted: 2026-11-23")], id="unquoted-date-stays-text"),
        pytest.param([("  start: 2021", "  start: 2021-03")], id="year-month"),
        pytest.param([("  start: 2021", "  start: 2021-03-15")], id="year-month-day"),
        pytest.param([("  start: 2021", "  start: 1990")], id="earliest-year"),
        pytest.param([CONTEXT, ("{year: 2022, value: 40}", "{year: 2019, value: 40}")], id="context-before-period"),
        pytest.param([CONTEXT, ("{year: 2024, value: 79}", f"{{year: {TODAY.year + 1}, value: 79}}")],
                     id="context-from-next-year"),
        pytest.param([(ITEM_EN, "    - made **more** visits, see [the decree](https://www.onpar.gob.pa/decreto.pdf);")],
                     id="markdown-and-https-link"),
        pytest.param([(ITEM_EN, "    - made visits where 3 < 5 and 5 > 3;")], id="less-than-sign-alone"),
        pytest.param([("    source: 1", "    source: 2\n    editor_note: from the annual report"),
                      (VALUE_2023, "{year: 2023, value: 67, source: 1}"),
                      ("status: ongoing", "status: ongoing\neditor_note: compiled from the seed\nchanges:\n"
                       "  - date: \"2026-11-23\"\n    note: {es: Se corrigió la cifra de 2023, en: The 2023 figure was corrected}")],
                     id="figure-sources-editor-notes-and-change-notes"),
    ],
)
def test_accepted(tmp_path: Path, example_text: str, changes: list[tuple[str, str]]) -> None:
    assert_valid(validate(write_record(tmp_path, edit(example_text, *changes))))


# --- many problems, many files ------------------------------------------------------------------


def test_every_mistake_in_a_file_is_reported_in_one_run(tmp_path: Path, example_text: str) -> None:
    text = edit(
        example_text,
        (TITLE_EN, "  en: ONPAR presence <script>alert(1)</script>"),
        ("status: ongoing", "status: ongoing\nstatus: completed"),
        ("{year: 2023, value: 67}", "{year: 2022, value: 67}"),
        ("  - border-reception", "  - border-control"),
        (SOURCE_URL, SOURCE_URL.replace("https", "http")),
    )
    assert summary(problems_for(tmp_path, text)) == [
        ("raw_html", "title.en", line_of(text, "<script>")),
        ("duplicate_key", "status", line_of(text, "status: completed")),
        ("duplicate_year", "results[0].values[1].year", line_of(text, "{year: 2022, value: 67}")),
        ("not_in_vocabulary", "themes[1]", line_of(text, "border-control")),
        ("not_https", "sources[1].url", line_of(text, "url: http://")),
    ]


def test_errors_in_two_files_are_reported_in_one_run(tmp_path: Path, example_text: str) -> None:
    first = write_record(tmp_path, edit(example_text, ("status: ongoing", "status: completed")))
    second_text = edit(example_text, (f"id: {RECORD_ID}", "id: onpar-second"), ("  - border-reception", "  - border"))
    second = write_record(tmp_path, second_text, name="onpar-second")
    report = validate(tmp_path)
    assert report.files_checked == 2
    assert [(Path(p.path).name, p.message) for p in report.problems] == [
        (first.name, "completed_needs_end"),
        (second.name, "not_in_vocabulary"),
    ]


def test_duplicate_ids_across_files(tmp_path: Path, example_text: str) -> None:
    first = write_record(tmp_path / "a", example_text)
    write_record(tmp_path / "b", example_text)
    [problem] = validate(tmp_path).problems
    assert (Path(problem.path).relative_to(tmp_path).as_posix(), problem.message) == (
        f"b/pan/{RECORD_ID}.yml", "duplicate_id")
    assert (problem.field, problem.line) == ("id", line_of(example_text, "^id:"))
    assert Path(problem.params["other"]).resolve() == first.resolve()


def test_a_file_named_twice_is_not_its_own_duplicate(tmp_path: Path, example_text: str) -> None:
    path = write_record(tmp_path, example_text)
    report = validate(tmp_path, path)
    assert report.problems == []
    assert report.files_checked == 1


def test_paths_that_are_not_records(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    report = validate(tmp_path / "missing.yml", tmp_path / "notes.txt")
    assert [(Path(p.path).name, p.message, p.line) for p in report.problems] == [
        ("missing.yml", "no_such_path", 0),
        ("notes.txt", "not_a_record", 0),
    ]


# --- the command --------------------------------------------------------------------------------


@pytest.fixture
def in_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary catalog folder as the current folder, so that paths show as pan/…"""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def unknown_field_record(root: Path, example_text: str) -> tuple[str, int]:
    text = edit(example_text, ("status: ongoing", "status: ongoing\nwebsite: https://www.onpar.gob.pa"))
    write_record(root, text)
    return f"pan/{RECORD_ID}.yml", line_of(text, "website:")


def test_cli_exit_0_for_valid_records(in_catalog: Path, example_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    write_record(in_catalog, example_text)
    assert main(["validate", "pan", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "1 valid practice (0 with a pending translation).\n"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "there is no field 'website' in the format; check the spelling or remove it."),
        ("es", "el campo «website» no existe en el formato; revise la ortografía o quítelo."),
        ("both", "el campo «website» no existe en el formato; revise la ortografía o quítelo. — "
                 "there is no field 'website' in the format; check the spelling or remove it."),
    ],
)
def test_cli_exit_1_and_path_line_column_field_message(
    in_catalog: Path, example_text: str, capsys: pytest.CaptureFixture[str], language: str, text: str
) -> None:
    path, line = unknown_field_record(in_catalog, example_text)
    assert main(["validate", "pan", "--lang", language]) == 1
    assert capsys.readouterr().out == f"{path}:{line}:1: website: {text}\n"


def test_cli_github_format(in_catalog: Path, example_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = unknown_field_record(in_catalog, example_text)
    assert main(["validate", "pan", "--lang", "en", "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        f"::error file={path},line={line},col=1,title=website::"
        "there is no field 'website' in the format; check the spelling or remove it.\n"
    )


def test_cli_pending_lists_missing_translations(
    in_catalog: Path, example_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edit(example_text, (TITLE_ES + "\n", ""))
    write_record(in_catalog, text)
    assert main(["validate", "pan", "--lang", "es", "--pending"]) == 0
    err = capsys.readouterr().err
    assert f"pan/{RECORD_ID}.yml:{line_of(text, '^title:')}:1: title (Título): traducción pendiente al español.\n" in err


def test_cli_reports_a_missing_original_text(
    in_catalog: Path, example_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edit(example_text, (TITLE_EN + "\n", ""))
    write_record(in_catalog, text)
    assert main(["validate", "pan", "--lang", "en"]) == 1
    assert capsys.readouterr().out == (
        f"pan/{RECORD_ID}.yml:{line_of(text, '^title:')}:1: title (Title): the English text is missing, and it is the "
        "practice's original language (original_language); add it.\n"
    )


@pytest.mark.parametrize(
    "argv",
    [[], ["validate", "--lang", "fr"], ["validate", "--format", "xml"], ["check"], ["validate", "--nonsense"]],
)
def test_cli_exit_2_on_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err


# --- the messages ---------------------------------------------------------------------------------

MESSAGES = {  # every messages file (ids are unique across them; catalog.core.i18n checks it)
    message_id: entry
    for path in sorted((REPO / "catalog" / "data").glob("messages*.yml"))
    for message_id, entry in yaml.safe_load(path.read_text(encoding="utf-8")).items()
}
VALIDATOR_MODULES = ("records/loader.py", "records/validate.py", "records/findings.py", "records/schema_errors.py",
                     "records/rules.py", "cli/main.py", "cli/validate.py")
# The position of the message id among the arguments of each call that reports or prints one
# (".name" is a method, "name" a plain function).
MESSAGE_ARGUMENT = {
    "problem": 2, ".problem": 1, ".add": 1, ".add_in_text": 3, "_wrong_type": 2, "Problem": 4, "message": 0,
    ".in_vocabulary": 2,
}


def test_every_message_has_spanish_and_english() -> None:
    for message_id, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), message_id
        assert all(isinstance(entry[language], str) and entry[language].strip() for language in LANGUAGES), message_id


def test_every_message_has_the_same_placeholders_in_each_language() -> None:
    for message_id, entry in MESSAGES.items():
        placeholders = [
            # {count|error|errores}: the plural forms differ by language, the number they follow does not
            {field.split("|")[0] for _, field, _, _ in string.Formatter().parse(entry[language]) if field}
            for language in LANGUAGES
        ]
        assert placeholders[0] == placeholders[1], message_id


def test_every_message_id_the_validator_can_emit_exists() -> None:
    emitted: set[str] = set()
    for module in VALIDATOR_MODULES:
        emitted |= MessageIds(REPO / "catalog" / module).found
    assert {"retyped", "not_https", "too_deep", "summary_ok", "type_date", "vocabulary_themes", "kind_bool",
            "hint_date", "missing_original", "no_such_path"} <= emitted  # the scan sees every kind of call
    assert sorted(emitted - set(MESSAGES)) == []


class MessageIds:
    """The message ids a module of the validator can emit, read from its source.

    A message id is the argument at MESSAGE_ARGUMENT of a reporting call, or the second item of a
    ("msg", id) parameter. Such an argument may be a literal, `a if c else b`, a variable (all the
    values assigned to it), `{...}.get(key, default)`, a call of a module function (what it
    returns), or an f-string of a known family (vocabulary_*, type_*).
    """

    def __init__(self, path: Path) -> None:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        self.assigned: dict[str, list[ast.expr]] = defaultdict(list)
        self.returned: dict[str, list[ast.expr]] = defaultdict(list)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.assigned[node.targets[0].id].append(node.value)
            if isinstance(node, ast.FunctionDef):
                self.returned[node.name] = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
        self.vocabularies = {c.args[2].value for c in ast.walk(tree) if self._called(c) == ".in_vocabulary"}
        self.found: set[str] = set()
        for node in ast.walk(tree):
            position = MESSAGE_ARGUMENT.get(self._called(node), -1)
            if 0 <= position < len(getattr(node, "args", [])):
                self.found |= self.ids(node.args[position])
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and self.ids(node.elts[0]) == {"msg"}:
                self.found |= self.ids(node.elts[1])

    @staticmethod
    def _called(node: ast.AST) -> str:
        if not isinstance(node, ast.Call):
            return ""
        if isinstance(node.func, ast.Attribute):
            return "." + node.func.attr
        return node.func.id if isinstance(node.func, ast.Name) else ""

    def ids(self, node: ast.expr) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.ids(node.body) | self.ids(node.orelse)
        if isinstance(node, ast.Name):
            return set().union(*(self.ids(value) for value in self.assigned[node.id]))
        if isinstance(node, ast.JoinedStr):
            return self.family(node)
        called = self._called(node)
        if called == ".get" and isinstance(node.func.value, ast.Dict):
            return set().union(*(self.ids(value) for value in [*node.func.value.values, *node.args[1:]]))
        if called in self.returned:
            return set().union(*(self.ids(value) for value in self.returned[called]))
        return set()

    def family(self, node: ast.JoinedStr) -> set[str]:
        prefix = node.values[0].value if isinstance(node.values[0], ast.Constant) else ""
        members = {"vocabulary_": self.vocabularies | set(TERM_VOCABULARIES), "type_": schema_types()}
        assert prefix in members, f"an f-string message id of an unknown family: {ast.unparse(node)}"
        return {prefix + member for member in members[prefix]}


def schema_types() -> set[str]:
    """Every JSON type the schema names."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            kind = value.get("type")
            found.update([kind] if isinstance(kind, str) else kind if isinstance(kind, list) else [])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads((REPO / "catalog" / "schema" / "practice.schema.json").read_text(encoding="utf-8")))
    return found
