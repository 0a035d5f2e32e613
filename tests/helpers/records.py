"""Edit the reference record in a temporary folder and validate it: what the validator's tests share."""

from __future__ import annotations

import datetime
from pathlib import Path

from catalog.records.loader import Problem
from catalog.records.validate import Report, validate_paths

TODAY = datetime.date(2026, 11, 23)
RECORD_ID = "onpar-border-access"


def edit(text: str, *changes: tuple[str, str]) -> str:
    """The text with each (old, new) change made; each old text must stand exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} is not once in the record"
        text = text.replace(old, new)
    return text


def write_record(root: Path, text: str, name: str = RECORD_ID, folder: str = "pan") -> Path:
    path = root / folder / f"{name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def validate(*paths: Path) -> Report:
    return validate_paths(list(paths), today=TODAY)


def problems_for(root: Path, text: str, name: str = RECORD_ID, folder: str = "pan") -> list[Problem]:
    return validate(write_record(root, text, name, folder)).problems


def summary(problems: list[Problem]) -> list[tuple[str, str, int]]:
    return [(p.message, p.field, p.line) for p in problems]
