"""Full-text search of the built site: one Pagefind index per language, written to site/pagefind/.

What is indexed, and why:
- Practice pages carry `data-pagefind-body` and `data-pagefind-filter` (templates/practice.html):
  they are found by text and are the only pages with filters (country, theme, mechanism, status, year).
- Hand-written pages (home, about, contribute, open data) are found by text too. Once one page of a
  site has `data-pagefind-body`, Pagefind drops every page without it, so their Material `<article>`
  is marked as the page is written (`mark_for_search`, called by the plugin), and Pagefind reads the
  site in place: no staging copy (copying and deleting thousands of folders was a fifth of a build).
- Listing pages (catalog, countries, themes, mechanisms and their page-N) are left out: each of their
  cards repeats a practice's title and summary, so they would only duplicate the practice hits, and the
  filters give the same grouping.

Pagefind splits the index by `<html lang>`: Spanish pages get Spanish stemming, English pages English.
Its output is not byte-stable (1.5.2 writes filter chunks from a hash map, in a new order at every run),
so `canonicalize` re-sorts them and renames them by content: two builds of the same input give the
same bytes. The interface strings of the search box (data/ui.yml, keys search_*) are written beside
the index, so that docs/assets/search-ui.js fetches them only when a reader starts searching.

What a first search downloads is kept small (scripts/bench_search.py measures it): pages get short
ids (`short_page_ids`), sort orders wait in files of their own (`move_sort_orders`), and the search's
scripts are served without their comment lines (`strip_comment_lines`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from catalog.core.i18n import ui_strings
from catalog.core.languages import LANGUAGES, language_root, split_language
from catalog.core.paths import GENERATED_DIRS, PRACTICES_URL  # generated pages: practices mark themselves, listings stay out

log = logging.getLogger("mkdocs.plugins.catalog.build.search")

OUTPUT_DIR = "pagefind"
SORT_DIR = "sort"  # inside OUTPUT_DIR: see move_sort_orders
STRINGS_FILE = "assets/search-strings.{language}.json"  # one per language: a reader fetches one
# The search's scripts, as the site serves them: without their comment lines (see strip_comment_lines).
SCRIPTS = ("assets/search.js", "assets/search-ui.js", "assets/search-engine.js")
# Not worth finding: the live blocks of the home page repeat practice cards; charts repeat the tables;
# the printed pages' address line is chrome. A practice is found by its own text (title, summary,
# description, results in words and the names of its figures, its sources' titles, and its themes and
# mechanisms, written once, hidden, at the end of the page): not by its figures' tables and numbers
# (Pagefind would glue their cells: "YearApplications", "20222021"), nor the source beside each. The
# facts box, filters, change notes and reuse block mark themselves (data-pagefind-ignore; their
# filters still count). Hand-written pages are found by their prose, not by their tables and code
# (the field reference: "locations[].note. no."), and come after the practices (search-engine.js).
EXCLUDE_SELECTORS = [".catalog-block", "svg", ".catalog-print-meta", "table.catalog-bars", ".catalog-figure",
                     ".catalog-figure__meta", ".catalog-source",
                     '[data-pagefind-filter="kind:page"] table', '[data-pagefind-filter="kind:page"] pre']
NOT_PAGES = (OUTPUT_DIR, "assets")
PRACTICES = PRACTICES_URL.rstrip("/")
MATERIAL_ARTICLE = '<article class="md-content__inner md-typeset">'
SIGNATURE = b"pagefind_dcd"
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
)


def build_index(site_dir: Path) -> dict[str, int]:
    """Index the built pages of every language into site_dir/pagefind; returns pages per language."""
    return finish_index(site_dir, [start_index(site_dir, language) for language in LANGUAGES])


@dataclass
class IndexRun:
    """One language's Pagefind process, indexing into a folder of its own (see finish_index)."""

    language: str
    output: Path
    process: subprocess.Popen
    started: float


