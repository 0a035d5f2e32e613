"""Search (Pagefind, catalog/search.py and docs/assets/search.js): the index of each language, what
is in it and what is not, its stability across builds, and, in headless Chromium, the header box and
the catalog's search with filters whose state lives in the URL. Expected results come from the
records themselves (catalog.model), never from the search code under test."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from catalog import search
from catalog.model import load_practices
from catalog.site import PAGE_SIZE
from catalog.views import LanguageView
from tests.helpers import PRACTICES, REPO
from tests.helpers.browser import tab_to

pytestmark = pytest.mark.site

PREFIX = {"es": "", "en": "en/"}
LISTING_DIRS = ("catalog", "countries", "themes", "mechanisms")
ONPAR = "practices/onpar-border-access/"


@pytest.fixture(scope="module")
def records():
    return load_practices(PRACTICES)


def fragments(site: Path) -> list[dict]:
    """Every page Pagefind indexed, as stored in its fragment files (url, content, filters, meta)."""
    pages = []
    for path in sorted((site / "pagefind/fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        pages.append(json.loads(data[len(b"pagefind_dcd"):]))
    return pages


def hand_written_urls() -> dict[str, set[str]]:
    """The URL of each page written by hand in docs/ (index.md, about.en.md…), per language."""
    urls: dict[str, set[str]] = {"es": set(), "en": set()}
    for path in (REPO / "docs").glob("*.md"):
        stem, _, language = path.stem.partition(".")
        language = language or "es"
        urls[language].add("/" + PREFIX[language] + ("" if stem == "index" else f"{stem}/"))
    return urls


def practice_urls(records, language: str, keep=lambda practice: True) -> set[str]:
    return {f"/{PREFIX[language]}practices/{p.id}/" for p in records if keep(p)}


# --- the index ---------------------------------------------------------------------------------

def test_the_index_has_a_spanish_and_an_english_language_each_with_its_own_stemmer(built_site, records):
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"es", "en"}
    for language, info in entry["languages"].items():
        assert info["wasm"] == language  # Pagefind's per-language build: Spanish or English stemming
        assert info["page_count"] == len(records) + len(hand_written_urls()[language])


def test_practices_and_hand_written_pages_are_indexed_once_and_listings_not_at_all(built_site, records):
    urls = [page["url"] for page in fragments(built_site)]
    assert len(urls) == len(set(urls)), "a page is indexed twice"
    expected = set()
    for language in PREFIX:
        expected |= practice_urls(records, language) | hand_written_urls()[language]
    assert set(urls) == expected
    listings = [url for url in urls if url.strip("/").removeprefix("en/").split("/")[0] in LISTING_DIRS]
    assert not listings


def test_filters_are_on_practice_pages_only_and_in_the_page_language(built_site, records):
    pages = {page["url"]: page for page in fragments(built_site)}
    for language in PREFIX:
        view = LanguageView(language)
        for practice in records:
            filters = pages[f"/{PREFIX[language]}practices/{practice.id}/"]["filters"]
            assert filters["country"] == [view.country(practice.country)]
            assert filters["status"] == [view.status(practice.status)]
            assert filters["year"] == [str(practice.period.start_year)]
            assert sorted(filters["theme"]) == sorted(view.theme(t) for t in practice.themes)
        for url in hand_written_urls()[language]:
            assert not pages[url]["filters"], url


class _Checkboxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.options: set[tuple[str, str]] = set()
        self.search_section: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and "data-value" in attributes:
            self.options.add((attributes["name"], attributes["data-value"]))
        if tag == "section" and "data-catalog-search" in attributes:
            self.search_section = attributes


def catalog_form(site: Path, url: str) -> _Checkboxes:
    parser = _Checkboxes()
    parser.feed((site / url / "index.html").read_text("utf-8"))
    return parser


def test_every_filter_value_in_the_index_has_a_checkbox_on_the_catalog_page(built_site):
    """The checkboxes carry the localized text Pagefind indexed: a value without a box could never be chosen."""
    for language, prefix in PREFIX.items():
        options = catalog_form(built_site, f"{prefix}catalog").options
        pages = [p for p in fragments(built_site) if p["url"].startswith(f"/{prefix}practices/")]
        for page in pages:
            for facet, values in page["filters"].items():
                if facet != "year":
                    assert {(facet, value) for value in values} <= options, (language, page["url"], facet)


def test_the_search_form_is_on_the_catalog_page_only_and_hidden_without_javascript(built_site):
    for prefix in PREFIX.values():
        section = catalog_form(built_site, f"{prefix}catalog").search_section
        assert section is not None and "hidden" in section
        for other in ("countries/pan", "themes/access-to-procedure", ONPAR, ""):
            assert catalog_form(built_site, prefix + other).search_section is None


def test_the_search_strings_exist_in_both_languages(built_site):
    strings = json.loads((built_site / search.STRINGS_FILE).read_text("utf-8"))
    assert set(strings) == {"es", "en"} and set(strings["es"]) == set(strings["en"])
    assert all(text.strip() for language in strings.values() for text in language.values())
    assert all("{count}" in strings[lang][key] for lang in strings for key in ("search_count_one", "search_count_other"))


def test_the_index_is_byte_identical_when_built_again(built_site, tmp_path):
    """Pagefind alone writes its filter chunks in a random order; search.canonicalize makes two
    builds of the same site identical, and identical to what `mkdocs build` wrote."""
    bundles = []
    for name in ("first", "second"):
        copy = tmp_path / name
        shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
        search.build_index(copy)
        bundles.append(copy / "pagefind")
    assert tree_bytes(bundles[0]) == tree_bytes(bundles[1]) == tree_bytes(built_site / "pagefind")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65_535, 65_536, 2**32, -1, -500, "", "ñandú", b"\x00\xff",
                                   [1, ["a", [2, 3]]], {"k": [1, 2]}, ["x" * 300] * 30])
def test_cbor_round_trip(value):
    encoded = search._cbor_encode(value)
    assert search._cbor_decode(encoded, 0) == (value, len(encoded))


def test_hand_written_pages_are_told_apart_from_generated_ones():
    for path in ("index.html", "about/index.html", "en/index.html", "en/open-data/index.html"):
        assert search.is_hand_written(Path(path)), path
    for path in ("practices/x/index.html", "en/catalog/page-2/index.html", "countries/pan/index.html", "pagefind/x.html"):
        assert not search.is_hand_written(Path(path)), path


# --- in the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(built_site):
    from tests.helpers.browser import launch_chromium, serve_directory

    with serve_directory(built_site) as base, launch_chromium() as browser:
        yield base, browser


@pytest.fixture
def tab(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.base = base
    yield page
    context.close()


def catalog_results(tab) -> tuple[int, list[dict]]:
    """Wait for the catalog's search to settle; the announced count and each result card."""
    tab.wait_for_function("""() => { const r = document.querySelector('[data-catalog-results]');
        return r.getAttribute('aria-busy') === 'false' && document.querySelector('[data-catalog-status]').textContent; }""")
    status = tab.locator("[data-catalog-status]").inner_text()
    cards = tab.evaluate("""() => [...document.querySelectorAll('[data-catalog-list] > li')].map(li => ({
        url: new URL(li.querySelector('a').href).pathname, meta: li.querySelector('.catalog-card__meta')?.textContent || ''}))""")
    number = re.search(r"\d[\d.,\u00a0\u202f]*", status)  # 2.000 / 2,000: grouped as the language writes it
    return (int(re.sub(r"\D", "", number.group())) if number else 0), cards


