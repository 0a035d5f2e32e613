"""Open data: the downloads, feeds, sitemap and JSON-LD that `mkdocs build` writes (catalog/build/exports.py).

The built files are checked against the records as the validator loads them (validate_paths),
never against the export code's own reading of them, so a bug there cannot hide itself.
"""

from __future__ import annotations

import copy
import csv
import datetime
import gzip
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache
from pathlib import Path

import feedparser
import pytest
import yaml
from mkdocs.config import load_config

from catalog.build.exports import (
    DOWNLOADS,
    MULTI_VALUE_SEPARATOR,
    PRACTICE_COLUMNS,
    build_date,
    data_dictionary,
    file_size,
    results_csv,
    spreadsheet_safe,
)
from catalog.core.i18n import ui
from catalog.core.languages import LANGUAGES
from catalog.present.fields_doc import iter_fields
from catalog.present.jsonld import LICENCE_NAME, json_ld
from catalog.present.views import LanguageView
from catalog.records.history import read_history
from catalog.records.model import practice_from_data
from catalog.records.schema import load_schema
from catalog.records.validate import validate_paths
from tests.helpers import PRACTICES, REPO, SOURCE_DATE_EPOCH, build_site

BOM = b"\xef\xbb\xbf"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
site = pytest.mark.site


@cache
def records() -> dict[str, dict]:
    """id → validated data of every record, loaded independently of the export code."""
    report = validate_paths([PRACTICES])
    assert report.ok, report.problems
    return {document.data["id"]: document.data for document in report.documents}


def last_commit_date(record_id: str) -> str:
    """The day of the last commit of a record's file, asked of git file by file, if the site may
    show it (issue 27: not after the build, SOURCE_DATE_EPOCH, and not before the record's
    submission); else, or when the file is not committed, the record's own dates. Never before the
    record's latest public change note (a reader sees the note above the date)."""
    path = next(PRACTICES.rglob(f"{record_id}.yml"))
    stamp, _, day = subprocess.run(["git", "log", "-1", "--format=%ct %cs", "--", str(path.relative_to(REPO))],
                                   cwd=REPO, capture_output=True, text=True, check=True).stdout.strip().partition(" ")
    data = records()[record_id]
    noted = [str(change["date"]) for change in data.get("changes", [])]
    if day and int(stamp) <= int(SOURCE_DATE_EPOCH) and day >= data["submitted"]:
        return max([day, *noted])
    return max([data.get("updated") or data["submitted"], *noted])


@cache
def site_url() -> str:
    return load_config(str(REPO / "mkdocs.yml")).site_url


def page_url(record_id: str, language: str) -> str:
    return site_url() + ("" if language == "es" else f"{language}/") + f"practices/{record_id}/"


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# --- practices.json --------------------------------------------------------------------------

@site
def test_practices_json_round_trips_every_record(built_site: Path):
    exported = json.loads((built_site / "data/practices.json").read_text("utf-8"))
    by_id = {item["id"]: item for item in exported["practices"]}
    assert sorted(by_id) == sorted(records()), "the export must hold exactly the records in practices/"
    for record_id, data in records().items():
        record = by_id[record_id]["record"]
        assert record.keys() == data.keys(), record_id
        for field, value in data.items():
            assert record[field] == value, f"{record_id}: {field}"


@site
def test_practices_json_carries_versions_dates_and_pages(built_site: Path):
    exported = json.loads((built_site / "data/practices.json").read_text("utf-8"))
    assert exported["schema_version"] == load_schema()["x-schema-version"]
    expected_date = datetime.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), datetime.UTC).date().isoformat()
    assert exported["generated"] == expected_date
    assert exported["licence"]["name"] == LICENCE_NAME
    for item in exported["practices"]:
        assert item["pages"] == {language: page_url(item["id"], language) for language in LANGUAGES}
        for url in item["pages"].values():
            assert (built_site / url.removeprefix(site_url()) / "index.html").is_file(), url
        assert item["last_changed"] == last_commit_date(item["id"]), item["id"]


@site
def test_schema_is_published_as_is(built_site: Path):
    published = (built_site / "data/practice.schema.json").read_bytes()
    assert published == (REPO / "catalog/schema/practice.schema.json").read_bytes()


# --- CSV -------------------------------------------------------------------------------------

