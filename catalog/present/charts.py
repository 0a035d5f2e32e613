"""The figures of a practice page: outcomes apart from context, one scale per unit, gaps and sources.

What a reader compares must compare: every bar of one unit on a page is drawn on the same scale (the
largest value of that unit among the page's series), a year missing inside a series is a row of its
own ("no data") rather than two bars side by side, and a value with a note (a part-year, as a rule)
is marked. Under the bars of a series, the compendium draws an axis that says what the scale is: a
tick at 0 and at one or two round values no larger than the scale, each at value/scale of the bar
track, and the unit. Each figure names the record's sources it comes from (`source`, numbered from
1), so that the page can say «Fuente: …» beside it and link to that entry of its list of sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from catalog.records.model import Indicator, Practice, ResultValue, Source

SOURCE_TITLE_LENGTH = 40  # characters of a source's title beside a figure; the list of sources has it whole


@dataclass(frozen=True)
class Row:
    """A row of a series: a year and its value with its bar's width (% of the unit's scale), or a gap:
    one or more years without data, `years` then reads "2015–2018"."""

    years: str
    value: ResultValue | None = None
    width: float = 0.0


@dataclass(frozen=True)
class Tick:
    """A mark of a series' axis: a value of the unit and where it sits (% of the bar track)."""

    value: int | float
    position: float


@dataclass(frozen=True)
class Chart:
    """One results entry as the page shows it: its number in the record (from 1, for ids), the
    indicator, its rows (a series only) and its sources as (source number, years it gives)."""

    number: int
    indicator: Indicator
    rows: tuple[Row, ...]
    sources: tuple[tuple[int, tuple[int, ...]], ...]
    ticks: tuple[Tick, ...] = ()

    @property
    def single(self) -> ResultValue | None:
        """The one value of an indicator with a single year: shown as a figure, not a chart."""
        return self.indicator.values[0] if len(self.indicator.values) == 1 else None

    @property
    def notes(self) -> tuple[ResultValue, ...]:
        """Values with a note (part-years, as a rule): marked in the table and explained below it."""
        return tuple(value for value in self.indicator.values if value.note)


@dataclass(frozen=True)
class Results:
    """The results section of a page: outcomes of the practice, then context figures, and the headline
    (the first outcome's latest value), None when the sources give no outcome figure."""

    outcomes: tuple[Chart, ...]
    context: tuple[Chart, ...]

    @property
    def headline(self) -> tuple[Chart, ResultValue] | None:
        return (self.outcomes[0], self.outcomes[0].indicator.values[-1]) if self.outcomes else None


def results_of(practice: Practice) -> Results:
    """Split a practice's results into outcomes and context, each series scaled by its unit's largest value."""
    scales = unit_scales(practice.results)
    charts = [_chart(number, indicator, scales) for number, indicator in enumerate(practice.results, start=1)]
    return Results(tuple(c for c in charts if c.indicator.kind != "context"),
                   tuple(c for c in charts if c.indicator.kind == "context"))


def unit_scales(indicators: tuple[Indicator, ...]) -> dict[str, float]:
    """Unit → the largest value of that unit among the series (indicators of several years) of a page."""
    scales: dict[str, float] = {}
    for indicator in indicators:
        if len(indicator.values) > 1:
            scales[indicator.unit] = max([scales.get(indicator.unit, 0), *(v.value for v in indicator.values)])
    return scales


def _chart(number: int, indicator: Indicator, scales: dict[str, float]) -> Chart:
    rows: list[Row] = []
    if len(indicator.values) > 1:
        top = scales.get(indicator.unit) or 1
        previous = None
        for value in indicator.values:
            if previous is not None and value.year > previous + 1:
                first, last = previous + 1, value.year - 1
                rows.append(Row(str(first) if first == last else f"{first}–{last}"))
            rows.append(Row(str(value.year), value, bar_width(value.value, top)))
            previous = value.year
        return Chart(number, indicator, tuple(rows), figure_sources(indicator), axis_ticks(scales.get(indicator.unit, 0)))
    return Chart(number, indicator, tuple(rows), figure_sources(indicator))


def bar_width(value: float, top: float) -> float:
    """A bar as a percentage of its scale; never below 0.5% for a value above zero, so that it shows."""
    return round(max(0.5 if value > 0 else 0.0, 100 * value / top), 1)


def axis_ticks(top: float) -> tuple[Tick, ...]:
    """The ticks of an axis on the scale top: 0 and the multiples of the smallest round step (1, 2 or 5
    times a power of ten) of which at most two fit within the scale, each at value/top of the track.
    A scale of 0 (every value zero) has its 0 alone."""
    if top <= 0:
        return (Tick(0, 0.0),)
    exact = Decimal(repr(top))  # 0.3 as 0.3, so that its steps are 0.1 and 0.2, not 0.30000000000000004
    exponent = math.floor(math.log10(top)) - 1  # a tenth of the scale's power of ten: ten steps or more fit
    while True:
        for mantissa in (1, 2, 5):
            step = Decimal(mantissa).scaleb(exponent)
            if (fitting := math.floor(exact / step)) <= 2:
                return tuple(Tick(_plain(step * n), round(100 * float(step * n) / top, 3)) for n in range(fitting + 1))
        exponent += 1


def _plain(value: Decimal) -> int | float:
    """A tick's value as the view formats numbers: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def figure_sources(indicator: Indicator) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """The record's sources an indicator's figures come from, in order of first use, each with the years
    it gives: a value's own `source`, else the indicator's (which every indicator has: the validator
    refuses a result without one, or with a number past the list of sources)."""
    years: dict[int, list[int]] = {}
    for value in indicator.values:
        years.setdefault(value.source or indicator.source, []).append(value.year)
    return tuple((number, tuple(given)) for number, given in years.items())


def source_line(view, practice: Practice, chart: Chart) -> Markup:
    """«Fuente: ACNUR, «Informe anual», marzo de 2024» beside a figure, each source linked to its entry in
    the page's list of sources (#source-N); with several, the years each gives."""
    parts = []
    for number, years in chart.sources:
        link = Markup('<a href="#source-{}">{}</a>').format(number, source_label(view, practice.sources[number - 1]))
        parts.append(link + (Markup(" ({})").format(", ".join(map(str, years))) if len(chart.sources) > 1 else ""))
    label = view.count("figure_sources", len(chart.sources))
    return Markup('<p class="catalog-source">{} {}</p>').format(label, Markup("; ").join(parts))


def source_label(view, source: Source) -> Markup:
    """Publisher, title (quoted, shortened, marked with its language when not the page's) and date of
    a source, in the page's language."""
    title = source.title
    if len(title) > SOURCE_TITLE_LENGTH:
        title = title[:SOURCE_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    if source.language and source.language != view.language:
        title = Markup('<cite lang="{}">{}</cite>').format(source.language, title)
    quoted = Markup(view.ui("quoted", text="\x00")).replace("\x00", escape(title)) if title else ""
    parts = [escape(source.publisher or ""), quoted, view.date(source.date) if source.date else ""]
    return Markup(", ").join(part for part in parts if part)

