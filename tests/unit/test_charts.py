"""The figures of a practice page (catalog/present/charts.py): outcomes apart from context, one scale per
unit across a page's series, gaps for missing years, and the source of every figure."""

from __future__ import annotations

import copy

import pytest
import yaml

from catalog.present.charts import axis_ticks, figure_sources, results_of, source_line
from catalog.present.views import LanguageView
from catalog.records.model import practice_from_data
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD


def practice_with(results: list[dict]):
    data = copy.deepcopy(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    data["results"] = results
    return practice_from_data(data, "practices/pan/onpar-border-access.yml")


def series(unit: str, values: dict[int, int], kind: str = "result", source: int = 1) -> dict:
    return {"indicator": {"es": f"{unit} {kind}", "en": f"{unit} {kind}"}, "unit": unit, "kind": kind, "source": source,
            "values": [{"year": year, "value": value} for year, value in values.items()]}


def test_outcomes_and_context_are_apart_in_the_record_order():
    results = results_of(practice_with([series("people", {2022: 5}, "context"), series("applications", {2022: 1, 2023: 2}),
                                        series("cases", {2023: 3})]))
    assert [c.number for c in results.outcomes] == [2, 3] and [c.number for c in results.context] == [1]
    chart, value = results.headline
    assert chart.number == 2 and value.year == 2023  # the first outcome's latest figure
    assert results_of(practice_with([series("people", {2022: 5}, "context")])).headline is None


def test_series_of_one_unit_share_the_largest_value_as_their_scale():
    results = results_of(practice_with([series("applications", {2022: 40, 2023: 80}),
                                        series("applications", {2022: 200, 2023: 100}, "context"),
                                        series("people", {2022: 7, 2023: 14})]))
    widths = [[row.width for row in chart.rows] for chart in (*results.outcomes, *results.context)]
    assert widths == [[20.0, 40.0], [50.0, 100.0], [100.0, 50.0]]  # applications on 200, people on 14


@pytest.mark.parametrize(("top", "values"), [
    (8732, [0, 5000]), (5938, [0, 2000, 4000]), (10000, [0, 5000, 10000]), (120469, [0, 50000, 100000]),
    (243, [0, 100, 200]), (14, [0, 5, 10]), (3, [0, 2]), (1, [0, 0.5, 1]), (0.37, [0, 0.2]), (99.5, [0, 50])])
def test_an_axis_has_zero_and_one_or_two_round_ticks_within_the_scale_placed_proportionally(top, values):
    ticks = axis_ticks(top)
    assert [tick.value for tick in ticks] == values
    step = ticks[1].value  # 1, 2 or 5 times a power of ten; every tick a multiple of it
    assert f"{step:e}".split("e")[0].rstrip("0").rstrip(".") in {"1", "2", "5"}
    for number, tick in enumerate(ticks):
        assert 0 <= tick.value <= top and tick.value == pytest.approx(number * step)
        assert tick.position == pytest.approx(100 * tick.value / top, abs=0.001)  # value/scale of the track
    assert 2 <= len(ticks) <= 3
    assert axis_ticks(0) == axis_ticks(0.0) and [t.value for t in axis_ticks(0)] == [0]


def test_the_axes_of_one_unit_share_its_scale_and_a_single_figure_has_none():
    results = results_of(practice_with([series("applications", {2022: 40, 2023: 80}),
                                        series("applications", {2022: 200, 2023: 100}, "context"),
                                        series("people", {2022: 7, 2023: 14}), series("cases", {2023: 3})]))
    applications, people, single = results.outcomes
    assert applications.ticks == results.context[0].ticks == axis_ticks(200)
    assert [(t.value, t.position) for t in applications.ticks] == [(0, 0.0), (100, 50.0), (200, 100.0)]
    assert [(t.value, round(t.position, 1)) for t in people.ticks] == [(0, 0.0), (5, 35.7), (10, 71.4)]
    assert single.ticks == ()


def test_a_missing_year_is_a_gap_and_several_in_a_row_are_one():
    chart = results_of(practice_with([series("applications", {2014: 10, 2019: 20, 2020: 30, 2022: 5})])).outcomes[0]
    assert [(row.years, row.value is None) for row in chart.rows] == [
        ("2014", False), ("2015–2018", True), ("2019", False), ("2020", False), ("2021", True), ("2022", False)]


def test_each_figure_names_its_own_source_else_the_indicator_s():
    entry = series("applications", {2021: 1, 2022: 2, 2023: 3}, source=1)
    entry["values"][2]["source"] = 2
    practice = practice_with([entry])
    assert figure_sources(practice.results[0]) == ((1, (2021, 2022)), (2, (2023,)))
    line = str(source_line(LanguageView("es"), practice, results_of(practice).outcomes[0]))
    # A title in another language than the page's is marked with its own (WCAG 3.1.2).
    assert line.startswith('<p class="catalog-source">Fuentes: <a href="#source-1">ONPAR, Republic of Panama, «<cite lang="en">Strengthening')
    assert "…</cite>»</a> (2021, 2022); " in line and '<a href="#source-2">Día a Día, «Inspeccionan' in line and line.endswith("(2023)</p>")
    english = str(source_line(LanguageView("en"), practice_with([series("people", {2021: 1}, source=2)]),
                              results_of(practice_with([series("people", {2021: 1}, source=2)])).outcomes[0]))
    assert english.startswith('<p class="catalog-source">Source: <a href="#source-2">Día a Día, “<cite lang="es">Inspeccionan')


@pytest.mark.parametrize("change, message", [
    (lambda entry: entry.pop("source"), "source_required"),
    (lambda entry: entry.update(source=3), "source_number_missing"),
    (lambda entry: entry["values"][0].update(source=9), "source_number_missing"),
])
def test_a_figure_without_a_source_of_the_record_never_reaches_a_page(tmp_path, change, message):
    """The page names the source of every figure: a result with none, or with a number past the list of
    sources, is refused by the validator, so charts never meet one (issue 25)."""
    data = copy.deepcopy(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    entry = series("applications", {2021: 1, 2022: 2})
    change(entry)
    data["results"] = [entry]
    path = tmp_path / "pan" / f"{data['id']}.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert [problem.message for problem in validate_paths([path]).problems] == [message]
