"""The field reference is generated from the schema, and the schema speaks both languages."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from catalog.present.fields_doc import DESCRIPTION_KEYS, field_reference, iter_fields
from catalog.records.schema import load_schema


def described_nodes(node: Any, where: str = "") -> Iterator[tuple[str, dict]]:
    """Every schema object that carries a description in either language (property names aside)."""
    if isinstance(node, dict):
        if any(isinstance(node.get(key), str) for key in DESCRIPTION_KEYS.values()):
            yield where or "(root)", node
        for key, value in node.items():
            if key == "properties":
                for name, sub in value.items():
                    yield from described_nodes(sub, f"{where}/{name}")
            elif key not in DESCRIPTION_KEYS.values():
                yield from described_nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from described_nodes(item, f"{where}/{index}")


def test_every_description_has_spanish_and_english():
    nodes = list(described_nodes(load_schema()))
    assert len(nodes) >= 40
    for where, node in nodes:
        for language, key in DESCRIPTION_KEYS.items():
            text = node.get(key)
            assert isinstance(text, str) and text.strip(), f"{where}: no {language} description ({key})"
        assert node["description"] != node["x-description-es"], where


def test_fields_cover_the_schema_with_required_flags():
    fields = {field.path: field for field in iter_fields()}
    assert set(load_schema()["required"]) <= set(fields)
    assert fields["title"].required and not fields["partners"].required
    assert fields["sources[].title"].required and not fields["sources[].url"].required
    assert fields["results[].values[].year"].required
    # A bare $ref borrows its definition's words; es/en texts are one field, not two.
    assert fields["period.start"].description("en").startswith("A year (2021)")
    assert "title.es" not in fields and "summary.en" not in fields


def test_reference_is_a_markdown_table_in_each_language():
    spanish, english = field_reference("es"), field_reference("en")
    assert spanish.startswith("## Referencia de los campos\n")
    assert english.startswith("## Field reference\n")
    schema = load_schema()
    assert f"| `title` | sí | {schema['properties']['title']['x-description-es']} |" in spanish
    assert f"| `partners` | no | {schema['properties']['partners']['description']} |" in english
    rows = [line for line in english.splitlines() if line.startswith("| `")]
    assert len(rows) == len(list(iter_fields()))
    # Markdown in a description is shown as written, not applied.
    assert r"\*\*bold\*\*" in english
    # Every field is described in both languages: no row falls back to a dash.
    assert "| `lead_entity.acronym` | no | Optional acronym" in english
    assert not [row for row in (spanish + english).splitlines() if row.endswith("| — |")]


def test_a_new_schema_field_appears_without_touching_the_code():
    schema = copy.deepcopy(load_schema())
    schema["properties"]["funding"] = {"description": "Who pays.", "x-description-es": "Quién paga.", "type": "string"}
    schema["required"] = [*schema["required"], "funding"]
    fields = {field.path: field for field in iter_fields(schema)}
    assert fields["funding"].required
    assert fields["funding"].description("es") == "Quién paga."
