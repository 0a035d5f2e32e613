"""The reference of every record field, generated from the JSON Schema so that it never drifts.

The schema is the single source of truth: its `description` (English) and `x-description-es`
(Spanish) keys are what editors show on hover, what `catalog new` writes as comments in a new
record, and what this module turns into the Markdown reference of the "how to contribute" page.
The fields themselves come from catalog.records.schema.iter_fields.
"""

from __future__ import annotations

from catalog.core.i18n import message
from catalog.records.schema import DESCRIPTION_KEYS, Field, fields_by_path, iter_fields

__all__ = ["DESCRIPTION_KEYS", "Field", "field_reference", "fields_by_path", "iter_fields"]

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<|"})


def field_reference(language: str) -> str:
    """The Markdown reference of every field in one language: a level-2 heading and a table."""
    yes, no = message("fields_doc_yes", language), message("fields_doc_no", language)
    lines = [
        f"## {message('fields_doc_heading', language)}",
        "",
        message("fields_doc_intro", language),
        "",
        f"| {message('fields_doc_field', language)} | {message('fields_doc_required', language)} "
        f"| {message('fields_doc_description', language)} |",
        "| --- | --- | --- |",
    ]
    for field in iter_fields():
        text = field.description(language).translate(_MARKDOWN_SPECIAL).replace("\n", " ") or "—"
        lines.append(f"| `{field.path}` | {yes if field.required else no} | {text} |")
    return "\n".join(lines) + "\n"