@site
@pytest.mark.parametrize(("language", "panama"), [("es", "Panamá"), ("en", "Panama")])
def test_practice_csv_per_language(built_site: Path, language: str, panama: str):
    raw = (built_site / f"data/practices-{language}.csv").read_bytes()
    assert raw.startswith(BOM), "Excel needs the BOM to read UTF-8"
    assert raw.count(b"\r\n") >= len(records()) + 1 and b"\n" not in raw.replace(b"\r\n", b"")[:200]
    rows = read_csv(built_site / f"data/practices-{language}.csv")
    header = [ui(key, language) for key, _ in PRACTICE_COLUMNS]
    assert list(rows[0].keys()) == header
    id_column, country_column = ui("column_id", language), ui("column_country", language)
    assert sorted(row[id_column] for row in rows) == sorted(records())
    countries = {row[id_column]: row[country_column] for row in rows}
    assert countries["onpar-border-access"] == panama
    themes = {row[id_column]: row[ui("column_themes", language)] for row in rows}
    view = LanguageView(language)
    assert themes["onpar-border-access"] == MULTI_VALUE_SEPARATOR.join(
        view.theme(theme) for theme in records()["onpar-border-access"]["themes"])


@site
@pytest.mark.parametrize(("language", "unhcr", "compiled"), [
    ("es", "(ACNUR)", "Recopilada de fuentes públicas"), ("en", "(UNHCR)", "Compiled from public sources")])
def test_practice_csv_has_acronyms_and_provenance_in_its_language(built_site: Path, language: str, unhcr: str,
                                                                  compiled: str):
    rows = {row[ui("column_id", language)]: row for row in read_csv(built_site / f"data/practices-{language}.csv")}
    assert unhcr in rows["onpar-office-modernization"][ui("column_partners", language)]
    assert rows["onpar-border-access"][ui("column_provenance", language)].startswith(compiled)
    labels = yaml.safe_load((REPO / "catalog/data/vocabularies.yml").read_text("utf-8"))["provenance"]
    for record_id, data in records().items():
        label = labels[data["provenance"]["method"]][language]
        assert rows[record_id][ui("column_provenance", language)].startswith(label)


@site
def test_results_csv_sums_match_the_records(built_site: Path):
    raw = (built_site / "data/results.csv").read_bytes()
    assert raw.startswith(BOM)
    rows = read_csv(built_site / "data/results.csv")
    assert list(rows[0]) == ["practice_id", "indicator_es", "indicator_en", "unit", "kind", "year", "value",
                             "qualifier", "source", "source_title", "source_publisher", "source_date", "source_url"]
    exported: dict[tuple, float] = defaultdict(float)
    for row in rows:
        exported[(row["practice_id"], row["indicator_es"], row["indicator_en"], row["unit"])] += float(row["value"])
    expected: dict[tuple, float] = defaultdict(float)
    for record_id, data in records().items():
        for item in data.get("results", []):
            key = (record_id, item["indicator"].get("es", ""), item["indicator"].get("en", ""), item["unit"])
            expected[key] += sum(value["value"] for value in item["values"])
    assert exported == expected
    assert len(rows) == sum(len(item["values"]) for data in records().values() for item in data.get("results", []))


@site
def test_every_practice_has_its_own_data_file_as_its_page_offers(built_site: Path):
    """data/practices/ID.json: the practice's entry of practices.json with the file's header, which the
    reuse block of its page links to."""
    whole = json.loads((built_site / "data/practices.json").read_text("utf-8"))
    header = {key: value for key, value in whole.items() if key != "practices"}
    for entry in whole["practices"]:
        assert json.loads((built_site / f"data/practices/{entry['id']}.json").read_text("utf-8")) == {**header, **entry}
        page = (built_site / "en/practices" / entry["id"] / "index.html").read_text("utf-8")
        assert f'href="../../../data/practices/{entry["id"]}.json"' in page


def test_results_csv_names_the_source_of_every_figure():
    """Each figure carries its source: the value's own, else its indicator's."""
    data = copy.deepcopy(records()["onpar-border-access"])
    data["results"][0]["source"] = 2
    data["results"][0]["values"][0]["source"] = 1
    rows = list(csv.DictReader(io.StringIO(results_csv([practice_from_data(data, "practices/pan/x.yml")]).decode("utf-8-sig"))))
    second = data["sources"][1]
    assert [(row["year"], row["source"]) for row in rows] == [("2022", "1"), ("2023", "2"), ("2024", "2")]
    assert rows[0]["source_title"] == data["sources"][0]["title"] and rows[0]["source_url"] == ""
    assert (rows[1]["source_title"], rows[1]["source_publisher"], rows[1]["source_url"]) == (
        second["title"], second["publisher"], second["url"])


