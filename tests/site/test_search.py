"""Search (Pagefind, catalog/build/search.py and docs/assets/search.js): the index of each language, what
is in it and what is not, its stability across builds, and, in headless Chromium, the header box and
the catalog's search with filters whose state lives in the URL. Expected results come from the
records themselves (catalog.records.model), never from the search code under test."""

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

from catalog.build import search
from catalog.build.pages import PAGE_SIZE
from catalog.present.views import LanguageView
from catalog.records.model import load_practices
from devtools.browser import tab_to
from tests.helpers import PRACTICES, REPO

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
            assert pages[url]["filters"] == {"kind": ["page"]}, url  # the catalog's search leaves them out


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
                if facet not in ("year", "kind"):  # kind: the catalog's own filter, not a reader's choice
                    assert {(facet, value) for value in values} <= options, (language, page["url"], facet)


def test_the_search_form_is_on_the_catalog_page_only(built_site):
    """Hidden without JavaScript: see test_without_javascript_a_filtered_link_shows_the_static_list_and_a_notice."""
    for prefix in PREFIX.values():
        section = catalog_form(built_site, f"{prefix}catalog").search_section
        assert section is not None
        for other in ("countries/pan", "themes/access-to-procedure", ONPAR, ""):
            assert catalog_form(built_site, prefix + other).search_section is None


def test_practice_pages_carry_sort_keys_whose_orders_are_files_of_their_own(built_site, records):
    pages = {page["url"]: page for page in fragments(built_site)}
    html = (built_site / ONPAR / "index.html").read_text("utf-8")
    assert 'data-pagefind-sort="added:' in html and 'data-pagefind-sort="start"' in html
    assert 'data-pagefind-sort="title:presencia de la onpar en zonas fronterizas para "' in html  # the key's first 48
    assert 'data-pagefind-sort="country:panama presencia de la onpar en zonas f"' in html  # Panamá, without its accent
    by_url = {f"/{PREFIX[language]}practices/{p.id}/": p for language in PREFIX for p in records}
    for language in PREFIX:
        ids = {page_id: url for url, page in pages.items() for page_id in [page_id_of(built_site, url)] if page_id}
        start = json.loads((built_site / f"pagefind/sort/{language}_start.json").read_text("utf-8"))
        years = [by_url[ids[page_id]].period.start_year for page_id in start]
        assert len(years) == len(records) and years == sorted(years)
    for meta in (built_site / "pagefind").glob("pagefind.*.pf_meta"):
        assert not any(isinstance(part, list) and part and part[0][0] == "added" for part in search.read_pagefind(meta))


def test_pages_have_short_ids_in_the_metadata_and_their_fragments_match(built_site):
    """search.short_page_ids: <language>_<build>_<hex number> in Pagefind's page order; every
    listed page has its fragment file, and no fragment is left under an old name."""
    listed = set()
    for meta in (built_site / "pagefind").glob("pagefind.*.pf_meta"):
        language = meta.name.removeprefix("pagefind.").split("_", 1)[0]
        pages = next(part for part in search.read_pagefind(meta) if search.is_pairs(part, str, int))
        builds = {name.split("_")[1] for name, _ in pages}
        assert len(builds) == 1 and re.fullmatch(r"[0-9a-f]{4}", builds.pop())
        assert [name.rsplit("_", 1)[1] for name, _ in pages] == [f"{n:x}" for n in range(len(pages))]
        assert all(name.startswith(f"{language}_") for name, _ in pages)
        listed |= {name for name, _ in pages}
    assert {path.stem for path in (built_site / "pagefind/fragment").glob("*.pf_fragment")} == listed


def test_the_search_scripts_are_served_without_their_comment_lines(built_site):
    for script in search.SCRIPTS:
        source = (REPO / "docs" / script).read_text("utf-8")
        served = (built_site / script).read_text("utf-8")
        assert not [line for line in served.splitlines() if line.strip().startswith(("//", "/*"))], script
        rest = iter(source.splitlines())
        assert all(line in rest for line in served.splitlines()), script  # source lines, in their order
        assert len(served) < 0.8 * len(source), script
    # Every code line is kept: the interface works from the served copy (the browser tests below).


