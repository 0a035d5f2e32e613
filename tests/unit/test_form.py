"""The proposal form stays the schema's form: its fields, its choices, and its generated validator."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess

import pytest
import yaml

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES
from catalog.present.form import AUTOMATIC, LEFT_OUT, SCRIPT_UI, VOCABULARY_OF, form_data_json, form_fields
from catalog.records.schema import iter_fields
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD, REPO

GENERATED = REPO / "docs" / "assets" / "practice-validator.js"


def _paths(fields, prefix=""):
    for f in fields:
        yield f.path
        yield from _paths(f.children)


def test_form_has_every_field_of_the_schema_with_its_help():
    """Every field of the schema (the same list as the field reference) is in the form, in order."""
    schema_paths = [f.path.replace("[]", "") for f in iter_fields()]
    form_paths = list(_paths(form_fields()))
    left_out = tuple(f"{path}." for path in LEFT_OUT)  # a field left out takes its sub-fields with it
    expected = [p for p in schema_paths if p not in LEFT_OUT and not p.startswith(left_out) and not p.endswith((".es", ".en"))]
    assert form_paths == expected
    by_path = {f.path.replace("[]", ""): f for f in iter_fields()}
    for field in _all(form_fields()):
        assert field.help == by_path[field.path].descriptions, field.path


def _all(fields):
    for f in fields:
        yield f
        yield from _all(f.children)


def test_every_form_field_has_a_label_in_both_languages():
    for field in _all(form_fields()):
        if field.kind != "automatic":
            for language in LANGUAGES:
                assert field.label(language) != field.key or field.key == "id", (field.path, language)


@pytest.mark.parametrize("path", sorted(VOCABULARY_OF))
def test_each_choice_field_is_one_the_validator_checks_against_its_vocabulary(path, tmp_path):
    """A value outside the form's choices is refused by `catalog validate` at that very field."""
    record = yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8"))
    record["commitments"] = [{"mechanism": "mirps", "commitment": "mirps-national-plan"}]
    bad = "XYZ" if "country" in path else "not-a-term"
    if path == "host_country":
        record["country"] = "REG"
    target, field = record, ""
    for part in path.split("."):
        field += f".{part}" if field else part
        if isinstance(target.get(part), list):
            field += "[0]"
            if part == "themes":
                target[part][0] = bad
                break
            target = target[part][0]
        elif isinstance(target.get(part), dict):
            target = target[part]
        else:
            target[part] = bad
    folder = tmp_path / record["country"].lower()
    folder.mkdir()
    (folder / f"{record['id']}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    refused = {(p.field, p.message) for p in validate_paths([folder]).problems}
    assert refused & {(field, "not_in_vocabulary"), (field, "country_not_covered")}, refused


def test_form_data_carries_the_validator_messages_in_the_page_language():
    for language in LANGUAGES:
        data = json.loads(form_data_json(language))
        assert data["messages"]["required"] == message("required", language, name="{name}").replace("{name}", "{name}")
        assert "<" not in form_data_json(language)


def test_submitted_is_automatic_and_updated_is_left_out():
    paths = set(_paths(form_fields()))
    assert AUTOMATIC <= paths and not (LEFT_OUT & paths)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (scripts/dev test installs it)")
def test_committed_validator_is_what_the_generator_makes_of_the_schema():
    """The in-browser validator cannot drift from the schema: regenerated, it is byte for byte the committed file."""
    if not (REPO / "node_modules" / "ajv").is_dir():
        pytest.fail("node_modules/ajv is missing: run `npm ci` (scripts/dev test does)")
    generated = subprocess.run(["node", "scripts/form_validator.cjs"], cwd=REPO, capture_output=True,
                               text=True, check=True).stdout
    assert generated == GENERATED.read_text(encoding="utf-8"), (
        "docs/assets/practice-validator.js is stale: run `node scripts/form_validator.cjs > docs/assets/practice-validator.js`"
    )
    assert "require(" not in generated.replace("__require(", "")
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/ajv"]["version"] in generated.splitlines()[0]


def test_a_changed_schema_changes_the_generated_validator(tmp_path):
    """The comparison above can fail: the generator reads the schema, it does not echo a fixed file."""
    if shutil.which("node") is None or not (REPO / "node_modules" / "ajv").is_dir():
        pytest.skip("needs Node and npm ci")
    project = tmp_path / "p"
    (project / "catalog" / "schema").mkdir(parents=True)
    (project / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "form_validator.cjs", project / "scripts")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    schema = json.loads((REPO / "catalog" / "schema" / "practice.schema.json").read_text(encoding="utf-8"))
    changed = copy.deepcopy(schema)
    changed["properties"]["id"]["maxLength"] = 79
    (project / "catalog" / "schema" / "practice.schema.json").write_text(json.dumps(changed), encoding="utf-8")
    out = subprocess.run(["node", "scripts/form_validator.cjs"], cwd=project, capture_output=True, text=True, check=True).stdout
    assert out != GENERATED.read_text(encoding="utf-8") and "79" in out


def test_the_script_gets_every_interface_string_it_writes():
    script = (REPO / "docs" / "assets" / "propose.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bT\.(form_\w+)", script))
    assert used and used <= set(SCRIPT_UI)
    for language in LANGUAGES:
        assert set(json.loads(form_data_json(language))["ui"]) == set(SCRIPT_UI)


def test_the_form_page_first_view_stays_light(tmp_path):
    """The form's own weight (page data, generated validator, scripts, styles), gzipped, kept under 40 KB."""
    import gzip

    from catalog.present.form import form_block
    from catalog.present.views import LanguageView

    html = form_block(LanguageView("es"), "propose/", "https://github.com/o/r", "main", "")
    assets = REPO / "docs" / "assets"
    parts = [html.encode(), *((assets / name).read_bytes() for name in (
        "practice-validator.js", "propose-rules.js", "propose.js", "propose.css"))]
    total = sum(len(gzip.compress(part, 9)) for part in parts)
    assert 10_000 < total < 40_000, total


def test_the_email_fallback_appears_only_when_the_publisher_configured_one():
    from catalog.present.form import form_block
    from catalog.present.views import LanguageView

    view = LanguageView("en")
    assert "data-pf-email" not in form_block(view, "propose/", "https://github.com/o/r", "main", "")
    with_email = form_block(view, "propose/", "https://github.com/o/r", "main", "proposals@example.org")
    assert 'href="mailto:proposals@example.org"' in with_email and 'data-email="proposals@example.org"' in with_email


def test_the_form_sends_nothing_by_itself():
    """No request API in the page's scripts: the record leaves only by a download, a copy or a followed link."""
    for name in ("propose.js", "propose-rules.js", "practice-validator.js"):
        script = (REPO / "docs" / "assets" / name).read_text(encoding="utf-8")
        for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", ".submit("):
            assert call not in script, (name, call)