def header_results(tab, words: str) -> list[str]:
    tab.locator(".md-search__input").fill(words)
    tab.wait_for_function("""() => document.querySelector('#catalog-search-hits').getAttribute('aria-busy') === 'false'
        && /\\d/.test(document.querySelector('#catalog-search-meta').textContent)""")
    return tab.evaluate("() => [...document.querySelectorAll('#catalog-search-hits a')].map(a => new URL(a.href).pathname)")


def search_catalog(tab, words: str) -> None:
    tab.locator("#catalog-search-q").fill(words)
    tab.wait_for_url(re.compile(r"[?&]q="))


def check_option(tab, facet: str, code: str) -> None:
    tab.locator(f"[data-facet={facet}] summary").click()
    before = tab.url
    tab.locator(f"input[name={facet}][value={code}]").check()
    tab.wait_for_url(lambda url: url != before)


@pytest.mark.browser
def test_spanish_search_for_darien_finds_the_onpar_practice_in_the_header_and_the_catalog(tab):
    tab.goto(f"{tab.base}/")
    assert f"/{ONPAR}" in header_results(tab, "Darién")
    tab.goto(f"{tab.base}/catalog/")
    search_catalog(tab, "Darién")
    count, cards = catalog_results(tab)
    assert f"/{ONPAR}" in [card["url"] for card in cards]
    assert count == len(cards)  # the live region announces what is listed (fewer than one batch)
    assert tab.locator("[data-catalog-static]").is_hidden()


