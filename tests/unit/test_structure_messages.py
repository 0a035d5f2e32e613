"""The slips officials make in a record's YAML get a message that names the cause and the fix, in
Spanish and English, at the line where they must act; never the parser's English, never "remove
the field" for their institution's name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.core.i18n import message
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD

ORIGINAL = EXAMPLE_RECORD.read_text(encoding="utf-8")
LEAD = ("lead_entity:\n  name:\n    es: Oficina Nacional para la Atención de Refugiados\n"
        "    en: National Office for Refugee Attention\n  acronym: ONPAR\n")
PARSER_WORDS = ("found", "expected", "could not", "mapping values", "token", "scanning", "block end")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def check(tmp_path: Path, text: str) -> list:
    folder = tmp_path / "pan"
    folder.mkdir(exist_ok=True)
    path = folder / "onpar-border-access.yml"
    path.write_text(text, encoding="utf-8")
    return validate_paths([path]).problems


def both(problem) -> dict[str, str]:
    return {language: message(problem.message, language, **problem.params) for language in ("es", "en")}


def slip(old: str, new: str) -> str:
    assert old in ORIGINAL
    return ORIGINAL.replace(old, new, 1)


def test_a_block_moved_to_the_margin_is_an_indentation_slip_not_an_empty_field(tmp_path):
    """The issue's case: name: (and what follows) at column 0 under lead_entity."""
    text = slip(LEAD, LEAD.replace("\n  name:", "\nname:").replace("\n    e", "\n  e").replace("\n  acronym", "\nacronym"))
    problems = check(tmp_path, text)
    assert [(p.message, p.line, p.field) for p in problems] == [
        ("yaml_dedented_field", line_of(text, "\nname:") + 1, "name"),
        ("yaml_dedented_field", line_of(text, "\nacronym:") + 1, "acronym"),
    ]
    words = both(problems[0])
    assert "sangre «name:»" in words["es"] and "2 espacios más" in words["es"] and "«lead_entity:»" in words["es"]
    assert "indent 'name:'" in words["en"] and "2 more spaces" in words["en"]
    assert "quite" not in words["es"] and "remove" not in words["en"]


def test_a_list_item_indented_one_space_too_far(tmp_path):
    text = slip("  - access-to-procedure\n  - border-reception\n", "  - access-to-procedure\n   - border-reception\n")
    problems = check(tmp_path, text)
    assert [(p.message, p.line, p.column) for p in problems] == [
        ("yaml_item_joined", line_of(text, "   - border-reception") , 4)]
    words = both(problems[0])
    assert "«- border-reception»" in words["es"] and "alinee su guion" in words["es"]
    assert "align its dash" in words["en"]
    assert "no está en la lista" not in words["es"]


def test_a_tab_in_the_indentation(tmp_path):
    text = slip("  acronym: ONPAR", "\tacronym: ONPAR")
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line, problem.column) == ("yaml_tab", line_of(text, "\tacronym"), 1)
    words = both(problem)
    assert "tabulador" in words["es"] and "espacios" in words["es"] and "tab" in words["en"]


def test_an_unquoted_colon_in_a_title_gets_quotes_not_indentation(tmp_path):
    title = "  en: ONPAR presence in border areas to ease access to the refugee status procedure"
    typed = "  en: ONPAR presence in border areas: easier access to the refugee status procedure"
    text = slip(title, typed)
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line) == ("yaml_colon_in_text", line_of(text, typed))
    words = both(problem)
    assert "comillas" in words["es"] and "sangría" not in words["es"] and "quotes" in words["en"]
    # The fix it gives, applied as written, makes the record valid.
    fixed = problem.params["fixed"]
    assert fixed == 'en: "ONPAR presence in border areas: easier access to the refugee status procedure"'
    assert not check(tmp_path, text.replace(typed, "  " + fixed))


def test_a_missing_space_after_a_colon(tmp_path):
    text = slip("country: PAN", "country:PAN")
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line) == ("yaml_no_space_after_colon", line_of(text, "country:PAN"))
    words = both(problem)
    assert "«country: PAN»" in words["es"] and "'country: PAN'" in words["en"]


def test_a_field_indented_deeper_than_its_neighbour(tmp_path):
    text = slip("title:\n  es:", "title:\n es:")
    [problem] = check(tmp_path, text)
    assert problem.message in ("yaml_indent_deeper", "yaml_indent_mismatch")
    assert problem.line in (line_of(text, "\n es:") + 1, line_of(text, "\n es:") + 2)


