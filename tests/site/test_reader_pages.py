"""The pages around the practices speak to readers (issue 25, items 8, 10 and 11): who publishes
the catalog and how to reach them, what gets in, the context of each listing, and plain wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.languages import LANGUAGES
from catalog.model import load_practices
from catalog.publisher import PublisherError, publisher_from_config
from scripts.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, build_site

pytestmark = pytest.mark.site

EMAIL = "editores@example.org"
NO_EMAIL = {"es": "El catálogo no tiene dirección de correo electrónico", "en": "The catalog has no e-mail address"}
PAGES_WITH_CONTACT = ("", "about/", "contribute/", "propose/")  # the footer of every page, and these bodies


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The visible words of some HTML, tags removed and spaces joined."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def footer(html: str) -> str:
    return html[html.index('<footer class="md-footer">'):]


def content(html: str) -> str:
    return html[html.index('<article'):html.index('</article>')]


# --- 8. who publishes, how to reach them, what gets in -----------------------------------------

def publisher_config(**fields) -> dict:
    block = {"name": "P", "statement": "S", "licence": {"data": {"name": "CC BY 4.0", "url": "https://example.org/l"}}}
    return {"repository": "https://github.com/o/r", "publisher": block | fields}


def test_the_publisher_email_is_one_address_or_none():
    assert publisher_from_config(publisher_config(), LANGUAGES).email is None
    assert publisher_from_config(publisher_config(email=""), LANGUAGES).email is None
    with_email = publisher_from_config(publisher_config(email=EMAIL), LANGUAGES)
    assert with_email.email == EMAIL and with_email.contact == f"mailto:{EMAIL}"
    assert publisher_from_config(publisher_config(), LANGUAGES).contact == "https://github.com/o/r/issues"
    for wrong in ("Editores <e@example.org>", f"mailto:{EMAIL}", "a@b.org, c@d.org", "no-at-sign", 42):
        with pytest.raises(PublisherError, match="extra.publisher.email"):
            publisher_from_config(publisher_config(email=wrong), LANGUAGES)


@pytest.fixture(scope="module")
def site_with_email(tmp_path_factory) -> Path:
    """A small catalog whose mkdocs.yml gives the editors' e-mail and a postal address."""
    root = tmp_path_factory.mktemp("email")
    project = write_synthetic_catalog(root / "project", 3)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    commented = "    # email: catalogo@example.org"
    assert commented in text
    text = text.replace(commented, f'    email: {EMAIL}\n    address: {{es: "Calle Falsa 123, Ciudad", en: "123 Fake Street, City"}}\n{commented}')
    config.write_text(text, encoding="utf-8")
    build_site(project, root / "site")
    return root / "site"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_editors_email_and_address_are_in_the_footer_and_on_the_pages_that_need_them(site_with_email, language):
    prefix = "" if language == "es" else "en/"
    address = "Calle Falsa 123, Ciudad" if language == "es" else "123 Fake Street, City"
    for url in PAGES_WITH_CONTACT:
        html = page(site_with_email, prefix + url)
        assert f'href="mailto:{EMAIL}"' in footer(html), url
        assert address in text_of(footer(html)), url
        assert NO_EMAIL[language] not in html, url
        if url:
            assert f'href="mailto:{EMAIL}"' in content(html), f"{url}: the page itself does not give the e-mail"


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_an_email_the_site_says_how_to_reach_the_editors_and_promises_none(built_site, language):
    prefix = "" if language == "es" else "en/"
    for url in PAGES_WITH_CONTACT:
        html = page(built_site, prefix + url)
        assert 'href="mailto:' not in html, url
        assert NO_EMAIL[language] in text_of(footer(html)), url
        if url:
            assert NO_EMAIL[language] in text_of(content(html)), url


@pytest.mark.parametrize(("prefix", "headings", "words"), [
    ("", ["Qué prácticas incluye", "Cómo se elabora y se revisa", "Cómo avisar de un error"],
     ["MIRPS", "Proceso de Quito", "Plan de Acción de Chile", "apátridas", "al menos una fuente pública",
      "no son inciertos", "servir a otro Estado", "Recopilada", "Presentada", "Revisada"]),
    ("en/", ["Which practices it includes", "How records are written and reviewed", "How to report an error"],
     ["MIRPS", "Quito Process", "Chile Plan of Action", "stateless", "at least one public source",
      "not uncertain", "useful to another state", "Compiled", "Submitted", "Reviewed"]),
])
def test_the_about_page_states_what_gets_in_how_records_are_made_and_how_to_report_an_error(built_site, prefix, headings, words):
    html = content(page(built_site, prefix + "about/"))
    found = [text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    for heading in headings:
        assert heading in found, found
    words_on_page = text_of(html).casefold()
    for word in words:
        assert word.casefold() in words_on_page, word


def latest_block(html: str) -> str:
    start = html.index('id="ultimas-practicas-anadidas"') if 'id="ultimas-practicas-anadidas"' in html else html.index('id="latest-practices-added"')
    return html[start:html.index("</ol>", start)]


def test_the_home_page_features_only_practices_whose_status_is_confirmed(built_site):
    practices = load_practices(PRACTICES)
    unconfirmed = [p for p in practices if p.status == "unknown"]
    assert unconfirmed, "the catalog has no unconfirmed practice to leave out"
    newest = max(practices, key=lambda p: (p.submitted, p.id))
    for prefix in ("", "en/"):
        latest = latest_block(page(built_site, prefix))
        assert latest.count('class="catalog-card"') == 6
        for practice in unconfirmed:
            assert f"practices/{practice.id}/" not in latest, practice.id
        assert ("Estado no confirmado" if not prefix else "Status not confirmed") not in latest
    if newest.status == "unknown":  # today the two newest are unconfirmed: they wait on the catalog page
        assert f"practices/{newest.id}/" in page(built_site, "catalog/")


def test_an_unconfirmed_practice_carries_its_label_wherever_it_is_listed(built_site):
    practices = load_practices(PRACTICES)
    unconfirmed = next(p for p in practices if p.status == "unknown")
    for prefix, label in (("", "Estado no confirmado"), ("en/", "Status not confirmed")):
        for listing in ("catalog/", f"countries/{unconfirmed.country.lower()}/", f"themes/{unconfirmed.themes[0]}/"):
            html = page(built_site, prefix + listing)
            card = re.search(rf'<li class="catalog-card">(?:(?!</li>).)*practices/{unconfirmed.id}/(?:(?!</li>).)*</li>', html, re.S)
            assert card, listing
            assert f'<span class="catalog-status--unconfirmed">{label}</span>' in card.group(0), listing
