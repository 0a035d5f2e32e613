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
from decimal import Decimal, InvalidOperation
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
    return "number_form", {"raw": shorten(raw), "value": shorten(_plain_text(value)), "suggested": _suggestion(body, value)}


def _finite(value: int | float) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def _plain_text(value: int | float) -> str:
    """A number as plain digits: 1e3 -> 1000, 2.5e-1 -> 0.25."""
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
    return _plain_text(value)


def shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
