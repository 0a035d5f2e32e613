"""The maps in headless Chromium: what they link to, how they read with a keyboard and a screen
reader (axe, every impact), what they weigh, and that they fetch nothing from elsewhere."""

from __future__ import annotations

import gzip
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest

from catalog.core.i18n import ui
from catalog.core.vocabularies import load_vocabularies
from catalog.present import maps
from devtools.browser import axe_violations, tab_to, violation_details
from tests.helpers import PRACTICES

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
    assert not violations, violation_details(violations)


def _markers(tab) -> list[dict]:
    """Every marker of the page's maps: its link, its accessible name, the practices and places its
    panel lists, and the links drawn under its centre."""
    return tab.evaluate("""() => {
        const url = link => new URL(link.getAttribute('href'), location.href).href;  // SVG links have no .href string
        return [...document.querySelectorAll('[data-catalog-map]')].flatMap(frame => {
            const panels = [...frame.querySelectorAll(':scope > .catalog-map__panel')];
            return [...frame.querySelectorAll('a.catalog-map__point')].map((a, index) => {
                const box = a.querySelector('circle').getBoundingClientRect();
                const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
                    .map(e => e.closest('a')).filter(link => link && link !== a).map(url);
                const listed = [...panels[index].querySelectorAll('li')].map(li => ({
                    href: url(li.querySelector('a')), places: li.querySelector('span').textContent}));
                return {href: url(a), name: a.querySelector('title').textContent, listed, under,
                        group: a.classList.contains('catalog-map__group')};
            });
        });
    }""")


@pytest.mark.parametrize("language", LANGUAGES)
def test_onpar_shows_in_darien_and_chiriqui_over_panama(tabs, site_url, language):
    """ONPAR's two places are on the region map and Panama's map, each in a marker whose panel lists
    the practice and the place (Darién shares its marker with another practice placed there)."""
    tab = tabs[1280]
    onpar_url = "/" + LANGUAGES[language] + ONPAR
    for page in ("map/", "countries/pan/"):
        tab.goto(site_url + LANGUAGES[language] + page)
        onpar = [(m, item) for m in _markers(tab) for item in m["listed"] if item["href"].endswith(onpar_url)]
        assert sorted(item["places"].split(",")[0] for _, item in onpar) == ["Chiriquí", "Darién"], onpar
        if page == "map/":  # drawn in the frame of Central America, over the countries it links
            assert all(m["under"] for m, _ in onpar), onpar


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


