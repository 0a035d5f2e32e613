"""Open data written into the built site: the catalog as reusable data, with stable ids.

The MkDocs plugin makes the files before the pages are rendered (so that the open-data page states
their sizes) and writes them once both languages are built (catalog.mkdocs.plugin):

- data/practices.json         every record exactly as validated, with page URLs and dates
- data/practices-es.csv, -en  one row per practice, labels in the file's language
- data/results.csv            one row per yearly figure (tidy), for charts and sums
- data/practices.geojson      one point per located place of a practice (RFC 7946)
- data/practice.schema.json   the JSON Schema the records follow
- feed.xml, en/feed.xml       Atom feeds of new and updated practices, one per language
- sitemap.xml (+ .gz)         every page in both languages with hreflang alternates

Every file depends only on the records, the git history and SOURCE_DATE_EPOCH, so two builds
of one commit are byte-identical. The list of downloads on the open-data page lives here too.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import posixpath
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.units import format_unit
from markupsafe import Markup

from catalog.build.pages import TOPICS, SiteContext, feed_title, feed_url, first_published, last_updated, topics
from catalog.build.search import OUTPUT_DIR as SEARCH_OUTPUT_DIR
from catalog.core.datafiles import package_file
from catalog.core.languages import DEFAULT_LANGUAGE, LANGUAGES, language_root, split_language
from catalog.core.paths import practice_data_url, practice_url, relative
from catalog.present.jsonld import LICENCE_NAME, LICENCE_URL
from catalog.present.map_blocks import geojson
from catalog.present.render import render
from catalog.present.views import LanguageView
from catalog.records.history import build_moment
from catalog.records.model import Entity, Practice, Text
from catalog.records.schema import SCHEMA_FILE, SCHEMA_PATH, iter_fields, load_schema, resolve

MULTI_VALUE_SEPARATOR = " | "  # between the values of one CSV cell (themes, partners…)


@dataclass(frozen=True)
class Download:
    """One downloadable file: where it lands in site/, its format, its ui.yml description, its maker."""

    path: str
    format: str
    description_key: str
    language: str | None  # the file's own language, when it has one
    make: Callable[[Exports], bytes] | None  # None: made elsewhere, when asked for (the compendium)


DOWNLOADS = (
    Download("data/practices.json", "JSON", "download_json", None, lambda x: practices_json(x)),
    Download("data/practices-es.csv", "CSV", "download_csv", "es", lambda x: practices_csv(x, "es")),
    Download("data/practices-en.csv", "CSV", "download_csv", "en", lambda x: practices_csv(x, "en")),
    Download("data/results.csv", "CSV", "download_results", None, lambda x: results_csv(x.practices)),
    Download("data/practices.geojson", "GeoJSON", "download_geojson", None, lambda x: practices_geojson(x)),
    Download(f"data/{SCHEMA_FILE}", "JSON Schema", "download_schema", None,
             lambda x: package_file(SCHEMA_PATH).read_bytes()),
    Download("feed.xml", "Atom", "download_feed", "es", lambda x: atom_feed(x, "es")),
    Download("en/feed.xml", "Atom", "download_feed", "en", lambda x: atom_feed(x, "en")),
    # Made by catalog.build.compendium when the site is built with the plugin's `compendium` option.
    Download("data/compendio-es.pdf", "PDF", "download_compendium", "es", None),
    Download("data/compendium-en.pdf", "PDF", "download_compendium", "en", None),
)


@dataclass(frozen=True)
class Exports:
    """What every download is made of: the records, where the site lives, and their dates."""

    practices: list[Practice]
    site_url: str  # absolute, ending in "/"
    build_date: str  # YYYY-MM-DD
    site: SiteContext

    def page(self, practice: Practice, language: str) -> str:
        return self.site_url + language_root(language) + practice_url(practice.id)

    def updated(self, practice: Practice) -> str:
        return last_updated(practice, self.site)

    def published(self, practice: Practice) -> str:
        return first_published(practice, self.site)


def build_date() -> str:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    return build_moment().date().isoformat()


def exports_for(practices: list[Practice], site_url: str, site: SiteContext) -> Exports:
    """The inputs of every download, with the pages' own SiteContext (the records' history)."""
    return Exports(
        practices=practices,
        site_url=(site_url or "").rstrip("/") + "/",
        build_date=build_date(),
        site=site,
    )


def download_files(exports: Exports) -> dict[str, bytes]:
    """Every download as site-relative path → bytes, in DOWNLOADS order. Made before the pages are
    rendered, so that the open-data page can state each file's size."""
    return {download.path: download.make(exports) for download in DOWNLOADS if download.make}


