"""Shared fixtures: paths of the repository and helpers to write records into temporary catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRACTICES = REPO / "practices"
EXAMPLE_RECORD = PRACTICES / "pan" / "onpar-border-access.yml"


@pytest.fixture
def example_text() -> str:
    """The text of the reference record (ONPAR, Panama), valid as checked in."""
    return EXAMPLE_RECORD.read_text(encoding="utf-8")
