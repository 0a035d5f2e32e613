"""The reference of every record field, generated from the JSON Schema so that it never drifts.

The schema is the single source of truth: its `description` (English) and `x-description-es`
(Spanish) keys are what editors show on hover, what `catalog new` writes as comments in a new
record, and what this module turns into the Markdown reference of the "how to contribute" page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from catalog import LANGUAGES
from catalog.i18n import message
from catalog.validate import load_schema

# Where each language's text of a field lives in the schema.
DESCRIPTION_KEYS = {"en": "description", "es": "x-description-es"}


@dataclass(frozen=True)
class Field:
    """One field of the record format, named the way contributors see it (sources[].url)."""

    path: str
    required: bool
    descriptions: dict[str, str]  # language → text; empty when the schema says nothing

    def description(self, language: str) -> str:
        return self.descriptions.get(language, "")


def iter_fields(schema: dict[str, Any] | None = None) -> Iterator[Field]:
    """Every field of a record, parents before their children, in the schema's order."""
    schema = schema or load_schema()
    yield from _fields(schema, schema, "")


@cache
def fields_by_path() -> dict[str, Field]:
    """The fields keyed by path, for code that needs one field's description (read-only)."""
    return {field.path: field for field in iter_fields()}


def _fields(node: dict[str, Any], schema: dict[str, Any], prefix: str) -> Iterator[Field]:
    required = set(node.get("required", ()))
    for name, raw in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        prop = _resolve(raw, schema)
        # A field's own description wins; a bare $ref (period.start) borrows its definition's.
        described = raw if "description" in raw else prop
        descriptions = {
            language: described[key] for language, key in DESCRIPTION_KEYS.items() if key in described
        }
        yield Field(path, name in required, descriptions)
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            yield from _fields(_resolve(prop["items"], schema), schema, f"{path}[].")
        elif not _is_text_block(prop):
            yield from _fields(prop, schema, f"{path}.")


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref (#/$defs/…) to its definition, keeping any keys written next to it."""
    reference = node.get("$ref")
    if not reference:
        return node
    target: Any = schema
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    return {**_resolve(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def _is_text_block(node: dict[str, Any]) -> bool:
    """A text in each language (es/en): one field for contributors, not two sub-fields."""
    return set(node.get("properties", {})) == set(LANGUAGES)


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
