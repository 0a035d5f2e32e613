"""Shared fixtures: the reference record and built sites (real and synthetic).

Tests are grouped by layer: tests/unit (records, views, commands; no site build),
tests/site (whole-site builds with MkDocs) and tests/browser (headless Chromium).
Plain helpers and constants are in tests/helpers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_RECORD, REPO, build_site


@pytest.fixture
def example_text() -> str:
    """The text of the reference record (ONPAR, Panama), valid as checked in."""
    return EXAMPLE_RECORD.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalog, built once per test session."""
    site = tmp_path_factory.mktemp("site")
    build_site(REPO, site)
    return site
