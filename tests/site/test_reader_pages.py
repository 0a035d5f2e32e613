"""The pages around the practices speak to readers (issue 25, items 8, 10 and 11): who publishes
the catalog and how to reach them, what gets in, the context of each listing, and plain wording.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from catalog.core.languages import LANGUAGES
from catalog.core.publisher import PublisherError, publisher_from_config
from catalog.records.model import load_practices
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, build_site

pytestmark = pytest.mark.site

EMAIL = "editores@example.org"
NO_EMAIL = {"es": "El catálogo no tiene correo electrónico", "en": "The catalog has no e-mail address"}
PAGES_WITH_CONTACT = ("", "about/", "contribute/", "propose/")  # the footer of every page, and these bodies


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The visible words of some HTML, tags removed and spaces joined."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


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
    setting = '    email: !ENV [CATALOG_PROPOSAL_EMAIL, ""]'
    assert setting in text
    text = text.replace(setting, f'    email: {EMAIL}\n    address: {{es: "Calle Falsa 123, Ciudad", en: "123 Fake Street, City"}}')
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


# --- 10. listing pages with context ------------------------------------------------------------

def opening(html: str) -> str:
    """The words between a listing's heading and its list of practices (or its summary box)."""
    start = html.index('<h1 id="catalog-content">')
    ends = [html.find(marker, start) for marker in ('<section class="catalog-summary"', '<p class="catalog-count"', '<ul class="catalog-index"')]
    return html[start:min(end for end in ends if end > 0)]


def vocabularies():
    from catalog.core.vocabularies import load_vocabularies
    return load_vocabularies()


def test_every_factual_context_text_is_bilingual_and_sourced_by_a_public_https_address():
    v = vocabularies()
    for term in (*v.themes.values(), *v.mechanisms.values()):
        assert term.about and all(term.about[language].strip() for language in LANGUAGES), term.id
    for term in v.mechanisms.values():
        assert term.sources and all(re.fullmatch(r"https://[^\s/]+/\S*", url) for url in term.sources), term.id
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", term.about["es"])) <= 3, f"{term.id}: two or three sentences"
        assert set(term.members) <= set(v.countries), term.id
    for code, authority in v.asylum_authorities.items():
        assert code in v.countries and re.fullmatch(r"https://[^\s/]+/\S*", authority.source), code
        assert all(authority.names[language].strip() for language in LANGUAGES), code


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("en/", "en")])
def test_country_pages_name_the_asylum_authority_and_the_mechanisms_the_country_belongs_to(built_site, prefix, language):
    v = vocabularies()
    countries = {p.country for p in load_practices(PRACTICES)} - {v.regional_code}
    assert {"PAN", "MEX", "CHL"} <= countries
    for code in countries:
        words = opening(page(built_site, f"{prefix}countries/{code.lower()}/"))
        authority = v.asylum_authorities.get(code)
        if authority:
            assert authority.names[language] in text_of(words), code
            assert f'href="{authority.source}"' in words, code
        for term in v.mechanisms.values():
            label = term.labels[language]
            assert (label in text_of(words)) == (code in term.members), (code, term.id)
    panama = text_of(opening(page(built_site, f"{prefix}countries/pan/")))
    assert ("Oficina Nacional para la Atención de Refugiados" if language == "es" else "National Office for Refugee Attention") in panama
    assert "Proceso de Quito" in panama if language == "es" else "Quito Process" in panama


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("en/", "en")])
def test_mechanism_and_theme_pages_say_what_their_topic_is(built_site, prefix, language):
    v = vocabularies()
    practices = load_practices(PRACTICES)
    for key in {m for p in practices for m in p.mechanisms}:
        words = opening(page(built_site, f"{prefix}mechanisms/{key}/"))
        assert v.mechanisms[key].about[language] in text_of(words), key
        assert all(f'href="{url}"' in words for url in v.mechanisms[key].sources), key
    mirps = text_of(opening(page(built_site, f"{prefix}mechanisms/mirps/")))
    assert ("Estados miembros" if language == "es" else "Member states") in mirps and "Belize" in mirps or "Belice" in mirps
    for key in {t for p in practices for t in p.themes}:
        assert v.themes[key].about[language] in text_of(opening(page(built_site, f"{prefix}themes/{key}/"))), key


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_regional_is_not_listed_among_the_countries(built_site, prefix):
    html = page(built_site, prefix + "countries/")
    countries = html[html.index('<ul class="catalog-index">'):html.index("</ul>", html.index('<ul class="catalog-index">'))]
    assert "countries/reg/" not in countries and "Regional" not in text_of(countries)
    after = html[html.index("</ul>", html.index('<ul class="catalog-index">')):]
    assert 'href="reg/"' in after and ("Prácticas regionales" if not prefix else "Regional practices") in text_of(after)
    catalog = page(built_site, prefix + "catalog/")
    assert re.findall(r'name="country" value="([a-z]+)"', catalog)[-1] == "reg", "Regional comes after the countries"
    assert "<title>Regional -" not in page(built_site, prefix + "countries/reg/")


# --- 11. wording --------------------------------------------------------------------------------

def every_page(site: Path) -> list[Path]:
    return [path for path in site.rglob("index.html") if "pagefind" not in path.parts]


def test_the_home_lead_is_two_full_sentences(built_site):
    for prefix in ("", "en/"):
        html = page(built_site, prefix)
        lead = text_of(re.search(r"</h1>\s*<p>(.*?)</p>", html, re.S).group(1))
        sentences = [s for s in re.split(r"(?<=\.)\s+", lead) if s]
        assert len(sentences) == 2, sentences
        assert all(s[0].isupper() and s.endswith(".") and len(s.split()) >= 10 for s in sentences), sentences
        # Sentences with a subject, not a clause standing alone ("Qué hicieron…", "Para conocer…").
        assert sentences[0].startswith("Este catálogo" if not prefix else "This catalog"), sentences
        assert not any(s.split()[0] in ("Qué", "Para", "What", "To") for s in sentences), sentences


def test_reader_pages_are_free_of_the_awkward_and_duplicated_wording(built_site):
    banned = ["de la última añadida al catálogo a la primera", "estado actual no confirmado", "current status not confirmed",
              "Entidad líder", "Lead entity", "Formulario de issues"]
    for path in every_page(built_site):
        words = text_of(content(path.read_text(encoding="utf-8")))
        for phrase in banned:
            assert phrase not in words, (path, phrase)
    practice = text_of(content(page(built_site, "practices/onpar-border-access/")))
    assert "Institución responsable" in practice
    assert "Responsible institution" in text_of(content(page(built_site, "en/practices/onpar-border-access/")))


def test_listing_pages_open_with_more_than_a_fragment(built_site):
    for prefix in ("", "en/"):
        for kind in ("countries", "themes", "mechanisms"):
            for path in sorted((built_site / prefix / kind).glob("*/index.html")):
                words = text_of(opening(path.read_text(encoding="utf-8")))
                sentences = re.findall(r"[^.]+\.", words)
                assert len(sentences) >= 2 and len(words.split()) >= 25, (path, words)
