"""The maps in headless Chromium: what they link to, how they read with a keyboard and a screen
reader (axe, every impact), what they weigh, and that they fetch nothing from elsewhere."""

from __future__ import annotations

import gzip
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest

from catalog.core.i18n import ui
from catalog.core.vocabularies import load_vocabularies
from tests.browser.test_accessibility import axe_violations, details
from tests.helpers import PRACTICES
from tests.helpers.browser import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.site]

LANGUAGES = {"es": "", "en": "en/"}
WIDTHS = (390, 1280)
MAP_PAGES = {"map": "map/", "home": "", "country": "countries/pan/"}
ONPAR = "practices/onpar-border-access/"


@pytest.fixture(scope="module")
def tabs(browser):
    contexts = {width: browser.new_context(viewport={"width": width, "height": 900}) for width in WIDTHS}
    yield {width: context.new_page() for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", MAP_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_of_any_impact_on_pages_with_a_map(tabs, site_url, language, page, width):
    tab = tabs[width]
    assert tab.goto(site_url + LANGUAGES[language] + MAP_PAGES[page]).status == 200
    assert tab.locator("svg.catalog-map__svg").count() >= 1
    violations = axe_violations(tab)
    assert not violations, details(violations)


def _points(tab) -> list[dict]:
    """Every point of the page's maps: its link, its accessible name, and the links drawn under its centre."""
    return tab.evaluate("""() => {
        const url = link => new URL(link.getAttribute('href'), location.href).href;  // SVG links have no .href string
        return [...document.querySelectorAll('a.catalog-map__point')].map(a => {
            const box = a.querySelector('circle').getBoundingClientRect();
            const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
                .map(e => e.closest('a')).filter(link => link && link !== a).map(url);
            return {href: url(a), name: a.querySelector('title').textContent, under};
        });
    }""")


@pytest.mark.parametrize("language", LANGUAGES)
def test_onpar_shows_as_points_in_darien_and_chiriqui_over_panama(tabs, site_url, language):
    tab = tabs[1280]
    for page in ("map/", "countries/pan/"):
        tab.goto(site_url + LANGUAGES[language] + page)
        onpar = [p for p in _points(tab) if p["href"].endswith("/" + LANGUAGES[language] + ONPAR)]
        places = sorted(p["name"].rsplit("(", 1)[1].rstrip(")") for p in onpar)
        assert places == ["Chiriquí", "Darién"], onpar
        if page == "map/":  # drawn over Panama, which links to its country page
            assert all(any(link.endswith("/countries/pan/") for link in p["under"]) for p in onpar), onpar
    tab.get_by_role("link", name=onpar[0]["name"]).click()
    assert urlsplit(tab.url).path.endswith("/" + LANGUAGES[language] + ONPAR)


def _practices_per_country() -> Counter:
    covered = set(load_vocabularies().countries)
    return Counter(path.parent.name.upper() for path in PRACTICES.glob("*/*.yml") if path.parent.name.upper() in covered)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_country_with_practices_is_one_link_to_its_page_named_with_its_count(tabs, site_url, language):
    tab = tabs[1280]
    vocabularies = load_vocabularies()
    for page in ("map/", ""):
        tab.goto(site_url + LANGUAGES[language] + page)
        links = tab.evaluate("""() => [...document.querySelectorAll('svg.catalog-map__svg a:not(.catalog-map__point)')]
            .map(a => [a.getAttribute('href'), a.querySelector('title').textContent])""")
        targets = Counter(urljoin(tab.url, href) for href, _ in links)
        expected = _practices_per_country()
        assert sorted(targets) == sorted(urljoin(tab.url, f"{site_url}{LANGUAGES[language]}countries/{c.lower()}/")
                                         for c in expected)
        assert set(targets.values()) == {1}  # in one of the two frames only
        for code, count in expected.items():
            key = "count_practices_one" if count == 1 else "count_practices_other"
            name = f"{vocabularies.country_name(code, language)}: {ui(key, language, count=count)}"
            assert tab.get_by_role("link", name=name, exact=True).count() == 1, name


def test_keyboard_focus_on_a_map_link_is_visible(tabs, site_url):
    tab = tabs[390]
    tab.goto(site_url + "map/")
    tab_to(tab, "e.closest('svg') !== null && e.tagName === 'a'", 200, "a country link of the map")
    style = tab.evaluate("""() => {
        const path = document.activeElement.querySelector('path');
        const link = getComputedStyle(document.activeElement);
        return {stroke: getComputedStyle(path).stroke, width: getComputedStyle(path).strokeWidth, outline: link.outlineStyle};
    }""")
    assert style == {"stroke": "rgb(0, 0, 0)", "width": "3px", "outline": "solid"}


def test_skip_link_jumps_over_the_map(tabs, site_url):
    tab = tabs[1280]
    tab.goto(site_url + "map/")
    tab_to(tab, "e.classList.contains('catalog-map__skip')", 40, "the skip-the-map link")
    assert tab.evaluate("document.activeElement.getBoundingClientRect().width") > 0  # shown when focused
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.closest('svg') === null")


@pytest.mark.parametrize("page", ["", "map/"])
def test_first_view_weight_and_no_request_elsewhere(browser, site_url, page):
    """The home page's first view stays under 150 KB gzipped and the map adds at most 40 KB of it;
    every request goes to the site itself (no tiles, fonts or map service)."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    tab = context.new_page()
    responses = []
    tab.on("response", lambda response: responses.append(response))
    tab.goto(site_url + page, wait_until="networkidle")
    origin = urlsplit(site_url).netloc
    assert {urlsplit(r.url).netloc for r in responses} == {origin}
    total = sum(len(gzip.compress(r.body())) for r in responses if r.status == 200)
    maps = tab.evaluate("[...document.querySelectorAll('.catalog-map, .catalog-map__skip')].map(e => e.outerHTML).join('')")
    map_weight = len(gzip.compress(maps.encode()))
    context.close()
    print(f"\n{page or 'home'}: first view {total:,} bytes gzipped, of which the map {map_weight:,}")
    assert map_weight <= 40_000
    assert total < 150_000
