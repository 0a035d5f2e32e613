"""The issue form and `catalog from-issue`: realistic proposals become valid records, hostile ones
are refused by the validator or end up as inert text, and no input makes the parser crash."""

from __future__ import annotations

import datetime
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from catalog.cli.issue_form import (
    FIELDS,
    MAX_BODY_BYTES,
    TEMPLATE_PATH,
    FormError,
    form_template,
    from_issue,
    options,
    sections,
    strip_comments,
)
from catalog.cli.main import main
from catalog.cli.new import SCHEMA_COMMENT
from catalog.core.vocabularies import load_vocabularies
from catalog.records.loader import load_document
from catalog.records.validate import validate_paths
from tests.helpers import REPO

BODIES = Path(__file__).parent / "issue_bodies"
SENTINEL = Path("/tmp/catalog-issue-pwned")  # what the shell payloads in the bodies would create


def body(name: str) -> bytes:
    return (BODIES / name).read_bytes()


def convert(tmp_path: Path, name: str, *extra: str) -> int:
    out = tmp_path / "practices"
    return main(["from-issue", "--body-file", str(BODIES / name), "--out-dir", str(out), "--lang", "en", *extra])


def written(tmp_path: Path) -> list[Path]:
    return sorted(path for path in (tmp_path / "practices").rglob("*") if path.is_file())


def only_record(tmp_path: Path) -> dict:
    files = written(tmp_path)
    assert len(files) == 1, files
    assert files[0].read_text("utf-8").splitlines()[0] == SCHEMA_COMMENT
    report = validate_paths(files)
    assert report.ok, report.problems
    return report.documents[0].data


# --- the form ---------------------------------------------------------------------------------


def test_committed_issue_form_is_generated_from_the_code():
    committed = (REPO / TEMPLATE_PATH).read_text("utf-8")
    assert committed == form_template(), "run: python -m catalog.cli.issue_form > .github/ISSUE_TEMPLATE/practice.yml"


def test_issue_form_shape_and_choices():
    form = yaml.safe_load(form_template())
    assert {"name", "description", "body"} <= set(form)
    elements = [element for element in form["body"] if element["type"] != "markdown"]
    assert [element["id"] for element in elements] == [field.id for field in FIELDS]
    labels = [element["attributes"]["label"] for element in elements]
    assert len(set(labels)) == len(labels) and all(" / " in label for label in labels)
    by_id = {element["id"]: element for element in elements}
    vocabularies = load_vocabularies()
    assert len(by_id["country"]["attributes"]["options"]) == len(vocabularies.countries) + 1
    assert "Panamá / Panama (PAN)" in by_id["country"]["attributes"]["options"]
    theme_labels = [option["label"] for option in by_id["themes"]["attributes"]["options"]]
    assert [label.rsplit("(", 1)[1].rstrip(")") for label in theme_labels] == list(vocabularies.themes)
    assert by_id["title"]["validations"]["required"] and "validations" not in by_id["partners"]
    assert "render" not in str(form)  # a rendered textarea would wrap its answer in a code fence


# --- realistic proposals ----------------------------------------------------------------------