def start_index(site_dir: Path, language: str) -> IndexRun:
    """Start indexing one language's finished pages, in the background: the plugin starts the
    default language's as soon as its pages are written, and it runs while the next language builds.
    Only pages that can be found are read (see indexed_glob)."""
    site_dir = Path(site_dir).resolve()
    output = Path(tempfile.mkdtemp(prefix=f"catalog-pagefind-{language}-"))
    # The Pagefind binary of the pagefind[extended] wheel (offline). Not its Python API: that stops
    # the service as soon as it answers "written", and under load some files were still empty.
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output),
               "--glob", indexed_glob(site_dir, language), "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS),
               "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return IndexRun(language, output, process, time.perf_counter())


def indexed_glob(site_dir: Path, language: str) -> str:
    """Pagefind's --glob for one language's findable pages: its practice pages and hand-written pages
    (not its listings, nor the other languages' trees), e.g. en/{about/**/*.html,index.html,…}."""
    root = language_root(language)
    other_roots = {language_root(other).rstrip("/") for other in LANGUAGES if other != language} - {""}
    parts = []
    for child in sorted((site_dir / root).iterdir()) if (site_dir / root).is_dir() else []:
        if child.name in other_roots or not (child.name == PRACTICES or is_hand_written(Path(root + child.name))):
            continue
        if child.is_dir():
            parts.append(f"{child.name}/**/*.html")
        elif child.suffix == ".html":
            parts.append(child.name)
    if not parts:
        raise RuntimeError(f"search: no page of language {language} in {site_dir}")
    return root + "{" + ",".join(parts) + "}"


def finish_index(site_dir: Path, runs: list[IndexRun]) -> dict[str, int]:
    """Wait for every language's run, merge their outputs into site_dir/pagefind (each language's
    files have names of their own; the scripts and the entry's shared fields are the same in all)
    and make the bundle byte-stable. Returns the pages indexed per language."""
    site_dir = Path(site_dir).resolve()
    output = site_dir / OUTPUT_DIR
    entry: dict = {}
    try:
        for run in runs:  # all of them, before the last index is removed: a run that fails leaves it whole
            _wait(run)
        shutil.rmtree(output, ignore_errors=True)  # hashed file names: stale chunks would pile up
        for run in runs:
            entry = _merge_run(run, output, entry)
    finally:
        stop_index(runs)
    _write_entry(output / "pagefind-entry.json", entry)
    canonicalize(output)
    for unused in UNUSED_FILES:  # Pagefind's ready-made interfaces: ours is docs/assets/search-ui.js
        (output / unused).unlink(missing_ok=True)
    write_strings(site_dir)
    for script in SCRIPTS:
        path = site_dir / script
        path.write_text(strip_comment_lines(path.read_text("utf-8")), "utf-8")
    counts = {language: info["page_count"] for language, info in entry["languages"].items()}
    seconds = max(time.perf_counter() - run.started for run in runs)
    log.info(f"search: {counts} pages indexed in {seconds:.1f} s")
    return counts


def stop_index(runs: list[IndexRun]) -> None:
    """Stop the runs still going (another failed, or the build did) and remove their folders."""
    for run in runs:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()
        shutil.rmtree(run.output, ignore_errors=True)


def kill_index(runs: list[IndexRun]) -> None:
    """Stop the runs still going, from another thread than the one waiting for them (whose
    finish_index then fails, leaving the site's last index as it was)."""
    for run in runs:
        if run.process.poll() is None:
            run.process.kill()


def _wait(run: IndexRun) -> None:
    messages, _ = run.process.communicate(timeout=600)
    if run.process.returncode:
        raise RuntimeError(f"Pagefind failed for {run.language} ({run.process.returncode}): {messages}")


def _merge_run(run: IndexRun, output: Path, entry: dict) -> dict:
    """Copy one finished run's files into output; returns the entry with its language added."""
    shutil.copytree(run.output, output, dirs_exist_ok=True)
    own = json.loads((run.output / "pagefind-entry.json").read_text("utf-8"))
    if set(own["languages"]) != {run.language}:  # an <html lang> the glob did not expect
        raise RuntimeError(f"search: the {run.language} pages were indexed as {sorted(own['languages'])}")
    if entry and {**own, "languages": None} != {**entry, "languages": None}:
        raise RuntimeError("search: the languages' Pagefind runs disagree on the bundle's settings")
    return {**own, "languages": {**entry.get("languages", {}), **own["languages"]}}


