"""What the JSON Schema can say about the vocabularies, generated into it from catalog/data/vocabularies.yml.

Each vocabulary becomes an `enum` in the schema's `$defs` (one line each, marked `x-generated`), and so
does the earliest plausible year of a figure, so that every validator of the schema (jsonschema and
jsonschema-rs in Python, Ajv in the browser form) checks them, and no code checks them again. The bound
that moves with today's date (next year at the latest) stays a rule (catalog/records/rules.py).

The record's fields point at these definitions with `$ref`, written by hand once; this module rewrites
only the generated lines, so a hand edit anywhere else in the schema is kept as it is. scripts/schema_vocab.py
writes the file; tests/unit/test_schema_vocab.py fails when the committed schema is not what it writes.
"""

from __future__ import annotations

import json
from typing import Any

from catalog.core.vocabularies import TERM_VOCABULARIES, Vocabularies
from catalog.records.rules import EARLIEST_YEAR

MARK = "x-generated"
GENERATOR = "scripts/schema_vocab.py, from {}: do not edit, run the script"
DEFS_OPENING = '  "$defs": {\n'


def generated_defs(vocabularies: Vocabularies, earliest_year: int = EARLIEST_YEAR) -> dict[str, dict[str, Any]]:
    """Each generated definition by name: the vocabulary's own name for a vocabulary of terms, the covered
    countries (with and without the regional code) and a figure's year."""
    defs: dict[str, dict[str, Any]] = {
        name: {"type": "string", "enum": list(getattr(vocabularies, name))} for name in TERM_VOCABULARIES
    }
    defs["covered_country"] = {"type": "string", "enum": [*vocabularies.countries, vocabularies.regional_code]}
    defs["covered_host_country"] = {"type": "string", "enum": list(vocabularies.countries)}
    out = {name: {MARK: GENERATOR.format("catalog/data/vocabularies.yml"), **node} for name, node in defs.items()}
    out["figure_year"] = {MARK: GENERATOR.format("EARLIEST_YEAR in catalog/records/rules.py"), "type": "integer",
                          "minimum": earliest_year}
    return out


def generated_schema(text: str, vocabularies: Vocabularies, earliest_year: int = EARLIEST_YEAR) -> str:
    """The schema's text with its generated lines written again (added right after `"$defs": {` the
    first time); every other line as it was. Refuses a schema that would not parse, or where a generated
    definition is used by no field."""
    lines = [line for line in text.splitlines(keepends=True) if f'"{MARK}"' not in line]
    kept = "".join(lines)
    if DEFS_OPENING not in kept:
        raise ValueError('the schema has no top-level "$defs": { line')
    block = "".join(f"    {json.dumps(name)}: {json.dumps(node, ensure_ascii=False)},\n"
                    for name, node in generated_defs(vocabularies, earliest_year).items())
    out = kept.replace(DEFS_OPENING, DEFS_OPENING + block, 1)
    schema = json.loads(out)
    unused = [name for name in generated_defs(vocabularies, earliest_year) if f'"#/$defs/{name}"' not in out]
    if unused:
        raise ValueError(f"generated definitions no field refers to: {', '.join(unused)}")
    assert all(MARK in schema["$defs"][name] for name in generated_defs(vocabularies, earliest_year))
    return out
