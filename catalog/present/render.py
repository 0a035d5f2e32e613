"""Rendering: record Markdown to sanitized HTML, and Jinja page bodies (results as HTML bar tables).

Record text is untrusted. The validator already refuses HTML and unsafe links; here the
Markdown output is sanitized again against a small allowlist (defence in depth), and every
template autoescapes.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from catalog.core.datafiles import from_data
from catalog.core.paths import (
    CATALOG_URL,
    COUNTRIES_URL,
    MECHANISMS_URL,
    THEMES_URL,
    country_url,
    mechanism_url,
    practice_url,
    relative,
    theme_url,
)
from catalog.present.charts import source_line
from catalog.records import markup
from catalog.records.model import Practice


class RenderError(ValueError):
    """A value of a record that could not be rendered; `value` lets the caller name its field."""

    def __init__(self, value: object, reason: str):
        super().__init__(reason)
        self.value = value


def markdown_to_html(text: str) -> Markup:
    """Record Markdown (CommonMark) rendered and sanitized by catalog.records.markup: only allowlisted tags,
    and only https:/mailto: links that pass the same rule the validator applies."""
    try:
        return Markup(markup.render(text))
    except markup.TooDeep as error:  # the validator refuses it; a record that skipped validation stops here
        raise RenderError(text, str(error)) from None


_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
_INDENTATION = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """Drop the indentation and blank lines of a built page (about a tenth of its weight) except
    inside <pre> and <textarea>, where whitespace is content. A newline stays wherever whitespace
    was, so text reads the same."""
    parts, last = [], 0
    for kept in _KEEP_WHITESPACE.finditer(html):
        parts += [_INDENTATION.sub("\n", html[last:kept.start()]), kept.group(0)]
        last = kept.end()
    return "".join(parts) + _INDENTATION.sub("\n", html[last:])


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("catalog", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters["markdown"] = markdown_to_html
    environment.globals.update(
        relative=relative, practice_url=practice_url, country_url=country_url, theme_url=theme_url,
        mechanism_url=mechanism_url, card=card, inline=inline, entity=entity, CATALOG_URL=CATALOG_URL, COUNTRIES_URL=COUNTRIES_URL,
        THEMES_URL=THEMES_URL, MECHANISMS_URL=MECHANISMS_URL, source_line=source_line, escape=escape,
        time=time,
    )
    return environment


_PENDING_TEXT = Markup('<span lang="{}" class="catalog-pending" title="{}">{}</span>')


def inline(view, shown) -> Markup:
    """A text of a record in a line: marked with its own language when it stands in for a pending
    translation (templates call this as a function: it was their most called macro)."""
    if shown.pending:
        return _PENDING_TEXT.format(shown.lang, view.t["pending_tooltip"], shown.text)
    return escape(shown.text)


_TIME = Markup('<time datetime="{}">{}</time>')


def time(view, date: str) -> Markup:
    """A day as the reader reads it, with the ISO date machines read (YYYY-MM-DD)."""
    return _TIME.format(date, view.date(date))


def entity(view, item, practice: Practice) -> Markup:
    """An organization's name in the page's language, and its acronym: «Agencia de la ONU… (ACNUR)»."""
    acronym = view.acronym(item)
    name = inline(view, view.text(item.name, practice.original_language))
    return name + Markup(" ({})").format(acronym) if acronym else name


@from_data
def _data_read() -> object:
    """A token that is new whenever a data file or a template changed (catalog.core.datafiles.new_build)."""
    return object()


class Cards:
    """Practices' cards in listings (templates/_macros.html, card), kept while their records do not
    change: a practice appears in many listings, and its card is rendered once per language for each
    pair of links it holds (to its page and its country's), which pages at the same depth share. A
    full build keeps one for its listings; the live preview keeps one across its builds
    (catalog.mkdocs.preview). A data file or a template changing empties it."""

    def __init__(self) -> None:
        # (practice, language, level, links) → (the record's data and vocabularies it was rendered from, its HTML)
        self._kept: dict[tuple, tuple[object, object, Markup]] = {}
        self._data: object = None

    def __len__(self) -> int:
        return len(self._kept)

    def card(self, practice: Practice, view: object, page_url: str, level: int = 3) -> Markup:
        if self._data is not _data_read():
            self._kept.clear()
            self._data = _data_read()
        links = (relative(page_url, practice_url(practice.id)), relative(page_url, country_url(practice.country)))
        key = (practice.id, view.language, level, *links)
        cached = self._kept.get(key)
        if cached is None or cached[1] is not view.vocabularies or (cached[0] is not practice.raw and cached[0] != practice.raw):
            cached = self._kept[key] = (practice.raw, view.vocabularies, card(practice, view, page_url, level))
        return cached[2]


def card(practice: Practice, view: object, page_url: str, level: int = 3) -> Markup:
    """A practice's card (templates/_macros.html, card), rendered; listings use Cards.card instead."""
    return Markup(render("card.html", practice=practice, view=view, page_url=page_url, level=level))


def render(template: str, **context: object) -> str:
    """Render one of catalog/templates with autoescaping."""
    return _environment().get_template(template).render(**context)
