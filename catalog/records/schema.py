"""The JSON Schema of a record (schema/practice.schema.json): the single source of truth of the format.

A shared leaf. The validator checks records against it; `catalog new`, the field reference and the
data dictionary of the open-data page read its fields and their descriptions through `iter_fields`,
which walks it once per build. The schema is read fresh for every build (catalog.core.datafiles).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from catalog.core.datafiles import from_data, read_json
from catalog.core.languages import LANGUAGES
from catalog.core.paths import SCHEMA_FILE, SCHEMA_PATH  # noqa: F401 - where the schema is (exports take them from here)

if TYPE_CHECKING:
    import jsonschema

# Where each language's text of a field lives in the schema.
DESCRIPTION_KEYS = {"en": "description", "es": "x-description-es"}


@from_data
def load_schema() -> dict[str, Any]:
    """The schema, parsed (shared: callers must not change it)."""
    return read_json(SCHEMA_PATH)


def _unique_items(validator: Any, unique: bool, instance: Any, schema: dict[str, Any]) -> Iterator[jsonschema.ValidationError]:
    """uniqueItems in linear time: jsonschema's own falls back to comparing every pair when the items
    cannot be sorted (a 63 KB record of one-item lists took 100 s). Items are compared by their
    canonical JSON, which is what the record means by equal."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[str] = set()
    for item in instance:
        key = json.dumps(item, sort_keys=True, default=str)
        if key in seen:
            yield _jsonschema().ValidationError(f"{item!r} is repeated")
            return
        seen.add(key)


def _jsonschema() -> Any:
    """The jsonschema package, imported on first use: only a record that jsonschema-rs finds invalid
    needs it (for the messages), and importing it takes longer than checking every valid record
    (`catalog validate` of a valid folder never loads it; tests/unit/test_architecture.py)."""
    import jsonschema

    return jsonschema


@from_data
def schema_validator() -> Any:
    """The reference validator: its errors are what contributors read (catalog.records.schema_errors); with
    uniqueItems checked in linear time."""
    jsonschema = _jsonschema()
    extended = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"uniqueItems": _unique_items})
    return extended(load_schema())


@from_data
def fast_schema_check() -> Callable[[Any], bool]:
    """Whether a record is valid, answered by jsonschema-rs (compiled, a few µs a record, against about
    5 ms for jsonschema). Only a record it finds invalid is walked by the reference validator for the
    messages; tests/unit/test_schema_agreement.py holds the two to the same verdicts."""
    return jsonschema_rs.Draft202012Validator(load_schema()).is_valid


@dataclass(frozen=True)
class Field:
    """One field of the record format, named the way contributors see it (sources[].url)."""

    path: str
    required: bool
    descriptions: dict[str, str]  # language → text; empty when the schema says nothing
    node: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # its schema, $ref resolved

    def description(self, language: str) -> str:
        return self.descriptions.get(language, "")


def iter_fields(schema: dict[str, Any] | None = None) -> Iterator[Field]:
    """Every field of a record, parents before their children, in the schema's order."""
    schema = schema or load_schema()
    yield from _fields(schema, schema, "")


@from_data
def fields_by_path() -> dict[str, Field]:
    """The fields keyed by path, for code that needs one field's description (read-only)."""
    return {field.path: field for field in iter_fields()}


def _fields(node: dict[str, Any], schema: dict[str, Any], prefix: str) -> Iterator[Field]:
    required = set(node.get("required", ()))
    for name, raw in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        prop = resolve(raw, schema)
        # A field's own description wins; a bare $ref (period.start) borrows its definition's.
        described = raw if "description" in raw else prop
        descriptions = {
            language: described[key] for language, key in DESCRIPTION_KEYS.items() if key in described
        }
        items = resolve(prop["items"], schema) if prop.get("type") == "array" and isinstance(prop.get("items"), dict) else None
        yield Field(path, name in required, descriptions, prop)
        if items is not None:
            yield from _fields(items, schema, f"{path}[].")
        elif not is_text_block(prop):
            yield from _fields(prop, schema, f"{path}.")


def resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref (#/$defs/…) to its definition, keeping any keys written next to it."""
    reference = node.get("$ref")
    if not reference:
        return node
    target: Any = schema
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    return {**resolve(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def is_text_block(node: dict[str, Any]) -> bool:
    """A text in each language (es/en): one field for contributors, not two sub-fields."""
    return set(node.get("properties", {})) == set(LANGUAGES)