@pytest.mark.parametrize(("old", "new"), [
    ("  acronym: ONPAR", "\tacronym: ONPAR"),
    ("country: PAN", "country:PAN"),
    ("country: PAN", "country PAN"),
    ("title:\n  es:", "title:\n es:"),
    ("  en: ONPAR presence in border areas", '  en: "ONPAR presence in border areas'),
    ("  acronym: ONPAR", "  acronym: @ONPAR"),
    ("  acronym: ONPAR", '  acronym: "ON\\qPAR"'),
])
def test_no_message_carries_the_parser_english(tmp_path, old, new):
    [problem] = check(tmp_path, slip(old, new))
    for text in both(problem).values():
        assert not any(word in text for word in PARSER_WORDS), text
    assert problem.message.startswith("yaml_") and problem.message != "yaml_syntax"


def test_an_empty_required_field_is_never_told_to_be_removed(tmp_path):
    text = slip("  acronym: ONPAR", "  acronym: ONPAR").replace("id: onpar-border-access", "id:")
    problems = check(tmp_path, text)
    [empty] = [p for p in problems if p.field == "id"]
    assert empty.message == "empty_required"
    assert "quite" not in message(empty.message, "es") and "remove" not in message(empty.message, "en")


def test_an_optional_empty_field_may_still_be_removed(tmp_path):
    problems = check(tmp_path, slip("  acronym: ONPAR", "  acronym:"))
    assert [(p.field, p.message) for p in problems] == [("lead_entity.acronym", "empty")]


@pytest.mark.parametrize(("params", "es", "en"), [
    ({"errors": 1, "files": 1}, "1 error en 1 archivo. Corríjalo", "1 error in 1 file. Fix it"),
    ({"errors": 2, "files": 1}, "2 errores en 1 archivo. Corríjalos", "2 errors in 1 file. Fix them"),
    ({"errors": 3, "files": 2}, "3 errores en 2 archivos.", "3 errors in 2 files."),
])
def test_singular_and_plural_in_both_languages(params, es, en):
    assert message("summary_errors", "es", **params).startswith(es)
    assert message("summary_errors", "en", **params).startswith(en)


def test_one_valid_practice_is_singular():
    assert message("summary_ok", "es", count=1, pending=0).startswith("1 práctica válida (")
    assert message("summary_ok", "en", count=1, pending=0).startswith("1 valid practice (")
    assert message("summary_ok", "en", count=2, pending=0).startswith("2 valid practices (")


def test_the_example_record_is_valid_yaml_after_all():
    assert yaml.safe_load(ORIGINAL)["id"] == "onpar-border-access"


# --- the command's own words ------------------------------------------------------------------------

