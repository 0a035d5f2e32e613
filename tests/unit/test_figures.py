"""catalog.records.figures: only a plain ASCII decimal, as a person writes it, is a figure."""

from __future__ import annotations

import ast

import pytest
import yaml

from catalog.records.figures import MAX_FIGURE, figure_problem
from tests.helpers import REPO


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
