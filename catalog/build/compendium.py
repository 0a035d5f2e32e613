"""The compendium: the catalog, or part of it, as one print-quality PDF in one language.

Made by `catalog compendium` (catalog/cli/compendium.py) and, when asked, by a site build.

Each practice is the very body of its web page (catalog.build.pages.practice_body: the same views, templates
and result tables); this module only adds what a printed book needs around them (a cover, contents,
a presentation, how the catalog is made, the map, an overview table, the practices grouped by
country in the language's alphabetical order, the acronyms, indexes and a colophon: see
compendium_book) and typesets the whole with WeasyPrint (compendium_pdf). What the web page has
for makers (history, record links, ids) is left out by the book's print styles. Links inside a practice are made absolute (they
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
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from catalog.build.compendium_book import Chapter, Entry, acronyms, by_theme, citation, count_of, front_pages, overview_row
from catalog.build.compendium_pdf import pdf
from catalog.build.exports import DOWNLOADS, build_date
from catalog.build.pages import SiteContext, last_updated, practice_body
from catalog.core.languages import language_root
from catalog.core.paths import practice_url
from catalog.core.settings import read_settings
from catalog.present.map_blocks import region_map
from catalog.present.render import render
from catalog.present.views import LanguageView
from catalog.records.history import read_history
from catalog.records.model import Practice

# Where a site built with the plugin's `compendium` option publishes each language's compendium.
COMPENDIUM_PATHS = {download.language: download.path for download in DOWNLOADS if download.format == "PDF"}


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
class Context:
    """Where the practices come from and where the site lives: what the bodies and links need."""

    site: SiteContext  # the pages' own context (repository, publisher, site address, the records' history)
    build_date: str  # YYYY-MM-DD (SOURCE_DATE_EPOCH when set)

    @property
    def site_url(self) -> str:
        return self.site.site_url

    def body(self, practice: Practice, view: LanguageView) -> str:
        return practice_body(practice, view, self.site, axis=True)

    def address(self, practice: Practice, language: str) -> str:
        return self.site_url + language_root(language) + practice_url(practice.id)

    def last_updated(self, practice: Practice) -> str:
        return last_updated(practice, self.site)


def context_for(root: Path, config: Any) -> Context:
    """The context of a compendium of the project at root, from its site settings (mkdocs.yml's site_url
    and extra, read by catalog.core.settings) and one `git log`, as a site build makes it. Raises
    PublisherError when mkdocs.yml's extra.publisher is incomplete."""
    site = SiteContext.of(read_settings(config.extra, config.site_url), read_history(root))
    return Context(site, build_date())


def by_country(practices: list[Practice], view: LanguageView) -> list[tuple[str, list[Practice]]]:
    """Practices grouped by country; countries and, inside each, titles in the language's collation order."""
    groups: dict[str, list[Practice]] = defaultdict(list)
    for practice in practices:
        groups[practice.country].append(practice)

    def title(practice: Practice) -> str:
        return view.text(practice.title, practice.original_language).text

    ordered = sorted(groups, key=lambda code: (view.sort_key(view.country(code)), code))
    return [(code, sorted(groups[code], key=lambda p: (view.sort_key(title(p)), p.id))) for code in ordered]


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


def chapters(practices: list[Practice], view: LanguageView, site: Context) -> list[Chapter]:
    """The book's chapters: one per country (and the regional practices), each practice as an Entry."""
    made = []
    for code, members in by_country(practices, view):
        entries = []
        for practice in members:
            address = site.address(practice, view.language)
            title = view.text(practice.title, practice.original_language).text
            body = localize(site.body(practice, view), f"p-{practice.id}", address)
            year = site.last_updated(practice)[:4]
            cite = citation(view, site.site.publisher.name[view.language], year, title, address, site.build_date)
            entries.append(Entry(practice, heading_id(body, f"practice-{practice.id}"), title, body, address, cite))
        made.append(Chapter(code, view.country(code), entries))
    return made


_HEADING = re.compile(r'<h1\b[^>]*\bid="([^"]+)"')


def heading_id(body: str, default: str) -> str:
    """The id of the practice's title (its first <h1>): where contents, overview and indexes point, so
    that a page number is the page of the title, even when the title is moved to the next page."""
    found = _HEADING.search(body)
    return found.group(1) if found else default


def compendium_html(practices: list[Practice], view: LanguageView, site: Context, selection: Selection) -> str:
    """The whole compendium as one HTML document, ready for WeasyPrint: cover, contents, front
    matter (presentation, method, map, overview), the chapters, and the back matter (acronyms,
    indexes, colophon)."""
    chosen = [practice for practice in practices if selection.matches(practice)]
    book = chapters(chosen, view, site)
    latest = max(site.last_updated(practice) for practice in chosen)
    return render(
        "compendium.html", view=view, chapters=book, selection=selection.labels(view), count=len(chosen),
        site_url=site.site_url, about=site.site_url + language_root(view.language) + "about/",
        date=site.build_date, latest=latest, version=software_version(),
        publisher=site.site.publisher, pages=front_pages(view.language),
        map=Markup(region_map(chosen, view, "", full=False, standalone=True)), acronyms=acronyms(chosen, view),
        themes=by_theme(book, view), overview_row=overview_row, count_of=count_of(view),
    )


def software_version() -> str:
    """The version of the catalog's software that made the book (pyproject.toml), or "" outside an install."""
    try:
        return metadata.version("good-practice-catalog")
    except metadata.PackageNotFoundError:
        return ""


def build(practices: list[Practice], language: str, out: Path, site: Context, selection: Selection | None = None) -> dict:
    """Write one compendium; return what was made (pages, bytes, seconds) for the command's report."""
    started = time.perf_counter()
    html = compendium_html(practices, LanguageView(language), site, selection or Selection())
    data, pages = pdf(html, site.site_url, site.site.publisher.name[language])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return {"pages": pages, "bytes": len(data), "seconds": round(time.perf_counter() - started, 1)}


def site_files(practices: list[Practice], site: Context) -> dict[str, bytes]:
    """The whole catalog's compendium in every language, as site path → bytes (for the plugin)."""
    return {path: pdf(compendium_html(practices, LanguageView(language), site, Selection()), site.site_url,
                      site.site.publisher.name[language])[0]
            for language, path in COMPENDIUM_PATHS.items()}
