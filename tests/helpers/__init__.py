"""What tests share besides fixtures: repository paths, the reference record, a site build.

Fixtures live in tests/conftest.py; tests import these names as `from tests.helpers import REPO`
(pytest puts the repository root on sys.path because tests/ is a package).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from catalog.build.pages import SiteContext
from catalog.core.languages import LANGUAGES
from catalog.core.publisher import publisher_from_config
from catalog.records.history import RecordHistory

REPO = Path(__file__).resolve().parents[2]
PRACTICES = REPO / "practices"
EXAMPLE_RECORD = PRACTICES / "pan" / "onpar-border-access.yml"
# A fixed build date, so that two builds of the same input can be compared byte for byte.
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def build_site(project: Path, site_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` on a project folder into site_dir, as the README's command does."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, check=check,
    )


def site_context(history: RecordHistory, repository: str = "https://github.com/example/catalog") -> SiteContext:
    """The pages' context for a test: a repository, a minimal publisher and the given history."""
    extra = {"repository": repository, "publisher": {
        "name": "Test publisher", "statement": "A test.",
        "licence": {"data": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}}}}
    return SiteContext(repository, "main", history, publisher_from_config(extra, LANGUAGES), "https://example.org/")
