"""Open-data downloads written into the built site (see the issue "Open data and feeds")."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from catalog.model import Practice
from catalog.views import LanguageView


def write_exports(practices: list[Practice], site_dir: Path, config: MkDocsConfig) -> None:
    """Write every download into site_dir. Not built yet: the open-data issue fills this in."""


def downloads_block(view: LanguageView, page_url: str) -> str:
    """The list of downloads on the open-data page, in the page's language."""
    return ""