TARGET_PAGES = {**MAP_PAGES, "country-ecuador": "countries/ecu/"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", TARGET_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_map_target_is_at_least_24_px_square_and_on_top_where_it_is_tapped(tabs, site_url, language, page, width):
    """WCAG 2.2, 2.5.8: every link of a map (country, point, group) is at least 24 × 24 CSS px, and
    a tap at the centre of a marker or of a small country's hit area lands on that link."""
    tab = tabs[width]
    tab.goto(site_url + LANGUAGES[language] + TARGET_PAGES[page])
    targets = tab.evaluate("""() => [...document.querySelectorAll('svg.catalog-map__svg a')].map(a => {
        const box = a.getBoundingClientRect();
        const hit = a.querySelector('.catalog-map__hit');
        let onTop = true;
        if (hit) {
            hit.scrollIntoView({block: 'center', inline: 'center'});
            const h = hit.getBoundingClientRect();
            onTop = document.elementFromPoint(h.x + h.width / 2, h.y + h.height / 2).closest('a') === a;
        }
        return {name: a.querySelector('title').textContent, width: box.width, height: box.height, onTop};
    })""")
    assert targets
    small = [t for t in targets if t["width"] < 24 or t["height"] < 24 or not t["onTop"]]
    assert not small, small


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", TARGET_PAGES)
def test_no_marker_or_country_name_is_cut_by_the_frame_and_names_are_legible(tabs, site_url, page, width):
    tab = tabs[width]
    tab.goto(site_url + TARGET_PAGES[page])
    outside = tab.evaluate("""() => [...document.querySelectorAll('svg.catalog-map__svg')].flatMap(svg => {
        const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('a.catalog-map__point circle, .catalog-map__labels text')].map(e => {
            const box = e.getBoundingClientRect();
            return {what: e.textContent || e.parentElement.textContent, box: [box.left, box.top, box.right, box.bottom],
                    frame: [frame.left, frame.top, frame.right, frame.bottom], inside: box.left >= frame.left
                    && box.top >= frame.top && box.right <= frame.right && box.bottom <= frame.bottom};
        }).filter(e => !e.inside);
    })""")
    assert not outside, outside
    sizes = tab.evaluate("""() => [...document.querySelectorAll('.catalog-map__labels text')]
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 11, sizes  # in CSS px: the SVG's font size times its scale



@pytest.mark.parametrize("page", ["map", "home"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_country_name_is_drawn_inside_the_country_it_names(tabs, site_url, language, page):
    """As Chromium draws it: a label's letters are no wider than the build measured them, and its box
    (their width, LABEL_SIZE high) lies in the fill of the linked country it names, by name or code,
    so no name straddles a border or stands on a grey country."""
    tab = tabs[390]
    tab.goto(site_url + LANGUAGES[language] + MAP_PAGES[page])
    labels = tab.evaluate("""(size) => [...document.querySelectorAll('.catalog-map__labels text')].map(t => {
        const svg = t.ownerSVGElement, box = t.getBBox(), y = parseFloat(t.getAttribute('y'));
        const links = [...svg.querySelectorAll('a[href*="countries/"]')];
        const link = links.find(a => a.querySelector('title').textContent.split(':')[0] === t.textContent)
            || links.find(a => a.getAttribute('href').endsWith('countries/' + t.textContent.toLowerCase() + '/'));
        const path = link && link.querySelector('path');
        const points = [];
        for (let x = box.x; x <= box.x + box.width; x += 2) points.push([x, y - size / 2], [x, y + size / 2]);
        for (let dy = -size / 2; dy <= size / 2; dy += 2) points.push([box.x, y + dy], [box.x + box.width, y + dy]);
        const outside = path ? points.filter(([x, y]) => !path.isPointInFill(new DOMPoint(x, y))) : points;
        return {text: t.textContent, width: box.width, linked: !!path, outside: outside.slice(0, 3)};
    })""", maps.LABEL_SIZE)
    assert labels
    for label in labels:
        assert label["linked"] and not label["outside"], label
        assert label["width"] <= maps.label_width(label["text"]), label

def _open_panels(tab) -> list[dict]:
    return tab.evaluate("""() => [...document.querySelectorAll('.catalog-map__panel')]
        .filter(p => getComputedStyle(p).display !== 'none').map(p => {
            const box = p.getBoundingClientRect();
            return {id: p.id, text: p.textContent, links: [...p.querySelectorAll('a')].map(a => a.href),
                    visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth};
        })""")


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("page", ["map/", "countries/pan/"])
def test_a_tap_on_a_point_shows_its_title_and_place_with_a_link_that_opens_the_practice(phone, site_url, page):
    phone.goto(site_url + page)
    point = phone.locator("a.catalog-map__point:not(.catalog-map__group)").first
    href = point.evaluate("a => new URL(a.getAttribute('href'), location.href).href")
    name = point.locator("title").text_content()
    point.tap()
    assert phone.url == site_url + page  # the tap shows the label; it does not leave the page
    [panel] = _open_panels(phone)
    assert panel["visible"] and panel["links"] == [href]
    title, place = name.rsplit(" (", 1)
    assert title in panel["text"] and place.rstrip(")") in panel["text"]
    phone.locator(f"#{panel['id']} a").tap()
    phone.wait_for_url(href)
    # A tap elsewhere closes the label.
    phone.goto(site_url + page)
    point.tap()
    phone.locator("h1").tap()
    assert _open_panels(phone) == []


def test_keyboard_focus_on_a_point_shows_its_label_and_enter_follows_its_link(tabs, site_url):
    tab = tabs[1280]
    tab.goto(site_url + "en/map/")
    tab_to(tab, "e.matches('a.catalog-map__point:not(.catalog-map__group)')", 200, "a point of the map")
    href, name = tab.evaluate("[new URL(document.activeElement.getAttribute('href'), location.href).href,"
                              " document.activeElement.querySelector('title').textContent]")
    [panel] = _open_panels(tab)
    assert panel["visible"] and panel["links"] == [href] and name.rsplit(" (", 1)[0] in panel["text"]
    tab.keyboard.press("Escape")
    assert _open_panels(tab) == [] and tab.evaluate("document.activeElement.matches('a.catalog-map__point')")
    tab.keyboard.press("Enter")
    tab.wait_for_url(href)


ECUADOR_PLACES = {"Esmeraldas", "Sucumbíos", "Orellana", "Carchi", "Imbabura"}
ECUADOR_PRACTICE = "/practices/enhanced-registration-northern-border/"


def test_the_ecuador_places_are_one_group_whose_panel_lists_them_all(phone, site_url):
    """On the region map the five places of Ecuador's practice lie closer than a target: one group.
    (Ecuador's own map is drawn larger: there Esmeraldas stands apart from the other four.)"""
    phone.goto(site_url + "map/")
    markers = [m for m in _markers(phone) if any(item["href"].endswith(ECUADOR_PRACTICE) for item in m["listed"])]
    assert len(markers) == 1 and markers[0]["group"], markers
    group = phone.locator("a.catalog-map__group").filter(has=phone.locator(f"title:text-is('{markers[0]['name']}')"))
    group.tap()
    [panel] = _open_panels(phone)
    assert panel["visible"]
    assert all(place in panel["text"] for place in ECUADOR_PLACES), panel["text"]
    assert any(link.endswith(ECUADOR_PRACTICE) for link in panel["links"])


def test_enter_on_a_group_moves_into_its_list(tabs, site_url):
    tab = tabs[390]
    tab.goto(site_url + "countries/ecu/")
    tab_to(tab, "e.matches('a.catalog-map__group')", 200, "a group of the map")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.classList.contains('catalog-map__panel')")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.href").endswith(ECUADOR_PRACTICE)


def test_without_script_points_are_links_and_a_group_opens_its_list(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "map/")
    assert _open_panels(tab) == []
    tab.locator("a.catalog-map__group").filter(has_text="6").first.click()
    [panel] = _open_panels(tab)
    assert all(place in panel["text"] for place in ECUADOR_PLACES)
    tab.goto(site_url + "countries/pan/")
    point = tab.locator("a.catalog-map__point:not(.catalog-map__group)").first
    href = point.evaluate("a => new URL(a.getAttribute('href'), location.href).href")
    point.click()
    tab.wait_for_url(href)
    context.close()


PAGE_TYPES = {"home": "", "catalog": "catalog/", "practice": ONPAR, "country": "countries/pan/",
              "theme": "themes/access-to-procedure/", "mechanism": "mechanisms/mirps/", "map": "map/",
              "about": "about/", "not-found": "no-such-page/"}


@pytest.mark.parametrize("page", PAGE_TYPES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_type_names_a_sharing_image_that_the_site_serves(tabs, site_url, language, page):
    tab = tabs[1280]
    tab.goto(site_url + ("" if page == "not-found" else LANGUAGES[language]) + PAGE_TYPES[page])
    image = tab.get_attribute('meta[property="og:image"]', "content")
    alt = tab.get_attribute('meta[property="og:image:alt"]', "content")
    language_of_page = tab.evaluate("document.documentElement.lang")
    assert image.startswith("https://") and image.endswith(f"/assets/og-{language_of_page}.png")
    assert alt == ui("og_image_alt", language_of_page)
    served = tab.request.get(site_url + "assets/" + image.rsplit("/", 1)[1])
    assert served.status == 200 and served.headers["content-type"] == "image/png"
    assert served.body()[:8] == b"\x89PNG\r\n\x1a\n"
