"""The pages MkDocs builds from the records: one per practice and language, and the browse pages.

Pages are real Markdown files written under docs/ (git-ignored) because mkdocs-static-i18n
cannot handle in-memory files; each holds escaped front matter and one block of HTML
rendered by catalog/templates. A file is rewritten only when its content changed, so that
`mkdocs serve` settles instead of rebuilding forever.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup, escape

from catalog.build.related import related_practices
from catalog.core.geo import shapes
from catalog.core.languages import LANGUAGES, docs_suffix, language_root
from catalog.core.parallel import run_all, worth_forking
from catalog.core.paths import (
    CATALOG_URL,
    COUNTRIES_URL,
    FACETS,
    GENERATED_DIRS,
    INDEX_URLS,
    MECHANISMS_URL,
    THEMES_URL,
    country_url,
    mechanism_url,
    practice_data_url,
    practice_url,
    relative,
    theme_url,
)
from catalog.core.publisher import Publisher
from catalog.core.settings import Settings
from catalog.present.charts import results_of
from catalog.present.jsonld import json_ld
from catalog.present.map_blocks import country_map
from catalog.present.render import Cards, RenderError, render
from catalog.present.views import LanguageView
from catalog.records.history import RecordHistory
from catalog.records.model import Practice

# LibYAML's emitter when PyYAML has it: the same output as yaml.safe_dump, ten times faster.
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PAGE_SIZE = 100  # practices per listing page: listings stay light however large the catalog grows
LATEST_COUNT = 6
BODY_MARKER = "<!-- catalog:body -->"  # where a generated page's pre-rendered body goes


@dataclass(frozen=True)
class SiteContext:
    """What the pages need besides the records: where the repository is, and when each record last changed."""

    repository: str  # https URL of the repository, for "propose a change" links
    branch: str
    history: RecordHistory  # every record's changes, from one `git log` per build
    publisher: Publisher  # who publishes the catalog (mkdocs.yml extra.publisher)
    site_url: str  # absolute address of the site's root, ending in /

    @classmethod
    def of(cls, settings: Settings, history: RecordHistory) -> SiteContext:
        """The context of a build: the site's settings (mkdocs.yml) and one `git log`."""
        return cls(repository=settings.repository, branch=settings.branch, history=history,
                   publisher=settings.publisher, site_url=settings.site_url)


def docs_path(url: str, language: str) -> str:
    """The Markdown file for a page URL: practices/x/ → practices/x.md (Spanish) or practices/x.en.md."""
    stem = url.rstrip("/")
    if url in INDEX_URLS:
        stem += "/index"
    return f"{stem}{docs_suffix(language)}.md"