def test_spanish_proposal_with_everything(tmp_path):
    assert convert(tmp_path, "valid_es_panama_full.md") == 0
    record = only_record(tmp_path)
    assert written(tmp_path)[0].relative_to(tmp_path).as_posix() == (
        "practices/pan/puntos-focales-de-la-onpar-en-darien-y-chiriqui.yml")
    assert record["title"] == {"es": "Puntos focales de la ONPAR en Darién y Chiriquí"}
    assert record["original_language"] == "es" and record["status"] == "ongoing"
    assert record["submitted"] == datetime.date.today().isoformat()
    assert record["description"]["es"].count("\n- ") == 3  # the list survived as Markdown
    border, people = record["results"]
    assert border["unit"] == "applications"
    assert [(value["year"], value["value"]) for value in border["values"]] == [(2022, 40), (2023, 67), (2024, 79)]
    assert people["unit"] == "people" and people["values"] == [{"year": 2024, "value": 1250}]  # "personas" → people
    assert record["themes"] == ["access-to-procedure", "backlog-reduction", "border-reception"]
    assert [partner.get("acronym") for partner in record["partners"]] == ["SENAFRONT", "SNM", None]
    assert record["locations"][0] == {"name": "Darién", "subdivision": "PA-5"}
    assert record["sources"][1]["date"] == "2024-01" and record["sources"][1]["url"].startswith("https://www.diaadia")
    assert record["provenance"] == {"method": "submitted", "date": datetime.date.today().isoformat(),
                                    "by": "Oficina Nacional para la Atención de Refugiados (ONPAR)"}
    assert record["contact"] == {"name": "Oficina Nacional para la Atención de Refugiados",
                                 "email": "onpar@example.gob.pa"}


def test_english_proposal_with_optional_answers_left_empty(tmp_path):
    assert convert(tmp_path, "valid_en_mexico_minimal.md") == 0
    record = only_record(tmp_path)
    assert record["title"] == {"en": "Online status checks for asylum applicants"}
    assert record["lead_entity"] == {"name": {"en": "Mexican Commission for Refugee Assistance"}}
    assert record["period"] == {"start": 2021} and record["status"] == "unknown"
    assert record["themes"] == ["digitalization-technology"]
    for absent in ("partners", "locations", "results", "contact"):
        assert absent not in record


def test_completed_practice_with_decimal_figures_and_typed_unit_labels(tmp_path):
    assert convert(tmp_path, "valid_es_costa_rica_completed.md") == 0
    record = only_record(tmp_path)
    assert record["period"] == {"start": "2020-03", "end": 2022} and record["status"] == "completed"
    enrolled, with_document, documents = record["results"]
    assert [value["value"] for value in enrolled["values"]] == [4100, 7800]  # a count of people is whole
    assert with_document["unit"] == "percent" and with_document["values"] == [{"year": 2021, "value": 78.5}]
    assert documents["unit"] == "files"  # "expedientes"
    assert record["sources"][0]["date"] == "2020-03-15"
    assert record["sources"][1] == {"title": "Informe anual", "url": "https://www.acnur.org/"}
    assert set(record["themes"]) == {"complementary-protection", "registration-documentation"}


def test_regional_proposal(tmp_path):
    assert convert(tmp_path, "valid_en_regional.md") == 0
    record = only_record(tmp_path)
    assert record["country"] == "REG" and written(tmp_path)[0].parent.name == "reg"
    assert record["partners"] == [{"name": {"en": "UNHCR"}}, {"name": {"en": "Organization of American States"},
                                                              "acronym": {"es": "OEA", "en": "OAS"}}]
    assert record["provenance"] == {"method": "compiled"}
    assert record["results"][1] == {"indicator": {"en": "Countries taking part"}, "unit": "countries", "source": 1,
                                    "values": [{"year": 2023, "value": 9}]}
    assert len(record["themes"]) == 3


def test_lower_case_tick_and_percentages(tmp_path):
    assert convert(tmp_path, "valid_es_brazil_sisconare.md") == 0
    record = only_record(tmp_path)
    assert record["results"][0]["unit"] == "percent" and record["results"][0]["values"][0]["value"] == 87.5
    assert record["themes"] == ["digitalization-technology", "registration-documentation"]


def test_windows_line_endings_read_the_same(tmp_path):
    text = body("valid_es_panama_full.md")
    assert sections(text.replace(b"\n", b"\r\n").decode()) == sections(text.decode())
    path, problems = from_issue(text.replace(b"\n", b"\r\n"), tmp_path)
    assert path is not None and not problems


def test_an_existing_record_is_never_overwritten(tmp_path, capsys):
    assert convert(tmp_path, "valid_en_mexico_minimal.md") == 0
    (existing,) = written(tmp_path)
    existing.write_text("# by hand\n", "utf-8")
    assert convert(tmp_path, "valid_en_mexico_minimal.md") == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text("utf-8") == "# by hand\n"


