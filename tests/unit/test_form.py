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
from catalog.core.vocabularies import load_vocabularies
from catalog.present.form import AUTOMATIC, LEFT_OUT, SCRIPT_UI, VOCABULARY_OF, form_data_json, form_fields
from catalog.records.schema import DESCRIPTION_KEYS, iter_fields, load_schema
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
    expected.remove("id")  # the id is made from the title: it stands right under it
    expected.insert(expected.index("title") + 1, "id")
    assert form_paths == expected
    by_path = {f.path.replace("[]", ""): f for f in iter_fields()}
    ui_table = yaml.safe_load((REPO / "catalog" / "data" / "ui.yml").read_text(encoding="utf-8"))
    partial_date = load_schema()["$defs"]["partial_date"]  # "Un año (2021), un mes (2021-03) o un día (2021-03-15)."
    formats = {language: partial_date[key] for language, key in DESCRIPTION_KEYS.items()}
    for field in _all(form_fields()):  # the schema's help, or the form's own words for it (ui.yml form_help_*)
        expected = ui_table.get(f"form_help_{field.path}", by_path[field.path].descriptions)
        if field.kind == "date" and expected != formats:  # a date's own help, then the forms a date takes
            expected = {language: f"{text} {formats[language]}" for language, text in expected.items()}
        assert field.help == expected, field.path


def test_no_help_text_speaks_the_file_s_language():
    """No vocabulary id, field path or YAML word in a help text: the form offers labels, not ids."""
    vocabularies = load_vocabularies()
    ids = {term for name in ("themes", "mechanisms", "commitments", "statuses", "units", "qualifiers", "provenance")
           for term in getattr(vocabularies, name)} - {"gender"}
    for field in _all(form_fields()):
        for language, text in field.help.items():
            words = set(re.findall(r"[a-z][a-z-]+[a-z]", text))
            refused = ids if language == "es" else {term for term in ids if "-" in term}  # English words are English
            assert not words & refused, (field.path, language, words & refused)
            assert not re.search(r"\b[a-z_]{2,}\.[a-z_]{2,}\b|\bes/en\b|\.yml|\btrue\b", text), (field.path, language, text)


def test_a_required_field_is_never_called_optional():
    """The form marks a required field "(obligatorio)": its help must not say "Opcional" beside it (the
    source of a result's figures was optional, then became required: issue 25)."""
    for field in _all(form_fields()):
        if field.required:
            for language, text in field.help.items():
                assert not re.match(r"(Opcional|Optional)\b", text), (field.path, language, text)


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
    for name in ("propose.js", "propose-rules.js", "practice-validator.js", "record-yaml.js"):
        script = (REPO / "docs" / "assets" / name).read_text(encoding="utf-8")
        for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", ".submit("):
            assert call not in script, (name, call)


def test_without_a_proposal_address_the_form_promises_no_e_mail_and_says_how_else_to_send():
    from catalog.present.form import form_block
    from catalog.present.views import LanguageView

    html = form_block(LanguageView("es"), "propose/", "https://github.com/o/r", "main", "", "https://example.org/contacto")
    output = html.split('class="pf-output"')[1].split('id="pf-data"')[0]  # what the page says about sending
    assert "correo" not in output.lower() and "data-pf-email" not in output
    assert "https://example.org/contacto" in html and "punto focal nacional" in html
    with_email = form_block(LanguageView("es"), "propose/", "https://github.com/o/r", "main", "propuestas@example.org")
    assert "Enviarla por correo" in with_email and "un mensaje a propuestas@example.org con la ficha escrita dentro" in with_email


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("propuestas@example.org", "propuestas@example.org"),
    (" propuestas@example.org ", "propuestas@example.org"),
])
def test_the_publisher_proposal_address_is_one_address_or_none(value, expected):
    from catalog.core.publisher import publisher_from_config

    extra = {"repository": "https://github.com/o/r", "publisher": {
        "name": "X", "statement": "Y", "licence": {"data": {"name": "CC", "url": "https://c.org/"}}, "email": value}}
    assert publisher_from_config(extra, LANGUAGES).email == expected


@pytest.mark.parametrize("value", ["a@b.org, c@d.org", "not an address", "mailto:a@b.org", 42])
def test_a_proposal_address_that_is_not_one_address_stops_the_build(value):
    from catalog.core.publisher import PublisherError, publisher_from_config

    extra = {"repository": "https://github.com/o/r", "publisher": {
        "name": "X", "statement": "Y", "licence": {"data": {"name": "CC", "url": "https://c.org/"}}, "email": value}}
    with pytest.raises(PublisherError, match="extra.publisher.email"):
        publisher_from_config(extra, LANGUAGES)
def test_committed_markdown_parser_is_the_pinned_package():
    """The form counts nesting with commonmark.js (the reference twin of the site's cmark), pinned in
    package-lock.json: the committed copy is byte for byte the package's own file."""
    installed = REPO / "node_modules" / "commonmark" / "dist" / "commonmark.min.js"
    if not installed.is_file():
        pytest.fail("node_modules/commonmark is missing: run `npm ci` (scripts/dev test does)")
    assert (REPO / "docs" / "assets" / "commonmark.min.js").read_bytes() == installed.read_bytes(), (
        "docs/assets/commonmark.min.js is stale: copy node_modules/commonmark/dist/commonmark.min.js")
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/commonmark"]["version"] == "0.29.3"  # cmark-gfm's spec, 0.29
