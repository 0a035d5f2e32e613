"""`mkdocs serve` shows edits of the data files and the schema without a restart.

Serve rebuilds in the same process, loading the configuration again each time; this test does the
same: two builds in one process, with a label of ui.yml, a label of vocabularies.yml and a field
description of the schema changed in between. The package's data files are read from a copy
(catalog.core.datafiles.package_file points there), so that the real ones are never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from catalog.core import datafiles
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import REPO, SOURCE_DATE_EPOCH

pytestmark = pytest.mark.site

PLUGIN_ENTRY = "  - catalog:\n"  # mkdocs.yml's entry of our plugin (it has options): search is turned off here
EDITS = (  # (file in the package, text before, text after, the word the edit adds, built page that shows it)
    ("data/ui.yml", "catalog_title: {es: Catálogo de prácticas,", "catalog_title: {es: Catálogo EDITADO-UI,",
     "EDITADO-UI", "catalog/index.html"),
    ("data/vocabularies.yml", "    es: En curso\n", "    es: En curso EDITADO-VOCABULARIO\n",
     "EDITADO-VOCABULARIO", "catalog/index.html"),
    ("schema/practice.schema.json", '"x-description-es": "Identificador permanente', '"x-description-es": "EDITADO-ESQUEMA Identificador permanente',
     "EDITADO-ESQUEMA", "contribute/index.html"),
)


def serve_like_build(project: Path, site: Path) -> None:
    """One rebuild as `mkdocs serve` does it: the configuration loaded afresh, then built."""
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))


def test_a_second_build_in_the_same_process_shows_edited_data_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = write_synthetic_catalog(tmp_path / "project", 3)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert PLUGIN_ENTRY in config
    (project / "mkdocs.yml").write_text(config.replace(PLUGIN_ENTRY, PLUGIN_ENTRY + "      search: false\n"), "utf-8")
    package = tmp_path / "package"
    for folder in ("data", "schema"):
        shutil.copytree(REPO / "catalog" / folder, package / folder)
    monkeypatch.setattr(datafiles, "package_file", lambda relative: package / relative)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.chdir(project)
    site = tmp_path / "site"

    serve_like_build(project, site)
    for relative, before, after, word, page in EDITS:
        assert word not in (site / page).read_text("utf-8")
        text = (package / relative).read_text("utf-8")
        assert text.count(before) == 1, (relative, before)
        (package / relative).write_text(text.replace(before, after), "utf-8")
    serve_like_build(project, site)

    for relative, _, _, word, page in EDITS:
        assert word in (site / page).read_text("utf-8"), (relative, word)
    assert not (site / "pagefind").exists(), "search: false in the plugin's config turns the index off"


def test_after_a_failed_build_the_next_one_in_the_same_process_is_complete(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    """`serve` with an invalid record: the build stops before writing anything; once the record is
    fixed, the next rebuild in the same process writes the pages of both languages and the downloads."""
    project = write_synthetic_catalog(tmp_path / "project", 2)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert PLUGIN_ENTRY in config
    (project / "mkdocs.yml").write_text(config.replace(PLUGIN_ENTRY, PLUGIN_ENTRY + "      search: false\n"), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.chdir(project)
    record = next((project / "practices").rglob("synthetic-00001.yml"))
    valid = record.read_text(encoding="utf-8")
    record.write_text(valid.replace("status: ongoing", "status: sometimes"), encoding="utf-8")
    site = tmp_path / "site"

    with pytest.raises(Abort):  # what MkDocs makes of the plugin's PluginError
        serve_like_build(project, site)
    assert not (site / "practices" / "synthetic-00001" / "index.html").exists()
    record.write_text(valid, encoding="utf-8")
    serve_like_build(project, site)

    assert (site / "practices" / "synthetic-00001" / "index.html").is_file()
    assert (site / "en" / "practices" / "synthetic-00001" / "index.html").is_file()
    assert (site / "data" / "practices.json").is_file(), "the outer build's end still writes the downloads"
