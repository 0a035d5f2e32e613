"""Structure slips in a record that YAML reads, but into the wrong shape.

A field moved left ("name:" at the margin under "lead_entity:") leaves its parent empty and
becomes an unknown field of its own; a list item indented deeper joins the item above it. The
schema then reports the consequences ("empty", "no such field", "not in the list"), which lead an
official to delete their institution's name. Here those consequences are replaced by the cause
and its fix, at the line to change; and an empty required field is never told "remove the field".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from catalog.core.datafiles import from_data
from catalog.core.languages import LANGUAGES
from catalog.records.findings import Findings
from catalog.records.problems import FieldPath, Problem, field_name
from catalog.records.schema import is_text_block, iter_fields, load_schema, resolve


def explain_structure(findings: Findings) -> None:
    """Rewrite the problems of one record where a structure slip is their cause."""
    slips = list(_dedented_fields(findings))
    hidden = {field for slip, parent in slips for field in (slip.field, parent)}
    hidden |= {p.field for p in findings.problems if p.message in ("yaml_item_joined", "yaml_lost_dash")}
    kept = [p for p in findings.problems if p.field not in hidden or p.message.startswith("yaml_")]
    original = findings.data.get("original_language") if isinstance(findings.data, dict) else None
    findings.problems = [_required_wording(p, original) for p in kept] + [slip for slip, _ in slips]


@from_data  # walked once, not once per record
def _schema_paths() -> frozenset[str]:
    """Every field's path, and each language of a text in both languages (title.es, lead_entity.name.en)."""
    paths = {field.path.replace("[]", "") for field in iter_fields()}
    texts = {field.path.replace("[]", "") for field in iter_fields() if _holds_languages(field.node)}
    return frozenset(paths | {f"{path}.{language}" for path in texts for language in LANGUAGES})


def _holds_languages(node: dict[str, Any]) -> bool:
    """A text in each language, alone or as one choice of a name (a text, or a text per language)."""
    schema = load_schema()
    choices = [node, *node.get("oneOf", ()), *node.get("anyOf", ())]
    return any(is_text_block(resolve(choice, schema)) for choice in choices if isinstance(choice, dict))


@from_data
def _required_paths() -> frozenset[str]:
    return frozenset(field.path for field in iter_fields() if field.required)


def _required_wording(problem: Problem, original: object = None) -> Problem:
    """'Fill it in or remove the field' is wrong advice for a field the format requires, and for the
    text in the original language of a required text (summary.es when the practice is written in
    Spanish); the translation of a text may still be removed."""
    if problem.message != "empty":
        return problem
    field = re.sub(r"\[\d+\]", "[]", problem.field)
    parent, _, language = field.rpartition(".")
    if field in _required_paths() or (language == original and parent in _required_paths()):
        return dataclasses.replace(problem, message="empty_required")
    return problem


def _dedented_fields(findings: Findings) -> Iterator[tuple[Problem, str]]:
    """(the slip at the moved field, the field name of the parent it left empty)."""
    known = _schema_paths()
    document = findings.document
    for where, mapping in _mappings(findings.data, ()):
        parent, emptied = None, True
        for key, value in mapping.items():
            schema_path = ".".join(str(p) for p in (*where, key) if not isinstance(p, int))
            if schema_path in known:
                # A group the next fields may have left: empty (they all left) or a mapping (the last ones did).
                parent, emptied = (key, value is None) if value is None or isinstance(value, dict) else (None, True)
                continue
            parent_path = ".".join(str(p) for p in (*where, parent, key) if not isinstance(p, int)) if parent else ""
            if parent_path not in known:
                continue
            line, column = document.key_positions[(*where, key)]
            parent_line, parent_column = document.key_positions[(*where, parent)]
            spaces = parent_column + 2 - column  # two more than the parent
            slip = Problem(findings.shown, line, column, field_name((*where, key)),
                           "yaml_dedented_field" if emptied else "yaml_dedented_out",
                           {"key": key, "indent": column - 1, "parent": parent, "parent_line": parent_line,
                            "spaces": spaces})
            yield slip, field_name((*where, parent))


def _mappings(value: Any, where: FieldPath) -> Iterator[tuple[FieldPath, dict]]:
    if isinstance(value, dict):
        yield where, value
        for key, item in value.items():
            yield from _mappings(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _mappings(item, (*where, index))
