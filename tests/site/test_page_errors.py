"""A page that cannot be made stops the build with the record, line and field named, no traceback,
before anything is written: site/ and the generated docs/ pages stay as they were."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from catalog.build.pages import PageError, SiteContext, generate_pages
from catalog.core.languages import LANGUAGES
from catalog.core.publisher import publisher_from_config
from catalog.mkdocs.config import load_site
from catalog.records import markup
from catalog.records.history import RecordHistory
from catalog.records.model import Text, load_practices
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import EXAMPLE_RECORD, PRACTICES, REPO


def context() -> SiteContext:
    """The context the real mkdocs.yml gives (its publisher), for pages made without MkDocs."""
    # MkDocs' own loader, so that the `!ENV` values (repository, e-mail) take the build's defaults.
    extra = dict(load_site(str(REPO / "mkdocs.yml"))[0]["extra"])
    return SiteContext(repository=extra["repository"], branch="main", history=RecordHistory(),
                       publisher=publisher_from_config(extra, LANGUAGES), site_url="https://example.org/")


def test_a_failing_text_raises_page_error_naming_its_field() -> None:
    practice = next(p for p in load_practices(PRACTICES) if p.id == EXAMPLE_RECORD.stem)
    hostile = replace(practice, challenges=Text.of({"es": "- " * 50 + "x", "en": "ok"}))
    hostile = replace(hostile, raw={**practice.raw, "challenges": {"es": "- " * 50 + "x", "en": "ok"}})
    with pytest.raises(PageError) as caught:
        generate_pages([hostile], context())
    assert caught.value.field_path == ("challenges", "es")
    assert caught.value.source_path == practice.source_path
    assert caught.value.reason == f"lists or quotes nested more than {markup.MAX_NESTING} levels deep"


def test_the_build_stops_before_writing_and_names_record_line_and_field(tmp_path, monkeypatch, caplog) -> None:
    project = write_synthetic_catalog(tmp_path / "project", 0)
    record = project / "practices" / "pan" / EXAMPLE_RECORD.name
    record.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(EXAMPLE_RECORD, record)
    site = tmp_path / "site"
    site.mkdir()
    (site / "published.html").write_text("the site as it was", encoding="utf-8")
    real_render = markup.render
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    english_description = data["description"]["en"]

    def render_failing_on_the_english_description(text: str) -> str:
        if text == english_description:
            raise markup.TooDeep("simulated")
        return real_render(text)

    # The validator never calls markup.render (it inspects), so the record still validates.
    monkeypatch.setattr(markup, "render", render_failing_on_the_english_description)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    with pytest.raises(Abort):
        build(config)
    line = 1 + record.read_text(encoding="utf-8").split("\n").index("  en: |", 30)  # description's English text
    errors = [entry.getMessage() for entry in caplog.records if entry.levelname == "ERROR"]
    assert errors == [
        f"practices/pan/{EXAMPLE_RECORD.name}:{line}:7: description.en (Description › English): the English page of this practice could not "
        "be made (simulated); the site was not built. Run \"catalog validate\" on this file and fix what it reports, "
        "or tell the catalog's maintainers."
    ]
    assert "Traceback" not in caplog.text
    assert [p.name for p in site.iterdir()] == ["published.html"]
    assert not (project / "docs" / "practices").exists() or not any((project / "docs" / "practices").iterdir())
