"""What tests share besides fixtures: repository paths, the reference record, a site build.

Fixtures live in tests/conftest.py; tests import these names as `from tests.helpers import REPO`
(pytest puts the repository root on sys.path because tests/ is a package).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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


def run_folder(basetemp: Path) -> Path:
    """The folder every worker of this test run shares: pytest's base temporary folder, or, under
    pytest-xdist, the run's folder that holds each worker's own (pytest-of-USER/pytest-N/popen-gwK)."""
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the lock of a shared folder (an exclusive flock on folder/lock) while the block runs."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def made_once(folder: Path, name: str, make: Callable[[Path], None]) -> Path:
    """folder/name, made by make(path) once for the whole test run: the first worker to get here makes
    it (into a partial folder, renamed when complete) while the others wait on the lock, then all read it.
    Only for what tests read and never change."""
    done = folder / name
    with locked(folder):
        if not done.exists():
            partial = folder / f"{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            make(partial)
            partial.rename(done)
    return done


def site_context(history: RecordHistory, repository: str = "https://github.com/example/catalog") -> SiteContext:
    """The pages' context for a test: a repository, a minimal publisher and the given history."""
    extra = {"repository": repository, "publisher": {
        "name": "Test publisher", "statement": "A test.",
        "licence": {"data": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}}}}
    return SiteContext(repository, "main", history, publisher_from_config(extra, LANGUAGES), "https://example.org/")