@pytest.mark.browser
def test_english_search_for_border_finds_the_onpar_practice(tab):
    tab.goto(f"{tab.base}/en/practices/onpar-border-access/")
    assert f"/en/{ONPAR}" in header_results(tab, "border")
    tab.goto(f"{tab.base}/en/catalog/")
    search_catalog(tab, "border")
    assert f"/en/{ONPAR}" in [card["url"] for card in catalog_results(tab)[1]]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_filtering_by_panama_shows_exactly_the_panamanian_practices(tab, records, language):
    tab.goto(f"{tab.base}/{PREFIX[language]}catalog/")
    check_option(tab, "country", "pan")
    count, cards = catalog_results(tab)
    panama = LanguageView(language).country("PAN")
    assert cards and all(card["meta"].startswith(f"{panama} · ") for card in cards), cards
    expected = practice_urls(records, language, lambda p: p.country == "PAN")
    assert {card["url"] for card in cards} == expected and count == len(expected)


@pytest.mark.browser
def test_start_year_range_combines_with_a_country(tab, records):
    tab.goto(f"{tab.base}/catalog/")
    tab.locator("input[name=from]").fill("2020")
    tab.locator("input[name=to]").fill("2021")
    tab.locator("input[name=to]").press("Enter")
    check_option(tab, "country", "cri")
    _, cards = catalog_results(tab)
    expected = practice_urls(records, "es", lambda p: 2020 <= p.period.start_year <= 2021 and p.country == "CRI")
    assert {card["url"] for card in cards} == expected


@pytest.mark.browser
def test_a_shared_url_restores_the_words_the_filters_and_the_results(tab, served):
    tab.goto(f"{tab.base}/catalog/")
    check_option(tab, "country", "pan")
    search_catalog(tab, "oficina")
    count, cards = catalog_results(tab)
    shared = tab.url
    assert "country=pan" in shared and cards

    _, browser = served
    reader = browser.new_context().new_page()
    try:
        reader.goto(shared)
        assert catalog_results(reader) == (count, cards)
        assert reader.url == shared  # restoring a search leaves the shared address as it was
        assert reader.locator("#catalog-search-q").input_value() == "oficina"
        assert reader.locator("input[name=country][value=pan]").is_checked()
        assert reader.locator("[data-facet=country]").get_attribute("open") is not None
        assert reader.locator("input[name=country]:checked").count() == 1
    finally:
        reader.context.close()


