"""The code stays free of the mistakes a linter catches: unused names, undefined names, import order,
likely bugs (ruff with the rules in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "catalog", "scripts", "tests"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
