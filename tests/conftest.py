"""Shared fixtures: repository paths, the reference record, and built sites (real and synthetic)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRACTICES = REPO / "practices"
EXAMPLE_RECORD = PRACTICES / "pan" / "onpar-border-access.yml"
# A fixed build date, so that two builds of the same input can be compared byte for byte.
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def build_site(project: Path, site_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` on a project folder into site_dir, as the README's command does."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, check=check,
    )


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
