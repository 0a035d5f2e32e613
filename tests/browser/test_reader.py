"""What a reader sees, in headless Chromium (issue 13): the home counters in one row, practice pages
without docs chrome, share tags that survive hostile titles, related practices that differ, the
printed page's address, single figures drawn as figures, the publisher on every page, and the
citation's copy button as an extra over plain text.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from devtools.browser import launch_chromium, serve_directory
from tests.helpers import EXAMPLE_RECORD, build_site

pytestmark = [pytest.mark.browser, pytest.mark.site]

PREFIXES = ("", "en/")
PRACTICE = "practices/onpar-border-access/"
CHARTS = "practices/conare-venezuela-simplified-recognition/"  # several single figures and a series
# A title with every character that must be escaped inside an attribute (the validator refuses tags).
TRICKY_TITLE = 'Acceso "seguro" & rápido: 5 < 7 > 3, l\'ONPAR'


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve_directory(built_site) as base:
        yield base + "/"


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_home_counters_share_one_row_at_1280(desktop, site_url, prefix):
    desktop.goto(site_url + prefix)
    boxes = desktop.eval_on_selector_all(".catalog-stats > li", "items => items.map(i => i.getBoundingClientRect().toJSON())")
    assert len(boxes) == 3
    assert len({round(box["top"]) for box in boxes}) == 1, f"counters are not in one row: {boxes}"
    assert boxes[0]["right"] <= boxes[1]["left"] and boxes[1]["right"] <= boxes[2]["left"]


@pytest.mark.parametrize("path", [PRACTICE, "en/" + PRACTICE, "catalog/", "en/countries/pan/"])
def test_practice_and_listing_pages_have_no_sidebar_toc_or_previous_next(desktop, site_url, path):
    desktop.goto(site_url + path)
    shown = desktop.evaluate("""() => ['.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer__inner']
        .filter(s => { const e = document.querySelector(s); return e && e.getClientRects().length && e.offsetWidth > 0; })""")
    assert shown == []
    # The reading column starts near the left edge of the page grid, not after an empty column.
    left = desktop.evaluate("() => document.querySelector('h1').getBoundingClientRect().left")
    grid = desktop.evaluate("() => document.querySelector('.md-main__inner').getBoundingClientRect().left")
    assert left - grid < 60


def test_the_phone_drawer_still_holds_the_navigation(phone, site_url):
    phone.goto(site_url + PRACTICE)
    phone.click("label.md-header__button[for=__drawer]")
    phone.wait_for_timeout(400)
    visible = phone.eval_on_selector_all(".md-sidebar--primary .md-nav__link",
                                         "links => links.filter(l => l.getBoundingClientRect().width > 0).length")
    assert visible >= 5


def meta(tab, key: str) -> str | None:
    return tab.evaluate(f"""() => {{ const m = document.querySelector('meta[property="{key}"], meta[name="{key}"]');
        return m ? m.getAttribute('content') : null; }}""")


@pytest.mark.parametrize(("prefix", "locale", "alternate"), [("", "es_LA", "en_US"), ("en/", "en_US", "es_LA")])
def test_share_tags_describe_the_practice_in_the_page_language(desktop, site_url, prefix, locale, alternate):
    desktop.goto(site_url + prefix + PRACTICE)
    title = desktop.inner_text("h1")
    assert meta(desktop, "og:title") == title
    summary = desktop.inner_text(".catalog-practice__summary")
    assert meta(desktop, "og:description") == summary.strip()
    assert meta(desktop, "og:site_name") == desktop.inner_text(".catalog-name--long").strip()
    assert meta(desktop, "og:locale") == locale and meta(desktop, "og:locale:alternate") == alternate
    canonical = desktop.get_attribute('link[rel="canonical"]', "href")
    assert meta(desktop, "og:url") == canonical and canonical.endswith("/" + prefix + PRACTICE)
    assert meta(desktop, "og:type") == "article" and meta(desktop, "twitter:card") == "summary"


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory) -> Path:
    """A one-practice catalog whose title and summary hold quotes, ampersands and angle brackets."""
    from devtools.synthetic import write_synthetic_catalog

    project = write_synthetic_catalog(tmp_path_factory.mktemp("tricky"), 0)
    record = yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8"))
    record["title"] = {"es": TRICKY_TITLE, "en": TRICKY_TITLE}
    record["summary"] = {language: f"{TRICKY_TITLE}. {record['summary'][language]}" for language in ("es", "en")}
    folder = project / "practices" / "pan"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EXAMPLE_RECORD.name).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_site(project, project / "site")
    return project / "site"


def test_share_tags_are_escaped(tricky_site, browser):
    source = (tricky_site / PRACTICE / "index.html").read_text(encoding="utf-8")
    head = source[:source.index("</head>")]
    tags = re.findall(r'<meta (?:property|name)="(og:title|og:description)" content="([^"]*)">', head)
    assert {name for name, _ in tags} == {"og:title", "og:description"}, head
    for _, content in tags:
        assert "<" not in content and ">" not in content and "'" not in content.replace("&#39;", "")
        assert html.unescape(content).startswith(TRICKY_TITLE)
    context = browser.new_context()
    tab = context.new_page()
    with serve_directory(tricky_site) as base:
        tab.goto(f"{base}/{PRACTICE}")
        assert meta(tab, "og:title") == TRICKY_TITLE
        assert tab.evaluate("() => document.head.querySelectorAll('meta').length") > 8
    context.close()


def related(tab, url: str) -> list[str]:
    tab.goto(url)
    return tab.eval_on_selector_all(".catalog-related a", "links => links.map(a => new URL(a.href).pathname)")


def tags(tab) -> set[str]:
    """The themes and mechanisms a practice page links to from its snapshot (language-neutral paths)."""
    return set(tab.eval_on_selector_all(".catalog-snapshot a[href*='themes/'], .catalog-snapshot a[href*='mechanisms/']",
                                        "links => links.map(a => new URL(a.href).pathname.split('/').slice(-3).join('/'))"))


def test_related_practices_share_themes_and_differ_between_practices(desktop, site_url):
    first = related(desktop, site_url + PRACTICE)
    second = related(desktop, site_url + CHARTS)
    assert 3 <= len(first) <= 5 and 3 <= len(second) <= 5
    assert first != second
    assert not any(path.endswith(PRACTICE) for path in first), "a practice is not related to itself"
    desktop.goto(site_url + PRACTICE)
    mine = tags(desktop)
    for path in first:
        desktop.goto(site_url.rstrip("/") + path)
        assert mine & tags(desktop), f"{path} shares no theme or mechanism with {PRACTICE}"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_print_shows_the_page_address_and_hides_screen_controls(desktop, site_url, prefix):
    desktop.goto(site_url + prefix + PRACTICE)
    canonical = desktop.get_attribute('link[rel="canonical"]', "href")
    assert not desktop.is_visible(".catalog-print-meta")
    desktop.emulate_media(media="print")
    line = desktop.inner_text(".catalog-print-meta")
    assert canonical in line and desktop.is_visible(".catalog-print-meta")
    assert re.search(r"\d{4}", line.split(canonical)[1]), f"no date after the address: {line}"
    for hidden in (".catalog-screen-only", ".catalog-cite__copy", ".md-header", ".md-footer"):
        assert not desktop.is_visible(hidden), f"{hidden} is printed"
    # Links print their address: external sources, and internal links (related practices) in full.
    after = desktop.evaluate("""() => [...document.querySelectorAll('.catalog-sources a, .catalog-related a')]
        .map(a => getComputedStyle(a, '::after').content)""")
    assert any(content.startswith('" <https://') and "/practices/" in content for content in after)
    assert any(content.startswith('" <https://') and "/practices/" not in content for content in after)


@pytest.mark.parametrize(("prefix", "printed"), [("", "Impreso el"), ("en/", "Printed on")])
def test_a_page_without_a_date_on_screen_formats_it_only_when_printed(desktop, site_url, prefix, printed):
    """Formatting a date first costs the browser ~50 ms of locale data: the catalog page, which shows
    no date on screen, formats none while it loads, and its print line gets the date when printed."""
    desktop.add_init_script("""window.__dateFormats = 0; const Native = Intl.DateTimeFormat;
        Intl.DateTimeFormat = function (...args) { window.__dateFormats += 1; return new Native(...args); };""")
    desktop.goto(site_url + prefix + "catalog/", wait_until="load")
    desktop.wait_for_timeout(300)
    assert desktop.evaluate("window.__dateFormats") == 0
    assert desktop.inner_text(".catalog-print-meta [data-catalog-today]") == ""
    desktop.emulate_media(media="print")
    desktop.wait_for_function("() => document.querySelector('.catalog-print-meta [data-catalog-today]').textContent !== ''")
    line = desktop.inner_text(".catalog-print-meta")
    assert printed in line and re.search(rf"{printed} .*\d{{4}}", line), line
    desktop.goto(site_url + prefix + PRACTICE, wait_until="load")  # a citation's date is on screen: at once
    assert desktop.evaluate("window.__dateFormats") >= 1 and re.search(r"\d{4}", desktop.inner_text("#cite-text"))


def test_a_single_yearly_figure_is_a_figure_not_a_full_width_bar(phone, desktop, site_url):
    for tab in (phone, desktop):
        tab.goto(site_url + CHARTS)
        singles = tab.evaluate("""() => [...document.querySelectorAll('.catalog-indicator--single')].map(f => ({
            width: f.getBoundingClientRect().width, column: f.parentElement.getBoundingClientRect().width,
            bars: f.querySelectorAll('.catalog-bar, rect').length, number: f.querySelector('.catalog-figure').textContent,
            size: parseFloat(getComputedStyle(f.querySelector('.catalog-figure')).fontSize),
            body: parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)}))""")
        assert len(singles) >= 3
        for figure in singles:
            assert figure["bars"] == 0 and re.search(r"\d", figure["number"])
            assert figure["size"] >= 1.5 * figure["body"], "the number is not shown large"
        if tab is desktop:
            assert all(figure["width"] < 0.75 * figure["column"] for figure in singles), singles
        series = tab.evaluate("""() => [...document.querySelectorAll('table.catalog-bars')].map(t =>
            [...t.querySelectorAll('tbody .catalog-bar span')].map(s => s.getBoundingClientRect().left))""")
        assert series and all(len(set(map(round, lefts))) == 1 for lefts in series), "bars do not share a zero line"
        label = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('table.catalog-bars td.catalog-num')).fontSize)")
        assert label >= 13, f"bar labels are {label}px"


@pytest.mark.parametrize("path", ["", "en/", PRACTICE, "en/catalog/", "about/", "en/about/", "open-data/"])
def test_every_page_names_its_publisher_and_claims_no_official_status(desktop, site_url, path):
    desktop.goto(site_url + path)
    footer = desktop.inner_text(".md-footer .catalog-publisher")
    english = path.startswith("en/")
    assert ("Published by:" if english else "Publica:") in footer
    assert ("not an official publication" if english else "no es una publicación oficial") in footer
    links = desktop.eval_on_selector_all(".md-footer .catalog-publisher a", "a => a.map(x => x.href)")
    assert any(link.endswith("/issues/new?template=practice.yml") for link in links)
    assert any(re.search(r"github\.com/[^/]+/[^/]+$", link) for link in links)
    if "about/" in path:
        assert desktop.locator(".md-content .catalog-publisher").count() == 1


def test_citation_is_plain_text_and_the_copy_button_enhances_it(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + PRACTICE)
    citation = tab.inner_text("#cite-text")
    assert "Presencia de la ONPAR" in citation and "https://" in citation and "[fecha de consulta]" in citation
    assert not tab.is_visible(".catalog-cite__copy")
    context.close()

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(site_url + PRACTICE)
    assert "[fecha de consulta]" not in tab.inner_text("#cite-text")
    tab.click(".catalog-cite__copy")
    tab.wait_for_function("() => document.querySelector('[data-catalog-copy-status]').textContent.length > 0")
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    assert copied == " ".join(tab.inner_text("#cite-text").split())
    assert tab.inner_text("[data-catalog-copy-status]") == "Cita copiada."
    context.close()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_site_name_is_shortened_on_phones(phone, desktop, site_url, prefix):
    for tab, long_shown in ((phone, False), (desktop, True)):
        tab.goto(site_url + prefix)
        assert tab.is_visible(".md-header .catalog-name--long") == long_shown
        assert tab.is_visible(".md-header .catalog-name--short") != long_shown
    logo = desktop.evaluate("() => { const i = document.querySelector('.md-header .md-logo img'); return [i.naturalWidth, i.getAttribute('alt')]; }")
    assert logo[0] > 0 and logo[1] == ""


def drawn(tab, selector: str) -> bool:
    """Whether the element's screenshot has more than one colour (an icon drawn, not an empty box)."""
    image = Image.open(io.BytesIO(tab.locator(selector).screenshot())).convert("RGB")
    return any(low != high for low, high in image.getextrema())


