"""What a figure is: a plain ASCII decimal, as a person writes it, within sane bounds.

YAML 1.1 reads far more than that as a number, silently: 0100 (octal, 64), 1:30 (base 60, 90),
0x28, 0b101000, 1_000, +5, .5, 1.5e3, -0.0. The loader keeps the text of every plain scalar that
YAML typed, and the validator asks `figure_problem` about it, so a figure on the site is always
exactly the figure in the file. The bounds keep every figure exact as a float (at most 15
significant digits) and keep number formatting and charts far from any overflow.

A leaf: imports nothing of the catalog package.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

MAX_FIGURE = 10**12  # a trillion: far above any count of people, applications or decisions
MAX_DECIMALS = 3  # what the site shows (Babel's default pattern); more would be rounded away
_PLAIN = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]+))?")  # ASCII digits only: \d would take ٣ and ３
_LEADING_ZEROS = re.compile(r"^0+(?=[0-9])")


def figure_problem(raw: str, value: Any, max_decimals: int | None = MAX_DECIMALS) -> tuple[str, dict[str, Any]] | None:
    """None when `raw` (the text YAML read as `value`) is a plain decimal within the bounds;
    else (message id, parameters) saying how to write it. max_decimals=None: any number of
    decimals (coordinates, which are not shown as figures)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        return None  # not a number, or .nan/.inf: the schema and the validator's finite rule say so
    text = raw.strip()
    body = text[1:] if text.startswith("-") else text
    plain = _PLAIN.fullmatch(body)
    if plain and text.startswith("-"):  # negative figures are the schema's (minimum) and the year rule's
        return None if value != 0 else ("number_form", {"raw": raw, "value": "-0", "suggested": "0"})
    if plain:
        if max_decimals is not None and len(plain.group(2) or "") > max_decimals:
            return "number_too_precise", {"raw": raw, "limit": max_decimals}
        if Decimal(body) > MAX_FIGURE:
            return "number_too_large", {"value": shorten(raw), "limit": MAX_FIGURE}
        return None
    if abs(value) > MAX_FIGURE:
        return "number_too_large", {"value": shorten(raw), "limit": MAX_FIGURE}
    return "number_form", {"raw": shorten(raw), "value": shorten(plain_number(value)), "suggested": _suggestion(body, value)}


def _finite(value: int | float) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def plain_number(value: int | float) -> str:
    """A number as plain digits, never with an exponent: 1e3 -> 1000, 2.5e-1 -> 0.25, 1e-7 -> 0.0000001.
    The catalog's one writer of numbers (catalog.records.record_yaml; the form's plainNumber does the same)."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _suggestion(body: str, value: int | float) -> str:
    """How the figure was most likely meant: 0100 -> 100, +5 -> 5, 1_000 -> 1000, .5 -> 0.5,
    5. -> 5; otherwise the number YAML read (0x28 -> 40)."""
    cleaned = _LEADING_ZEROS.sub("", body.lstrip("+").replace("_", ""), count=1)
    cleaned = ("0" + cleaned if cleaned.startswith(".") else cleaned).rstrip(".")
    try:
        if _PLAIN.fullmatch(cleaned) and Decimal(cleaned) <= MAX_FIGURE:
            return cleaned
    except InvalidOperation:
        pass
    return plain_number(value)


def shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- a result's figure as the official wrote it ------------------------------------------------------
# Officials in Latin America write 1.250 for one thousand two hundred and fifty; YAML, float() and
# JavaScript read 1.25. One separator followed by exactly three digits reads two ways, in every unit;
# longer groupings (1.250.000, 1 250) read one way but are still not how a figure is written here.
# The patterns travel to the proposal form as data (catalog/present/form.py), so the browser applies the
# same rule; they use only syntax Python and JavaScript read alike.
AMBIGUOUS = re.compile(r"([1-9][0-9]{0,2})[.,]([0-9]{3})")
GROUPED = re.compile(r"[1-9][0-9]{0,2}([., \u00a0\u202f])[0-9]{3}(?:\1[0-9]{3})*(?:(?!\1)[.,][0-9]+)?")
DECIMAL_COMMA = re.compile(r"(0|[1-9][0-9]*),([0-9]+)")
_WRITTEN_NUMBER = re.compile(r"(?:[0-9][0-9.,]*[0-9]|[0-9])?")  # a number's text in the file (or none), up to what ends it


def written_problem(written: str, count: bool) -> tuple[str, dict[str, Any]] | None:
    """The rule for a result's figure as written in the file, the issue or the form. `count`: the
    unit counts things (people, applications…; `count: true` in data/vocabularies.yml), so its
    figures are whole numbers. None when the figure reads one way only and fits its unit."""
    text = written.strip()
    ambiguous = AMBIGUOUS.fullmatch(text)
    if ambiguous:
        whole, point = ambiguous.group(1) + ambiguous.group(2), _trimmed(ambiguous.group(1), ambiguous.group(2))
        params = {"raw": text, "whole": whole, "reading": ("decimal", point)}  # 1,25 in Spanish, 1.25 in English
        if count:
            return "figure_ambiguous_count", params
        return "figure_ambiguous", {**params, "written": _two_decimals(point)}
    if GROUPED.fullmatch(text):
        return "figure_grouped", {"raw": shorten(text), "whole": _ungrouped(text)}
    comma = DECIMAL_COMMA.fullmatch(text)
    if comma and not count:
        return "figure_decimal_comma", {"raw": shorten(text), "written": text.replace(",", ".")}
    if count and (comma or (_PLAIN.fullmatch(text) and "." in text)):
        return "figure_not_whole", {"raw": shorten(text)}
    return None


def written_patterns() -> dict[str, re.Pattern[str]]:
    """The patterns of written_problem, for the proposal form's copy of the rule (propose-rules.js)."""
    return {"AMBIGUOUS": AMBIGUOUS, "GROUPED": GROUPED, "DECIMAL_COMMA": DECIMAL_COMMA, "PLAIN": _PLAIN}


def written_number(line_from_value: str) -> str:
    """The text of a number as it stands in the file, from where YAML found it: a flow mapping
    ({year: 2022, value: 3,540}) splits 3,540 into a value and a key, and the text shows both."""
    return _WRITTEN_NUMBER.match(line_from_value).group()


def _trimmed(whole: str, decimals: str) -> str:
    decimals = decimals.rstrip("0")
    return f"{whole}.{decimals}" if decimals else whole


def _two_decimals(point: str) -> str:
    """How to write the decimal reading: as it is when it has at most two decimals, else rounded to two."""
    if len(point.partition(".")[2]) <= 2:
        return point
    rounded = format(Decimal(point).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return rounded.rstrip("0").rstrip(".")


def _ungrouped(text: str) -> str:
    """1.250.000 -> 1250000, 1 250,5 -> 1250.5: the group separator goes, the other one is the point."""
    separator = GROUPED.fullmatch(text).group(1)
    digits = text.replace(separator, "")
    return digits.replace(",", ".")