def test_a_figure_without_a_source_never_reaches_the_open_data(tmp_path):
    """Every row of results.csv names a source of the record: a result with none, or a figure naming a
    source past the list, is refused by the validator before any export (issue 25)."""
    data = copy.deepcopy(records()["onpar-border-access"])
    del data["results"][0]["source"]
    data["results"][0]["values"][0]["source"] = len(data["sources"]) + 1
    path = tmp_path / "pan" / "onpar-border-access.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = validate_paths([path]).problems
    assert [(problem.field, problem.message) for problem in problems] == [("results[0].source", "source_required")]
    data["results"][0]["source"] = 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = validate_paths([path]).problems
    assert [(problem.field, problem.message) for problem in problems] == [("results[0].values[0].source", "source_number_missing")]


def test_csv_cells_that_look_like_formulas_stay_text():
    assert spreadsheet_safe("=HYPERLINK(\"https://x\")") == "'=HYPERLINK(\"https://x\")"
    assert [spreadsheet_safe(text) for text in ("+1", "-1", "@SUM(A1)")] == ["'+1", "'-1", "'@SUM(A1)"]
    assert spreadsheet_safe("Panamá") == "Panamá"
    assert spreadsheet_safe(-5) == -5  # numbers are data, not formulas


@pytest.mark.parametrize("text", [
    " =1+1", "\u00a0=1+1", "\u3000=1+1", "\n=1+1", "\t=1+1", "\r\n@SUM(A1)", " \n +1", "  -1",
    "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", " \uff1dHYPERLINK(\"https://x\")", "\ufe661+1",
])
def test_csv_cells_that_a_spreadsheet_reads_as_formulas_after_whitespace_or_wide_forms_stay_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Panamá", " Panamá", "\u00a0a = b", "a@b.org", "1-2", "\uff21\uff22"])
def test_csv_cells_of_plain_text_are_kept_as_written(text):
    assert spreadsheet_safe(text) == text


# --- Atom feeds ------------------------------------------------------------------------------

@site
@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_is_atom_with_every_practice(built_site: Path, language: str):
    path = built_site / ("feed.xml" if language == "es" else f"{language}/feed.xml")
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == language
    links = {entry.link for entry in feed.entries}
    assert links == {page_url(record_id, language) for record_id in records()}
    assert len({entry.id for entry in feed.entries}) == len(records())
    updated = [entry.updated for entry in feed.entries]
    assert updated == sorted(updated, reverse=True), "newest first"
    titles = {entry.link: entry.title for entry in feed.entries}
    original = records()["onpar-border-access"]["title"][language]
    assert titles[page_url("onpar-border-access", language)] == original


@site
@pytest.mark.parametrize(("page", "feed"), [("index.html", "feed.xml"), ("en/index.html", "en/feed.xml"),
                                            ("en/practices/onpar-border-access/index.html", "en/feed.xml"),
                                            ("404.html", "feed.xml")])
def test_every_page_links_its_language_feed(built_site: Path, page: str, feed: str):
    html = (built_site / page).read_text("utf-8")
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    assert links == [site_url() + feed]


def test_first_added_dates_come_from_git(tmp_path: Path):
    history = read_history(REPO)
    committed = subprocess.run(["git", "ls-files", "practices"], cwd=REPO, capture_output=True, text=True).stdout
    for path in committed.split():
        datetime.date.fromisoformat(history.first_added(path))
    assert read_history(tmp_path).first_added("practices/pan/onpar-border-access.yml") is None, \
        "outside git: no dates, the record's own dates stand in"


# --- JSON-LD ---------------------------------------------------------------------------------

def _json_ld_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)


@site
@pytest.mark.parametrize("language", LANGUAGES)
def test_practice_page_has_json_ld_naming_the_practice(built_site: Path, language: str):
    html = (built_site / page_url("onpar-border-access", language).removeprefix(site_url()) / "index.html").read_text()
    blocks = _json_ld_blocks(html)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["name"] == records()["onpar-border-access"]["title"][language]
    assert data["identifier"] == "onpar-border-access" and data["inLanguage"] == language


