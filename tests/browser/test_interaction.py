"""Interaction defects a reader met (issue 25, item 9), each checked in headless Chromium: the first
tap on "Filtros" opens the filters, focus is drawn and never in an error's colour, filter counts
follow the other filters, filter lists need no inner scrolling, the contribute page's cards never
overlap and their links look like links, no page scrolls sideways at 390 px, no page is titled
"Home"/"Inicio" alone, and the language switch is readable.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from catalog.present.views import LanguageView
from catalog.records.model import load_practices
from devtools.browser import tab_to
from tests.helpers import PRACTICES

pytestmark = [pytest.mark.browser, pytest.mark.site]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SITE_NAME = {"": "Catálogo regional de buenas prácticas de asilo", "en/": "Regional catalog of good asylum practices"}


@pytest.fixture
def tab(browser, request):
    context = browser.new_context(**request.param)
    yield context.new_page()
    context.close()


def loaded(tab) -> None:
    """Every request the page started (the search interface, loaded on first use) has ended."""
    tab.wait_for_load_state("networkidle")


def catalog_searched(tab) -> None:
    tab.wait_for_function("() => document.querySelector('[data-catalog-results]').getAttribute('aria-busy') === 'false'")


def reddish(colour: str) -> bool:
    """An rgb()/rgba() colour whose red clearly dominates (burnt orange #b3401b reads as an error)."""
    red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
    return red - max(green, blue) > 60


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_first_tap_on_filters_opens_them(tab, site_url, prefix):
    tab.goto(site_url + prefix + "catalog/")
    panel = tab.locator("[data-catalog-filters]")
    assert not panel.is_visible()
    tab.tap("[data-catalog-toggle]")  # this tap also loads the search interface
    loaded(tab)
    assert tab.get_attribute("[data-catalog-toggle]", "aria-expanded") == "true"
    assert panel.is_visible()
    tab.tap("[data-catalog-toggle]")
    assert not panel.is_visible(), "a second tap closes them again"


FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {what: e.outerHTML.slice(0, 80), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          colour: s.outlineColor, background: s.backgroundColor}; }"""


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
def test_the_focused_filters_button_is_ringed_and_not_in_an_error_colour(tab, site_url):
    tab.goto(site_url + "catalog/")
    tab_to(tab, "e.matches('[data-catalog-toggle]')", 40, "the Filters button")
    focus = tab.evaluate(FOCUS)
    assert focus["style"] != "none" and focus["width"] >= 2, focus
    assert not reddish(focus["colour"]) and not reddish(focus["background"]), focus


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
@pytest.mark.parametrize("path", ["", "catalog/", "practices/onpar-border-access/", "contribute/"])
def test_every_focused_element_shows_a_ring_that_is_not_an_error_colour(tab, site_url, path):
    tab.goto(site_url + path)
    seen = []
    for _ in range(30):
        tab.keyboard.press("Tab")
        focus = tab.evaluate(FOCUS)
        if focus["what"].startswith("<body"):
            break
        seen.append(focus)
    assert len(seen) > 5
    for focus in seen:
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert not reddish(focus["colour"]) and not reddish(focus["background"]), focus


COUNTS = """facet => Object.fromEntries([...document.querySelectorAll(`input[name=${facet}]`)].map(box =>
  [box.dataset.value, Number(box.parentElement.querySelector('[data-count]').textContent.replace(/\\D/g, ''))]))"""


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
def test_filter_counts_follow_the_other_filters(tab, site_url):
    practices = load_practices(PRACTICES)
    view = LanguageView("es")
    in_panama = [p for p in practices if p.country == "PAN"]
    tab.goto(site_url + "catalog/")
    tab.click("details[data-facet=country] summary")
    tab.click("details[data-facet=theme] summary")
    tab.check(f"input[name=country][data-value='{view.country('PAN')}']")
    catalog_searched(tab)
    themes = tab.evaluate(COUNTS, "theme")
    expected = Counter(view.theme(theme) for p in in_panama for theme in p.themes)
    assert themes == {label: expected.get(label, 0) for label in themes}
    assert themes[view.theme("access-to-procedure")] < sum(1 for p in practices if "access-to-procedure" in p.themes)
    # A facet's own choice does not shrink its other options: the other countries keep their counts.
    countries = tab.evaluate(COUNTS, "country")
    every = Counter(view.country(p.country) for p in practices)
    assert countries == {label: every[label] for label in countries}
    # And a second facet narrows the first one's counts in turn.
    tab.check(f"input[name=theme][data-value='{view.theme('access-to-procedure')}']")
    catalog_searched(tab)
    countries = tab.evaluate(COUNTS, "country")
    with_theme = Counter(view.country(p.country) for p in practices if "access-to-procedure" in p.themes)
    assert countries == {label: with_theme.get(label, 0) for label in countries}


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
def test_filter_lists_are_read_whole_without_inner_scrolling(tab, site_url):
    tab.goto(site_url + "catalog/")
    for summary in tab.query_selector_all("details[data-facet] summary"):
        summary.click()
    lists = tab.evaluate("""() => [...document.querySelectorAll('details[data-facet] ul')].map(list => ({
        facet: list.closest('details').dataset.facet, scroll: list.scrollHeight, client: list.clientHeight,
        overflow: getComputedStyle(list).overflowY,
        clipped: [...list.querySelectorAll('label')].filter(l => l.scrollWidth > l.clientWidth + 1
                 || l.getBoundingClientRect().right > list.getBoundingClientRect().right + 1).length}))""")
    assert len(lists) == 4
    for facet in lists:
        assert facet["overflow"] == "visible" and facet["scroll"] <= facet["client"] + 1, facet
        assert facet["clipped"] == 0, facet


CARDS = """() => [...document.querySelectorAll('.catalog-ways--contribute > li')].map(li => {
  const box = li.getBoundingClientRect(), link = li.querySelector('a'), title = link.querySelector('strong');
  const inside = [...li.querySelectorAll('*')].every(e => { const r = e.getBoundingClientRect();
    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.left >= box.left - 1 && r.right <= box.right + 1; });
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right, inside,
          words: li.textContent.trim() === link.textContent.trim(),
          underline: getComputedStyle(title).textDecorationLine, colour: getComputedStyle(title).color,
          text: getComputedStyle(document.querySelector('.md-typeset p')).color}; })"""


@pytest.mark.parametrize("tab", [PHONE, DESKTOP], indirect=True)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_contribute_cards_never_overlap_and_their_links_look_like_links(tab, site_url, prefix):
    tab.goto(site_url + prefix + "contribute/")
    cards = tab.evaluate(CARDS)
    assert len(cards) == 4
    for number, card in enumerate(cards):
        assert card["inside"], f"card {number}: its content spills out of it"
        assert card["words"], f"card {number}: text outside its link"
        assert card["underline"] == "underline" and card["colour"] != card["text"], card
        for other in cards[number + 1:]:
            apart = (card["bottom"] <= other["top"] or other["bottom"] <= card["top"]
                     or card["right"] <= other["left"] or other["right"] <= card["left"])
            assert apart, (card, other)


def every_page(site: Path) -> list[str]:
    return sorted(str(path.parent.relative_to(site)).removeprefix(".") + "/" for path in site.rglob("index.html")
                  if "pagefind" not in path.parts and "assets" not in path.parts)


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
def test_no_page_scrolls_sideways_at_390(tab, site_url, built_site):
    pages = every_page(built_site)
    assert "practices/comar-digital-transformation/" in pages and "en/about/" in pages
    wide = {}
    for path in pages:
        tab.goto(site_url + path.lstrip("/"))
        width = tab.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if width > 0:
            wide[path] = width
    assert not wide, wide


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_home_pages_are_titled_with_the_catalogs_name(tab, site_url, prefix):
    tab.goto(site_url + prefix)
    assert tab.title() == SITE_NAME[prefix]
    assert tab.get_attribute('meta[property="og:title"]', "content") == SITE_NAME[prefix]


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
def test_no_page_is_titled_home_alone(tab, site_url, built_site):
    for path in every_page(built_site):
        if "/practices/" in f"/{path}" or "page-" in path:
            continue  # titled from their records
        tab.goto(site_url + path.lstrip("/"))
        titles = [tab.title(), tab.get_attribute('meta[property="og:title"]', "content")]
        assert not any(re.match(r"(Home|Inicio)\b", title) for title in titles), (path, titles)


@pytest.mark.parametrize("tab", [PHONE, DESKTOP], indirect=True)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_language_switch_is_readable(tab, site_url, prefix):
    tab.goto(site_url + prefix)
    size = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.catalog-language__link')).fontSize)")
    assert size >= 16
