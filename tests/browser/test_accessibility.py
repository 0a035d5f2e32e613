"""Accessibility of the built site in headless Chromium: axe-core on every page type in both
languages at 390 and 1280 px (no violation of any impact), and the keyboard paths WCAG 2.2 AA asks for:
skip link, visible focus, the language switch, and the catalog filters when the search UI exists.

The site is served under the path of its site_url (/catalog/), as GitHub Pages serves it, and a
missing address gets 404.html with status 404, so the 404 page is tested where readers meet it.
Run with `-s` to see the per-page summary of every violation, whatever its impact.
"""

from __future__ import annotations

import pytest

from devtools.browser import axe_violations, tab_to, violation_details

pytestmark = [pytest.mark.browser, pytest.mark.site]

# One page of each type; "" is the home page. The 404 is an address that does not exist.
PAGE_TYPES = {
    "home": "",
    "catalog": "catalog/",
    "country": "countries/pan/",
    "theme": "themes/access-to-procedure/",
    "mechanism": "mechanisms/mirps/",
    "practice with a chart": "practices/onpar-border-access/",
    "practice with figures": "practices/conare-venezuela-simplified-recognition/",
    "contribute": "contribute/",
    "proposal form": "propose/",
    "open data": "open-data/",
    "about": "about/",
    "browse index": "countries/",
}
MISSING = "practices/no-such-practice/"
LANGUAGE_PREFIXES = {"es": "", "en": "en/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 740}}
BLOCKING_IMPACTS = {"minor", "moderate", "serious", "critical"}  # any violation fails
# Controls of a search or filter UI inside the page content (none before the search UI exists).
FILTER_CONTROLS = "input:not([type=hidden]), select, textarea, button, summary, [role=checkbox], [role=switch]"


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield context.new_page()
    context.close()


def open_page(tab, url: str) -> None:
    """Load a page and let its scripts settle (a search UI loads its index asynchronously)."""
    tab.goto(url, wait_until="networkidle")


def open_filters(tab) -> int:
    """Open every collapsed part of a search or filter UI in the page content; returns how many."""
    return tab.evaluate("""() => {
        const content = document.querySelector('.md-content');
        let opened = 0;
        for (const details of content.querySelectorAll('details:not([open])')) { details.open = true; opened++; }
        for (const toggle of content.querySelectorAll('[aria-expanded="false"]')) { toggle.click(); opened++; }
        return opened;
    }""")


def summary(violations: list[dict]) -> str:
    if not violations:
        return "no violations"
    return "; ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s))" for v in violations)


AXE_CASES = [
    pytest.param(language, kind, viewport, id=f"{language}-{kind.replace(' ', '-')}-{viewport}")
    for viewport in VIEWPORTS
    for language in LANGUAGE_PREFIXES
    for kind in [*PAGE_TYPES, "404"]
    if not (kind == "404" and language == "en")  # one 404 page serves both languages
]


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per viewport, reused by the axe checks of every page."""
    contexts = {name: browser.new_context(viewport=size) for name, size in VIEWPORTS.items()}
    yield {name: context.new_page() for name, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize(("language", "kind", "viewport"), AXE_CASES)
def test_axe_finds_no_violation(tabs, site_url, language, kind, viewport):
    tab = tabs[viewport]
    url = site_url + (MISSING if kind == "404" else LANGUAGE_PREFIXES[language] + PAGE_TYPES[kind])
    # The catalog page's search UI loads its index asynchronously: wait for the network to settle.
    response = tab.goto(url, wait_until="networkidle" if kind == "catalog" else "load")
    assert response.status == (404 if kind == "404" else 200)
    opened = open_filters(tab) if kind == "catalog" else 0
    violations = axe_violations(tab)
    filters = f", filters opened: {opened}" if opened else ""
    print(f"axe {language} {kind} ({viewport}{filters}): {summary(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, violation_details(blocking)


def footer_contrast(tab) -> dict[str, list[str]]:
    """axe's colour-contrast rule on the footer: the selectors of the text that passes and fails."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": ["color-contrast"], "resultTypes": ["passes", "violations"]}
    results = Axe().run(tab, context=".md-footer", options=options).response
    return {kind: [" ".join(node["target"]) for rule in results[kind] for node in rule["nodes"]]
            for kind in ("passes", "violations")}


