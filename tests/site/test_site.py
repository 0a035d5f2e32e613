"""The built site: a page per practice and language, browse pages, head metadata, and the build's
behaviour on invalid input. Built once per session from the real records (conftest.built_site)."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from catalog.present.views import LanguageView
from catalog.records.model import load_practices
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, REPO, build_site

pytestmark = pytest.mark.site

PRACTICE_RECORDS = sorted(PRACTICES.rglob("*.yml"))


def raw_record(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


class _HeadAndText(HTMLParser):
    """Collects <html lang>, <title>, meta description, alternates and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.title = ""
        self.description = None
        self.alternates: dict[str, str] = {}
        self.text: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content")
        elif tag == "link" and attributes.get("rel") == "alternate" and attributes.get("hreflang"):
            self.alternates[attributes["hreflang"]] = attributes["href"]
        self._in = tag

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        if self._in not in ("script", "style"):
            self.text.append(data)


def parse(html: str) -> _HeadAndText:
    parser = _HeadAndText()
    parser.feed(html)
    return parser


def test_the_catalog_has_enough_real_records():
    countries = {raw_record(p)["country"] for p in PRACTICE_RECORDS} - {"REG"}
    assert len(PRACTICE_RECORDS) >= 30
    assert len(countries) >= 16
    mechanisms = {c["mechanism"] for p in PRACTICE_RECORDS for c in raw_record(p).get("commitments", [])}
    assert "quito-process" in mechanisms


@pytest.mark.parametrize("record", PRACTICE_RECORDS, ids=lambda p: p.stem)
def test_every_practice_has_a_page_in_each_language(built_site, record):
    data = raw_record(record)
    for language, prefix in (("es", ""), ("en", "en/")):
        html = page(built_site, f"{prefix}practices/{data['id']}")
        head = parse(html)
        assert head.lang == language
        expected_title = data["title"].get(language) or data["title"][data["original_language"]]
        assert head.title.startswith(expected_title)
        # Every figure of every indicator appears, formatted for the page's language.
        view = LanguageView(language)
        for indicator in data.get("results", []):
            for value in indicator["values"]:
                assert view.number(value["value"]) in html
                assert str(value["year"]) in html


def test_onpar_page_shows_its_yearly_results_as_bars_in_a_table(built_site):
    """A series of years is one table: a row per year with its value (a number cell) and a bar
    scaled to the indicator's largest value, so that every bar starts on the same zero line."""
    html = page(built_site, "practices/onpar-border-access")
    table = re.search(r'<table class="catalog-bars" aria-labelledby="([^"]+)">.*?</table>', html, re.S)
    assert table and f'id="{table.group(1)}"' in html, "the bar table is not labelled by its caption"
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="catalog-num">([^<]+)</td>'
                      r'<td class="catalog-bar" aria-hidden="true"><span style="width:([\d.]+)%"></span></td>', table.group(0))
    assert [(year, value) for year, value, _ in rows] == [("2022", "40"), ("2023", "67"), ("2024", "79")]
    widths = [float(width) for _, _, width in rows]
    assert widths == sorted(widths) and widths[-1] == 100.0
    assert widths[0] == round(100 * 40 / 79, 1)


def test_country_names_come_from_cldr_in_each_language(built_site):
    assert "Panamá" in page(built_site, "countries/pan")
    assert ">Panama<" in page(built_site, "en/countries/pan") or "Panama" in parse(page(built_site, "en/countries/pan")).title
    assert "Brasil" in page(built_site, "countries/bra") and "Brazil" in page(built_site, "en/countries/bra")


def test_browse_pages_list_every_practice(built_site):
    practices = load_practices(PRACTICES)
    for prefix in ("", "en/"):
        catalog_dir = built_site / prefix / "catalog"
        catalog_pages = [catalog_dir / "index.html", *sorted(catalog_dir.glob("page-*/index.html"))]
        listed = set()
        for catalog_page in catalog_pages:
            listed |= set(re.findall(r'href="\.\./practices/([a-z0-9-]+)/"', catalog_page.read_text(encoding="utf-8")))
        assert listed == {p.id for p in practices}
        for practice in practices:
            for theme in practice.themes:
                assert f"practices/{practice.id}/" in page(built_site, f"{prefix}themes/{theme}")
            assert f"practices/{practice.id}/" in page(built_site, f"{prefix}countries/{practice.country.lower()}")