def test_stripping_comment_lines_keeps_every_code_line():
    script = "a();\n// c\n  /** x\n   y */\nb(); // kept\n/* one */\n/* x */ c();\nconst u = '//x';\n"
    assert search.strip_comment_lines(script) == "a();\nb(); // kept\n/* x */ c();\nconst u = '//x';\n"
    with pytest.raises(ValueError, match="line 2"):
        search.strip_comment_lines("/* a\n b */ c();\n")


def page_id_of(site: Path, url: str) -> str | None:
    """Pagefind's id of a page (its fragment's name), which the sort files list."""
    for path in (site / "pagefind/fragment").glob("*.pf_fragment"):
        if json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])["url"] == url:
            return path.stem
    return None


@pytest.mark.parametrize(("language", "words"), [
    ("es", ["Oso", "ñandú", "Nube", "Ñu", "nada", "Perú", "peru", "Óleo", "Norte"]),
    ("en", ["Oso", "ñandú", "Nube", "Ñu", "nada", "Perú", "peru", "Óleo", "Norte"]),
])
def test_sort_keys_follow_each_language_alphabet(language, words):
    """Case and accents do not count; in Spanish ñ is a letter after n, in English an n."""
    view = LanguageView(language)
    ordered = sorted(words, key=view.sort_key)
    expected = {
        "es": ["nada", "Norte", "Nube", "ñandú", "Ñu", "Óleo", "Oso", "Perú", "peru"],
        "en": ["nada", "ñandú", "Norte", "Ñu", "Nube", "Óleo", "Oso", "Perú", "peru"],
    }[language]
    assert ordered == expected
    assert view.sort_key("Perú: ¡la frontera, hoy!") == "peru la frontera hoy"


def test_the_search_strings_exist_in_both_languages(built_site):
    files = sorted((built_site / "assets").glob("search-strings.*.json"))  # one per language, no other
    strings = {path.name.split(".")[1]: json.loads(path.read_text("utf-8")) for path in files}
    assert [path.relative_to(built_site).as_posix() for path in files] == [
        search.STRINGS_FILE.format(language=language) for language in ("en", "es")]
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
    encoded = search.cbor_encode(value)
    assert search.cbor_decode(encoded, 0) == (value, len(encoded))


def test_hand_written_pages_are_told_apart_from_generated_ones():
    for path in ("index.html", "about/index.html", "en/index.html", "en/open-data/index.html"):
        assert search.is_hand_written(Path(path)), path
    for path in ("practices/x/index.html", "en/catalog/page-2/index.html", "countries/pan/index.html", "pagefind/x.html"):
        assert not search.is_hand_written(Path(path)), path


def test_each_language_run_reads_its_own_practice_and_hand_written_pages_only(tmp_path):
    """Pagefind runs once per language (the default one while the next builds): each run's glob names
    that language's practice pages and hand-written pages, never its listings or another language."""
    pages = ["index.html", "404.html", "about/index.html", "practices/a/index.html", "catalog/index.html",
             "countries/pan/index.html", "themes/t/index.html", "mechanisms/m/index.html", "assets/x.html",
             "pagefind/x.html", "feed.xsl", "en/index.html", "en/practices/a/index.html", "en/catalog/index.html",
             "en/open-data/index.html"]
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<html></html>")
    assert search.indexed_glob(tmp_path, "es") == "{404.html,about/**/*.html,index.html,practices/**/*.html}"
    assert search.indexed_glob(tmp_path, "en") == "en/{index.html,open-data/**/*.html,practices/**/*.html}"


