"""Smoke test of scripts/bench: a tiny run prints the table with every column and sensible numbers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.site

EXPECTED_COLUMNS = ["practices", "validate s", "build s", "floor s", "ratio", "site MB", "page KB", "ms/practice"]


def test_bench_prints_the_table_with_positive_numbers(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench"), "--sizes", "20", "--runs", "1",
                             "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=600, check=True)
    rows = [line.strip("|").split("|") for line in result.stdout.splitlines() if line.startswith("|")]
    header, _separator, *data = rows
    assert [cell.strip() for cell in header] == EXPECTED_COLUMNS
    assert len(data) == 1
    values = dict(zip(EXPECTED_COLUMNS, (float(cell.replace(",", "")) for cell in data[0]), strict=False))
    assert values["practices"] == 20
    assert all(value > 0 for value in values.values()), values
    assert values["ratio"] == pytest.approx(values["build s"] / values["floor s"], rel=0.02)
    assert values["ms/practice"] == pytest.approx(1000 * values["build s"] / 20, rel=0.02)
    assert (tmp_path / "site-20" / "practices" / "synthetic-00001" / "index.html").is_file()
    assert (tmp_path / "floor-site-20" / "practices" / "synthetic-00001" / "index.html").is_file()
    assert "in a 20-practice catalog" in result.stdout