def write_exports(site_dir: Path, exports: Exports, files: dict[str, bytes]) -> None:
    """Write every download and topic feed into the built site, and replace MkDocs' sitemap (which needs
    the built pages). The feeds are made here, not with the downloads: no page states their sizes, and
    the plugin runs this while Pagefind indexes, on the core that would otherwise wait."""
    for path, data in (files | topic_feeds(exports) | practice_data_files(exports)).items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    lastmod = {practice_url(p.id): exports.updated(p) for p in exports.practices}
    sitemap = sitemap_xml(site_dir, exports.site_url, lastmod)
    (site_dir / "sitemap.xml").write_bytes(sitemap)
    # mtime=0 and no file name in the header: the same bytes on every build.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=0))


# --- practices.json ---------------------------------------------------------------------------

def practices_json(exports: Exports) -> bytes:
    """Every record as written (both languages), wrapped with its page URLs and last change."""
    document = {**_json_header(exports), "practices": [_practice_entry(exports, p) for p in exports.practices]}
    # Compact: indent= would switch json to its pure-Python encoder, several times slower on a large catalog.
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def practice_data_files(exports: Exports) -> dict[str, bytes]:
    """One practice's entry of practices.json in a file of its own (data/practices/ID.json), which its
    page offers in its reuse block ("data of this practice")."""
    return {practice_data_url(practice.id): (json.dumps({**_json_header(exports), **_practice_entry(exports, practice)},
                                                        ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            for practice in exports.practices}


def _json_header(exports: Exports) -> dict[str, Any]:
    return {"schema_version": load_schema()["x-schema-version"], "schema": SCHEMA_FILE,
            "generated": exports.build_date, "licence": {"name": LICENCE_NAME, "url": LICENCE_URL}}


def _practice_entry(exports: Exports, practice: Practice) -> dict[str, Any]:
    return {"id": practice.id, "pages": {language: exports.page(practice, language) for language in LANGUAGES},
            "last_changed": exports.updated(practice), "record": practice.raw}


def practices_geojson(exports: Exports) -> bytes:
    """The located places of the practices as GeoJSON (map_blocks.geojson), compact like practices.json."""
    return (json.dumps(geojson(exports.practices, exports.page), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


# --- CSV --------------------------------------------------------------------------------------

def spreadsheet_safe(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula (=, +, -, @, after any leading whitespace and
    in any compatibility form) gets a leading apostrophe.

    Records are written by many people; a cell such as `=HYPERLINK(…)` must stay text when
    someone opens the file. Numbers are left alone. practices.json keeps every text as written.
    """
    if isinstance(value, str) and (value[:1] in ("\t", "\r") or _formula_start(value)):
        return "'" + value
    return value


def _formula_start(text: str) -> bool:
    """Whether the text's first visible character is one a spreadsheet starts a formula with, once
    leading whitespace (spaces, no-break spaces, tabs, line breaks: what spreadsheets skip) is
    passed and compatibility forms are folded (NFKC: full-width ＝＋－＠, small ﹦﹢﹣﹫)."""
    first = text.lstrip()[:1]
    return unicodedata.normalize("NFKC", first)[:1] in ("=", "+", "-", "@")


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM (so that Excel reads the accents), comma-separated, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # the csv module's default dialect: ',' and '\r\n'
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _entity(entity: Entity, practice: Practice, view: LanguageView) -> str:
    return view.entity(entity, practice.original_language)


def _text(value: Text | None, practice: Practice, view: LanguageView) -> str:
    shown = view.text(value, practice.original_language)
    return shown.text if shown else ""


def _joined(values: Any) -> str:
    return MULTI_VALUE_SEPARATOR.join(values)


# Columns of the practices CSVs: (ui.yml key of the header, value of a practice).
_Cell = Callable[[Practice, LanguageView, Exports], str]
PRACTICE_COLUMNS: tuple[tuple[str, _Cell], ...] = (
    ("column_id", lambda p, v, x: p.id),
    ("column_title", lambda p, v, x: _text(p.title, p, v)),
    ("column_country", lambda p, v, x: v.country(p.country)),
    ("column_country_code", lambda p, v, x: p.country),
    ("column_host_country", lambda p, v, x: v.country(p.host_country) if p.host_country else ""),
    ("column_summary", lambda p, v, x: _text(p.summary, p, v)),
    ("column_status", lambda p, v, x: v.status(p.status)),
    ("column_start", lambda p, v, x: p.period.start),
    ("column_end", lambda p, v, x: p.period.end or ""),
    ("column_themes", lambda p, v, x: _joined(v.theme(t) for t in p.themes)),
    ("column_mechanisms", lambda p, v, x: _joined(v.mechanism(m) for m in p.mechanisms)),
    ("column_commitments", lambda p, v, x: _joined(v.commitment(c.commitment) for c in p.commitments if c.commitment)),
    ("column_lead_entity", lambda p, v, x: _entity(p.lead_entity, p, v)),
    ("column_partners", lambda p, v, x: _joined(_entity(e, p, v) for e in p.partners)),
    ("column_locations", lambda p, v, x: _joined(_text(loc.name, p, v) for loc in p.locations)),
    ("column_coordinates", lambda p, v, x: _joined(
        f"{_text(loc.name, p, v)}: {loc.coordinates.lat}, {loc.coordinates.lon}" for loc in p.locations if loc.coordinates)),
    ("column_description", lambda p, v, x: _text(p.description, p, v)),
    ("column_results_summary", lambda p, v, x: _text(p.results_summary, p, v)),
    ("column_challenges", lambda p, v, x: _text(p.challenges, p, v)),
    ("column_sources", lambda p, v, x: _joined(s.url or s.title for s in p.sources)),
    ("column_provenance", lambda p, v, x: v.provenance(p)),
    ("column_original_language", lambda p, v, x: v.language_name(p.original_language)),
    ("column_translation_pending",
     lambda p, v, x: v.t["answer_yes"] if v.language in p.pending_languages() else v.t["answer_no"]),
    ("column_submitted", lambda p, v, x: p.submitted),
    ("column_last_changed", lambda p, v, x: x.updated(p)),
    ("column_page", lambda p, v, x: x.page(p, v.language)),
)


def practices_csv(exports: Exports, language: str) -> bytes:
    """One row per practice in one language; a text still awaiting translation is in its original."""
    view = LanguageView(language)
    rows = [[view.t[key] for key, _ in PRACTICE_COLUMNS]]
    rows += [[cell(practice, view, exports) for _, cell in PRACTICE_COLUMNS] for practice in exports.practices]
    return _csv_bytes(rows)


RESULT_COLUMNS = ("practice_id", "indicator_es", "indicator_en", "unit", "kind", "year", "value", "qualifier",
                  "source", "source_title", "source_publisher", "source_date", "source_url")


def results_csv(practices: list[Practice]) -> bytes:
    """One row per yearly figure (tidy data); vocabulary ids, not labels, so one file serves both languages.
    Each figure names where it comes from: the number of the record's source (from 1) and that source."""
    rows: list[list[Any]] = [list(RESULT_COLUMNS)]
    for practice in practices:
        for indicator in practice.results:
            names = indicator.indicator.values
            for item in indicator.values:
                rows.append([practice.id, names.get("es", ""), names.get("en", ""), indicator.unit,
                             indicator.kind, item.year, item.value, item.qualifier or "",
                             *_figure_source(practice, item.source or indicator.source)])
    return _csv_bytes(rows)


def _figure_source(practice: Practice, number: int) -> list[Any]:
    """The source columns of a figure: its number in the record and that source's title, publisher,
    date and address (empty where the source does not say). Every figure has one: the validator
    refuses a result without a source, or with a number past the list of sources."""
    source = practice.sources[number - 1]
    return [number, source.title, source.publisher or "", source.date or "", source.url or ""]


# --- Atom feeds -------------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _xml(root: ET.Element, processing_instruction: str = "") -> bytes:
    """The document, indented, after the XML declaration and an optional processing instruction."""
    ET.indent(root)
    head = "<?xml version='1.0' encoding='utf-8'?>\n" + (processing_instruction + "\n" if processing_instruction else "")
    return head.encode("utf-8") + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


FEED_LIMIT = 50  # entries per feed: the most recently changed practices
STYLESHEET = "feed.xsl"  # in each language's root: shows a feed as a page when opened in a browser


def atom_feed(exports: Exports, language: str, practices: list[Practice] | None = None, page_url: str = "",
              title: str | None = None, subtitle: str | None = None) -> bytes:
    """The FEED_LIMIT most recently changed practices (all, or a listing's), newest first, as Atom.

    The feed lives beside its page (page_url: '' for the home page, countries/pan/ for a listing).
    Ids are the practice pages' absolute URLs (permanent, since record ids never change); dates
    are days: git's commit day of the record file.
    """
    view = LanguageView(language)
    order = sorted(exports.practices if practices is None else practices, key=lambda p: p.id)
    order = sorted(order, key=lambda p: (exports.updated(p), exports.published(p)), reverse=True)[:FEED_LIMIT]
    feed_path = language_root(language) + feed_url(page_url)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": language})
    _sub(feed, "id", exports.site_url + feed_path)
    _sub(feed, "title", title or view.ui("feed_title", site=view.t["site_name"]))
    _sub(feed, "subtitle", subtitle or view.t["feed_subtitle"])
    _sub(feed, "link", rel="self", type="application/atom+xml", href=exports.site_url + feed_path)
    _sub(feed, "link", rel="alternate", type="text/html", href=exports.site_url + language_root(language) + page_url)
    _sub(feed, "updated", _timestamp(exports.updated(order[0]) if order else exports.build_date))
    _sub(_sub(feed, "author"), "name", view.t["site_name"])
    _sub(feed, "rights", view.ui("licence_notice", licence=LICENCE_NAME))
    for practice in order:
        _feed_entry(feed, practice, view, exports)
    stylesheet = posixpath.relpath(language_root(language) + STYLESHEET, posixpath.dirname(feed_path) or ".")
    return _xml(feed, f'<?xml-stylesheet type="text/xsl" href="{stylesheet}"?>')


def _feed_entry(feed: ET.Element, practice: Practice, view: LanguageView, exports: Exports) -> None:
    entry = _sub(feed, "entry")
    title = view.text(practice.title, practice.original_language)
    summary = view.text(practice.summary, practice.original_language)
    _sub(entry, "id", exports.page(practice, view.language))
    _sub(entry, "title", title.text, **({"xml:lang": title.lang} if title.pending else {}))
    _sub(entry, "link", rel="alternate", type="text/html", hreflang=view.language, href=exports.page(practice, view.language))
    _sub(entry, "published", _timestamp(exports.published(practice)))
    _sub(entry, "updated", _timestamp(exports.updated(practice)))
    _sub(entry, "summary", summary.text, **({"xml:lang": summary.lang} if summary.pending else {}))
    for theme in practice.themes:
        _sub(entry, "category", term=theme, label=view.theme(theme))


def topic_labels(view: LanguageView) -> dict[str, Callable[[str], str]]:
    return {"countries": view.country, "themes": view.theme, "mechanisms": view.mechanism}


def topic_feeds(exports: Exports) -> dict[str, bytes]:
    """A feed per country, theme and mechanism in every language, beside its listing page, and the
    stylesheet that shows the feeds of a language as a page in a browser."""
    files: dict[str, bytes] = {}
    for language in LANGUAGES:
        view = LanguageView(language)
        files[language_root(language) + STYLESHEET] = render("feed.xsl", view=view).encode("utf-8")
        for kind, groups in topics(exports.practices).items():
            label_of, url_of = topic_labels(view)[kind], TOPICS[kind][1]
            for key in sorted(groups):
                label = label_of(key)
                files[language_root(language) + feed_url(url_of(key))] = atom_feed(
                    exports, language, groups[key], url_of(key), feed_title(view, label),
                    view.ui("topic_feed_subtitle", topic=label))
    return files


# --- sitemap ----------------------------------------------------------------------------------

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _built_pages(site_dir: Path) -> list[str]:
    """The site paths of every built HTML page, sorted. Pagefind's output is left out: it holds no
    page, and it is being rewritten while this runs (plugin._finish writes the downloads meanwhile)."""
    pages = []
    for folder, subfolders, files in os.walk(site_dir):
        if Path(folder) == site_dir:
            subfolders[:] = [name for name in subfolders if name != SEARCH_OUTPUT_DIR]
        pages += [Path(folder, name).relative_to(site_dir).as_posix() for name in files if name.endswith(".html")]
    return sorted(pages)


def sitemap_xml(site_dir: Path, site_url: str, lastmod: dict[str, str]) -> bytes:
    """Every built page once per language, each listing all its language versions and x-default.

    Replaces the sitemap of mkdocs-static-i18n, whose <lastmod> is the build date on every page
    (a crawler would think everything changed at each build) and which has no x-default. Pages
    are read from site/ itself, so hand-written and generated pages are both covered; lastmod
    is given only where it is known: the last change of a practice's record.
    """
    versions: dict[str, dict[str, str]] = {}  # page path in a language's tree → language → site path
    for path in _built_pages(site_dir):
        url = path.removesuffix("index.html") if path == "index.html" or path.endswith("/index.html") else path
        language, neutral = split_language(url)
        if neutral == "404.html":
            continue
        versions.setdefault(neutral, {})[language] = url
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for neutral in sorted(versions):
        alternates = [(lang, versions[neutral][lang]) for lang in LANGUAGES if lang in versions[neutral]]
        if DEFAULT_LANGUAGE in versions[neutral]:
            alternates.append(("x-default", versions[neutral][DEFAULT_LANGUAGE]))
        for language in LANGUAGES:
            if language not in versions[neutral]:
                continue
            entry = _sub(urlset, "url")
            _sub(entry, "loc", site_url + versions[neutral][language])
            if neutral in lastmod:
                _sub(entry, "lastmod", lastmod[neutral])
            if len(versions[neutral]) > 1:
                for hreflang, url in alternates:
                    _sub(entry, "xhtml:link", rel="alternate", hreflang=hreflang, href=site_url + url)
    return _xml(urlset)


# --- the open-data page -----------------------------------------------------------------------

def downloads_block(view: LanguageView, page_url: str, sizes: dict[str, int], practices: list[Practice]) -> str:
    """The downloads with their sizes, their licence and formats, and the data dictionary, in the page's language."""
    here = language_root(view.language) + page_url
    downloads = [
        {
            "path": download.path, "href": relative(here, download.path), "format": download.format,
            "language": download.language,
            "description": view.ui(download.description_key, date=view.date(build_date()),
                                   language=view.language_name(download.language) if download.language else ""),
            "size": file_size(sizes[download.path], view.language),
        }
        for download in DOWNLOADS if download.path in sizes  # the compendium only when it was made
    ]
    return render(
        "downloads.html", view=view, downloads=downloads, fields=data_dictionary(view),
        feeds=feed_links(view, here, practices), feed_limit=FEED_LIMIT,
        licence_link=Markup('<a href="{}" rel="license">{}</a>').format(LICENCE_URL, LICENCE_NAME),
        separator=MULTI_VALUE_SEPARATOR,
        schema_version=load_schema()["x-schema-version"],
    )


def feed_links(view: LanguageView, here: str, practices: list[Practice]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The topic feeds of the page's language, by kind: (heading, [(topic, href)]), topics in alphabetical
    order; the regional practices' feed after the countries', named as on the countries page ("Regional"
    is not a country)."""
    links = []
    for kind, groups in topics(practices).items():
        label_of, url_of = topic_labels(view)[kind], TOPICS[kind][1]
        entries = []
        for key in groups:
            regional = kind == "countries" and key == view.vocabularies.regional_code
            label = view.t["countries_regional_link"] if regional else label_of(key)
            entries.append((regional, label, relative(here, language_root(view.language) + feed_url(url_of(key)))))
        entries.sort(key=lambda entry: (entry[0], view.sort_key(entry[1]), entry[1]))
        links.append((view.t[f"{kind}_title"], [(label, href) for _, label, href in entries]))
    return links


def file_size(size: int, language: str) -> str:
    """12,3 kB / 12.3 kB; 1,2 MB from a million bytes on (decimal units, as browsers show them). The
    number and its unit are joined by a no-break space: a size is never cut at the end of a line."""
    if size >= 1_000_000:
        text = format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=language)
    else:
        text = format_unit(round(size / 1000, 1), "digital-kilobyte", length="short", locale=language)
    return text.replace(" ", "\u00a0")


def data_dictionary(view: LanguageView) -> list[dict[str, Any]]:
    """One row per record field, from the JSON Schema: path, JSON type, required, description."""
    schema = load_schema()
    rows = []
    for field in iter_fields(schema):
        description = view.text(Text(field.descriptions), "en") if field.descriptions else None
        rows.append({"path": field.path, "type": json_type(field.node, schema),
                     "required": field.required, "description": description})
    return rows


def json_type(node: dict[str, Any], schema: dict[str, Any]) -> str:
    """A short JSON type for the dictionary: string, integer, array[string], {es, en}, "es" | "en"…"""
    node = resolve(node, schema)
    if set(node.get("properties", {})) == set(LANGUAGES):
        return "{" + ", ".join(LANGUAGES) + "}"
    if "oneOf" in node:
        return " | ".join(json_type(option, schema) for option in node["oneOf"])
    if "enum" in node:
        return " | ".join(json.dumps(value) for value in node["enum"])
    kind = node.get("type")
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind == "array":
        return f"array[{json_type(node.get('items', {}), schema)}]"
    return kind or "any"
