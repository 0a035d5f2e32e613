"""The compendium: the catalog, or part of it, as one print-quality PDF in one language.

`catalog compendium --lang es --out compendio.pdf [--country PAN] [--theme T] [--mechanism M]`

Each practice is the very body of its web page (site.practice_body: the same views, templates
and SVG charts); this module only adds what a printed book needs around them (a cover, a table
of contents with page numbers, the practices grouped by country in the language's alphabetical
order) and typesets the whole with WeasyPrint. Links inside a practice are made absolute (they
point to the site), and ids are made unique per practice.

The output depends only on the records, the git history and SOURCE_DATE_EPOCH: two builds of
one commit give the same bytes. WeasyPrint is imported only when a PDF is written, so that a
site build that does not ask for the compendium does not pay for it.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup

from catalog.model import Practice
from catalog.views import LanguageView

# Where the deploy workflow publishes the compendium of each language (site-relative paths).
COMPENDIUM_PATHS = {"es": "data/compendio-es.pdf", "en": "data/compendium-en.pdf"}


@dataclass(frozen=True)
class Selection:
    """Which practices go into a compendium: all, or those of one country, theme and/or mechanism."""

    country: str | None = None  # ISO alpha-3, upper case (or the regional code)
    theme: str | None = None
    mechanism: str | None = None

    def matches(self, practice: Practice) -> bool:
        return ((self.country is None or practice.country == self.country)
                and (self.theme is None or self.theme in practice.themes)
                and (self.mechanism is None or self.mechanism in practice.mechanisms))

    def labels(self, view: LanguageView) -> list[str]:
        """What the selection is, in words, for the cover and the title."""
        return [label for label in (
            view.country(self.country) if self.country else None,
            view.theme(self.theme) if self.theme else None,
            view.mechanism(self.mechanism) if self.mechanism else None,
        ) if label]


@dataclass(frozen=True)
class CountryGroup:
    code: str
    name: str
    practices: list[tuple[Practice, str, Markup]]  # (practice, title in this language, body)


def by_country(practices: list[Practice], view: LanguageView) -> list[tuple[str, list[Practice]]]:
    """Practices grouped by country; countries and, inside each, titles in the language's collation order."""
    groups: dict[str, list[Practice]] = defaultdict(list)
    for practice in practices:
        groups[practice.country].append(practice)

    def title(practice: Practice) -> str:
        return view.text(practice.title, practice.original_language).text

    ordered = sorted(groups, key=lambda code: view.collation_key(view.country(code)))
    return [(code, sorted(groups[code], key=lambda p: (view.collation_key(title(p)), p.id))) for code in ordered]


_ID = re.compile(r'\b(id|for|aria-labelledby|aria-describedby)="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')


def localize(body: str, prefix: str, page_address: str) -> Markup:
    """A page body made fit to sit among others in one document: every id (and reference to one)
    gets the practice's prefix, and relative links become absolute addresses on the site."""
    def ids(match: re.Match) -> str:
        return f'{match.group(1)}="{" ".join(f"{prefix}-{name}" for name in match.group(2).split())}"'

    def href(match: re.Match) -> str:
        target = match.group(1)
        if target.startswith("#"):
            return f'href="#{prefix}-{target[1:]}"'
        return f'href="{urljoin(page_address, target)}"'

    return Markup(_HREF.sub(href, _ID.sub(ids, body)))


def compendium_html(practices: list[Practice], view: LanguageView, site, selection: Selection) -> str:
    """The whole compendium as one HTML document (cover, contents, practices), ready for WeasyPrint.

    `site` is a catalog.site.Compendium-ready context: body(practice, view) gives a practice's
    page body, address(practice, language) its absolute page URL, plus site_url and build_date.
    """
    from catalog.render import render

    chosen = [practice for practice in practices if selection.matches(practice)]
    groups = []
    for code, members in by_country(chosen, view):
        items = []
        for practice in members:
            body = localize(site.body(practice, view), f"p-{practice.id}", site.address(practice, view.language))
            items.append((practice, view.text(practice.title, practice.original_language).text, body))
        groups.append(CountryGroup(code, view.country(code), items))
    return render("compendium.html", view=view, groups=groups, selection=selection.labels(view),
                  count=len(chosen), site_url=site.site_url, date=site.build_date, repository=site.repository)


def write_pdf(html: str, out: Path, base_url: str) -> int:
    """Typeset the document into a tagged PDF (headings as bookmarks, the language and title in its
    metadata, text as text); return its number of pages."""
    import weasyprint  # only here: a site build without the compendium never loads it

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    out.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(out, pdf_tags=True, pdf_version="1.7")
    return len(document.pages)


def build(practices: list[Practice], language: str, out: Path, site, selection: Selection | None = None) -> dict:
    """Write one compendium; return what was made (pages, bytes, seconds) for the command's report."""
    started = time.perf_counter()
    html = compendium_html(practices, LanguageView(language), site, selection or Selection())
    pages = write_pdf(html, out, site.site_url)
    return {"pages": pages, "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - started, 1)}
