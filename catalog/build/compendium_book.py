"""What the printed compendium puts around the practices: its chapters, the overview's rows, the
list of acronyms, the indexes and the hand-written front pages (catalog/data/compendium/*.md).

Everything here is for readers: titles, names, labels and addresses in one language, never a
record id, a field path or a commit. Page numbers are not known here: the template asks
WeasyPrint for them (`target-counter`) through each practice's anchor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import cmarkgfm
from markupsafe import Markup, escape

from catalog.core.datafiles import package_file
from catalog.present.views import LanguageView
from catalog.records.model import Entity, Practice

HEADER_TITLE_LENGTH = 64  # characters of a practice's title that fit the running header's one line


@dataclass(frozen=True)
class Entry:
    """One practice as the book shows it."""

    practice: Practice
    anchor: str  # the id of its title: where contents, overview and indexes point
    title: str
    body: Markup  # the web page's own body, made fit for the book (compendium.localize)
    address: str  # its page on the site, in full
    citation: Markup

    @property
    def short_address(self) -> str:
        """The address as a reader types it: no scheme."""
        return self.address.split("://", 1)[-1]

    @property
    def header_title(self) -> str:
        """The title for the running header: cut at a word, with an ellipsis, to stay on one line."""
        return shorten(self.title, HEADER_TITLE_LENGTH)


@dataclass(frozen=True)
class Chapter:
    """A country (or the regional practices): a chapter of the book."""

    code: str
    name: str
    entries: list[Entry]

    @property
    def anchor(self) -> str:
        return f"country-{self.code.lower()}"


def shorten(text: str, length: int) -> str:
    """text, or its first words up to length characters followed by an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.—–-") + "…"


WHOLE_ADDRESS = 100  # characters of an address kept on one line (a longer one breaks anywhere)


def citation(view: LanguageView, publisher: str, year: str, title: str, address: str, date: str) -> Markup:
    """How to cite a practice, in the site's own words (ui.yml cite_text), consulted on the book's date."""
    url = Markup('<span class="whole">{}</span>').format(address) if len(address) <= WHOLE_ADDRESS else address
    return Markup(escape(view.t["cite_text"])).format(publisher=publisher, year=year, title=title,
                                                   site=view.t["site_name"], url=url, date=view.date(date))


def acronyms(practices: list[Practice], view: LanguageView) -> list[tuple[str, str]]:
    """(acronym, name) of every entity the records name with an acronym, in this language, sorted;
    an acronym used for two different names is listed with each."""
    pairs = set()
    for practice in practices:
        for entity in _entities(practice):
            acronym = view.acronym(entity)
            if acronym:
                pairs.add((acronym, view.text(entity.name, practice.original_language).text))
    return sorted(pairs, key=lambda pair: (view.sort_key(pair[0]), view.sort_key(pair[1])))


def _entities(practice: Practice) -> list[Entity]:
    return [practice.lead_entity, *practice.partners]


def by_theme(chapters: list[Chapter], view: LanguageView) -> list[tuple[str, list[Entry]]]:
    """(theme label, its entries in book order) for every theme used, themes in alphabetical order."""
    entries: dict[str, list[Entry]] = defaultdict(list)
    for chapter in chapters:
        for entry in chapter.entries:
            for theme in entry.practice.themes:
                entries[view.theme(theme)].append(entry)
    return sorted(entries.items(), key=lambda item: view.sort_key(item[0]))


def overview_row(entry: Entry, chapter: Chapter, view: LanguageView) -> dict[str, str]:
    """The overview table's cells for one practice (the page number is the template's)."""
    practice = entry.practice
    return {"country": chapter.name, "title": entry.title, "period": view.years(practice),
            "status": view.status(practice.status), "themes": ", ".join(view.theme(t) for t in practice.themes)}


def written_page(name: str, language: str) -> Markup:
    """A hand-written page of the book (catalog/data/compendium/NAME.LANG.md): the package's own
    CommonMark, headings included, with cmark's safe mode (raw HTML and unsafe links left out)."""
    text = package_file(f"data/compendium/{name}.{language}.md").read_text(encoding="utf-8")
    return Markup(cmarkgfm.markdown_to_html(text))


def front_pages(language: str) -> dict[str, Markup]:
    """The hand-written pages the book opens with: its presentation and how the catalog is made."""
    return {name: written_page(name, language) for name in ("presentation", "method")}


def count_of(view: LanguageView) -> Callable[[int, str], str]:
    """A number with its noun, one or many (ui.yml KEY_one / KEY_other)."""
    return lambda count, key: view.count(key, count)
