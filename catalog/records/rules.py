"""The rules a JSON Schema cannot say, each a small named function of one record.

A rule reads the record from Findings and reports into it. `@rule("status", "period")` registers a
rule with the top-level fields it reads: it runs only when the schema found those fields well-formed
(for a list field, the list itself; Findings.items then gives only its well-formed items), so a rule
never meets a wrong shape, and an exception in a rule is a bug that surfaces in the tests.
check_text runs on every string of every record.
"""

from __future__ import annotations

import datetime
import html
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from catalog.core.datafiles import from_data
from catalog.core.geo import Shape, shapes
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import alpha2
from catalog.records import markup
from catalog.records.characters import REFUSED, describe, first_refused
from catalog.records.figures import MAX_DECIMALS, figure_problem, written_number, written_problem
from catalog.records.findings import Findings
from catalog.records.problems import FieldPath, field_name
from catalog.records.schema import load_schema

EARLIEST_YEAR = 1990
EARLIEST_SOURCE_YEAR = 1900

# Anything a browser or Markdown could take for a tag, comment, doctype or processing instruction,
# and character references (&lt; &#60;), which templates' striptags would turn back into tags.
_HTML = re.compile(r"<\s*[A-Za-z!?/]|<\s*$|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]{1,31});", re.MULTILINE | re.IGNORECASE)
# Reference definitions ("[x]: target"), also unused ones, behind any quote or list marker: the
# renderer shows no link for an unused one, but a definition that cannot be published is refused
# all the same. Every link the renderer does make is found by markup.inspect, not by a pattern.
_REFERENCE_DEFINITION = re.compile(r"^[ \t>*+\-0-9.)]*\[[^\]]*\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
# For the proposal form's check in the browser only, which has no cmark: link targets by pattern.
# `catalog validate` on the pull request has the last word.
_FORM_LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s]*?)>?(?=[)\s])|^(?:[ \t>]|[-*+][ \t]|[0-9]+[.)][ \t])*\[[^\]]*\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE
)
_BLOCK_MARKERS = re.compile(r"^(?:[ \t]*(?:[-*+>]|[0-9]{1,9}[.)])(?=[ \t]|$))+", re.MULTILINE)
# Schemes a browser would follow even outside Markdown link syntax (autolinks, pasted URLs).
_AUTOLINK_OR_BARE_SCHEME = re.compile(
    r"((?:java|vb)\s*script\s*:[^\s)]*|\bdata:\s*\w+/[^\s)]*|\b(?:http|ftp|file)://[^\s)]*)", re.IGNORECASE
)
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII: \d would take ٢٠٢١
# Ids MkDocs or the site would publish somewhere else than practices/<id>/ (index.md is the folder's page).
RESERVED_IDS = frozenset({"index", "readme"})


@dataclass(frozen=True)
class Rule:
    check: Callable[[Findings], None]
    needs: tuple[str, ...]  # the top-level fields it reads

    def can_run(self, findings: Findings) -> bool:
        """The schema found no problem in the fields this rule reads (in a list: in the list itself)."""
        lists = _list_fields()
        return not any(
            not path or (path[0] in self.needs and (len(path) == 1 or path[0] not in lists))
            for path in findings.malformed
        )


RULES: list[Rule] = []


def rule(*needs: str) -> Callable[[Callable[[Findings], None]], Callable[[Findings], None]]:
    """Register a rule with the top-level fields it reads."""
    def register(check: Callable[[Findings], None]) -> Callable[[Findings], None]:
        RULES.append(Rule(check, needs))
        return check
    return register


def run_rules(findings: Findings) -> None:
    check_text(findings, findings.data, ())
    for registered in RULES:
        if registered.can_run(findings):
            registered.check(findings)


@from_data  # read once, not once per record
def _list_fields() -> frozenset[str]:
    return frozenset(name for name, node in load_schema()["properties"].items() if node.get("type") == "array")