@pytest.mark.browser
def test_the_back_button_returns_to_the_previous_filters(tab, records):
    tab.goto(f"{tab.base}/catalog/")
    check_option(tab, "country", "pan")
    only_panama = catalog_results(tab)[1]
    tab.locator("input[name=country][value=cri]").check()
    tab.wait_for_url(re.compile("country=cri"))
    assert len(catalog_results(tab)[1]) > len(only_panama)
    tab.go_back()
    tab.wait_for_url(re.compile(r"country=pan$"))
    assert catalog_results(tab)[1] == only_panama
    assert not tab.locator("input[name=country][value=cri]").is_checked()
    tab.go_back()
    tab.wait_for_url(f"{tab.base}/catalog/")
    tab.wait_for_function("() => !document.querySelector('[data-catalog-static]').hidden")
    assert not tab.locator("input[name=country][value=pan]").is_checked()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "inflected", "indexed"), [
    ("es", "documentaciones", "documentación"),  # Spanish stemmer: both are "document"
    ("en", "documenting", "documentation"),  # English stemmer: both are "document"
])
def test_each_language_is_stemmed_in_its_own_language(tab, built_site, language, inflected, indexed):
    pages = built_site.rglob("index.html")
    assert not any(inflected in p.read_text("utf-8") for p in pages), "the word must be found only through stemming"
    tab.goto(f"{tab.base}/{PREFIX[language]}catalog/")
    counts = tab.evaluate("""async (words) => {
        const pagefind = await import('/pagefind/pagefind.js');
        await pagefind.options({noWorker: true});
        const found = [];
        for (const word of words) found.push((await pagefind.search(word)).results.length);
        return found; }""", [inflected, indexed])
    assert counts[0] == counts[1] > 0


@pytest.mark.browser
def test_nothing_of_the_search_loads_until_a_reader_uses_it(tab):
    fetched = []
    tab.on("request", lambda request: fetched.append(request.url))
    tab.goto(f"{tab.base}/{ONPAR}", wait_until="networkidle")
    tab.goto(f"{tab.base}/catalog/", wait_until="networkidle")
    assert any(url.endswith("/assets/search.js") for url in fetched)  # the small loader only
    assert not [url for url in fetched if re.search(r"/pagefind/|search-strings|search-ui", url)]
    with tab.expect_request(re.compile(r"/pagefind/pagefind\.js$")):
        tab.locator("#catalog-search-q").focus()


@pytest.mark.browser
def test_by_keyboard_the_count_is_announced_and_results_are_reached_with_arrows(tab):
    tab.goto(f"{tab.base}/catalog/")
    tab_to(tab, "e.id === 'catalog-search-q'", 80, "the catalog's search field")
    tab.keyboard.type("Darién")
    count, _ = catalog_results(tab)
    live = tab.locator("[data-catalog-status]")
    assert live.get_attribute("role") == "status" and count > 0

    tab.locator(".md-search__input").focus()
    assert tab.locator("#__search").is_checked()  # the header box opens
    header_results(tab, "Darién")
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("() => document.activeElement.closest('#catalog-search-hits') !== null")
    tab.keyboard.press("Escape")
    assert tab.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert not tab.locator("#__search").is_checked()


@pytest.mark.browser
def test_without_javascript_the_static_catalog_lists_every_practice(served, records):
    base, browser = served
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}/catalog/")
        assert page.locator("[data-catalog-search]").is_hidden()
        assert page.locator(".md-search").is_hidden()
        listed = page.locator("[data-catalog-static] .catalog-card").count()
        assert listed == min(len(records), PAGE_SIZE)
    finally:
        context.close()


@pytest.mark.browser
def test_the_benchmark_runs_and_reports_the_weight_of_a_first_search():
    result = subprocess.run([sys.executable, str(REPO / "scripts/bench_search.py"), "30", "--json"],
                            capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(result.stdout)
    hand_written = hand_written_urls()
    assert figures["practices"] == 30
    assert figures["pages_indexed"] == {language: 30 + len(hand_written[language]) for language in PREFIX}
    assert figures["lunr_index_bytes"] > 0
    for first in figures["first_searches"]:
        assert first["bytes"] > first["by_kind"]["wasm"] > 0 and first["by_kind"]["fragments"] > 0, first
        assert first["bytes_gzip"] < first["bytes"]  # pagefind.js goes compressed
