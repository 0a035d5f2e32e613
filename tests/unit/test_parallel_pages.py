"""A large catalog's pages are rendered one language per process (catalog.build.pages.generate_pages with
workers=2, the other language in a forked child): the pages must be exactly those of one process,
and a failure in the child must reach the parent as the same exception."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config

from catalog.build.pages import SiteContext, generate_pages
from catalog.core.languages import LANGUAGES
from catalog.core.parallel import PARALLEL_FROM, forked
from catalog.core.publisher import publisher_from_config
from catalog.records.history import RecordHistory
from catalog.records.model import load_practices
from tests.helpers import EXAMPLE_RECORD, REPO


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("practices")
    originals = sorted((REPO / "practices").glob("*/*.yml"))
    for index in range(PARALLEL_FROM + 5):
        source = originals[index % len(originals)]
        text = source.read_text("utf-8").replace(f"\nid: {source.stem}\n", f"\nid: copy-{index:04d}-{source.stem}\n", 1)
        (folder / source.parent.name).mkdir(exist_ok=True)
        (folder / source.parent.name / f"copy-{index:04d}-{source.stem}.yml").write_text(text, "utf-8")
    extra = load_config(str(REPO / "mkdocs.yml")).extra
    context = SiteContext(repository=extra["repository"], branch="main", history=RecordHistory(),
                          publisher=publisher_from_config(extra, LANGUAGES), site_url="https://example.org/")
    return load_practices(folder), context


def test_pages_rendered_in_two_processes_are_those_of_one(catalog):
    practices, context = catalog
    one = generate_pages(practices, context, workers=1)
    two = generate_pages(practices, context, workers=2)
    assert list(one) == list(two)  # same pages, same order
    assert one == two
    assert len(one) > 2 * len(practices)  # every practice in both languages, and the listings
    assert any(path.endswith(".en.md") for path in one) and EXAMPLE_RECORD.stem in "".join(one)


def test_a_failure_in_the_child_is_raised_in_the_parent():
    def fails():
        raise ValueError("record x: figure too large")

    with pytest.raises(ValueError, match="figure too large"):
        forked(fails)()
    assert forked(lambda: {"a": "b" * 100_000})() == {"a": "b" * 100_000}
