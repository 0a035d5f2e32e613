"""The plugin's theme loader (catalog.mkdocs.plugin._ThemeLoader) lists the theme without its hidden folders:
MkDocs must copy exactly the static files it copies with Jinja's own loader, and templates must
still load from the hidden folders (Material's icons)."""

from __future__ import annotations

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from catalog.mkdocs.plugin import list_theme_without_hidden_folders
from tests.helpers import REPO


def _static_files(config, environment) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(environment, config)
    return [(file.src_uri, file.abs_src_path) for file in files]


def test_the_theme_files_mkdocs_copies_are_the_same_and_icons_still_load(tmp_path):
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    hidden = tmp_path / "theme" / ".hidden"
    hidden.mkdir(parents=True)
    (hidden / "kept.js").write_text("x")  # a hidden file MkDocs would not copy either
    (tmp_path / "theme" / "visible.js").write_text("x")
    config.theme.dirs.append(str(tmp_path / "theme"))
    plain = config.theme.get_env()
    list_theme_without_hidden_folders(config.theme)
    quick = config.theme.get_env()

    assert not isinstance(plain.loader, type(quick.loader))
    copied = _static_files(config, quick)
    assert copied == _static_files(config, plain)
    assert ("visible.js", str(tmp_path / "theme" / "visible.js")) in copied
    assert any(uri.startswith("assets/javascripts/") for uri, _ in copied)
    assert not any("/." in f"/{uri}" for uri, _ in copied)
    assert "<svg" in quick.get_template(".icons/material/magnify.svg").render()
    assert quick.get_template(".hidden/kept.js").render() == "x"
    assert isinstance(quick.loader, jinja2.FileSystemLoader)
