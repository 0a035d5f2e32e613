"""Shared fixtures: the reference record and built sites (real and synthetic).

Tests are grouped by layer: tests/unit (records, views, commands; no site build),
tests/site (whole-site builds with MkDocs) and tests/browser (headless Chromium).
Plain helpers and constants are in tests/helpers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_RECORD, REPO, build_site, made_once, run_folder


@pytest.fixture
def example_text() -> str:
    """The text of the reference record (ONPAR, Panama), valid as checked in."""
    return EXAMPLE_RECORD.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalog, built once per test run and shared by every worker: the tests that take it
    only read it (a test that changes a site builds its own)."""
    return made_once(run_folder(tmp_path_factory.getbasetemp()), "built-site", lambda site: build_site(REPO, site))