# --- hostile proposals ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("hostile_script_tag.md", ["contains HTML"]),
    ("hostile_javascript_url.md", ["'javascript:alert(1)' must start with https://", "'http://www.gob.mx/comar'",
                                   "'data:text/html"]),
    ("hostile_bidi_and_bad_choices.md", ["invisible control character (U+202E)", "'exfiltration' is not in the list",
                                         "'../..' is not a country"]),
    ("hostile_missing_sections.md", ["is missing"]),
    ("hostile_heading_injection.md", ["appears twice"]),
])
def test_hostile_proposals_are_refused_and_leave_nothing_behind(tmp_path, capsys, name, expected):
    assert convert(tmp_path, name) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err
    assert written(tmp_path) == []
    assert not (tmp_path / "practices").exists() or not any((tmp_path / "practices").iterdir())


def test_yaml_injection_stays_text(tmp_path):
    assert convert(tmp_path, "hostile_yaml_injection.md") == 0
    record = only_record(tmp_path)
    assert record["id"] == "online-status-checks-id-evil-country-usa" and record["country"] == "MEX"
    assert record["title"] == {"en": "Online status checks id: evil country: USA"}  # one line, one field
    assert record["summary"]["en"].startswith("!!python/object/apply:os.system")
    assert record["lead_entity"]["name"]["en"] == "!!python/name:os.system <<: *x"
    text = written(tmp_path)[0].read_text("utf-8")
    assert yaml.safe_load(text)["summary"] == record["summary"]  # no tag, anchor or alias in the file
    assert load_document(written(tmp_path)[0]).problems == []


def test_shell_metacharacters_are_only_text(tmp_path):
    SENTINEL.unlink(missing_ok=True)
    assert convert(tmp_path, "hostile_shell_metacharacters.md") == 0
    record = only_record(tmp_path)
    assert record["title"]["en"] == ("Status checks $(rm -rf /) `touch /tmp/catalog-issue-pwned`; "
                                     "echo owned | sh && true")
    assert record["description"]["en"].startswith("Run $(touch /tmp/catalog-issue-pwned) and `touch")
    assert record["description"]["en"].endswith("'\"quotes\" and \\backslashes\\")
    assert record["lead_entity"]["name"]["en"] == "COMAR $(id) `whoami`"
    assert not SENTINEL.exists()


def test_oversize_body_is_refused_before_parsing(tmp_path, capsys):
    huge = tmp_path / "huge.md"
    huge.write_bytes(body("valid_en_mexico_minimal.md") + b"A" * MAX_BODY_BYTES)
    assert main(["from-issue", "--body-file", str(huge), "--out-dir", str(tmp_path / "practices"), "--lang", "en"]) == 1
    assert f"the limit is {MAX_BODY_BYTES}" in capsys.readouterr().err
    assert not (tmp_path / "practices").exists()


def test_an_id_given_by_hand_cannot_leave_the_folder(tmp_path):
    with pytest.raises(FormError) as raised:
        from_issue(body("valid_en_mexico_minimal.md"), tmp_path / "practices", record_id="../../evil")
    assert raised.value.message_id == "bad_id"
    assert not (tmp_path / "practices").exists() and not (tmp_path.parent / "evil.yml").exists()


