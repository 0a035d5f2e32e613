"""What the schema can say about the vocabularies is in the schema, generated (devtools/schema_vocab.py),
and checked there: by jsonschema in `catalog validate`, by Ajv in the form; no rule checks it again."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from catalog.core.vocabularies import load_vocabularies
from catalog.records.rules import EARLIEST_YEAR, RULES
from catalog.records.schema import load_schema
from catalog.records.validate import validate_paths
from devtools.schema_vocab import MARK, generated_defs, generated_schema
from tests.helpers import EXAMPLE_RECORD, REPO

SCHEMA = REPO / "catalog" / "schema" / "practice.schema.json"


def test_the_committed_schema_is_what_the_script_writes():
    text = SCHEMA.read_text(encoding="utf-8")
    assert generated_schema(text, load_vocabularies()) == text, (
        "catalog/schema/practice.schema.json is stale: run `.venv/bin/python scripts/schema_vocab.py`, then "
        "`node scripts/form_validator.cjs > docs/assets/practice-validator.js`")


def test_a_changed_vocabulary_or_bound_makes_the_committed_schema_stale():
    """The comparison above can fail: the script writes what the vocabularies say, not a fixed text."""
    text = SCHEMA.read_text(encoding="utf-8")
    vocabularies = load_vocabularies()
    themes = {**vocabularies.themes, "new-theme": vocabularies.themes["gender"]}
    assert generated_schema(text, dataclasses.replace(vocabularies, themes=themes)) != text
    assert generated_schema(text, dataclasses.replace(vocabularies, countries=vocabularies.countries[:-1])) != text
    assert generated_schema(text, vocabularies, EARLIEST_YEAR - 1) != text


def test_only_the_generated_lines_change_and_they_are_marked():
    """A hand edit elsewhere is kept; each generated definition is one marked line in $defs."""
    text = SCHEMA.read_text(encoding="utf-8")
    edited = text.replace('"maxLength": 80', '"maxLength": 81', 1)
    assert generated_schema(edited, load_vocabularies()) == edited
    generated = [line for line in text.splitlines() if f'"{MARK}"' in line]
    assert len(generated) == len(generated_defs(load_vocabularies())) == len(
        [node for node in load_schema()["$defs"].values() if MARK in node])


def test_every_vocabulary_is_an_enum_of_its_fields():
    schema, v = load_schema(), load_vocabularies()
    defs = schema["$defs"]
    assert defs["themes"]["enum"] == list(v.themes)
    assert defs["units"]["enum"] == list(v.units)
    assert defs["covered_country"]["enum"] == [*v.countries, v.regional_code]
    assert defs["covered_host_country"]["enum"] == list(v.countries)
    assert defs["figure_year"]["minimum"] == EARLIEST_YEAR
    properties = schema["properties"]
    assert properties["status"]["$ref"] == "#/$defs/statuses"
    assert properties["themes"]["items"]["$ref"] == "#/$defs/themes"
    assert properties["results"]["items"]["properties"]["values"]["items"]["properties"]["year"]["$ref"] == "#/$defs/figure_year"


def test_no_rule_checks_a_vocabulary_again():
    names = {registered.check.__name__ for registered in RULES}
    assert not {name for name in names if name.endswith("_in_vocabulary") or name == "countries_are_covered"}, names
    script = (REPO / "docs" / "assets" / "propose-rules.js").read_text(encoding="utf-8")
    assert "inVocabulary" not in script and "D.vocabularies" not in script and "D.countries" not in script


@pytest.fixture
def schema_only(monkeypatch):
    """The validator without its rules: what the schema alone finds, worded."""
    from catalog.records import rules

    monkeypatch.setattr(rules, "RULES", [])


def _validated(tmp_path, edit, country="pan"):
    record = yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8"))
    edit(record)
    folder = tmp_path / country
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record['id']}.yml"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return validate_paths([path]).problems


@pytest.mark.parametrize("field, edit, message, suggestion", [
    ("themes[1]", lambda r: r["themes"].__setitem__(1, "border-recepcion"), "not_in_vocabulary_suggest", "border-reception"),
    ("status", lambda r: r.__setitem__("status", "ongoign"), "not_in_vocabulary_suggest", "ongoing"),
    ("results[0].unit", lambda r: r["results"][0].__setitem__("unit", "aplications"), "not_in_vocabulary_suggest", "applications"),
    ("country", lambda r: r.__setitem__("country", "PAM"), "country_not_covered_suggest", "PAN"),
    ("commitments[0].mechanism", lambda r: r["commitments"][0].__setitem__("mechanism", "mirp"), "not_in_vocabulary_suggest", "mirps"),
    ("status", lambda r: r.__setitem__("status", "zzzz"), "not_in_vocabulary", None),
])
def test_a_value_outside_its_vocabulary_is_worded_with_a_did_you_mean(schema_only, tmp_path, field, edit, message, suggestion):
    problems = [p for p in _validated(tmp_path, edit) if p.field == field]
    assert [(p.message, p.params.get("suggestion")) for p in problems] == [(message, suggestion)]


def test_a_figure_year_before_the_earliest_is_implausible_once(schema_only, tmp_path):
    problems = _validated(tmp_path, lambda r: r["results"][0]["values"][0].__setitem__("year", 1985))
    found = [(p.field, p.message, p.params) for p in problems]
    assert len(found) == 1 and found[0][:2] == ("results[0].values[0].year", "implausible_year")
    assert found[0][2]["low"] == EARLIEST_YEAR and found[0][2]["year"] == 1985