def markdown_page(title: str, description: str, body: str, feed: tuple[str, str] | None = None,
                  search: bool = False) -> str:
    """A generated page: front matter already HTML-escaped (Material prints it unescaped), the body
    marker, then the body's HTML. Only the part up to the marker is written for MkDocs (`split_page`).
    Generated pages are one column: no navigation sidebar, no table of contents (Material's `hide`).
    A page with its own Atom feed (a listing) names it, (URL in the language's root, title), for the <head>."""
    meta = {"title": str(escape(title)), "description": str(escape(description)), "hide": ["navigation", "toc"]}
    if feed:
        meta.update(feed=feed[0], feed_title=str(escape(feed[1])))
    if search:  # the page with the catalog's search: overrides/main.html starts it in the <head>
        meta["catalog_search"] = True
    front = yaml.dump(meta, Dumper=_SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{front}---\n\n{BODY_MARKER}\n<div class=\"catalog-page\">\n{body}\n</div>\n"


def split_page(page: str) -> tuple[str, str]:
    """(the Markdown file MkDocs reads: front matter and the marker alone, the pre-rendered body).

    MkDocs would otherwise parse every generated body again, HTML block by HTML block, with the
    pure-Python html.parser: about a quarter of a build. The plugin puts the body in place of the
    marker once Markdown is converted (on_page_content)."""
    stub, marker, body = page.partition(BODY_MARKER + "\n")
    return stub + marker, body


class PageError(Exception):
    """A practice page that could not be made: which record, which field, in which language, and why.
    Raised before any page is written, so neither docs/ nor site/ is touched. Its arguments are plain
    values, so that it crosses from a forked rendering process (catalog.core.parallel) intact."""

    def __init__(self, source_path: str, field_path: tuple, language: str, reason: str):
        super().__init__(source_path, field_path, language, reason)
        self.source_path, self.field_path, self.language, self.reason = source_path, field_path, language, reason

    @classmethod
    def of(cls, practice: Practice, language: str, error: Exception) -> PageError:
        reason = str(error) if isinstance(error, RenderError) else f"{type(error).__name__}: {error}"
        return cls(practice.source_path, _field_holding(practice.raw, getattr(error, "value", None)), language, reason)

    def __str__(self) -> str:
        return f"{self.source_path}: {self.reason}"


def _field_holding(data: Any, value: Any, here: tuple = ()) -> tuple:
    """The path of the first field whose value is `value` (for PageError), else () (the file)."""
    if value is None:
        return ()
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return here if data == value and type(data) is type(value) else ()
    for key, item in items:
        found = _field_holding(item, value, here + (key,))
        if found:
            return found
    return ()


@dataclass(frozen=True)
class Reuse:
    """What the live preview (catalog.mkdocs.preview) takes from its last build instead of rendering again:
    `pages`, docs path → text, of records that did not change; and, when no record moved in or out of
    any listing, `listing_unchanged`, which tells whether a listing's practices are all unchanged,
    so that its pages are taken from `previous` (the last build's pages); `related`, every practice's
    related practices, which the preview has already ranked to decide what to reuse; `cards`, the
    practices' cards the preview keeps from build to build."""

    pages: Mapping[str, str]
    previous: Mapping[str, str]
    listing_unchanged: Callable[[list[Practice]], bool] | None = None
    related: Mapping[str, list[Practice]] | None = None
    cards: Cards | None = None


def generate_pages(practices: list[Practice], context: SiteContext, reuse: Reuse | None = None,
                   workers: int = 1) -> dict[str, str]:
    """Every generated page, as docs-relative path → file content, for every language. Pages that
    `reuse` offers (the live preview's) are taken from there instead of rendered.
    With workers > 1 and a large catalog, the other languages are rendered in forked processes
    meanwhile (same pages, same order)."""
    reuse = reuse or Reuse({}, {})
    related = reuse.related if reuse.related is not None else related_practices(practices)
    if reuse.cards is None:  # a full build: its own cards, shared by its listings
        reuse = dataclasses.replace(reuse, cards=Cards())
    make = functools.partial(language_pages, practices, context, reuse, related)
    if worth_forking(workers, len(practices)):
        results = run_all([functools.partial(make, language) for language in LANGUAGES])
    else:
        results = [make(language) for language in LANGUAGES]
    return {path: page for result in results for path, page in result.items()}


def language_pages(practices: list[Practice], context: SiteContext, reuse: Reuse,
                   related: dict[str, list[Practice]], language: str) -> dict[str, str]:
    """The generated pages of one language. A page that fails raises PageError naming its record and
    field, never a bare traceback."""
    pages: dict[str, str] = {}
    view = LanguageView(language)
    for practice in practices:
        path = docs_path(practice_url(practice.id), language)
        try:
            pages[path] = reuse.pages[path] if path in reuse.pages else practice_page(practice, view, context, related[practice.id])
        except Exception as error:  # noqa: BLE001 - whatever failed, say which record and field
            raise PageError.of(practice, language, error) from error
    for url, page in browse_pages(practices, view, _previous_listing(reuse, language), reuse.cards).items():
        pages[docs_path(url, language)] = page
    return pages


def _previous_listing(reuse: Reuse, language: str) -> Callable[[str, list[Practice]], dict[str, str]] | None:
    """url, practices → the pages of that listing (url → text) that the last build's can stand for:
    a page none of whose practices changed; the first page, whose summary, map and filters draw on
    them all, only if none of the listing's did."""
    unchanged = reuse.listing_unchanged
    if unchanged is None:
        return None

    def previous(url: str, members: list[Practice]) -> dict[str, str]:
        found = {}
        for number, (page_url, chunk) in enumerate(zip(listing_urls(url, len(members)), listing_chunks(members), strict=True)):
            shown = chunk if number else members
            path = docs_path(page_url, language)
            if path in reuse.previous and unchanged(shown):
                found[page_url] = reuse.previous[path]
        return found
    return previous


def practice_page(practice: Practice, view: LanguageView, context: SiteContext,
                  related: list[Practice] = ()) -> str:
    title = view.text(practice.title, practice.original_language).text
    summary = view.text(practice.summary, practice.original_language).text
    return markdown_page(title, summary, practice_body(practice, view, context, related))


def practice_body(practice: Practice, view: LanguageView, context: SiteContext, related: list[Practice] = (),
                  axis: bool = False) -> str:
    """The HTML body of a practice page; the compendium prints the very same body, with an axis under
    each chart's bars (axis=True)."""
    url = practice_url(practice.id)
    root = language_root(view.language)
    updated = last_updated(practice, context)
    record = f"{context.branch}/{practice.source_path}"
    return render(
        "practice.html",
        practice=practice,
        view=view,
        page_url=url,
        pending=view.language in practice.pending_languages(),
        last_updated=updated,
        published=first_published(practice, context),
        results=results_of(practice),
        json_ld=json_ld(practice, view, updated),
        related=related,
        axis=axis,
        publisher=context.publisher,
        page_address=f"{context.site_url}{root}{url}",
        reuse={  # the screen-only block at the end: this practice's data, its country's feed, its history
            "data": relative(root + url, practice_data_url(practice.id)),
            "feed": relative(url, feed_url(country_url(practice.country))),
            "history": f"{context.repository}/commits/{record}",
            "edit": f"{context.repository}/edit/{record}",
        },
    )


def practice_page_paths(practice: Practice) -> list[str]:
    """The Markdown files of a practice's page, one per language."""
    return [docs_path(practice_url(practice.id), language) for language in LANGUAGES]


def history_shown(practice: Practice, context: SiteContext) -> tuple:
    """What a practice's page shows of its record's git history (the dates of its last change and of
    its first publication): the live preview renders the page again when it changes, as after a commit
    made while serving. Commit subjects are never shown."""
    return last_updated(practice, context), first_published(practice, context)


def last_updated(practice: Practice, context: SiteContext) -> str:
    """The day every output gives as the record's last update (its page, JSON-LD dateModified, the
    feeds, the sitemap, the open data, the PDF): the last change of the record's file in git; outside
    git, or when git's date is not one the site may show (history.shown_date: unreadable, after the
    build, before `submitted`), the record's own dates. Never before its latest public change note: a
    note is a change a reader is told of, shown above this date (a note committed with an earlier
    commit date, or read outside git, or under a SOURCE_DATE_EPOCH that refuses the commit's date,
    would otherwise sit below an older "last updated"). A note is never after the build: the build
    validates every record first, and rules.change_dates_are_plausible refuses a note dated after today."""
    updated = context.history.last_changed(practice.source_path, practice.submitted) or practice.updated or practice.submitted
    return max([updated, *(change.date for change in practice.changes)])


def first_published(practice: Practice, context: SiteContext) -> str:
    """The day the record was first added in git; the record's own `submitted` when that is not in this clone."""
    return context.history.first_added(practice.source_path) or practice.submitted


def browse_pages(practices: list[Practice], view: LanguageView,
                 previous: Callable[[str, list[Practice]], dict[str, str]] | None = None,
                 cards: Cards | None = None) -> dict[str, str]:
    """The catalog, and a listing per country, theme and mechanism, with their index pages. The pages
    of a listing that `previous` (the live preview's) offers are taken from there instead of rendered;
    the practices' cards from `cards`."""
    previous = previous or (lambda url, members: {})
    cards = cards if cards is not None else Cards()
    pages: dict[str, str] = {}
    by_topic = topics(practices)
    by_country, by_theme, by_mechanism = by_topic["countries"], by_topic["themes"], by_topic["mechanisms"]

    # Newest first, as the catalog's search sorts by default without words (its sort key "added").
    catalog_order = sorted(practices, key=lambda p: (p.submitted, p.id), reverse=True)
    by_status = _group(practices, lambda p: [p.status])
    # The catalog's filters offer only the values some practice has, with how many have each.
    grouped = {"country": (by_country, view.country), "theme": (by_theme, view.theme),
               "mechanism": (by_mechanism, view.mechanism), "status": (by_status, view.status)}
    # "Regional" is not a country: it comes after them in the country filter.
    regional = view.vocabularies.regional_code.lower()
    facets = {
        name: sorted(((label_of(key), key.lower(), len(members)) for key, members in groups.items()),
                     key=lambda option: (option[1] == regional, option[0]))
        for name in FACETS for groups, label_of in [grouped[name]]
    }
    pages.update(listing(CATALOG_URL, catalog_order, view, view.t["catalog_title"], view.t["catalog_intro"], facets,
                         reused=previous(CATALOG_URL, catalog_order), cards=cards))

    groups = (
        (COUNTRIES_URL, by_country, country_url, view.country, "countries"),
        (THEMES_URL, by_theme, theme_url, view.theme, "themes"),
        (MECHANISMS_URL, by_mechanism, mechanism_url, view.mechanism, "mechanisms"),
    )
    for index_url, groups_by_key, url_of, label_of, kind in groups:
        entries = []
        for key in sorted(groups_by_key, key=label_of):
            members = sorted(groups_by_key[key], key=lambda p: (-p.period.start_year, p.id))
            label = label_of(key)
            context = topic_context(kind, key, view, set(by_mechanism), set(by_country))
            pages.update(_group_listing(kind, key, members, view, label, url_of(key), previous(url_of(key), members),
                                        context, cards))
            entries.append({"url": url_of(key), "label": label, "count_text": view.count("count_practices", len(members)), "key": key})
        # Regional practices are listed after the countries, not among them.
        after = [entry for entry in entries if entry["key"] == view.vocabularies.regional_code] if kind == "countries" else []
        body = render("index_list.html", view=view, page_url=index_url, heading=view.t[f"{kind}_title"],
                      intro=view.t[f"{kind}_intro"], entries=[entry for entry in entries if entry not in after], after=after)
        pages[index_url] = markdown_page(view.t[f"{kind}_title"], view.t[f"{kind}_intro"], body)
    return pages


def _group_listing(kind: str, key: str, members: list[Practice], view: LanguageView, label: str, url: str,
                   reused: Mapping[str, str], context: dict | None = None, cards: Cards | None = None) -> dict[str, str]:
    """The listing of one country, theme or mechanism, opening with what it is (`context`); a
    country's first page with its summary and map."""
    intro = view.ui(f"{kind}_page_intro", name=label)
    if kind == "countries" and key == view.vocabularies.regional_code:  # not a country
        label, intro = view.t["countries_regional_link"], view.t["regional_page_intro"]
    country = kind == "countries" and url not in reused
    summary = country_summary(members, view, label) if country else None
    before = country_map(key, members, view, url) if country and key in shapes() else ""
    return listing(url, members, view, label, intro, summary=summary, feed=(feed_url(url), feed_title(view, label)),
                   before=before, reused=reused, context=context, cards=cards)


def topic_context(kind: str, key: str, view: LanguageView, mechanisms_listed: set[str],
                  countries_listed: set[str]) -> dict | None:
    """What a listing says of its topic (data/vocabularies.yml), for listing_context.html: a theme
    what it covers; a mechanism what it is and its member states; a country its national asylum
    authority and the mechanisms it belongs to; with the public sources of those facts. Links go
    only to listings that exist (a mechanism or country with practices)."""
    vocabularies = view.vocabularies
    if kind == "themes":
        return {"about": vocabularies.themes[key].about[view.language]}
    if kind == "mechanisms":
        term = vocabularies.mechanisms[key]
        members = sorted(((view.country(code), country_url(code) if code in countries_listed else None)
                          for code in term.members), key=lambda member: view.sort_key(member[0]))
        return {"about": term.about[view.language], "members": members, "sources": _sources(term.sources)}
    if key == vocabularies.regional_code:
        return {"about": view.t["regional_about"]}
    authority = vocabularies.asylum_authorities.get(key)
    belongs = [term for term in vocabularies.mechanisms.values() if key in term.members]
    return {
        "name": view.country(key),
        "authority": authority.names[view.language] if authority else None,
        "mechanisms": [(view.mechanism(term.id), mechanism_url(term.id) if term.id in mechanisms_listed else None)
                       for term in belongs],
        "sources": _sources(([authority.source] if authority else []) + [url for term in belongs for url in term.sources]),
    }


def _sources(urls: Iterable[str]) -> list[tuple[str, str]]:
    """(what a link shows: the site's name, its address), once each: a source line stays short."""
    return [(urlsplit(url).hostname.removeprefix("www."), url) for url in dict.fromkeys(urls)]


def country_summary(practices: list[Practice], view: LanguageView, name: str) -> dict:
    """What a country's practices cover: how many, their themes and mechanisms (most frequent
    first, with counts), the commitments they are linked to, and the years they span."""
    def counted(keys_of: Callable[[Practice], Iterable[str]], label_of: Callable[[str], str], url_of=None) -> list[dict]:
        groups = _group(practices, keys_of)
        return [{"label": label_of(key), "url": url_of(key) if url_of else None, "count": view.number(len(members))}
                for key, members in sorted(groups.items(), key=lambda item: (-len(item[1]), label_of(item[0])))]

    starts = [p.period.start_year for p in practices]
    ongoing = any(p.status == "ongoing" and not p.period.end_year for p in practices)
    last = max([p.period.end_year or p.period.start_year for p in practices] + starts)
    return {
        "title": view.ui("summary_title", name=name),
        "count": view.count("count_practices", len(practices)),
        "years": f"{min(starts)}–" if ongoing else (f"{min(starts)}–{last}" if last != min(starts) else str(last)),
        "themes": counted(lambda p: p.themes, view.theme, theme_url),
        "mechanisms": counted(lambda p: p.mechanisms, view.mechanism, mechanism_url),
        "commitments": counted(lambda p: [c.commitment for c in p.commitments if c.commitment], view.commitment),
    }


def listing(url: str, practices: list[Practice], view: LanguageView, heading: str, intro: str,
            facets: dict[str, list[tuple[str, str, int]]] | None = None, summary: dict | None = None,
            feed: tuple[str, str] | None = None, before: str = "", reused: Mapping[str, str] | None = None,
            context: dict | None = None, cards: Cards | None = None) -> dict[str, str]:
    """A listing split into pages of PAGE_SIZE: url, url/page-2/, url/page-3/…
    With facets (the catalog), its first page also carries the search form and filters; with a
    feed (URL, title), every page links it, in the <head> and visibly; `before` (a country's map)
    goes on the first page, above the list. Pages found in `reused` (page URL → text) are taken as they are;
    the practices' cards come from `cards`."""
    reused = reused or {}
    cards = cards if cards is not None else Cards()
    chunks = listing_chunks(practices)
    page_urls = listing_urls(url, len(practices))
    pages = {}
    for number, (page_url, chunk) in enumerate(zip(page_urls, chunks, strict=True), start=1):
        if page_url in reused:
            pages[page_url] = reused[page_url]
            continue
        title = heading if number == 1 else f"{heading} ({view.ui('page_number', number=number)})"
        body = render("listing.html", view=view, page_url=page_url, heading=title, intro=intro,
                      count_text=view.count("count_practices", len(practices)), practices=chunk,
                      page=number, pages=len(chunks), page_urls=page_urls,
                      facets=facets if number == 1 else None, summary=summary if number == 1 else None, feed=feed,
                      context=context if number == 1 else None,
                      before=Markup(before) if number == 1 else "", card=cards.card)
        pages[page_url] = markdown_page(title, intro, body, feed, search=bool(facets) and number == 1)
    return pages


def listing_chunks(practices: list[Practice]) -> list[list[Practice]]:
    """The practices on each page of a listing, PAGE_SIZE a page (an empty listing has one page)."""
    return [practices[start:start + PAGE_SIZE] for start in range(0, len(practices), PAGE_SIZE)] or [[]]


def listing_urls(url: str, count: int) -> list[str]:
    """The pages of a listing of `count` practices: url, url/page-2/, url/page-3/…"""
    return [url] + [f"{url}page-{number}/" for number in range(2, -(-count // PAGE_SIZE) + 1)]




# The topics a practice is listed (and followed) under: kind → the keys of a practice, the page of a key.
TOPICS: dict[str, tuple[Callable[[Practice], Iterable[str]], Callable[[str], str]]] = {
    "countries": (lambda p: [p.country], country_url),
    "themes": (lambda p: p.themes, theme_url),
    "mechanisms": (lambda p: p.mechanisms, mechanism_url),
}
FEED_FILE = "feed.xml"


def topics(practices: Iterable[Practice]) -> dict[str, dict[str, list[Practice]]]:
    """Kind (countries, themes, mechanisms) → key → its practices, in the given order."""
    practices = list(practices)
    return {kind: _group(practices, keys_of) for kind, (keys_of, _) in TOPICS.items()}


def feed_url(page_url: str) -> str:
    """The Atom feed of a listing page, beside it: countries/pan/ → countries/pan/feed.xml."""
    return page_url + FEED_FILE


def feed_title(view: LanguageView, topic: str) -> str:
    return view.ui("topic_feed_title", site=view.t["site_name"], topic=topic)


def _group(practices: Iterable[Practice], keys_of: Callable[[Practice], Iterable[str]]) -> dict[str, list[Practice]]:
    groups: dict[str, list[Practice]] = defaultdict(list)
    for practice in practices:
        for key in keys_of(practice):
            groups[key].append(practice)
    return groups


# --- live blocks inside hand-written pages ---------------------------------------------------

def publisher_block(publisher: Publisher, view: LanguageView) -> str:
    """Who publishes the catalog, in one language: the footer of every page and the about page."""
    return render("publisher.html", publisher=publisher, view=view)


def contact_block(publisher: Publisher, view: LanguageView) -> str:
    """Who receives proposals and how to reach them, in one language: the propose page."""
    return render("publisher_contact.html", publisher=publisher, view=view, standalone=True)


def featured(practices: list[Practice]) -> list[Practice]:
    """The home page's latest additions: only practices whose status is confirmed (a reader's first
    impression should not rest on what the sources leave open), newest first."""
    confirmed = [practice for practice in practices if practice.status_confirmed]
    return sorted(confirmed, key=lambda p: (p.submitted, p.id), reverse=True)[:LATEST_COUNT]


def live_blocks(markdown: str, language: str, page_url: str, practices: list[Practice],
                extra_blocks: dict[str, Callable[[LanguageView, str], str]] | None = None) -> dict[str, str]:
    """The live, rendered blocks of a hand-written page's <!-- catalog:NAME --> markers: marker → HTML.
    They take the markers' place after Markdown (insert_blocks), which would only re-parse their HTML."""
    if "<!-- catalog:" not in markdown:
        return {}
    view = LanguageView(language)
    blocks: dict[str, Callable[[LanguageView, str], str]] = {
        "stats": lambda v, url: render("home_stats.html", view=v, page_url=url, stats={
            "practices": len(practices),
            "countries": len({p.country for p in practices if p.country in v.vocabularies.countries}),
            "themes": len({t for p in practices for t in p.themes}),
        }),
        "latest": lambda v, url: render("home_latest.html", view=v, page_url=url, practices=featured(practices)),
        **(extra_blocks or {}),
    }
    return {marker: f'<div class="catalog-block">\n{block(view, page_url)}\n</div>'
            for name, block in blocks.items() for marker in [f"<!-- catalog:{name} -->"] if marker in markdown}


def insert_blocks(html: str, blocks: dict[str, str]) -> str:
    """A page's HTML with its live blocks in place of their markers (Markdown leaves a comment as it is)."""
    for marker, block in blocks.items():
        if marker not in html:
            raise ValueError(f"Markdown did not keep the marker {marker} as it is: put it on a line of its own")
        html = html.replace(marker, block)
    return html


# --- writing files --------------------------------------------------------------------------

def write_pages(docs_dir: Path, pages: dict[str, str], changed: set[str] | None = None) -> int:
    """Write the Markdown part of changed pages (see split_page) and delete generated pages that no
    longer exist; return how many were written. A page whose title and description stay the same is
    not rewritten when its body changes, so `mkdocs serve` does not rebuild a second time. When the
    caller knows which pages `changed` since it last wrote them all (the live preview), the others
    are only checked to exist."""
    written = 0
    for relative_path, page in pages.items():
        target = docs_dir / relative_path
        if changed is not None and relative_path not in changed and target.exists():
            continue
        content = split_page(page)[0]
        if target.exists() and target.read_text(encoding="utf-8") == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        written += 1
    wanted = {docs_dir / p for p in pages}
    for folder in GENERATED_DIRS:
        for stale in (docs_dir / folder).rglob("*.md") if (docs_dir / folder).exists() else []:
            if stale not in wanted:
                stale.unlink()
        _ignore_in_git(docs_dir / folder)
    return written


def _ignore_in_git(folder: Path) -> None:
    """A generated folder says so itself: a .gitignore of `*` (as Python's venv and pytest's cache do),
    so that GENERATED_DIRS is the only list of them. MkDocs skips dot files."""
    marker = folder / ".gitignore"
    if folder.is_dir() and not marker.exists():
        marker.write_text("# Generated from practices/ by the catalog's MkDocs plugin; never edit or commit.\n*\n", encoding="utf-8")