def test_parser_survives_random_input(tmp_path):
    """Random bytes, and real bodies with random bytes and headings spliced in: the outcome is a
    valid file, a refusal with the validator's problems, or a FormError; never a crash, and
    never a file left behind by a refusal."""
    rng = random.Random(20261123)
    seeds = [body(path.name) for path in sorted(BODIES.glob("*.md"))]
    headings = [f"\n### {field.label()}\n\n".encode() for field in FIELDS] + [b"\n### \n", b"\n_No response_\n"]
    for attempt in range(250):
        if attempt % 2:
            raw = rng.randbytes(rng.randrange(0, 3000))
        else:
            raw = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 8)):
                at = rng.randrange(0, len(raw) + 1)
                raw[at:at + rng.randrange(0, 40)] = rng.choice([rng.randbytes(rng.randrange(1, 30)),
                                                                rng.choice(headings)])
            raw = bytes(raw)
        out = tmp_path / str(attempt)
        try:
            path, problems = from_issue(raw, out)
        except FormError:
            continue
        files = [item for item in out.rglob("*") if item.is_file()] if out.exists() else []
        if path is None:
            assert problems and files == []
        else:
            assert files == [path] and validate_paths([path]).ok


def test_options_end_in_the_stored_id():
    for field_id in ("country", "original_language", "status", "themes"):
        for option in options(field_id):
            assert option.endswith(")") and "(" in option


def test_html_comments_are_invisible_on_github_and_never_reach_the_record(tmp_path):
    """A hidden figure, a hidden e-mail address and text hidden in a title, and a comment left open
    (which hides the rest of the issue, a second 'End year' section included), as GitHub shows it."""
    assert convert(tmp_path, "hostile_html_comments.md") == 0
    record = only_record(tmp_path)
    text = written(tmp_path)[0].read_text(encoding="utf-8")
    assert "99999999" not in text and "evil.example" not in text and "2019" not in text
    assert record["title"] == {"es": "Puntos focales de la ONPAR en Darién y Chiriquí"}
    assert "contact" not in record or "email" not in record["contact"]
    people = record["results"][1]
    assert people["values"] == [{"year": 2024, "value": 1250}]
    assert "end" not in record["period"]


@pytest.mark.parametrize("raw, shown", [
    ("a <!-- b --> c", "a  c"),
    ("a <!--> b", "a  b"),  # an empty comment, in CommonMark's and GitHub's reading
    ("a <!---> b", "a  b"),
    ("a <!-- b\n\nc --> d", "a  d"),
    ("a <!-- never closed\n\nrest", "a "),
    ("no comment -- here >", "no comment -- here >"),
])
def test_strip_comments(raw, shown):
    assert strip_comments(raw) == shown


# --- figures as officials write them, and the comment on the issue (issue 26) ----------------------


def _with_results(tmp_path: Path, results: str, name: str = "valid_es_panama_full.md") -> Path:
    text = body(name).decode("utf-8")
    start = text.index("### Resultados en cifras / Results in figures")
    end = text.index("### ", start + 4)
    path = tmp_path / "issue.md"
    path.write_text(text[:start] + "### Resultados en cifras / Results in figures\n\n" + results + "\n\n" + text[end:], "utf-8")
    return path


@pytest.mark.parametrize("figure, whole", [("3.540", "3540"), ("3,540", "3540"), ("1 250", "1250")])
def test_a_figure_with_a_thousands_separator_writes_no_record_and_names_its_line(tmp_path, capsys, figure, whole):
    """The conversion wrote value: 3.54 for "3.540" before: it never writes a figure it had to guess."""
    issue = _with_results(tmp_path, f"Personas atendidas | personas | 2022 | 40 | 1\nPersonas atendidas | personas | 2023 | {figure} | 1")
    comment_file = tmp_path / "comment.md"
    code = main(["from-issue", "--body-file", str(issue), "--out-dir", str(tmp_path / "practices"), "--lang", "es",
                 "--comment-file", str(comment_file)])
    assert code == 1 and written(tmp_path) == []
    assert whole in capsys.readouterr().err
    text = comment_file.read_text("utf-8")
    assert f"- **Resultados en cifras, línea 2**: «{figure}»" in text or f"- **Resultados en cifras, línea 2**: escriba «{figure}»" in text
    assert "- **Results in figures, line 2**: " in text and whole in text


