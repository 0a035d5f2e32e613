"""A problem found in a record, and how it is written for a person or for GitHub.

A shared leaf: the loader, the validator, the commands and the MkDocs plugin all report
problems the same way, `PATH:LINE:COL: FIELD: message`, in Spanish, English or both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES
from catalog.records.characters import one_line

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, with where it is and a message id from data/messages.yml."""

    path: str
    line: int
    column: int
    field: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def field_name(field_path: FieldPath) -> str:
    """results[0].values[2].year -- the spelling used in every message."""
    out = ""
    for part in field_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def describe(problem: Problem, language: str) -> str:
    """The message of a problem in one language, or in both ('es — en')."""
    languages = LANGUAGES if language == "both" else (language,)
    return " — ".join(message(problem.message, lang, **problem.params) for lang in languages)


def format_problem(problem: Problem, language: str, style: str = "text") -> str:
    """`path:line:col: field: message`, or with style="github" a workflow annotation on that line.
    Paths, field names and the values quoted in messages come from the records, so every character
    that could break the line (a newline in a key, say) is escaped first: a record can neither
    forge a message on another file nor send a workflow command such as ::stop-commands::."""
    text, path, name = (one_line(part) for part in (describe(problem, language), problem.path, problem.field))
    if style == "github":
        # A workflow command: GitHub shows it on the changed file and line of the pull request.
        # Its data escapes %, CR and LF; its properties also ":" and "," (GitHub's own toolkit rules).
        location = f"file={_property(path)},line={max(problem.line, 1)},col={max(problem.column, 1)}"
        return f"::error {location},title={_property(name)}::{_data(text)}"
    return f"{path}:{problem.line}:{problem.column}: {name}: {text}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