def test_home_page_counts_are_live(built_site):
    practices = load_practices(PRACTICES)
    for prefix, word in (("", "prácticas"), ("en/", "practices")):
        html = page(built_site, prefix.rstrip("/") or ".")
        assert re.search(rf"<strong>{len(practices)}</strong> {word}", html)
        # The latest additions are those with a confirmed status (tests/site/test_reader_pages.py).
        newest = max((p for p in practices if p.status_confirmed), key=lambda p: (p.submitted, p.id))
        assert f"practices/{newest.id}/" in html


def test_head_has_absolute_hreflang_alternates_and_x_default(built_site):
    for url in ("practices/onpar-border-access", "en/practices/onpar-border-access", "catalog", "en/countries/pan", "."):
        alternates = parse(page(built_site, url)).alternates
        assert set(alternates) == {"es", "en", "x-default"}, url
        assert all(href.startswith("https://") for href in alternates.values())
        assert alternates["x-default"] == alternates["es"]
        assert "/en/" in alternates["en"] and "/en/" not in alternates["es"]


def test_practices_are_never_in_the_navigation(built_site):
    html = page(built_site, "about")
    nav = re.search(r'<nav class="md-nav md-nav--primary.*?</nav>', html, re.S).group(0)
    assert "practices/" not in nav


def test_edit_link_points_to_the_record_in_the_repository(built_site):
    html = page(built_site, "practices/onpar-border-access")
    assert re.search(r'href="https://github\.com/[^"]+/edit/main/practices/pan/onpar-border-access\.yml"', html)