# --- in the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(built_site):
    from devtools.browser import launch_chromium, serve_directory

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
        url: new URL(li.querySelector('a').href).pathname, title: li.querySelector('a').textContent,
        meta: li.querySelector('.catalog-card__meta')?.textContent || '',
        themes: li.querySelector('.catalog-card__themes')?.textContent || '',
        marks: [...li.querySelectorAll('.catalog-card__summary mark')].map(m => m.textContent)}))""")
    # "12 resultados" / "1 result", grouped as the language writes numbers (2.000 / 2,000)
    number = re.search(r"(\d[\d.,\u00a0\u202f]*) (?:resultados?|results?)\b", status)
    return (int(re.sub(r"\D", "", number.group(1))) if number else 0), cards


def header_results(tab, words: str) -> list[str]:
    """Type words in the header box; the paths of its results once they are in."""
    tab.locator(".md-search__input").fill(words)
    tab.wait_for_function("""(words) => { const list = document.querySelector('#catalog-search-hits');
        return list.getAttribute('aria-busy') === 'false' && list.dataset.searched === words; }""", arg=words)
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
    assert figures["typing_ms"]["words"] == 10 and 0 < figures["typing_ms"]["median"] <= figures["typing_ms"]["worst"]


# --- issue 14: real results only, sorting, phones, without JavaScript, no layout shift -----------

def strings(language: str) -> dict[str, str]:
    from catalog.core.i18n import ui_strings

    return ui_strings(language)


def catalog_url(tab, language: str, query: str = "") -> str:
    return f"{tab.base}/{PREFIX[language]}catalog/{query}"


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "inexistentexyz"), ("es", "asdfgh"), ("en", "asdfgh"), ("en", "inexistentxyz")])
def test_a_word_in_no_practice_gives_no_result_and_says_no_practice_matches(tab, built_site, language, word):
    assert not any(word in p.read_text("utf-8") for p in built_site.rglob("index.html"))
    tab.goto(catalog_url(tab, language))
    search_catalog(tab, word)
    assert catalog_results(tab) == (0, [])
    assert tab.locator("[data-catalog-status]").inner_text() == strings(language)["search_none"]
    assert tab.locator("[data-catalog-static]").is_hidden()  # not the full list either
    assert header_results(tab, word) == []
    assert tab.locator("#catalog-search-meta").inner_text() == strings(language)["search_count_none"]


@pytest.mark.browser
@pytest.mark.parametrize(("language", "start", "word"), [("es", "fronte", "frontera"), ("en", "bord", "border")])
def test_the_start_of_a_word_finds_the_word(tab, language, start, word):
    tab.goto(catalog_url(tab, language))
    search_catalog(tab, start)
    catalog_results(tab)
    show_all(tab)  # more results than one screen lists
    count, cards = catalog_results(tab)
    onpar = [card for card in cards if card["url"] == f"/{PREFIX[language]}{ONPAR}"]
    assert count == len(cards) > 0 and onpar
    assert onpar[0]["marks"] and all(mark.lower().startswith(start) for mark in onpar[0]["marks"]), onpar[0]["marks"]
    search_catalog(tab, word)
    assert {card["url"] for card in catalog_results(tab)[1]} <= {card["url"] for card in cards}  # all of the word's pages


@pytest.mark.browser
def test_the_rule_against_unknown_words_on_the_hand_written_queries(built_site):
    """scripts/search_rule.py on the 78 queries of tests/data/search_queries.yml: every query that
    should find a practice finds one, and of those that should not, only «spaceship» does (it
    matches "space", which covers more than half of it: a known false positive of the rule)."""
    result = subprocess.run([sys.executable, str(REPO / "scripts/search_rule.py"), str(built_site), "--json"],
                            capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(result.stdout)
    after = figures["summary"]["after"]
    assert figures["summary"]["queries"]["found"] >= 40 and figures["summary"]["queries"]["none"] >= 20
    assert after["false_negatives"] == []
    assert after["false_positives"] == ["spaceship"]
    # Pagefind alone falls back to a prefix: the rule is what removes these.
    assert {"inexistentexyz", "asdfgh", "conxyz"} <= set(figures["summary"]["before"]["false_positives"])


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word", "common"), [("es", "catálogo", "refugio"), ("en", "catalog", "refugee")])
def test_the_catalog_lists_practices_only_and_the_header_says_what_each_result_is(tab, records, language, word, common):
    tab.goto(catalog_url(tab, language))
    header = header_results(tab, word)
    practices = practice_urls(records, language)
    pages = [url for url in header if url not in practices and "catalog/?" not in url]
    assert pages, "the word must also be on a page that is not a practice"
    kinds = tab.evaluate("""() => [...document.querySelectorAll('#catalog-search-hits .catalog-hit__kind')].map(k => [
        new URL(k.closest('a').href).pathname, k.textContent])""")
    t = strings(language)
    assert kinds and all(kind == (t["search_kind_practice"] if url in practices else t["search_kind_page"]) for url, kind in kinds)
    # A word on practices and on hand-written pages: the header counts both, the catalog practices only.
    header_results(tab, common)
    in_header = int(re.sub(r"\D", "", tab.locator("#catalog-search-meta").inner_text()))
    search_catalog(tab, common)
    count, _ = catalog_results(tab)
    show_all(tab)
    cards = catalog_results(tab)[1]
    assert {card["url"] for card in cards} <= practices and 0 < count == len(cards) < in_header


def show_all(tab) -> None:
    while tab.locator("[data-catalog-more]").is_visible():
        before = tab.locator("[data-catalog-list] > li").count()
        tab.locator("[data-catalog-more] button").click()
        tab.wait_for_function("(n) => document.querySelectorAll('[data-catalog-list] > li').length > n", arg=before)


@pytest.mark.browser
def test_pagefind_files_reach_the_engine_inflated_by_the_browser(tab, built_site):
    """search-engine.js answers Pagefind's requests through the browser's DecompressionStream, so
    that Pagefind does not inflate them in JavaScript (it skips files that start with its
    signature); other files pass untouched. The engine runs in its worker: that is where it fetches."""
    fragment = next((built_site / "pagefind/fragment").glob("*.pf_fragment")).name
    assert (built_site / "pagefind/fragment" / fragment).read_bytes()[:2] == b"\x1f\x8b"  # stored gzipped
    tab.goto(catalog_url(tab, "es", "?q=frontera"))
    catalog_results(tab)
    starts = engine_worker(tab).evaluate("""async (name) => {
        const head = async (url) => new TextDecoder().decode((await (await fetch(url)).arrayBuffer()).slice(0, 12));
        return [await head(`/pagefind/fragment/${name}`), await head('/pagefind/pagefind-entry.json')]; }""", fragment)
    assert starts[0] == "pagefind_dcd" and starts[1].startswith("{")


def engine_worker(tab):
    """The search engine's web worker (search-engine.js), started by search.js on first use."""
    return next(worker for worker in tab.workers if worker.url.endswith("/assets/search-engine.js"))


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_pagefind_searches_in_a_worker_and_never_on_the_main_thread(tab, records, language):
    """The engine (Pagefind's script, its WebAssembly and index) is fetched and run by the worker
    only: the page's own thread fetches none of it, and the results are the language's own."""
    tab.goto(catalog_url(tab, language, "?q=Darién"))
    count, cards = catalog_results(tab)
    assert count > 0 and all(card["url"].startswith(f"/{PREFIX[language]}practices/") for card in cards)
    fetched_here = tab.evaluate("() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)")
    fetched_there = engine_worker(tab).evaluate("() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)")
    assert not [path for path in fetched_here if path.startswith("/pagefind/")]
    assert "/pagefind/pagefind.js" in fetched_there and f"/pagefind/wasm.{language}.pagefind" in fetched_there
    assert [path for path in fetched_there if path.startswith(f"/pagefind/fragment/{language}_")]


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "Darién"), ("en", "border")])
def test_a_search_the_reader_has_typed_past_fetches_no_result_data(tab, language, word):
    """The engine drops a search when the reader types on before it ends (search-ui.js tells the
    worker at each keystroke): it answers nothing and fetches none of its results' fragments;
    the next search answers as usual."""
    tab.goto(catalog_url(tab, language))
    with tab.expect_worker(lambda worker: worker.url.endswith("/assets/search-engine.js")) as started:
        tab.locator("#catalog-search-q").focus()  # starts the engine, no search yet
    answers = started.value.evaluate("""async (word) => {
        const engine = await import('/assets/search-engine.js');
        await engine.answer('load');
        const fragments = () => performance.getEntriesByType('resource').filter((r) => r.name.includes('/fragment/')).length;
        const before = fragments();
        const dropped = engine.answer('search', { channel: 'test', term: word, filters: {}, practices: true, shown: 10 });
        engine.answer('typing', { channel: 'test' });
        const first = await dropped;
        await new Promise((resolve) => setTimeout(resolve, 500));
        const fetched = fragments() - before;
        const next = await engine.answer('search', { channel: 'test', term: word, filters: {}, practices: true, shown: 10 });
        return { first, fetched, next: next.ids.length, cards: next.pages.length, after: fragments() - before }; }""", word)
    assert answers["first"] is None and answers["fetched"] == 0
    assert answers["next"] > 0 and answers["cards"] == min(answers["next"], 10) and answers["after"] > 0


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "Darién"), ("en", "border")])
def test_without_web_workers_the_engine_runs_on_the_main_thread(tab, records, language, word):
    """A browser that cannot start the engine's worker gets the same results from the same module
    run on the page's thread, in the page's language, header box and catalog alike."""
    tab.add_init_script("delete window.Worker")
    tab.goto(catalog_url(tab, language))
    in_header = header_results(tab, word)
    search_catalog(tab, word)
    catalog_results(tab)
    show_all(tab)  # more results than one screen lists
    count, cards = catalog_results(tab)
    assert count == len(cards) > 0 and {card["url"] for card in cards} & set(in_header)
    assert all(card["url"].startswith(f"/{PREFIX[language]}practices/") for card in cards)
    assert not tab.workers
    here = tab.evaluate("() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)")
    assert f"/pagefind/wasm.{language}.pagefind" in here


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "IA"), ("en", "AI")])
def test_a_two_letter_word_is_searched_once_the_reader_pauses(tab, records, language, word):
    """Words of one or two letters wait longer before a search (search-ui.js, SHORT_WORD_PAUSE),
    and are searched all the same: "IA" / "AI" is in the label of a theme."""
    tab.goto(catalog_url(tab, language))
    search_catalog(tab, word)
    catalog_results(tab)
    show_all(tab)
    count, cards = catalog_results(tab)
    themed = practice_urls(records, language, lambda p: "digitalization-technology" in p.themes)
    assert themed and themed <= {card["url"] for card in cards} and count == len(cards)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_show_more_appears_only_when_there_are_more(tab, records, language):
    tab.goto(catalog_url(tab, language, "?q=Darién"))
    count, cards = catalog_results(tab)
    assert 0 < count == len(cards) <= 10
    assert tab.locator("[data-catalog-more]").is_hidden()
    tab.goto(catalog_url(tab, language, "?sort=title"))
    count, cards = catalog_results(tab)
    assert count == len(records) > len(cards) == 10
    assert tab.locator("[data-catalog-more] button").is_visible()
    tab.locator("[data-catalog-more] button").click()
    tab.wait_for_function("(n) => document.querySelectorAll('[data-catalog-list] > li').length === n", arg=min(20, len(records)))
    assert tab.evaluate("() => document.activeElement.closest('[data-catalog-list] > li:nth-child(11)') !== null")
    show_all(tab)
    assert tab.locator("[data-catalog-more]").is_hidden() and tab.locator("[data-catalog-list] > li").count() == len(records)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_an_inverted_year_range_is_corrected_and_explained(tab, records, language):
    tab.goto(catalog_url(tab, language))
    tab.locator("input[name=from]").fill("2022")
    tab.locator("input[name=to]").fill("2019")
    tab.locator("input[name=to]").press("Enter")
    tab.wait_for_url(re.compile(r"from=2019&to=2022"))
    count, cards = catalog_results(tab)
    assert tab.locator("input[name=from]").input_value() == "2019" and tab.locator("input[name=to]").input_value() == "2022"
    note = strings(language)["search_years_swapped"].replace("{from}", "2019").replace("{to}", "2022")
    assert tab.locator("[data-catalog-status]").inner_text().startswith(note)
    show_all(tab)
    expected = practice_urls(records, language, lambda p: 2019 <= p.period.start_year <= 2022)
    assert {card["url"] for card in catalog_results(tab)[1]} == expected and count == len(expected)