def run_catalog(*args: str, lang: str):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("CATALOG_LANG", "LC_ALL", "LANGUAGE")}
    env["LANG"] = lang
    catalog = str(Path(sys.executable).parent / "catalog")
    return subprocess.run([catalog, *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args", [("--help",), ("validate", "--help"), ("new", "--help"), ("from-issue", "--help")])
def test_every_help_text_is_in_the_chosen_language(args):
    spanish = run_catalog(*args, lang="es_ES.UTF-8").stdout
    english = run_catalog(*args, lang="en_US.UTF-8").stdout
    assert spanish.startswith("uso: catalog") and "opciones:" in spanish and "muestra esta ayuda y termina" in spanish
    assert english.startswith("usage: catalog") and "options:" in english and "show this help message" in english
    for english_word in ("usage:", "options:", "positional arguments", "show this help", "Tools for", "check practice"):
        assert english_word not in spanish, (english_word, spanish)


def test_usage_errors_in_the_chosen_language():
    result = run_catalog("validate", "--lang", "fr", lang="es_ES.UTF-8")
    assert result.returncode == 2
    assert "error: argumento --lang: valor no válido: 'fr' (elija entre" in result.stderr
    assert "invalid choice" in run_catalog("validate", "--lang", "fr", lang="C").stderr


# --- right line, right cause (issue 26) ---------------------------------------------------------------

LATER_TITLE = "  - title: Inspeccionan centro de recepción de migrantes e instalaciones de la ONPAR en Metetí"


@pytest.mark.parametrize("quoted_below", [False, True])
def test_an_unclosed_quote_is_told_at_the_line_it_opens(tmp_path, quoted_below):
    """The quote on the Spanish title ran on to a quote 150 lines below, where YAML failed: line 169 before.
    quoted_below: a source title further down is quoted, as officials often write titles; without it the
    quote runs to the end of the file, which the validator already placed right before issue 26 (line 162,
    «'-' is indented 2 spaces», before, with it)."""
    opened = "  es: Presencia de la ONPAR en zonas fronterizas"
    text = slip(opened, '  es: "Presencia de la ONPAR en zonas fronterizas')
    if quoted_below:
        assert LATER_TITLE in text
        text = text.replace(LATER_TITLE, LATER_TITLE.replace("title: ", 'title: "') + '"', 1)
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line, problem.column) == ("yaml_unclosed_quote", line_of(text, '  es: "Presencia'), 7)
    words = both(problem)
    assert f"(línea {problem.line}) no se cierran" in words["es"] and f"(line {problem.line}) are never closed" in words["en"]


def test_a_quoted_text_over_several_lines_is_not_an_unclosed_quote():
    from catalog.records.yaml_diagnosis import unclosed_quote_above

    lines = ['title:', '  es: "Una línea', '    y otra"', '  en: "One line', '    and another"', 'country: PAN']
    assert unclosed_quote_above(lines, len(lines)) is None


def test_a_key_moved_out_of_its_group_is_told_at_its_own_line_naming_the_group(tmp_path):
    """es: of the institution's name moved left: YAML failed at the next line (en:), which was right."""
    text = slip(LEAD, LEAD.replace("    es: Oficina", "  es: Oficina"))
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line) == ("yaml_dedented_key", line_of(text, "  es: Oficina"))
    words = both(problem)
    assert "queda fuera del grupo «name:» (línea" in words["es"] and "sangre «es:»" in words["es"] and "2 espacios más" in words["es"]
    assert "outside the group 'name:' (line" in words["en"] and "indent 'es:'" in words["en"]


def test_a_group_moved_to_the_margin_is_told_at_its_own_line(tmp_path):
    """name: at column 0 with its texts still indented: YAML failed three lines later, at acronym:."""
    text = slip(LEAD, LEAD.replace("\n  name:", "\nname:"))
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line, problem.params["parent"]) == ("yaml_dedented_key", line_of(text, "\nname:") + 1, "lead_entity")


def test_the_last_text_of_a_group_moved_left_names_the_group_it_left(tmp_path):
    """en: of the name at the level of name: — before, "no field en" and "the English text is missing"."""
    text = slip(LEAD, LEAD.replace("    en: National", "  en: National"))
    [problem] = check(tmp_path, text)
    assert (problem.message, problem.line, problem.params["parent"]) == ("yaml_dedented_out", line_of(text, "  en: National"), "name")
    words = both(problem)
    assert "fuera del grupo «name:»" in words["es"] and "outside the group 'name:'" in words["en"]


@pytest.mark.parametrize("lost", ["    border-reception", "  border-reception"])
def test_a_list_item_that_lost_its_dash_is_named_as_such(tmp_path, lost):
    """Before: «access-to-procedure border-reception» is not a theme, with no hint of the dash."""
    text = slip("  - access-to-procedure\n  - border-reception\n", f"  - access-to-procedure\n{lost}\n")
    [problem] = check(tmp_path, text)
    line = line_of(text, lost + "\n")
    assert (problem.message, problem.line) == ("yaml_lost_dash", line)
    words = both(problem)
    assert f"¿falta «- » al comienzo de la línea {line}?" in words["es"] and "«border-reception»" in words["es"]
    assert f"is '- ' missing at the start of line {line}?" in words["en"]


def test_an_empty_text_in_the_original_language_is_never_told_to_be_removed(tmp_path):
    """summary.en of a practice written in English: «escríbalo o quite el campo» before."""
    summary = ORIGINAL[ORIGINAL.index("summary:\n"):ORIGINAL.index("\n\ndescription:")]
    english = summary[summary.index("  en: "):]
    [problem] = check(tmp_path, slip(english, "  en:"))
    assert (problem.field, problem.message) == ("summary.en", "empty_required")
    assert "quite" not in both(problem)["es"] and "remove" not in both(problem)["en"]
    spanish = summary[summary.index("  es: "):summary.index("  en: ")]
    [translation] = check(tmp_path, slip(spanish, "  es:\n"))
    assert (translation.field, translation.message) == ("summary.es", "empty")  # a translation may go