def mark_for_search(html: str, site_path: str) -> str:
    """A hand-written page's Material article marked with data-pagefind-body (see the module
    docstring); every other page as it is (practices mark themselves, listings stay out)."""
    if not is_hand_written(Path(site_path)):
        return html
    if MATERIAL_ARTICLE not in html:
        log.warning(f"search: {site_path} has no Material article; it cannot be found by text")
        return html
    # kind:page: the catalog's search leaves these out (filter "none"), the header's says what they are.
    return html.replace(MATERIAL_ARTICLE, MATERIAL_ARTICLE[:-1] + ' data-pagefind-body data-pagefind-filter="kind:page">', 1)


def is_hand_written(relative: Path) -> bool:
    """True for pages written in docs/ by hand: not generated, not the search bundle or assets."""
    _, inside = split_language(relative.as_posix())  # en/about/index.html is the English about page
    return inside.split("/", 1)[0] not in (*GENERATED_DIRS, *NOT_PAGES)


def write_strings(site_dir: Path) -> None:
    """The search box's messages, from data/ui.yml (keys starting with search_): a file per language."""
    for language in LANGUAGES:
        strings = {key: text for key, text in sorted(ui_strings(language).items()) if key.startswith("search_")}
        target = site_dir / STRINGS_FILE.format(language=language)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(strings, ensure_ascii=False, indent=1) + "\n", "utf-8")


def strip_comment_lines(script: str) -> str:
    """The script without its comment lines: lines that are a // comment, and /* … */ blocks that
    start a line and end one. They are a third of the search's scripts gzipped (2.4 KB of the
    interface's 8), and every first search downloads them. Code lines are kept whole, comments at
    their end too: no parsing of JavaScript, so nothing a comment look-alike in a string could break
    (the scripts have no multi-line strings)."""
    kept, in_block = [], False
    for number, line in enumerate(script.splitlines(keepends=True), 1):
        text = line.strip()
        if in_block or (text.startswith("/*") and ("*/" not in text or text.endswith("*/"))):
            if "*/" in text and not text.endswith("*/"):
                raise ValueError(f"line {number}: code after the end of a comment block")
            in_block = not text.endswith("*/")
        elif not text.startswith("//"):
            kept.append(line)
    return "".join(kept)


# --- deterministic output ---------------------------------------------------------------------

def canonicalize(output: Path) -> None:
    """Sort the values inside every filter chunk, and the filter and sort lists of every language's
    metadata, then rename them by content hash, so that the bundle's bytes depend only on the site.

    Files are decoded and re-encoded only if the round trip is exact; anything unexpected (a new
    Pagefind format) leaves the bundle as Pagefind wrote it, with a warning, rather than broken.
    """
    entry_path = output / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    try:
        renamed: dict[str, str] = {}
        for chunk in sorted((output / "filter").glob("*.pf_filter")):
            name, values = read_pagefind(chunk)
            renamed[chunk.stem] = _write_pagefind(output / "filter", chunk, [name, sorted(values, key=lambda v: v[0])], 7)
        for info in entry["languages"].values():
            meta_path = output / f"pagefind.{info['hash']}.pf_meta"
            meta = read_pagefind(meta_path)
            meta = [_rename_filters(part, renamed) for part in meta]
            meta = short_page_ids(meta, output / "fragment")
            meta = move_sort_orders(meta, output / SORT_DIR)
            new_name = _write_pagefind(output, meta_path, meta, 10, prefix="pagefind.")
            info["hash"] = new_name.removeprefix("pagefind.")
    except (ValueError, KeyError, IndexError, TypeError) as error:
        log.warning(f"search: Pagefind's output format was not recognized ({error}); the index is not byte-stable")
        return
    _write_entry(entry_path, entry)


def _write_entry(path: Path, entry: dict) -> None:
    """Pagefind's entry file, its languages in a fixed order."""
    entry["languages"] = dict(sorted(entry["languages"].items()))
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _rename_filters(part: object, renamed: dict[str, str]) -> object:
    """The metadata's list of [filter name, chunk hash] pairs, renamed and sorted; other parts as they are."""
    if isinstance(part, list) and part and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[1], str) and item[1] in renamed
        for item in part
    ):
        return sorted([name, renamed[old]] for name, old in part)
    return part