def sorted_cards(tab, language: str, sort: str) -> list[dict]:
    tab.goto(catalog_url(tab, language, f"?sort={sort}"))
    catalog_results(tab)
    show_all(tab)
    assert tab.locator("[data-catalog-sort]").input_value() == sort
    return catalog_results(tab)[1]


def in_collation_order(tab, language: str, keys: list) -> bool:
    """The browser's own collation for the language (ICU), not the site's sort keys, over keys of
    several parts (a shorter key that the longer starts with comes first). Titles are compared word
    by word, as the site sorts ("A ten-year…" before "Amnesty…"): ICU ignoring punctuation would
    also ignore the spaces."""
    return tab.evaluate("""([language, keys]) => {
        const collator = new Intl.Collator(language, {sensitivity: 'base', ignorePunctuation: true});
        const compare = (a, b) => {
            for (let i = 0; i < Math.min(a.length, b.length); i++) { const c = collator.compare(a[i], b[i]); if (c) return c; }
            return a.length - b.length; };
        return keys.every((key, i) => i === 0 || compare(keys[i - 1], key) <= 0); }""", [language, keys])


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_each_sort_orders_the_results_as_it_says(tab, records, language):
    by_url = {f"/{PREFIX[language]}practices/{p.id}/": p for p in records}
    view = LanguageView(language)
    # Newest first is the default without words: the catalog's own list, in that order.
    tab.goto(catalog_url(tab, language, "?sort=newest"))
    tab.wait_for_function("() => document.querySelector('[data-catalog-results]').getAttribute('aria-busy') === 'false'")
    listed = tab.evaluate("() => [...document.querySelectorAll('[data-catalog-static] .catalog-card__title a')].map(a => new URL(a.href).pathname)")
    newest = [(by_url[url].submitted, by_url[url].id) for url in listed]
    assert len(newest) == len(records) and newest == sorted(newest, reverse=True)
    tab.goto(catalog_url(tab, language, "?q=refug&sort=newest"))  # with words, as asked (same day: any order)
    catalog_results(tab)
    show_all(tab)
    newest = [by_url[card["url"]].submitted for card in catalog_results(tab)[1]]
    assert newest and newest == sorted(newest, reverse=True)
    years = [by_url[card["url"]].period.start_year for card in sorted_cards(tab, language, "start")]
    assert years == sorted(years)
    titles = [card["title"] for card in sorted_cards(tab, language, "title")]
    assert len(titles) == len(records) and in_collation_order(tab, language, [title.split() for title in titles])
    countries = [[view.country(by_url[card["url"]].country), card["title"]] for card in sorted_cards(tab, language, "country")]
    assert in_collation_order(tab, language, countries)
    # Without words the default is newest first and relevance cannot be chosen; with words, relevance.
    tab.goto(catalog_url(tab, language))
    assert tab.locator("[data-catalog-sort]").input_value() == "newest"
    search_catalog(tab, "refugio" if language == "es" else "refugee")
    catalog_results(tab)
    assert tab.locator("[data-catalog-sort]").input_value() == "relevance"
    assert "sort=" not in tab.url  # the default is not written into the link


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_result_cards_show_title_country_period_status_themes_and_marked_words(tab, records, language):
    tab.goto(catalog_url(tab, language, "?q=Darién"))
    _, cards = catalog_results(tab)
    card = next(card for card in cards if card["url"] == f"/{PREFIX[language]}{ONPAR}")
    onpar = next(p for p in records if p.id == "onpar-border-access")
    view = LanguageView(language)
    assert card["title"] == view.text(onpar.title, onpar.original_language).text
    assert card["meta"] == f"{view.country(onpar.country)} · {view.period(onpar)} · {view.status(onpar.status)}"
    assert all(view.theme(theme) in card["themes"] for theme in onpar.themes)
    assert [mark.lower() for mark in card["marks"]] and all(m.lower().strip(".,;:") == "darién" for m in card["marks"])


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_slash_focuses_the_header_search_unless_typing(tab, language):
    tab.goto(f"{tab.base}/{PREFIX[language]}{ONPAR}")
    tab.keyboard.press("/")
    assert tab.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert tab.locator("#__search").is_checked()
    assert tab.locator(".md-search__input").input_value() == ""  # the slash is not typed in
    assert tab.locator(".md-search__input").get_attribute("aria-keyshortcuts") == "/"
    tab.goto(catalog_url(tab, language))
    tab.locator("#catalog-search-q").focus()
    tab.keyboard.type("a/b")
    assert tab.locator("#catalog-search-q").input_value() == "a/b"


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_on_a_phone_the_results_come_first_and_the_filters_fold_away(served, language):
    base, browser = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.goto(f"{base}/{PREFIX[language]}catalog/?q=refugio")
        catalog_results(tab)
        first = tab.locator("[data-catalog-list] > li").first.bounding_box()
        assert first["y"] + 60 < 844, first  # the first result's title is on the first screen
        assert tab.locator("[data-catalog-filters]").is_hidden()
        toggle = tab.locator("[data-catalog-toggle]")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert tab.locator("[data-catalog-filters]").is_visible() and toggle.get_attribute("aria-expanded") == "true"
        tab.locator("[data-facet=country] summary").click()
        tab.locator("input[name=country][value=pan]").check()
        tab.wait_for_url(re.compile("country=pan"))
        catalog_results(tab)
        assert toggle.inner_text().endswith("(1)")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "en"])