def test_footer_text_has_enough_contrast_thanks_to_catalog_css(tab, site_url):
    """Material's stock footer fails contrast (4.47:1): with catalog.css the footer's text (the
    publisher's block and the credit line) passes, and without it the same check fails."""
    open_page(tab, site_url + "about/")
    styled = footer_contrast(tab)
    assert styled["violations"] == []
    where = tab.evaluate("""(targets) => targets.map(t => document.querySelector(t))
        .map(e => e.closest('.catalog-publisher') ? 'publisher' : e.closest('.catalog-credit') ? 'credit' : 'other')""",
                         styled["passes"])
    assert {"publisher", "credit"} <= set(where), styled["passes"]

    tab.route("**/assets/catalog.css", lambda route: route.abort())
    open_page(tab, site_url + "about/")
    assert footer_contrast(tab)["violations"], "the footer passes even without catalog.css: is the check blind?"


SKIP_LINK_PAGES = ["", "practices/onpar-border-access/", "catalog/", "en/countries/pan/", "en/about/", MISSING]


@pytest.mark.parametrize("url", SKIP_LINK_PAGES)
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(tab, site_url, url):
    tab.goto(site_url + url, wait_until="networkidle")
    tab.keyboard.press("Tab")
    first = tab.evaluate("""() => { const e = document.activeElement; const box = e.getBoundingClientRect();
        return {skip: e.classList.contains('md-skip'), href: e.getAttribute('href'), text: e.textContent.trim(),
                inView: box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight}; }""")
    assert first["skip"] and first["text"], f"the first Tab stop is not a skip link: {first}"
    tab.wait_for_timeout(400)  # Material slides the link in when it gets focus
    assert tab.evaluate("() => getComputedStyle(document.activeElement).opacity") == "1"
    assert first["inView"]
    target = first["href"]
    assert target.startswith("#") and tab.locator(target).count() == 1, f"skip link target {target} is missing"
    assert tab.evaluate(f"() => document.querySelector('.md-content').contains(document.querySelector('{target}'))")

    tab.keyboard.press("Enter")
    assert tab.evaluate("() => location.hash") == target
    tab.keyboard.press("Tab")
    landed = tab.evaluate(
            "() => ({inContent: !!document.activeElement.closest('.md-content'), html: document.activeElement.outerHTML.slice(0, 120)})"
        )
    assert landed["inContent"], f"after the skip link, Tab went to {landed['html']}"


def test_every_tab_stop_shows_a_visible_focus_indicator(tab, site_url):
    """Keyboard focus is visible (WCAG 2.4.7) on every stop through the header, the navigation,
    the practice page's content and the footer."""
    tab.goto(site_url + "practices/onpar-border-access/", wait_until="networkidle")
    seen = []
    for _ in range(60):
        tab.keyboard.press("Tab")
        stop = tab.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, html: e.outerHTML.slice(0, 100), focusVisible: e.matches(':focus-visible'),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none'}; }""")
        if stop["tag"] == "BODY":
            break
        seen.append(stop)
    links = [stop for stop in seen if stop["tag"] == "A"]
    assert len(links) >= 10, f"only {len(links)} links reached by Tab"
    invisible = [stop["html"] for stop in seen if not (stop["focusVisible"] and (stop["outline"] or stop["shadow"]))]
    assert not invisible, f"focus not visible on: {invisible}"


@pytest.mark.parametrize(("start", "other"), [
    ("practices/onpar-border-access/", "en/practices/onpar-border-access/"),
    ("en/themes/access-to-procedure/", "themes/access-to-procedure/"),
])
def test_language_switch_is_reachable_and_usable_by_keyboard(tab, site_url, start, other):
    tab.goto(site_url + start, wait_until="networkidle")
    start_lang = tab.locator("html").get_attribute("lang")
    tab_to(tab, "e.matches('a[data-catalog-language-switch]')", 40, "the language switch")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == site_url + other
    assert tab.locator("html").get_attribute("lang") not in (None, start_lang)


def test_catalog_filters_are_reachable_by_keyboard(tab, site_url):
    for prefix in LANGUAGE_PREFIXES.values():
        open_page(tab, site_url + prefix + "catalog/")
        open_filters(tab)
        controls = tab.evaluate(f"""() => [...document.querySelector('.md-content').querySelectorAll('{FILTER_CONTROLS}')]
            .filter(e => e.getClientRects().length && !e.disabled && e.tabIndex >= 0)
            .map((e, i) => {{ e.dataset.a11yControl = i; return e.outerHTML.slice(0, 100); }})""")
        if not controls:
            pytest.skip("the catalog page has no search or filter controls yet")
        stops = tab.evaluate("() => document.querySelectorAll('a[href], input, select, textarea, button, summary, [tabindex]').length")
        reached = set()
        for _ in range(stops + 5):
            tab.keyboard.press("Tab")
            index = tab.evaluate("() => document.activeElement.dataset.a11yControl")
            if index is not None:
                reached.add(int(index))
            if len(reached) == len(controls):
                break
        missed = [html for i, html in enumerate(controls) if i not in reached]
        assert not missed, f"not reachable by Tab on {prefix}catalog/: {missed}"