# --- every text ----------------------------------------------------------------------------------

def check_text(findings: Findings, value: Any, where: FieldPath) -> None:
    """Every string anywhere: no invisible characters, NFC, no raw HTML, only publishable links."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_text(findings, item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(findings, item, where + (index,))
    elif isinstance(value, str):
        check_string(findings, value, where)


def check_string(findings: Findings, value: str, where: FieldPath) -> None:
    if value and not value.strip():  # only spaces: as good as missing ("" is the schema's)
        findings.add(where, "empty")
    offset = first_refused(value)
    if offset is not None:  # the class is catalog.records.characters': by Unicode category and property
        findings.add_in_text(where, value, offset, "control_character", code=describe(value[offset]))
    if not unicodedata.is_normalized("NFC", value):  # placed on the first letter NFC would change
        offset = next((i for i in range(len(value)) if not unicodedata.is_normalized("NFC", value[i:i + 2])), 0)
        findings.add_in_text(where, value, offset, "not_nfc")
    match = _HTML.search(value)
    if match:
        findings.add_in_text(where, value, match.start(), "raw_html", value=value[match.start(): match.start() + 20].strip())
    if "![" in value:
        findings.add_in_text(where, value, value.index("!["), "markdown_image")
    check_markdown(findings, value, where)


def check_markdown(findings: Findings, value: str, where: FieldPath) -> None:
    """The links and nesting the renderer itself makes of the text (catalog.records.markup), plus reference
    definitions it would not use and bare dangerous schemes."""
    inspection = markup.inspect(value)
    if inspection.depth > markup.MAX_NESTING:
        findings.add_in_text(where, value, _most_nested_line(value), "too_deeply_nested", limit=markup.MAX_NESTING)
    for target in dict.fromkeys([*inspection.urls, *_link_targets(value)]):
        problem = markup.url_problem(target)
        if problem:
            findings.add_in_text(where, value, _find_target(value, target), problem, value=shown_link(target))


def _link_targets(text: str) -> Iterator[str]:
    """Reference definitions (used or not) and bare dangerous schemes; markup.inspect finds the rest."""
    if "]" in text:  # cheap tests first: most texts hold neither
        for match in _REFERENCE_DEFINITION.finditer(text):
            yield html.unescape(match.group(1))
    if ":" in text:
        for match in _AUTOLINK_OR_BARE_SCHEME.finditer(text):
            yield match.group(1)


def _most_nested_line(text: str) -> int:
    """The offset of the line that opens the most lists and quotes at once (where to point a
    too_deeply_nested message; the depth itself is the renderer's)."""
    deepest = max(_BLOCK_MARKERS.finditer(text), key=lambda match: len(match.group()), default=None)
    return deepest.start() if deepest else 0


def _find_target(text: str, target: str) -> int:
    """Where a link target stands in the text as written (cmark percent-encodes and unescapes it)."""
    for form in (target, urllib.parse.unquote(target), target.replace("%5C", "\\")):
        found = text.find(form)
        if found >= 0:
            return found
    return text.find(target.split(":", 1)[-1][:8]) if target else -1


def shown_link(target: str) -> str:
    return target[:60] + ("…" if len(target) > 60 else "")


# --- numbers ---------------------------------------------------------------------------------------

def check_figures(findings: Findings) -> None:
    """Every number is a plain ASCII decimal as written (catalog.records.figures): YAML 1.1 would read 0100,
    1:30 or 0x7E6 as other numbers. Runs right after the schema; a value the schema already refused
    (text was meant) is left to the schema's message, unless it is a figure with a thousands
    separator or a decimal comma, whose reading catalog.records.figures explains."""
    flagged = set()
    for where, raw in findings.document.retyped_text.items():
        decimals = MAX_DECIMALS if where[:1] == ("results",) else None  # only results are shown as figures
        found = figure_problem(raw, _value_at(findings.data, where), decimals)
        if found and findings.sound(where):
            findings.add(where, found[0], **found[1])
            flagged.add(where)
    _check_written_figures(findings, flagged)


def _check_written_figures(findings: Findings, flagged: set[FieldPath]) -> None:
    """Each result's figure as written in the file (1.250 is the float 1.25 to YAML; 3,540 in a flow
    mapping becomes 3 and a key "540"), by catalog.records.figures' rule for its unit. What the rule explains
    replaces the schema's consequences there ("expected a number", "no field 540")."""
    explained: set[FieldPath] = set()
    for where, value in _result_values(findings.data):
        if where in flagged:
            continue
        unit = _value_at(findings.data, where[:2]).get("unit")
        count = isinstance(unit, str) and unit in findings.vocabularies.units and findings.vocabularies.units[unit].count
        found = written_problem(_written(findings.document, where, value), count)
        if found:
            findings.add(where, found[0], **found[1])
            explained.add(where)
    if explained:
        names = {field_name(where) for where in explained}
        items = tuple(name.removesuffix(".value") + "." for name in names)
        findings.problems = [p for p in findings.problems if not (
            (p.field in names and p.message in ("wrong_type", "retyped"))
            or (p.message == "unknown_field" and p.field.startswith(items) and p.field.rpartition(".")[2].isdigit()))]


def _result_values(data: Any) -> Iterator[tuple[FieldPath, Any]]:
    """(path, value) of every results[i].values[j].value there is, whatever the shape around it."""
    results = data.get("results") if isinstance(data, dict) else None
    for index, indicator in enumerate(results if isinstance(results, list) else ()):
        values = indicator.get("values") if isinstance(indicator, dict) else None
        for value_index, item in enumerate(values if isinstance(values, list) else ()):
            if isinstance(item, dict) and "value" in item and not isinstance(item["value"], (bool, dict, list)):
                yield ("results", index, "values", value_index, "value"), item["value"]


def _written(document: Any, where: FieldPath, value: Any) -> str:
    """A figure's text as written: a text value itself, else the number's text in the file (in a flow
    mapping, 3,540 is read as 3: then the text runs on past what YAML read)."""
    raw = document.retyped_text.get(where, str(value))
    if isinstance(value, str):
        return value
    line, column = document.value_positions.get(where, (0, 0))
    on_line = written_number(document.source_lines[line - 1][column - 1:]) if 0 < line <= len(document.source_lines) else ""
    return on_line if on_line.startswith(raw + ",") else raw


def _value_at(data: Any, where: FieldPath) -> Any:
    for part in where:
        data = data[part]
    return data


def form_patterns() -> dict[str, Any]:
    """The text checks as patterns, for the proposal form's pre-check in the browser (catalog/present/form.py):
    the same refused characters, HTML and link rule as here; link targets by pattern."""
    return {"_CONTROL_CHARACTERS": REFUSED, "_HTML": _HTML, "_MARKDOWN_LINK_TARGET": _FORM_LINK_TARGET,
            "_AUTOLINK_OR_BARE_SCHEME": _AUTOLINK_OR_BARE_SCHEME, "_BLOCK_MARKERS": _BLOCK_MARKERS,
            "_HTTPS_URL": markup.link_patterns()[0], "_EMAIL": markup.link_patterns()[1]}


# --- identity and place ----------------------------------------------------------------------------

@rule("id")
def id_is_file_name(findings: Findings) -> None:
    record_id, expected = findings.data["id"], findings.document.path.stem
    if record_id != expected:
        findings.add(("id",), "id_not_file_name", value=record_id, expected=expected)
    if record_id in RESERVED_IDS:
        findings.add(("id",), "reserved_id", value=record_id)


@rule("country", "host_country")
def host_country_only_regional(findings: Findings) -> None:
    if "host_country" in findings.data and findings.data["country"] != findings.vocabularies.regional_code:
        findings.add(("host_country",), "host_country_only_regional", prefer_key=True)


@rule("country")
def file_in_country_folder(findings: Findings) -> None:
    country, vocabularies = findings.data["country"], findings.vocabularies
    folder = findings.document.path.parent.name
    if country in (*vocabularies.countries, vocabularies.regional_code) and folder != country.lower():
        findings.add(("country",), "wrong_folder", value=country, expected=country.lower())


@rule("country", "locations")
def subdivisions_in_country(findings: Findings) -> None:
    country = findings.data["country"]
    if country not in findings.vocabularies.countries:
        return
    prefix = alpha2(country)
    for index, location in findings.items("locations"):
        code = location.get("subdivision")
        if code and not code.startswith(prefix + "-"):
            findings.add(("locations", index, "subdivision"), "subdivision_other_country",
                         value=code, country=country, prefix=prefix)


@rule("country", "locations")
def coordinates_in_country(findings: Findings) -> None:
    """A location's point has at most 4 decimals and lies in the record's country (a regional practice:
    in any covered country), within the shapes' margin; a point that would fit with latitude and longitude
    swapped, or with a sign changed, says so. Out-of-range values were reported by the schema."""
    country, vocabularies = findings.data["country"], findings.vocabularies
    regional = country == vocabularies.regional_code
    if not regional and country not in vocabularies.countries:
        return  # reported by the schema (its covered_country list)
    allowed = [shapes()[code] for code in (vocabularies.countries if regional else (country,))]
    for index, location in findings.items("locations"):
        point = location.get("coordinates")
        if point is None:
            continue
        where = ("locations", index, "coordinates")
        lat, lon = point["lat"], point["lon"]
        if not _coordinate_values_fit(findings, where, point):
            continue
        if _inside(allowed, lon, lat):
            continue
        if regional:
            findings.add(where, "coordinates_outside_region", lat=lat, lon=lon)
        elif abs(lon) <= 90 and _inside(allowed, lat, lon):
            findings.add(where, "coordinates_swapped", lat=lat, lon=lon, country=country)
        elif any(_inside(allowed, x, y) for x, y in ((-lon, lat), (lon, -lat), (-lon, -lat))):
            findings.add(where, "coordinates_sign", lat=lat, lon=lon, country=country)
        else:
            findings.add(where, "coordinates_outside_country", lat=lat, lon=lon, country=country)


def _inside(countries: list[Shape], lon: float, lat: float) -> bool:
    return any(shape.contains(lon, lat) for shape in countries)


def _coordinate_values_fit(findings: Findings, where: FieldPath, point: dict[str, Any]) -> bool:
    """Finite, in range (else already reported by the schema, or here for .nan) and at most 4 decimals."""
    fit = True
    for axis, limit in (("lat", 90), ("lon", 180)):
        value = point[axis]
        if not math.isfinite(value) or not -limit <= value <= limit:
            if math.isnan(value):  # .nan passes the schema's minimum and maximum
                findings.add((*where, axis), "coordinate_range", value=value)
            fit = False
        elif round(value, 4) != value:
            findings.add((*where, axis), "coordinate_decimals", value=value)
            fit = False
    return fit


# --- vocabularies ------------------------------------------------------------------------------------
# Each value is in its vocabulary by the schema (enums generated from vocabularies.yml by
# scripts/schema_vocab.py); what no enum can say is how two values go together.

@rule("commitments")
def commitment_of_its_mechanism(findings: Findings) -> None:
    """A shared commitment belongs to one mechanism: the entry names that one."""
    v = findings.vocabularies
    for index, item in findings.items("commitments"):
        commitment, mechanism = item.get("commitment"), item["mechanism"]
        if commitment in v.commitments and mechanism in v.mechanisms and v.commitments[commitment].mechanism != mechanism:
            findings.add(("commitments", index, "mechanism"), "commitment_mechanism_mismatch",
                         commitment=commitment, expected=v.commitments[commitment].mechanism, value=mechanism)


# --- dates -------------------------------------------------------------------------------------------

@rule("period")
def period_is_plausible(findings: Findings) -> None:
    period, high = findings.data["period"], findings.today.year + 1
    parsed = {key: date_range(findings, ("period", key), period[key], EARLIEST_YEAR, high)
              for key in ("start", "end") if key in period}
    start, end = parsed.get("start"), parsed.get("end")
    if start and end and end[1] < start[0]:
        findings.add(("period", "end"), "end_before_start", start=period["start"], end=period["end"])


@rule("status", "period")
def status_matches_period(findings: Findings) -> None:
    status, period = findings.data["status"], findings.data["period"]
    if status == "completed" and "end" not in period:
        findings.add(("status",), "completed_needs_end")
    if status == "ongoing" and "end" in period:
        findings.add(("period", "end"), "ongoing_has_end")


@rule("submitted", "updated")
def record_dates_are_past(findings: Findings) -> None:
    data, high = findings.data, findings.today.year + 1
    for key in ("submitted", "updated"):
        if key in data:
            bounds = date_range(findings, (key,), data[key], EARLIEST_YEAR, high)
            if bounds and bounds[0] > findings.today:
                findings.add((key,), "future_date", value=data[key])
    if "updated" in data and str(data["updated"]) < str(data["submitted"]):
        findings.add(("updated",), "updated_before_submitted", value=data["updated"], submitted=data["submitted"])


@rule("sources")
def source_dates_are_past(findings: Findings) -> None:
    for index, source in findings.items("sources"):
        if "date" in source:
            bounds = date_range(findings, ("sources", index, "date"), source["date"], EARLIEST_SOURCE_YEAR,
                                findings.today.year + 1)
            if bounds and bounds[0] > findings.today:
                findings.add(("sources", index, "date"), "future_date", value=source["date"])


def date_range(findings: Findings, where: FieldPath, value: Any, low: int, high: int
               ) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a partial date (2021, 2021-03, 2021-03-15) can mean; None, reported, if none."""
    if isinstance(value, float):  # 2021.0 or 0.0: JSON Schema counts it as an integer; a date is digits
        findings.add(where, "wrong_type", expected=("msg", "type_date"))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):  # empty or of a wrong type: the schema said so
        return None
    match = _PARTIAL_DATE.match(str(value))
    if not match:
        findings.add(where, "bad_pattern", value=value, hint=("msg", "hint_date"))
        return None
    year, month, day = match.groups()
    if not low <= int(year) <= high:
        findings.add(where, "implausible_year", year=year, low=low, high=high)
        return None
    try:
        return _days(int(year), int(month) if month else None, int(day) if day else None)
    except ValueError:
        findings.add(where, "invalid_date", value=value)
        return None


def _days(year: int, month: int | None, day: int | None) -> tuple[datetime.date, datetime.date]:
    if day:
        first = datetime.date(year, month or 1, day)
        return first, first
    if month:
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        return datetime.date(year, month, 1), next_month - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- results -------------------------------------------------------------------------------------------

@rule("results")
def result_values_are_plausible(findings: Findings) -> None:
    high = findings.today.year + 1
    for index, _indicator in findings.items("results"):
        years_seen: set[int] = set()
        for value_index, value in findings.items("results", index, "values"):
            where = ("results", index, "values", value_index, "year")
            amount = value.get("value")
            if isinstance(amount, float) and not math.isfinite(amount):  # .nan, .inf pass "number"
                findings.add(where[:-1] + ("value",), "wrong_type", expected=("msg", "type_number"))
            year = value["year"]
            if type(year) is not int:  # true is reported by the schema; 2024.0 passes it
                findings.add(where, "wrong_type", expected=("msg", "type_integer"))
                continue
            if year in years_seen:
                findings.add(where, "duplicate_year", year=year)
            years_seen.add(year)
            if year > high:  # the earliest year is the schema's (figure_year); the latest moves with today
                findings.add(where, "implausible_year", year=year, low=EARLIEST_YEAR, high=high)


@rule("period", "results")
def results_within_period(findings: Findings) -> None:
    period, high = findings.data["period"], findings.today.year + 1
    start_year = _year(period.get("start"))
    end_year = _year(period["end"]) if "end" in period else findings.today.year
    if start_year is None or end_year is None:
        return  # a malformed date: period_is_plausible or the schema reported it
    for index, indicator in findings.items("results"):
        if indicator.get("kind", "result") != "result":
            continue
        for value_index, value in findings.items("results", index, "values"):
            year = value["year"]
            if type(year) is int and EARLIEST_YEAR <= year <= high and not start_year <= year <= end_year:
                findings.add(("results", index, "values", value_index, "year"), "result_outside_period",
                             year=year, start=start_year, end=end_year)


def _year(value: Any) -> int | None:
    match = _PARTIAL_DATE.match(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return int(match.group(1)) if match else None


@rule("results", "sources")
def result_sources_exist(findings: Findings) -> None:
    """A figure's source is a number in the list of sources (1 = the first): it must name one that exists."""
    count = len(findings.data["sources"])
    for index, indicator in findings.items("results"):
        _source_exists(findings, ("results", index, "source"), indicator.get("source"), count)
        for value_index, value in findings.items("results", index, "values"):
            _source_exists(findings, ("results", index, "values", value_index, "source"), value.get("source"), count)


def _source_exists(findings: Findings, where: FieldPath, number: Any, count: int) -> None:
    if type(number) is int and number > count:
        findings.add(where, "source_number_missing", number=number, count=count)


@rule("changes", "submitted")
def change_dates_are_plausible(findings: Findings) -> None:
    """A public change note is dated between the record's submission and today."""
    submitted = str(findings.data["submitted"])
    for index, change in findings.items("changes"):
        where = ("changes", index, "date")
        bounds = date_range(findings, where, change["date"], EARLIEST_YEAR, findings.today.year + 1)
        if bounds and bounds[0] > findings.today:
            findings.add(where, "future_date", value=change["date"])
        elif bounds and change["date"] < submitted:
            findings.add(where, "change_before_submitted", value=change["date"], submitted=submitted)


@rule("provenance")
def provenance_date_is_past(findings: Findings) -> None:
    provenance = findings.data["provenance"]
    if "date" in provenance:
        where = ("provenance", "date")
        bounds = date_range(findings, where, provenance["date"], EARLIEST_YEAR, findings.today.year + 1)
        if bounds and bounds[0] > findings.today:
            findings.add(where, "future_date", value=provenance["date"])


# --- translations and sources ----------------------------------------------------------------------------

@rule("original_language")
def translations_present(findings: Findings) -> None:
    """The original language is required everywhere; the other may be pending (reported, not an error)."""
    original = findings.data["original_language"]
    for where, block in _localized_blocks(findings.data, ()):
        if where[-1:] == ("acronym",):  # an es/en acronym is a pair: the schema wants both
            continue
        for language in LANGUAGES:
            if block.get(language):
                continue
            message = "missing_original" if language == original else "translation_pending"
            entry = findings.problem(where, message, prefer_key=True, language=("lang", language))
            (findings.problems if language == original else findings.pending).append(entry)


@rule("sources")
def some_source_has_a_link(findings: Findings) -> None:
    if not any(isinstance(source, dict) and "url" in source for source in findings.data["sources"]):
        findings.add(("sources",), "no_source_url", prefer_key=True)


def _localized_blocks(value: Any, where: FieldPath) -> Iterator[tuple[FieldPath, dict[str, str]]]:
    """Every es/en text block in a record, with its field path."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
            yield where, value
            return
        for key, item in value.items():
            yield from _localized_blocks(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _localized_blocks(item, where + (index,))
