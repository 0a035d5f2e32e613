"""Reading mkdocs.yml outside a build (the `catalog compendium` command), with MkDocs' own loader so
that `!ENV` values and defaults are what a build sees."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig


def load_site(config_file: str) -> tuple[MkDocsConfig, Path]:
    """The site's configuration and the project folder it stands in."""
    config = load_config(config_file=config_file)
    return config, Path(config.config_file_path).resolve().parent