@pytest.mark.parametrize("path", ["", "en/" + CHARTS])
def test_the_search_icon_is_inlined_once_and_drawn_in_both_places(phone, desktop, site_url, built_site, path):
    """The header's search button (phones) and the search box (desktop) show the same magnifier:
    its path is in the page once, the box draws it with <use> (about 250 bytes per page)."""
    source = (built_site / path / "index.html").read_text(encoding="utf-8")
    magnifier = re.search(r'<path id="catalog-icon-search" d="([^"]+)"', source)
    assert magnifier and source.count(magnifier.group(1)) == 1
    phone.goto(site_url + path)
    assert drawn(phone, 'label.md-header__button[for="__search"] svg')
    desktop.goto(site_url + path)
    assert drawn(desktop, ".md-search__icon svg:first-child")


@pytest.mark.parametrize(("prefix", "countries", "regional"), [
    ("", "Países", "Prácticas regionales"), ("en/", "Countries", "Regional practices")])
def test_the_open_data_feeds_do_not_list_regional_among_the_countries(phone, site_url, prefix, countries, regional):
    """"Regional" is not a country (issue 25, item 10): its feed comes after the countries' feeds,
    named as on the countries page."""
    phone.goto(site_url + prefix + "open-data/")
    line = phone.locator("p.catalog-feeds", has_text=countries + ":")
    names = line.locator("a").all_inner_texts()
    assert len(names) > 10 and names[-1] == regional and "Regional" not in names[:-1], names


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_home_ways_in_share_one_row_at_1280(desktop, phone, site_url, prefix):
    """The five ways in (search, map, countries, themes, mechanisms) in one row on a wide screen,
    not four and one left alone beneath; one column on a phone."""
    desktop.goto(site_url + prefix)
    tops = desktop.eval_on_selector_all(".catalog-ways > li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))")
    assert len(tops) == 5 and len(set(tops)) == 1, tops
    phone.goto(site_url + prefix)
    lefts = phone.eval_on_selector_all(".catalog-ways > li", "items => items.map(i => Math.round(i.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1, lefts


@pytest.mark.parametrize(("prefix", "width"), [(p, w) for p in PREFIXES for w in (390, 1280)])
def test_a_download_size_is_never_cut_from_its_unit(browser, site_url, prefix, width):
    """A reviewer saw "366,7 / kB" on the open-data page: each size cell's text is on one line, on a
    phone (where a row's cells run as one line of text) and on a wide screen (where the table's size
    column is as narrow as its longest word: it broke there, in both languages, from 641 px up)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(f"{site_url}{prefix}open-data/")
    lines = tab.evaluate("""() => [...document.querySelectorAll('table.catalog-downloads tbody tr')].map(row => {
        const cell = row.cells[2], range = document.createRange(); range.selectNodeContents(cell);
        return [cell.textContent, new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size]; })""")
    assert len(lines) >= 6 and all(re.fullmatch(r"[\d.,]+\s(kB|MB)", text) for text, _ in lines), lines
    context.close()
    assert [text for text, count in lines if count != 1] == [], lines
