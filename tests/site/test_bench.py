"""Smoke test of scripts/bench: a tiny run prints the table with every column and sensible numbers,
and the floors are what the benchmark says they are."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import yaml

from tests.helpers import REPO

pytestmark = pytest.mark.site

EXPECTED_COLUMNS = ["practices", "validate s", "build s", "floor s", "old floor s", "ratio", "old ratio", "peak MB",
                    "site MB", "page KB", "ms/practice", "preview s", "paused s"]


def test_bench_prints_the_table_with_positive_numbers(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench"), "--sizes", "20", "--runs", "1",
                             "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=900, check=True)
    rows = [line.strip("|").split("|") for line in result.stdout.splitlines() if line.startswith("|")]
    header, _separator, *data = rows
    assert [cell.strip() for cell in header] == EXPECTED_COLUMNS
    assert len(data) == 1
    cells = [cell.strip().replace(",", "") for cell in data[0]]
    values = dict(zip(EXPECTED_COLUMNS, (float("nan") if cell == "—" else float(cell) for cell in cells), strict=True))
    assert values["practices"] == 20
    assert math.isnan(values.pop("preview s"))  # measured only with --preview
    assert math.isnan(values.pop("paused s"))
    assert all(value > 0 for value in values.values()), values
    assert values["ratio"] == pytest.approx(values["build s"] / values["floor s"], rel=0.02)
    assert values["old ratio"] == pytest.approx(values["build s"] / values["old floor s"], rel=0.02)
    assert values["ms/practice"] == pytest.approx(1000 * values["build s"] / 20, rel=0.02)
    assert "in a 20-practice catalog" in result.stdout

    # Copies of the real records under new ids, in their countries' folders.
    copies = sorted((tmp_path / "project-20" / "practices").glob("*/copy-*.yml"))
    assert len(copies) == 20
    probe = next(c for c in copies if c.stem.startswith("copy-00000-"))
    assert f"\nid: {probe.stem}\n" in probe.read_text("utf-8")
    assert (tmp_path / "build-site-20" / "practices" / probe.stem / "index.html").is_file()

    # The new floor builds the same pages, each reduced to its front matter and one paragraph;
    # the old floor the same pages with their whole bodies.
    floor_page = tmp_path / "floor-20" / "docs" / "practices" / f"{probe.stem}.md"
    assert floor_page.read_text("utf-8").endswith("---\n\nA one-line paragraph.\n")
    for name in ("floor", "old-floor"):
        assert (tmp_path / f"{name}-site-20" / "practices" / probe.stem / "index.html").is_file()
        assert (tmp_path / f"{name}-site-20" / "en" / "practices" / probe.stem / "index.html").is_file()
    floor_config = yaml.safe_load((tmp_path / "floor-20" / "mkdocs.yml").read_text("utf-8"))
    assert [next(iter(p)) if isinstance(p, dict) else p for p in floor_config["plugins"]] == ["i18n"]
    old_floor_page = (tmp_path / "old-floor-20" / "docs" / "practices" / f"{probe.stem}.md").read_text("utf-8")
    assert 'id="practice-title"' in old_floor_page and "catalog:body" not in old_floor_page
