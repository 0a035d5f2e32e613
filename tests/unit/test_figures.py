"""catalog.records.figures: only a plain ASCII decimal, as a person writes it, is a figure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from catalog.core.vocabularies import load_vocabularies
from catalog.records.figures import MAX_FIGURE, figure_problem, written_problem
from catalog.records.problems import describe
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD, REPO


def typed(raw: str) -> object:
    """What YAML 1.1 (PyYAML's safe loader) makes of a plain scalar: the value the validator gets."""
    return yaml.safe_load(f"x: {raw}")["x"]


@pytest.mark.parametrize("raw", ["0", "7", "40", "2021", "12.5", "0.25", "1000000000000", "999999999999.999"])
def test_plain_decimals_are_figures(raw: str) -> None:
    assert figure_problem(raw, typed(raw)) is None


@pytest.mark.parametrize("raw, value, suggested", [
    ("0100", 64, "100"),          # YAML 1.1 octal
    ("012345", 5349, "12345"),
    ("1:30", 90, "90"),           # base 60
    ("0x28", 40, "40"),
    ("0x7E6", 2022, "2022"),      # a year
    ("0b101000", 40, "40"),
    ("-0.0", -0.0, "0"),
    ("-0", 0, "0"),
    ("+5", 5, "5"),
    ("1_000", 1000, "1000"),
    (".5", 0.5, "0.5"),
    ("5.", 5.0, "5"),
    ("00.5", 0.5, "0.5"),
])
def test_other_number_forms_are_refused_with_the_figure_to_write(raw: str, value: object, suggested: str) -> None:
    assert typed(raw) == value  # what YAML silently does
    message, params = figure_problem(raw, typed(raw))
    assert message == "number_form"
    assert params["suggested"] == suggested


@pytest.mark.parametrize("raw", ["1.0e+25", "1000000000001", "9" * 400, "1.7976931348623157e+308", "99999999999999.5"])
def test_figures_have_an_upper_bound(raw: str) -> None:
    message, params = figure_problem(raw, typed(raw))
    assert message == "number_too_large" and params["limit"] == MAX_FIGURE


def test_decimals_the_site_would_round_are_refused() -> None:
    assert figure_problem("12.3456", 12.3456)[0] == "number_too_precise"
    assert figure_problem("12.345", 12.345) is None


@pytest.mark.parametrize("value", [True, None, "text", float("nan"), float("inf")])
def test_non_numbers_are_left_to_other_rules(value: object) -> None:
    assert figure_problem("x", value) is None


def test_negative_figures_are_left_to_the_schema_minimum() -> None:
    assert figure_problem("-5", -5) is None


def test_every_message_id_the_leaf_rules_return_exists() -> None:
    """figures and markup return message ids that the validator reports as they are."""
    messages = yaml.safe_load((REPO / "catalog" / "data" / "messages.yml").read_text(encoding="utf-8"))
    returned: set[str] = set()
    for module in ("figures.py", "markup.py"):
        for node in ast.walk(ast.parse((REPO / "catalog" / "records" / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Return) and node.value is not None:
                returned |= message_ids(node.value)
    assert {"number_form", "number_too_large", "number_too_precise", "not_https", "bad_https_url", "bad_mailto"} <= returned
    assert sorted(returned - set(messages)) == []


def message_ids(expression: ast.expr) -> set[str]:
    """The string a return statement gives as a message id: itself, the first item of a
    (message, parameters) tuple, or either side of `a if c else b` / `a or b`."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.Tuple) and expression.elts:
        return message_ids(expression.elts[0])
    if isinstance(expression, ast.IfExp):
        return message_ids(expression.body) | message_ids(expression.orelse)
    if isinstance(expression, ast.BoolOp):
        return set().union(*(message_ids(value) for value in expression.values))
    return set()


# --- a result's figure as the official wrote it (issue 26) ---------------------------------------------

COUNT_UNITS = [term.id for term in load_vocabularies().units.values() if term.count]
RESULT_VALUE = "      - {year: 2022, value: 40}"  # the reference record's first figure, a count of applications


def _result_problems(tmp_path: Path, example_text: str, unit: str, written: str, flow: bool = False) -> list:
    assert RESULT_VALUE in example_text and "    unit: applications" in example_text
    figure = f"      - {{year: 2022, value: {written}}}" if flow else f"      - year: 2022\n        value: {written}"
    text = example_text.replace(RESULT_VALUE, figure, 1).replace("    unit: applications", f"    unit: {unit}", 1)
    folder = tmp_path / f"{unit}-{len(list(tmp_path.iterdir()))}" / "pan"
    folder.mkdir(parents=True)
    path = folder / EXAMPLE_RECORD.name
    path.write_text(text, encoding="utf-8")
    return validate_paths([path]).problems


def test_the_count_units_are_the_ones_that_count_people_or_things() -> None:
    assert COUNT_UNITS == ["applications", "people", "decisions", "cases", "files", "procedures", "users",
                           "offices", "countries", "visas"]


@pytest.mark.parametrize("unit", COUNT_UNITS)
@pytest.mark.parametrize("written, whole, comma, point", [  # the decimal reading in Spanish, in English
    ("1.250", "1250", "1,25", "1.25"), ("12.500", "12500", "12,5", "12.5"), ("'3,540'", "3540", "3,54", "3.54"),
])
def test_every_count_unit_refuses_a_figure_that_reads_two_ways_with_both_readings(
        tmp_path: Path, example_text: str, unit: str, written: str, whole: str, comma: str, point: str) -> None:
    """YAML reads `value: 1.250` as 1.25: the validator looks at the figure as written in the file."""
    problems = _result_problems(tmp_path, example_text, unit, written)
    assert [(p.field, p.message, p.line) for p in problems] == [
        ("results[0].values[0].value", "figure_ambiguous_count", example_text.splitlines().index(RESULT_VALUE) + 2)]
    spanish, english = (describe(problems[0], language) for language in ("es", "en"))
    assert f"¿{whole} o {comma}? Escriba {whole} sin separador de miles" in spanish
    assert f"{whole} or {point}? Write {whole} without a thousands separator" in english


@pytest.mark.parametrize("unit", COUNT_UNITS)
def test_every_count_unit_refuses_a_figure_grouped_with_spaces(tmp_path: Path, example_text: str, unit: str) -> None:
    problems = _result_problems(tmp_path, example_text, unit, "1 250")
    assert [p.message for p in problems] == ["figure_grouped"]
    assert "escriba «1 250» como 1250: sin separador de miles" in describe(problems[0], "es")


@pytest.mark.parametrize("unit", COUNT_UNITS)
def test_every_count_unit_takes_whole_numbers_only(tmp_path: Path, example_text: str, unit: str) -> None:
    problems = _result_problems(tmp_path, example_text, unit, "12.5")
    assert [p.message for p in problems] == ["figure_not_whole"]
    assert "escriba un número entero" in describe(problems[0], "es")


def test_a_comma_in_a_flow_mapping_is_one_figure_not_a_value_and_a_key(tmp_path: Path, example_text: str) -> None:
    """{year: 2022, value: 3,540} is to YAML `value: 3` and a key "540": the cause is told, not the effects."""
    problems = _result_problems(tmp_path, example_text, "people", "3,540", flow=True)
    assert [(p.field, p.message, p.params["whole"]) for p in problems] == [
        ("results[0].values[0].value", "figure_ambiguous_count", "3540")]


def test_per_cent_keeps_its_decimals_but_not_a_figure_that_reads_two_ways(tmp_path: Path, example_text: str) -> None:
    assert _result_problems(tmp_path, example_text, "percent", "12.5") == []
    problems = _result_problems(tmp_path, example_text, "percent", "12.500")
    assert [(p.message, p.params["written"]) for p in problems] == [("figure_ambiguous", "12.5")]
    assert "¿12500 o 12,5? Escriba 12500 sin separador de miles, o 12.5 si es una cifra con decimales" in describe(problems[0], "es")
    assert [p.message for p in _result_problems(tmp_path, example_text, "days", "'0,5'")] == ["figure_decimal_comma"]


@pytest.mark.parametrize("written, count, expected", [
    ("12.125", False, ("figure_ambiguous", "12.13")), ("0.250", False, None), ("0.250", True, ("figure_not_whole", None)),
    ("1.250.000", True, ("figure_grouped", None)), ("1.250,5", False, ("figure_grouped", None)), ("40", True, None),
])
def test_the_written_rule(written: str, count: bool, expected: tuple | None) -> None:
    found = written_problem(written, count)
    assert (found and (found[0], found[1].get("written"))) == (expected or None)
