"""Atom feeds per country, theme and mechanism (exports.topic_feeds), and how a reader finds them.

What a feed should hold is worked out from the records as the validator loads them, never from
the export code's own grouping.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import feedparser
import pytest

from catalog.build.exports import FEED_LIMIT, Exports, atom_feed, topic_feeds
from catalog.records.history import RecordHistory
from catalog.records.model import load_practices
from catalog.records.validate import validate_paths
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, site_context

site = pytest.mark.site
LANGUAGE_ROOTS = {"es": "", "en": "en/"}


@cache
def records() -> dict[str, dict]:
    report = validate_paths([PRACTICES])
    assert report.ok
    return {document.data["id"]: document.data for document in report.documents}


def expected_topics() -> dict[str, set[str]]:
    """Listing folder (countries/pan) → ids of the practices it lists, from the records themselves."""
    topics: dict[str, set[str]] = {}
    for record_id, data in records().items():
        folders = [f"countries/{data['country'].lower()}"]
        folders += [f"themes/{theme}" for theme in data["themes"]]
        folders += [f"mechanisms/{commitment['mechanism']}" for commitment in data.get("commitments", [])]
        for folder in folders:
            topics.setdefault(folder, set()).add(record_id)
    return topics


def feed_ids(feed: feedparser.FeedParserDict) -> set[str]:
    return {entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries}


@site
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_topic_feed_parses_and_holds_only_its_practices(built_site: Path, language: str):
    root = built_site / LANGUAGE_ROOTS[language]
    made = {path.parent.relative_to(root).as_posix() for kind in ("countries", "themes", "mechanisms")
            for path in (root / kind).glob("*/feed.xml")}
    assert made == set(expected_topics())
    for folder, ids in expected_topics().items():
        data = (root / folder / "feed.xml").read_bytes()
        feed = feedparser.parse(data)
        assert not feed.bozo, (folder, feed.get("bozo_exception"))
        assert feed.version == "atom10" and feed.feed.language == language
        assert feed_ids(feed) == ids, folder
        assert all(entry.link.startswith(feed.feed.link.split(folder)[0]) for entry in feed.entries)
        updated = [entry.updated for entry in feed.entries]
        assert updated == sorted(updated, reverse=True), f"{folder}: newest first"
        assert feed.feed.link.endswith(f"{LANGUAGE_ROOTS[language]}{folder}/")  # its listing page


@site
@pytest.mark.parametrize("language", ["es", "en"])
def test_feeds_point_to_a_stylesheet_in_their_language(built_site: Path, language: str):
    root = built_site / LANGUAGE_ROOTS[language]
    for feed in [root / "feed.xml", root / "countries/pan/feed.xml", root / "themes/border-reception/feed.xml"]:
        href = re.search(rb'<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>', feed.read_bytes()).group(1).decode()
        stylesheet = (feed.parent / href).resolve()
        assert stylesheet == (root / "feed.xsl").resolve()
    xsl = ET.parse(root / "feed.xsl").getroot()  # well-formed XML
    assert xsl.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    html = ET.tostring(xsl, encoding="unicode")
    assert f'lang="{language}"' in html
    assert ("canal Atom" if language == "es" else "Atom feed") in html


@site
@pytest.mark.parametrize(("page", "feed", "title"), [
    ("countries/pan/index.html", "countries/pan/feed.xml", "Panamá"),
    ("en/countries/pan/index.html", "en/countries/pan/feed.xml", "Panama"),
    ("en/themes/border-reception/index.html", "en/themes/border-reception/feed.xml", "Border reception"),
    ("mechanisms/mirps/index.html", "mechanisms/mirps/feed.xml", None),
])
def test_listing_pages_link_their_feed_in_the_head_and_visibly(built_site: Path, page: str, feed: str, title: str | None):
    html = (built_site / page).read_text("utf-8")
    head = html.split("</head>")[0]
    alternates = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]+)"', head)
    assert any(href.endswith("/" + feed) for _, href in alternates), alternates
    if title:
        assert any(name.endswith(": " + title) for name, href in alternates if href.endswith("/" + feed))
    visible = re.search(r'<p class="catalog-feed"[^>]*><a href="([^"]+)" type="application/atom\+xml">', html)
    assert visible and (built_site / page).parent.joinpath(visible.group(1)).resolve() == (built_site / feed).resolve()


@site
@pytest.mark.parametrize("language", ["es", "en"])
def test_open_data_page_links_every_topic_feed_of_its_language(built_site: Path, language: str):
    page = built_site / LANGUAGE_ROOTS[language] / "open-data/index.html"
    hrefs = re.findall(r'<a href="([^"]+)" type="application/atom\+xml">', page.read_text("utf-8"))
    linked = {(page.parent / href).resolve() for href in hrefs}
    root = built_site / LANGUAGE_ROOTS[language]
    assert linked == {(root / folder / "feed.xml").resolve() for folder in expected_topics()}


def test_feeds_are_capped_at_the_newest(tmp_path: Path):
    project = write_synthetic_catalog(tmp_path / "synthetic", 300)
    practices = load_practices(project / "practices")
    exports = Exports(practices, "https://example.org/", "2026-01-01",
                      site_context(RecordHistory()))
    files = topic_feeds(exports)
    counts = {}
    for path, data in files.items():
        if path.endswith("feed.xml"):
            feed = feedparser.parse(data)
            assert not feed.bozo, path
            counts[path] = len(feed.entries)
            updated = [(entry.updated, entry.published) for entry in feed.entries]
            assert updated == sorted(updated, reverse=True), path
    assert max(counts.values()) == FEED_LIMIT == 50
    by_country = {}
    for practice in practices:
        by_country.setdefault(practice.country.lower(), []).append(practice)
    for code, members in by_country.items():
        assert counts[f"countries/{code}/feed.xml"] == min(len(members), FEED_LIMIT)
    main = feedparser.parse(atom_feed(exports, "en"))
    assert len(main.entries) == FEED_LIMIT