def test_pending_translation_is_marked_and_not_passed_off(tmp_path):
    """A record written only in Spanish: the English page shows the Spanish text, marked lang="es",
    with a notice in English."""
    project = write_synthetic_catalog(tmp_path / "project", 0)
    record = raw_record(REPO / "practices/pan/onpar-border-access.yml")
    record["original_language"] = "es"
    for field in ("title", "summary", "description"):
        del record[field]["en"]
    (project / "practices/pan").mkdir(parents=True)
    (project / "practices/pan/onpar-border-access.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    build_site(project, tmp_path / "site")
    html = page(tmp_path / "site", "en/practices/onpar-border-access")
    head = parse(html)
    assert head.lang == "en"
    assert re.search(r'<h1 id="practice-title" lang="es">Presencia de la ONPAR', html)
    assert "Translation pending" in html and "original language (Spanish)" in html
    assert re.search(r'<div lang="es" class="catalog-pending-block">\s*<p class="catalog-pending-label" lang="en">', html)
    # In a line (a listing's card), the Spanish title is marked too, with an English tooltip.
    listing = page(tmp_path / "site", "en/countries/pan")
    assert re.search(r'<span lang="es" class="catalog-pending" title="Translation pending">Presencia de la ONPAR', listing)
    # The Spanish page is complete and carries no notice.
    assert "Traducción pendiente" not in page(tmp_path / "site", "practices/onpar-border-access")


def test_an_invalid_record_stops_the_build_and_publishes_nothing(tmp_path):
    project = write_synthetic_catalog(tmp_path / "project", 3)
    bad = next((project / "practices").rglob("*.yml"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("status: ongoing", "status: maybe"), encoding="utf-8")
    result = build_site(project, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert f"{bad.name}" in result.stderr and "status" in result.stderr and "'maybe' is not in the list" in result.stderr
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


def test_head_metadata_from_records_is_escaped(tmp_path):
    """Material prints page.meta.description unescaped; ours is escaped. Quotes and ampersands are
    valid record text, so they must reach <head> as text, never as markup."""
    project = write_synthetic_catalog(tmp_path / "project", 0)
    record = raw_record(REPO / "practices/pan/onpar-border-access.yml")
    record["summary"]["es"] = 'Comillas " y & y \' sí: "onmouseover=alert(1) x=" fin de la prueba.'
    record["title"]["es"] = 'Título con "comillas" & ampersand'
    (project / "practices/pan").mkdir(parents=True)
    (project / "practices/pan/onpar-border-access.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    build_site(project, tmp_path / "site")
    html = page(tmp_path / "site", "practices/onpar-border-access")
    head = parse(html)
    assert head.description == record["summary"]["es"]
    assert head.title.startswith(record["title"]["es"])
    assert 'onmouseover=alert(1) x="' not in html.split("</head>")[0]


@pytest.mark.browser
def test_language_switch_goes_to_the_same_page_both_ways(built_site):
    from devtools.browser import launch_chromium, serve_directory

    pages = ["practices/onpar-border-access/", "countries/pan/", "catalog/", ""]
    with serve_directory(built_site) as base, launch_chromium() as browser:
        tab = browser.new_page()
        for url in pages:
            tab.goto(f"{base}/{url}#description")
            with tab.expect_navigation():
                tab.click("a[data-catalog-language-switch]")
            assert tab.url == f"{base}/en/{url}#description"
            assert tab.locator("html").get_attribute("lang") == "en"
            with tab.expect_navigation():
                tab.click("a[data-catalog-language-switch]")
            assert tab.url == f"{base}/{url}#description"
            assert tab.locator("html").get_attribute("lang") == "es"


@pytest.mark.browser
def test_language_switch_keeps_the_query_after_in_page_navigation(built_site):
    from devtools.browser import launch_chromium, serve_directory

    with serve_directory(built_site) as base, launch_chromium() as browser:
        tab = browser.new_page()
        tab.goto(f"{base}/en/practices/onpar-border-access/")
        # In-page navigation: the reader follows an anchor and the query changes (as search state does).
        tab.evaluate("history.pushState(null, '', '?from=search#sources')")
        with tab.expect_navigation():
            tab.click("a[data-catalog-language-switch]")
        assert tab.url == f"{base}/practices/onpar-border-access/?from=search#sources"


@contextlib.contextmanager
def serving(project: Path, *options: str):
    """`mkdocs serve` on a free port; yields wait_for(path, predicate) that polls a served page."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # serve mounts the site under site_url's path; serve it at the root here.
        env={**os.environ, "CATALOG_SITE_URL": f"http://127.0.0.1:{port}/"},
    )

    def wait_for(path: str, predicate, seconds=120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                    html = response.read().decode("utf-8")
                if predicate(html):
                    return html
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the served page {path} never showed the expected content")

    try:
        yield wait_for
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_rebuilds_when_a_record_changes(tmp_path):
    """`mkdocs serve` watches practices/: editing a record's title shows up without a restart."""
    project = write_synthetic_catalog(tmp_path / "project", 2)
    record = next((project / "practices").rglob("synthetic-00000.yml"))
    with serving(project) as wait_for:
        wait_for("practices/synthetic-00000/", lambda html: "SYNTHETIC 0:" in html)
        data = raw_record(record)
        data["title"]["es"] = "Título cambiado mientras se sirve"
        record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        wait_for("practices/synthetic-00000/", lambda html: "Título cambiado mientras se sirve" in html)


def test_the_live_preview_shows_an_edit_on_the_page_its_listings_and_the_home_page(tmp_path):
    """`scripts/dev serve` is `mkdocs serve --dirty`: it renders again only what an edit changed
    (catalog.mkdocs.preview), yet the edited practice, its country listing, the catalog and the home page's
    latest practices all show the edit, and an untouched practice keeps its page but for the edited
    practice's card among its related practices, which shows the new title. An edit of mkdocs.yml shows
    on every page."""
    project = write_synthetic_catalog(tmp_path / "project", 3)
    record = next((project / "practices").rglob("synthetic-00000.yml"))
    country = record.parent.name
    with serving(project, "--dirty") as wait_for:
        untouched = wait_for("en/practices/synthetic-00001/", lambda html: "SYNTHETIC 1:" in html)
        data = raw_record(record)
        old_title = str(escape(data["title"]["en"]))  # as the templates escape it
        assert f">{old_title}</a>" in untouched  # the edited practice is among its related practices
        data["title"]["es"], data["title"]["en"] = "Vista previa del cambio", "Preview of the edit"
        data["submitted"] = "2026-11-01"  # the latest practice on the home page
        record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        wait_for("practices/synthetic-00000/", lambda html: "Vista previa del cambio" in html)
        wait_for("en/practices/synthetic-00000/", lambda html: "Preview of the edit" in html)
        wait_for(f"countries/{country}/", lambda html: "Vista previa del cambio" in html)
        wait_for("en/catalog/", lambda html: "Preview of the edit" in html)
        wait_for("", lambda html: "Vista previa del cambio" in html)
        unreloaded = lambda html: re.sub(r"livereload\(\d+, \d+\)", "", html)  # noqa: E731 - the server's epoch
        now = wait_for("en/practices/synthetic-00001/", lambda html: "Preview of the edit" in html)
        assert unreloaded(now) == unreloaded(untouched).replace(f">{old_title}</a>", ">Preview of the edit</a>")

        # mkdocs.yml names the publisher, whom every page shows (footer, citation): an edit of it shows
        # on the pages of unchanged records and on the hand-written pages too.
        config = project / "mkdocs.yml"
        publisher = "Contributors to the Regional catalog of good asylum practices"
        assert publisher in untouched
        config.write_text(config.read_text("utf-8").replace(publisher, "Publisher renamed while serving"), "utf-8")
        for page in ("en/practices/synthetic-00001/", "en/about/"):
            wait_for(page, lambda html: "Publisher renamed while serving" in html and publisher not in html)


@pytest.mark.browser
def test_a_page_load_downloads_no_sitemap(built_site):
    """Material would fetch sitemap.xml beside each alternate link on every page; none goes out."""
    from devtools.browser import launch_chromium, serve_directory

    with serve_directory(built_site) as base, launch_chromium() as browser:
        tab = browser.new_page()
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        for url in ("practices/onpar-border-access/", "en/catalog/", ""):
            tab.goto(f"{base}/{url}", wait_until="networkidle")
        assert requested, "the page loads were not observed"
        assert not [url for url in requested if url.endswith("sitemap.xml")]
        assert all(url.startswith(base) or url.startswith("data:") for url in requested), requested


def test_pages_go_out_without_indentation_but_code_keeps_it():
    from catalog.present.render import compact_html

    html = "<div>\n    <p>a\n      b</p>\n\n  <pre><code>def f():\n    return 1\n</code></pre>\n  <textarea>\n  x</textarea>\n  end"
    assert compact_html(html) == "<div>\n<p>a\nb</p>\n<pre><code>def f():\n    return 1\n</code></pre>\n<textarea>\n  x</textarea>\nend"


def test_built_pages_are_compacted_but_code_blocks_are_not(built_site):
    """The contribute page's command examples keep their lines; nothing else keeps indentation."""
    html = page(built_site, "contribute")
    blocks = re.findall(r"<pre.*?</pre>", html, re.S)
    source = (REPO / "docs/contribute.md").read_text(encoding="utf-8")
    fence = re.search(r"```sh\n(.*?)```", source, re.S).group(1)
    assert blocks and all(line.split("#")[0].strip() in blocks[0] for line in fence.splitlines())
    assert blocks[0].count("\n") >= fence.count("\n") - 1
    assert not re.search(r"\n[ \t]+<", html.replace("".join(blocks), ""))


ENGLISH_ACRONYMS = re.compile(r"\b(UNHCR|IOM|OAS)\b")


def test_no_spanish_page_shows_an_english_acronym_in_an_entity_name(built_site):
    spanish = LanguageView("es")
    for practice in load_practices(PRACTICES):
        html = page(built_site, f"practices/{practice.id}")
        assert not re.search(r"\((UNHCR|IOM|OAS)\)", html), practice.id
        for entity in (practice.lead_entity, *practice.partners):
            shown = spanish.entity(entity, practice.original_language)
            assert not ENGLISH_ACRONYMS.search(shown), (practice.id, shown)
            assert str(escape(shown)) in html, (practice.id, shown)


def test_spanish_and_english_pages_use_their_own_acronyms(built_site):
    onpar = page(built_site, "practices/onpar-office-modernization")
    assert "(ACNUR)" in onpar and "(ACNUR)" not in page(built_site, "en/practices/onpar-office-modernization")
    assert "(UNHCR)" in page(built_site, "en/practices/onpar-office-modernization")


@pytest.mark.parametrize("record", PRACTICE_RECORDS, ids=lambda p: p.stem)
def test_every_practice_page_says_how_the_record_was_made(built_site, record):
    data = raw_record(record)
    vocabulary = yaml.safe_load((REPO / "catalog" / "data" / "vocabularies.yml").read_text(encoding="utf-8"))
    for language, prefix in (("es", ""), ("en", "en/")):
        html = page(built_site, f"{prefix}practices/{data['id']}")
        label = vocabulary["provenance"][data["provenance"]["method"]][language]
        assert f"<dd>{str(escape(label))}" in html


UNCONFIRMED = [path for path in PRACTICE_RECORDS if raw_record(path)["status"] == "unknown"]


@pytest.mark.parametrize("record", UNCONFIRMED, ids=lambda p: p.stem)
def test_an_unconfirmed_practice_says_so_in_the_first_lines_of_its_page(built_site, record):
    """A practice whose current status no source confirms says so right under its title, in both
    languages, before the summary: a reader must not take it for a practice that is going on."""
    data = raw_record(record)
    vocabulary = yaml.safe_load((REPO / "catalog" / "data" / "vocabularies.yml").read_text(encoding="utf-8"))
    for language, prefix in (("es", ""), ("en", "en/")):
        html = page(built_site, f"{prefix}practices/{data['id']}")
        first = re.search(r'<h1 id="practice-title"[^>]*>.*?</h1>\s*<p class="catalog-practice__meta"[^>]*>(.*?)</p>', html, re.S)
        assert first, (language, "no line under the title")
        label = str(escape(vocabulary["statuses"]["unknown"][language]))
        assert f">{label}</span>" in first.group(1), (language, first.group(1))
        assert html.index(label) < html.index('class="catalog-practice__summary"')


def test_some_practices_are_unconfirmed():
    """The test above has records to check (the catalog holds practices whose status is unknown)."""
    assert len(UNCONFIRMED) >= 5


def test_generated_markdown_holds_no_body_and_pages_get_it_after_conversion(built_site):
    """MkDocs reads a tiny Markdown file per generated page (front matter and the body marker) and the
    plugin puts the pre-rendered body in after conversion: MkDocs never parses our HTML again, yet the
    published page has the whole body, once, and no marker."""
    stub = (REPO / "docs" / "practices" / "onpar-border-access.en.md").read_text("utf-8")
    front, _, rest = stub.removeprefix("---\n").partition("\n---\n")
    assert "title: ONPAR presence in border areas" in front
    assert rest.strip() == "<!-- catalog:body -->"
    for page in ("practices/onpar-border-access/index.html", "en/practices/onpar-border-access/index.html",
                 "countries/pan/index.html", "en/catalog/index.html"):
        html = (built_site / page).read_text("utf-8")
        assert "catalog:body" not in html, page
        assert html.count('<div class="catalog-page">') == 1, page
    html = (built_site / "en/practices/onpar-border-access/index.html").read_text("utf-8")
    assert html.count('id="practice-title"') == 1
    assert "Darién" in html and "<table" in html