def test_the_comment_when_everything_is_right_says_what_happens_next(tmp_path):
    comment_file = tmp_path / "comment.md"
    code = main(["from-issue", "--body-file", str(BODIES / "valid_es_panama_full.md"), "--out-dir",
                 str(tmp_path / "practices"), "--check", "--comment-file", str(comment_file)])
    assert code == 0 and written(tmp_path) == []  # --check keeps nothing
    text = comment_file.read_text("utf-8")
    assert text.startswith("<!-- catalog-proposal-check -->\n")
    assert "todo está en orden" in text and "everything is in order" in text and "Qué sigue" in text


def test_the_comment_places_each_problem_at_its_question_and_line(tmp_path):
    issue = _with_results(tmp_path, "Solicitudes | solicitudes | 2022 | 40 | 1\n\nSolicitudes | solicitudes | 1850 | 12.5 | 1")
    text = issue.read_text("utf-8").replace("https://www.", "http://www.", 1)
    issue.write_text(text, "utf-8")
    comment_file = tmp_path / "comment.md"
    assert main(["from-issue", "--body-file", str(issue), "--out-dir", str(tmp_path / "practices"),
                 "--comment-file", str(comment_file)]) == 1
    lines = comment_file.read_text("utf-8").splitlines()
    assert any(line.startswith("- **Resultados en cifras, línea 3**: ") and "entero" in line for line in lines)
    assert any(line.startswith("- **Resultados en cifras, línea 3**: ") and "1850" in line for line in lines)
    assert any(line.startswith("- **Descripción**: el enlace") for line in lines), lines
    assert "vuelva a poner la etiqueta" not in "\n".join(lines)


@pytest.mark.parametrize("name", sorted(path.name for path in BODIES.glob("hostile_*.md")))
def test_the_comment_on_a_hostile_issue_is_inert_markdown(tmp_path, name):
    """What the issue says reaches the comment only as escaped words: no HTML, mention, link, heading or
    line of its own; the workflow posts the file (see test_workflows), never the text through a shell."""
    comment_file = tmp_path / "comment.md"
    main(["from-issue", "--body-file", str(BODIES / name), "--out-dir", str(tmp_path / "practices"),
          "--comment-file", str(comment_file)])
    text = comment_file.read_text("utf-8")
    assert text.count("<!--") == 1
    for line in text.splitlines():
        assert line in ("", "---", "<!-- catalog-proposal-check -->") or line.startswith(("- ", "**")), line
        quoted = line.partition("**: ")[2]  # what the issue's text can reach: the message after the place
        assert not re.search(r"(?<!\\)[\[<`*_#]", quoted), line
        assert not re.search(r"@\w", quoted) and "://" not in quoted  # no mention, no autolink
    assert not SENTINEL.exists()
# --- one writer for numbers and texts (catalog.records.record_yaml; issue 27) --------------------------


def _convert_edited(tmp_path: Path, old: str, new: str) -> int:
    text = body("valid_es_costa_rica_completed.md").decode("utf-8")
    assert old in text
    path = tmp_path / "body.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return main(["from-issue", "--body-file", str(path), "--out-dir", str(tmp_path / "practices"), "--lang", "en"])


@pytest.mark.parametrize(("typed", "written_as"), [("0.00005", "0.00005"), ("0.0000001", "0.0000001")])
def test_a_small_figure_is_written_plainly_and_refused_for_its_decimals(tmp_path, capsys, typed, written_as):
    """Not `5.0e-05`, which the validator then asked the proposer to fix: the figure as typed, and the
    plain reason the catalog cannot show it (more than 3 decimals)."""
    assert _convert_edited(tmp_path, "| 2021 | 78.5", f"| 2021 | {typed}") == 1
    err = capsys.readouterr().err
    assert f"the figure '{written_as}' has more than 3 decimals" in err
    assert "e-0" not in err


