"""Where things are: the records folder, and the URL of every kind of generated page.

Imports nothing of the package but the languages. URLs are relative to a language's root
(/ for Spanish, /en/ for English; see catalog.core.languages.language_root).
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path

PRACTICES = Path("practices")  # the records, one folder per country, relative to the repository
SCHEMA_FILE = "practice.schema.json"
SCHEMA_PATH = f"schema/{SCHEMA_FILE}"  # the records' JSON Schema, inside the package

CATALOG_URL = "catalog/"
COUNTRIES_URL = "countries/"
THEMES_URL = "themes/"
MECHANISMS_URL = "mechanisms/"
PRACTICES_URL = "practices/"
# The top folders of docs/ (and of each language's site) whose pages are generated from the records:
# never hand-written, never in nav, git-ignored (write_pages puts a `*` .gitignore in each).
GENERATED_DIRS = tuple(url.rstrip("/") for url in (PRACTICES_URL, COUNTRIES_URL, THEMES_URL, MECHANISMS_URL, CATALOG_URL))
# The catalog's filters: the URL parameters of a search (?country=pan&theme=…) and Pagefind's filter
# names on practice pages (templates/practice.html). Templates and scripts get them from here as data.
FACETS = ("country", "theme", "mechanism", "status")
# Index pages of a folder (catalog/ → catalog/index.md), as opposed to one page per item (practices/x/ → practices/x.md).
INDEX_URLS = (CATALOG_URL, COUNTRIES_URL, THEMES_URL, MECHANISMS_URL)


def practice_url(practice_id: str) -> str:
    return f"{PRACTICES_URL}{practice_id}/"


def practice_data_url(practice_id: str) -> str:
    """One practice's open data (catalog.build.exports), at the site's root: the same file for both languages."""
    return f"data/{PRACTICES_URL}{practice_id}.json"


def country_url(code: str) -> str:
    return f"{COUNTRIES_URL}{code.lower()}/"


def theme_url(theme_id: str) -> str:
    return f"{THEMES_URL}{theme_id}/"


def mechanism_url(mechanism_id: str) -> str:
    return f"{MECHANISMS_URL}{mechanism_id}/"


@functools.lru_cache(maxsize=1 << 16)  # listings ask for the same few thousand pairs over and over
def relative(from_url: str, to_url: str) -> str:
    """The relative href from one directory URL (practices/x/) to another (countries/pan/)."""
    if to_url.startswith(("https://", "mailto:", "#")):
        return to_url
    path, _, fragment = to_url.partition("#")
    href = posixpath.relpath("/" + path, "/" + from_url)
    if path.endswith("/") and not href.endswith("/"):
        href += "/"
    return href + (f"#{fragment}" if fragment else "")