def test_without_javascript_a_filtered_link_shows_the_static_list_and_a_notice(served, records, language):
    base, browser = served
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}/{PREFIX[language]}catalog/?q=Darién&country=pan")
        assert page.locator("[data-catalog-search]").is_hidden()
        notice = page.locator("[data-catalog-nojs]")
        assert notice.is_visible() and strings(language)["nojs_search_title"] in notice.inner_text()
        panama = notice.locator("a[data-country=pan]")
        assert panama.inner_text() == LanguageView(language).country("PAN")
        panama.click()
        page.wait_for_url(re.compile(r"/countries/pan/$"))
        page.go_back()
        assert page.locator("[data-catalog-static] .catalog-card").count() == min(len(records), PAGE_SIZE)
    finally:
        context.close()


LAYOUT_SHIFTS = """window.__shifts = []; new PerformanceObserver((list) => { for (const entry of list.getEntries())
    if (!entry.hadRecentInput) window.__shifts.push(entry.value); }).observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.browser
@pytest.mark.parametrize(("language", "query"), [("es", ""), ("en", ""), ("es", "?q=frontera"), ("en", "?q=border")])
def test_the_catalog_does_not_shift_when_the_search_interface_loads(tab, language, query):
    """The scripts come late (as on a slow phone): the page has painted long before them. The
    browser's layout-shift entries, and the place of the heading and the list, show that nothing moves."""
    import time

    tab.add_init_script(LAYOUT_SHIFTS)
    tab.route(re.compile(r"/assets/search(-ui)?\.js$"), lambda route: (time.sleep(0.6), route.continue_()))
    tab.goto(catalog_url(tab, language, query), wait_until="commit")
    tab.wait_for_selector("[data-catalog-search] h2", state="visible")
    before = tab.locator("#catalog-search-q").bounding_box()
    if query:
        count, _ = catalog_results(tab)
        assert count > 0
    else:
        tab.locator("#catalog-search-q").focus()
        tab.wait_for_function("() => document.querySelector('[data-catalog-status]') && window.__shifts !== undefined")
        tab.wait_for_load_state("networkidle")
    assert tab.locator("#catalog-search-q").bounding_box() == before
    assert sum(tab.evaluate("() => window.__shifts")) < 0.01


