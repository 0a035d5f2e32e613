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
from catalog.records.findings import Findings
from catalog.records.problems import FieldPath, Problem, field_name
from catalog.records.schema import iter_fields


def explain_structure(findings: Findings) -> None:
    """Rewrite the problems of one record where a structure slip is their cause."""
    slips = list(_dedented_fields(findings))
    hidden = {field for slip, parent in slips for field in (slip.field, parent)}
    hidden |= {p.field for p in findings.problems if p.message == "yaml_item_joined"}
    kept = [p for p in findings.problems if p.field not in hidden or p.message.startswith("yaml_")]
    findings.problems = [_required_wording(p) for p in kept] + [slip for slip, _ in slips]


@from_data  # walked once, not once per record
def _schema_paths() -> frozenset[str]:
    return frozenset(field.path.replace("[]", "") for field in iter_fields())


@from_data
def _required_paths() -> frozenset[str]:
    return frozenset(field.path for field in iter_fields() if field.required)


def _required_wording(problem: Problem) -> Problem:
    """'Fill it in or remove the field' is wrong advice for a field the format requires."""
    if problem.message == "empty" and re.sub(r"\[\d+\]", "[]", problem.field) in _required_paths():
        return dataclasses.replace(problem, message="empty_required")
    return problem


def _dedented_fields(findings: Findings) -> Iterator[tuple[Problem, str]]:
    """(the slip at the moved field, the field name of the parent it left empty)."""
    known = _schema_paths()
    document = findings.document
    for where, mapping in _mappings(findings.data, ()):
        parent = None
        for key, value in mapping.items():
            schema_path = ".".join(str(p) for p in (*where, key) if not isinstance(p, int))
            if schema_path in known:
                parent = key if value is None else None
                continue
            parent_path = ".".join(str(p) for p in (*where, parent, key) if not isinstance(p, int)) if parent else ""
            if parent_path not in known:
                continue
            line, column = document.key_positions[(*where, key)]
            parent_line, parent_column = document.key_positions[(*where, parent)]
            spaces = parent_column + 2 - column  # two more than the parent
            slip = Problem(findings.shown, line, column, field_name((*where, key)), "yaml_dedented_field",
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