def short_page_ids(meta: list, folder: Path) -> list:
    """Pagefind names each page (and its fragment file) by a random-looking hash, and every first
    search loads the list of all of them: 2,000 practices are 13 KB gzipped, mostly hash digits
    that do not compress. Name the pages <language>_<build>_<number in hex> instead, in Pagefind's
    page order (index and filter chunks refer to pages by that position, not by name), and rename
    the fragment files to match: the list compresses to about half. <build> is a digest of the old
    names, which are digests of the pages: a changed page renames every fragment, so a browser
    never takes a cached fragment of an earlier build for a page of this one. Returns the metadata
    with the new names."""
    pages = next((part for part in meta if is_pairs(part, str, int)), None)
    if pages is None:
        return meta
    language = pages[0][0].split("_", 1)[0]
    build = hashlib.sha256(" ".join(name for name, _ in pages).encode()).hexdigest()[:4]
    renamed = []
    for number, (name, words) in enumerate(pages):
        new = f"{language}_{build}_{number:x}"
        (folder / f"{name}.pf_fragment").rename(folder / f"{new}.pf_fragment")
        renamed.append([new, words])
    return [renamed if part is pages else part for part in meta]


def move_sort_orders(meta: list, folder: Path) -> list:
    """Pagefind keeps the page order of every sort (data-pagefind-sort) in the metadata that each
    first search loads: four sorts of 2,000 practices are ~20 KB gzipped that a reader who never
    sorts would fetch. Write each order to a file of its own, pagefind/sort/<page hash prefix>_<sort>.json
    (the page ids in order), which search-ui.js fetches when a reader picks that sort, and leave the
    sorts out of the metadata. Returns the metadata without them."""
    pages = next((part for part in meta if is_pairs(part, str, int)), None)
    sorts = next((part for part in meta if is_pairs(part, str, list)), None)
    if pages is None or sorts is None:
        return meta
    language = pages[0][0].split("_", 1)[0]
    folder.mkdir(exist_ok=True)
    for name, order in sorted(sorts, key=lambda item: item[0]):
        ids = [pages[index][0] for index in order]
        (folder / f"{language}_{name}.json").write_text(json.dumps(ids, separators=(",", ":")), "utf-8")
    return [[] if part is sorts else part for part in meta]


def is_pairs(part: object, first: type, second: type) -> bool:
    return isinstance(part, list) and bool(part) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], first) and isinstance(item[1], second)
        for item in part
    )


def read_pagefind(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    body = data[len(SIGNATURE):]
    value, end = cbor_decode(body, 0)
    if end != len(body) or cbor_encode(value) != body:
        raise ValueError(f"{path.name}: CBOR does not round-trip")
    return value


def _write_pagefind(folder: Path, old: Path, value: object, hash_length: int, prefix: str = "") -> str:
    """Write value as a gzipped Pagefind file named language_contenthash; remove the old file."""
    data = SIGNATURE + cbor_encode(value)
    language = old.name.removeprefix(prefix).split("_", 1)[0]
    name = f"{prefix}{language}_{hashlib.sha256(data).hexdigest()[:hash_length]}"
    old.unlink()
    (folder / f"{name}{old.suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def cbor_decode(data: bytes, pos: int) -> tuple[object, int]:
    """The CBOR subset Pagefind writes: integers, strings, byte strings, arrays and maps."""
    major, info = data[pos] >> 5, data[pos] & 31
    pos += 1
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        length, pos = int.from_bytes(data[pos:pos + size], "big"), pos + size
    else:
        raise ValueError(f"unsupported CBOR length {info}")
    if major == 0:
        return length, pos
    if major == 1:
        return -1 - length, pos
    if major == 2:
        return data[pos:pos + length], pos + length
    if major == 3:
        return data[pos:pos + length].decode("utf-8"), pos + length
    if major in (4, 5):
        items = []
        for _ in range(length * (2 if major == 5 else 1)):
            item, pos = cbor_decode(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=False))), pos
    raise ValueError(f"unsupported CBOR major type {major}")


def cbor_encode(value: object) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported CBOR value")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(map(cbor_encode, value))
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise ValueError(f"unsupported CBOR value {type(value).__name__}")


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise ValueError("CBOR length too large")
