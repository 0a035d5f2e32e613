"""Page weight: a practice page does not grow with the catalog and stays under 30 KB of HTML.

The same record (synthetic-00001: generation is seeded) is built in a 20- and a 200-practice
catalog; scripts/bench compares 20 with 2,000.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.synthetic import write_synthetic_catalog
from tests.helpers import build_site

pytestmark = pytest.mark.site

LIMIT = 30_000  # bytes of HTML
PAGE = Path("practices/synthetic-00001/index.html")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    built = {}
    for count in (20, 200):
        project = write_synthetic_catalog(tmp_path_factory.mktemp(f"weight-{count}"), count)
        build_site(project, project / "site")
        built[count] = project / "site"
    return built


@pytest.mark.parametrize("language", ["", "en/"])
def test_a_practice_page_does_not_grow_with_the_catalog(sites, language):
    small, large = ((sites[count] / language / PAGE).stat().st_size for count in (20, 200))
    print(f"\n{language or 'es/'}{PAGE}: {small:,} bytes with 20 practices, {large:,} with 200")
    assert abs(large - small) <= 0.10 * small
    assert large < LIMIT


def test_every_real_practice_page_stays_under_the_limit(built_site):
    """Every practice page of the real catalog, in both languages, the reference record (ONPAR)
    among them; the heaviest are those with many result indicators (a chart and a table each)."""
    pages = sorted(built_site.glob("practices/*/index.html")) + sorted(built_site.glob("en/practices/*/index.html"))
    sizes = {str(page.relative_to(built_site)): page.stat().st_size for page in pages}
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:3]
    print(f"\n{len(sizes)} real practice pages, median {sorted(sizes.values())[len(sizes) // 2]:,} bytes; heaviest: {heaviest}")
    assert "practices/onpar-border-access/index.html" in sizes and "en/practices/onpar-border-access/index.html" in sizes
    assert not {page: size for page, size in sizes.items() if size >= LIMIT}