@pytest.mark.parametrize("character", ["\u0085", "\u2028", "\u2029"])
def test_a_hidden_line_break_in_a_text_is_named_at_its_field(tmp_path, capsys, character):
    """Written as an escape, so the validator finds it in the title; raw, YAML folded NEL into a space."""
    title = "Categoría especial de protección complementaria"
    assert _convert_edited(tmp_path, title, title.replace(" ", character, 1)) == 1
    err = capsys.readouterr().err
    assert f"title.es (Title › Spanish): the text contains an invisible control character (U+{ord(character):04X})" in err


# --- the source of every figure (issue 25) ----------------------------------------------------------


def test_each_figure_keeps_the_number_of_its_source(tmp_path):
    assert convert(tmp_path, "valid_es_panama_full.md") == 0
    border, people = only_record(tmp_path)["results"]
    assert border["source"] == 1 and [value.get("source") for value in border["values"]] == [None, None, 2]
    assert people["source"] == 2 and "source" not in people["values"][0]
    assert list(border) == ["indicator", "unit", "source", "values"]  # where the records have it


def _comment_of(tmp_path: Path, results: str) -> tuple[int, list[str]]:
    issue = _with_results(tmp_path, results)
    comment_file = tmp_path / "comment.md"
    code = main(["from-issue", "--body-file", str(issue), "--out-dir", str(tmp_path / "practices"), "--lang", "es",
                 "--comment-file", str(comment_file)])
    return code, comment_file.read_text("utf-8").splitlines()


@pytest.mark.parametrize("results, missing", [
    ("Personas atendidas | personas | 2022 | 40\nPersonas atendidas | personas | 2023 | 55 | 1", 1),
    ("Personas atendidas | personas | 2022 | 40 | 1\n\nPersonas atendidas | personas | 2023 | 55", 3),
    ("Personas atendidas | personas | 2022 | 40 | 1\nPersonas atendidas | personas | 2023 | 55 |", 2),
])
def test_a_figure_without_its_source_writes_no_record_and_names_its_line(tmp_path, results, missing):
    code, lines = _comment_of(tmp_path, results)
    lines = [inert_free(line) for line in lines]
    assert code == 1 and written(tmp_path) == []
    spanish = "falta la fuente de estas cifras; escriba el número de la fuente en la lista de fuentes (1 para la primera)."
    english = "the source of these figures is missing; write the number of the source in the list of sources (1 for the first)."
    assert f"- **Resultados en cifras, línea {missing}**: {spanish}" in lines, lines
    assert f"- **Results in figures, line {missing}**: {english}" in lines, lines
    assert len([line for line in lines if line.startswith("- **")]) == 2  # that problem only, in both languages


@pytest.mark.parametrize("source, spanish, english", [
    ("3", "la ficha tiene 2 fuentes y no hay una fuente número 3", "the record has 2 sources and there is no source number 3"),
    ("0", "«0» no es el número de una fuente; las fuentes se cuentan desde 1", "'0' is not the number of a source"),
    ("la segunda", "aquí va", "this takes"),
])
def test_a_bad_source_number_writes_no_record_and_names_its_line(tmp_path, source, spanish, english):
    for second in (True, False):  # the entry's own source, or one figure's
        shutil.rmtree(tmp_path / "practices", ignore_errors=True)
        first, other = ("1", source) if second else (source, "1")
        code, lines = _comment_of(tmp_path, f"Personas atendidas | personas | 2022 | 40 | {first}\n\n"
                                            f"Personas atendidas | personas | 2023 | 55 | {other}")
        line = 3 if second else 1
        assert code == 1 and written(tmp_path) == []
        problems = [text for text in lines if text.startswith("- **")]
        assert len(problems) == 2, problems  # that problem only, in both languages
        assert problems[0].startswith(f"- **Resultados en cifras, línea {line}**: ") and spanish in inert_free(problems[0]), problems
        assert problems[1].startswith(f"- **Results in figures, line {line}**: ") and english in inert_free(problems[1]), problems


def inert_free(text: str) -> str:
    """A comment line with the Markdown escapes of the quoted values taken out."""
    return re.sub(r"\\(.)", r"\1", text)