def test_json_ld_cannot_break_out_of_its_script():
    hostile = 'x</script><script>alert(1)</script><!-- </SCRIPT > & "quoted"'
    data = copy.deepcopy(records()["onpar-border-access"])
    data["title"] = {"es": hostile, "en": hostile}
    block = str(json_ld(practice_from_data(data, "practices/pan/x.yml"), LanguageView("en"), "2026-01-01"))
    assert block.lower().count("</script") == 1 and block.endswith("</script>")
    assert "<!--" not in block
    inner = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(inner)["name"] == hostile


# --- sitemap ---------------------------------------------------------------------------------

@site
def test_sitemap_lists_both_languages_with_absolute_alternates(built_site: Path):
    raw = (built_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()) == raw
    entries = {}
    for url in ET.fromstring(raw).iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        entries[url.findtext(f"{SITEMAP}loc")] = (url.findtext(f"{SITEMAP}lastmod"), alternates)
    for loc, (_, alternates) in entries.items():
        assert loc.startswith(site_url()) and all(href.startswith(site_url()) for href in alternates.values())
    for record_id in records():
        expected = {"es": page_url(record_id, "es"), "en": page_url(record_id, "en"),
                    "x-default": page_url(record_id, "es")}
        for language in LANGUAGES:
            lastmod, alternates = entries[page_url(record_id, language)]
            assert alternates == expected
            datetime.date.fromisoformat(lastmod)
    assert site_url() + "en/open-data/" in entries and site_url() + "open-data/" in entries
    assert not any(loc.endswith("404.html") for loc in entries)


# --- the open-data page ----------------------------------------------------------------------

@site
@pytest.mark.parametrize(("language", "page"), [("es", "open-data/index.html"), ("en", "en/open-data/index.html")])
def test_open_data_page_lists_downloads_with_sizes(built_site: Path, language: str, page: str):
    html = (built_site / page).read_text("utf-8")
    assert "catalog-size" not in html, "every size marker was filled"
    assert LICENCE_NAME in html
    for download in DOWNLOADS:
        match = re.search(rf'<a href="([^"]+)"[^>]*><code>{re.escape(download.path)}</code></a></th>'
                          r"<td>[^<]*</td><td>([^<]*)</td>", html)
        if download.make is None:  # the PDF compendium: made, and listed, only when the build asks for it
            assert not match and not (built_site / download.path).exists(), download.path
            continue
        assert match, download.path
        href, size = match.groups()
        target = (built_site / page).parent / href
        assert not href.startswith(("/", "http")) and target.is_file(), href
        assert size == file_size(target.stat().st_size, language)
    fields = re.findall(r'<tr><th scope="row"><code>([^<]+)</code></th><td><code>', html)
    assert fields == [field.path for field in iter_fields()]


def test_data_dictionary_falls_back_to_english_marked_as_such(monkeypatch: pytest.MonkeyPatch):
    schema = {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "string", "description": "Only in English."},
        "b": {"type": "array", "items": {"type": "integer"}, "description": "List.", "x-description-es": "Lista."},
    }}
    monkeypatch.setattr("catalog.build.exports.load_schema", lambda: schema)
    a, b = data_dictionary(LanguageView("es"))
    assert (a["path"], a["type"], a["required"]) == ("a", "string", True)
    assert (a["description"].text, a["description"].lang, a["description"].pending) == ("Only in English.", "en", True)
    assert (b["type"], b["required"]) == ("array[integer]", False)
    assert (b["description"].text, b["description"].pending) == ("Lista.", False)


def test_build_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_date() == "1970-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == datetime.datetime.now(datetime.UTC).date().isoformat()


# --- reproducibility -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_builds(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real catalog built twice from the same commit, with the same SOURCE_DATE_EPOCH: the session's
    build (by another process, maybe another worker, earlier in the run) and one more here."""
    second = tmp_path_factory.mktemp("second")
    build_site(REPO, second)
    return built_site, second


def _differing(first: Path, second: Path, inside_search_index: bool) -> list[str]:
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    return [str(path) for path in files if (path.parts[0] == "pagefind") == inside_search_index
            and (first / path).read_bytes() != (second / path).read_bytes()]


@site
def test_two_builds_of_one_commit_are_byte_identical(two_builds: tuple[Path, Path]):
    """Pages, downloads, feeds and sitemap: nothing may depend on the clock or on ordering by chance."""
    assert not _differing(*two_builds, inside_search_index=False)


@site
def test_two_builds_give_the_same_search_index(two_builds: tuple[Path, Path]):
    """Pagefind's bundle (catalog/build/search.py) too: a file that differs here is published as it came out."""
    assert not _differing(*two_builds, inside_search_index=True)