# --- what a result shows: the practice's own text (issue 25, item 7) ------------------------------

FACT_LABELS = ("themes", "mechanisms", "last_updated", "provenance", "snapshot_title", "lead_entity", "changes_title",
               "reuse_title")
GLUED_YEARS = re.compile(r"(19|20)\d\d(19|20)\d\d")  # "20222021": two elements' years run together


def test_the_index_holds_no_field_path_print_line_or_table_cells_run_together(built_site):
    for page in fragments(built_site):
        content = page["content"]
        assert not re.search(r"\w\[\]\.", content), f"{page['url']}: a field path is indexed"
        assert "Impreso el" not in content and "Printed on" not in content, page["url"]
        assert not GLUED_YEARS.search(content) and not re.search(r"(Año|Year)[A-Z]", content), page["url"]


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "frontera"), ("en", "border")])
def test_excerpts_are_the_practice_s_own_text_without_facts_or_glued_figures(tab, language, word):
    labels = [strings(language)[key] for key in FACT_LABELS]
    tab.goto(catalog_url(tab, language))
    search_catalog(tab, word)
    count, cards = catalog_results(tab)
    excerpts = tab.eval_on_selector_all("[data-catalog-list] .catalog-card__summary", "ps => ps.map(p => p.textContent)")
    header_results(tab, word)
    excerpts += tab.eval_on_selector_all("#catalog-search-hits article > p:last-child", "ps => ps.map(p => p.textContent)")
    assert count and len(excerpts) > count
    for text in excerpts:
        assert not [label for label in labels if label in text], text
        assert not GLUED_YEARS.search(text), text


@pytest.mark.browser
@pytest.mark.parametrize(("language", "word"), [("es", "ficha"), ("en", "record")])
def test_in_the_header_hand_written_pages_come_after_the_practices(tab, records, language, word):
    tab.goto(catalog_url(tab, language))
    kinds = ["practice" if url in practice_urls(records, language) else "page"
             for url in header_results(tab, word) if "catalog/?" not in url]
    assert "practice" in kinds and kinds == sorted(kinds, key=lambda kind: kind == "page"), kinds
