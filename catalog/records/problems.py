"""A problem found in a record, and how it is written for a person or for GitHub.

A shared leaf: the loader, the validator, the commands and the MkDocs plugin all report
problems the same way, `PATH:LINE:COL: FIELD: message`, in Spanish, English or both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalog.core.datafiles import from_data
from catalog.core.i18n import _table, message, ui
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import load_vocabularies
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


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
FILE_FIELD = "(file)"  # the field of a problem with the whole file


def field_label(field: str, language: str) -> str:
    """Where a problem is, in the form's words: results[0].values[1].year → 'Resultado 1 › Dato 2 ›
    Año'; title.es → 'Título › español'; (file) → '(archivo)'. The proposal form words it the same
    way from the same table (catalog/present/form.py field_labels)."""
    if field == FILE_FIELD:
        return ui("field_file", language)
    labels, parts, path = label_table(language), [], ""
    for index, name in _PART.findall(field):
        if index:
            item = labels["items"].get(path)
            parts[-1:] = [f"{item or (parts[-1] if parts else '')} {int(index) + 1}".strip()]
            continue
        path = f"{path}.{name}" if path else name
        known = labels["fields"].get(path) or labels["languages"].get(name)
        if not known:  # a field the format does not have: its own name says it best
            return field
        parts.append(known)
    return " › ".join(parts)


@from_data
def label_table(language: str) -> dict[str, dict[str, str]]:
    """The labels of the record's fields (ui.yml form_field_<path>), of one item of each list
    (form_item_<path>) and of the languages, in one language."""
    table = _table("ui")
    def pick(prefix: str) -> dict[str, str]:
        return {key.removeprefix(prefix): entry[language] for key, entry in table.items() if key.startswith(prefix)}
    languages = {code: term.label(language) for code, term in load_vocabularies().languages.items()}
    return {"fields": pick("form_field_"), "items": pick("form_item_"), "languages": languages}


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
    label = field_label(problem.field, "es" if language == "both" else language)
    if style == "github":
        # A workflow command: GitHub shows it on the changed file and line of the pull request.
        # Its data escapes %, CR and LF; its properties also ":" and "," (GitHub's own toolkit rules).
        location = f"file={_property(path)},line={max(problem.line, 1)},col={max(problem.column, 1)}"
        return f"::error {location},title={_property(name)}::{_data(text)}"
    if problem.field == FILE_FIELD:
        return f"{path}:{problem.line}:{problem.column}: {one_line(label)}: {text}"
    shown = name if label == name else f"{name} ({one_line(label)})"
    return f"{path}:{problem.line}:{problem.column}: {shown}: {text}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
