"""Full-text search index of the built site (see the issue "Search and faceted browsing")."""

from __future__ import annotations

from pathlib import Path


def build_index(site_dir: Path) -> None:
    """Index the built pages of every language. Not built yet: the search issue fills this in."""
