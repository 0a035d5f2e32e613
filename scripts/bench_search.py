"""Benchmark of search weight: what a reader's browser fetches for a first search on a catalog of
N synthetic practices, against the size of Material's lunr index (search/search_index.json) for
the same catalog. Goal: a first search under 150 KB at 2,000 practices.

The first search is measured in Chromium: open the Spanish catalog page, type a query, wait for
the results; every response from the first keystroke on, the page's and Pagefind's web worker's,
is summed with the bytes that came over the wire (body as sent, and headers). It is measured twice: from a plain
static server, and from one that gzips text files as GitHub Pages does. Nothing leaves 127.0.0.1.

Usage: .venv/bin/python scripts/bench_search.py [N] [--query WORDS] [--json] [--no-lunr] [--files]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from catalog.build import search
from devtools.browser import launch_chromium, serve  # Debian's Chromium, never a download
from devtools.synthetic import write_synthetic_catalog

REPO = Path(__file__).resolve().parent.parent

GOAL_BYTES = 150 * 1024
LIST_FILES = False  # --files: every response of each first search, to stderr


def build(project: Path, site: Path, config: str = "mkdocs.yml") -> float:
    """mkdocs build of the project into site; returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config, "--site-dir", str(site)],
        cwd=project, check=True, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"},
    )
    return time.perf_counter() - started


def lunr_config(project: Path) -> str:
    """A copy of the project's mkdocs.yml with Material's search plugin on (the lunr index)."""
    text = (project / "mkdocs.yml").read_text("utf-8")
    if "\nplugins:\n" not in text:
        raise SystemExit("mkdocs.yml has no plugins: list to add the search plugin to")
    (project / "mkdocs-lunr.yml").write_text(text.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1), "utf-8")
    return "mkdocs-lunr.yml"


def lunr_index_bytes(site: Path) -> tuple[int, int]:
    """Size of every search_index.json the lunr build wrote: as stored, and gzipped."""
    files = sorted(site.rglob("search_index.json"))
    if not files:
        raise SystemExit("the lunr build wrote no search_index.json")
    raw = sum(f.stat().st_size for f in files)
    return raw, sum(len(gzip.compress(f.read_bytes(), mtime=0)) for f in files)


def first_search(browser, base: str, query: str) -> dict[str, int]:
    """Bytes over the wire for a first search on the catalog page, by kind of file (fresh cache).
    Pagefind fetches its files from a web worker: Playwright's request events include those."""
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}
    counting = {"on": False}

    def on_finished(request):
        if counting["on"] and request.url.startswith(base):
            received = request.sizes()  # the body as it came over the wire (compressed or not), and headers
            body = received["responseBodySize"]
            if not body:  # Chromium reports 0 for a worker's own script: what our server sent for it
                response = request.response()
                content = response.body() if response else b""
                gzipped = response and response.headers.get("content-encoding") == "gzip"
                body = len(gzip.compress(content, compresslevel=6, mtime=0)) if gzipped else len(content)
            sizes[request.url] = body + received["responseHeadersSize"]

    context.on("requestfinished", on_finished)
    page.goto(f"{base}/catalog/", wait_until="load")
    counting["on"] = True
    page.locator("#catalog-search-q").press_sequentially(query)
    # Settled: the results are in (or "no practice matches": at 20 practices none contains «1234»).
    page.wait_for_function("""() => document.querySelector('[data-catalog-results]').getAttribute('aria-busy') === 'false'
        && /\\d|\\.$/.test(document.querySelector('[data-catalog-status]').textContent)""", timeout=60_000)
    page.wait_for_timeout(300)  # let the last requestfinished events of the rendered results arrive
    context.close()
    kinds: dict[str, int] = {}
    for url, size in sizes.items():
        kinds[kind_of(url)] = kinds.get(kind_of(url), 0) + size
    if LIST_FILES:
        for url, size in sorted(sizes.items()):
            print(f"{size:>8} B  {url[len(base):]}", file=sys.stderr)
    return kinds


TYPED = ["frontera", "registro", "oficina", "documento", "entrevista", "refugiadas", "capacidad", "comisión",
         "asdfgh", "región"]
# In the page: when the reader's last key went down (the key event's own time stamp, not when the
# page got round to handling it: a key that waits behind a search on the main thread counts its
# wait), and when the results settled after it.
WATCH_TYPING = """() => { window.__keys = []; window.__settled = [];
    document.querySelector('#catalog-search-q').addEventListener('keydown', (event) => window.__keys.push(event.timeStamp), true);
    new MutationObserver(() => { const r = document.querySelector('[data-catalog-results]');
        if (r.getAttribute('aria-busy') === 'false') window.__settled.push(performance.now()); })
        .observe(document.querySelector('[data-catalog-results]'), {attributes: true, attributeFilter: ['aria-busy']}); }"""


# Where that time went: the search that settled after the last keystroke, by stage (the page's
# user-timing measures "search: Pagefind" and "search: cards", see docs/assets/search-ui.js).
STAGES = """() => { const last = window.__keys.at(-1); const settled = window.__settled.find((t) => t > last);
    const runs = performance.getEntriesByType('measure').filter((m) => m.startTime > last && m.startTime < settled);
    const engine = runs.filter((m) => m.name === 'search: Pagefind').at(-1);
    const cards = runs.filter((m) => m.name === 'search: cards').at(-1);
    return { total: settled - last, pause: engine ? engine.startTime - last : null,
             Pagefind: engine ? engine.duration : null, cards: cards ? cards.duration : null }; }"""


def typing_latency(browser, base: str) -> list[dict[str, float | None]]:
    """Milliseconds from the last keystroke of each word to its results on screen, with the engine
    and index already loaded (a reader who goes on typing), words typed at 30 ms per key; and how
    they divide into the typing pause, Pagefind (index chunks and search) and the cards."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/catalog/?q=frontera", wait_until="load")
    page.wait_for_function("document.querySelector('[data-catalog-results]').getAttribute('aria-busy') === 'false'")
    page.evaluate(WATCH_TYPING)
    field = page.locator("#catalog-search-q")
    latencies = []
    for word in TYPED:
        field.fill("")
        page.wait_for_timeout(300)
        page.evaluate("() => { window.__keys = []; window.__settled = []; }")
        field.press_sequentially(word, delay=30)
        page.wait_for_function("(word) => { const r = document.querySelector('[data-catalog-results]');"
                               " return r.getAttribute('aria-busy') === 'false' && new URLSearchParams(location.search).get('q') === word"
                               " && window.__settled.some((t) => t > window.__keys.at(-1)); }", arg=word, timeout=30_000)
        latencies.append(page.evaluate(STAGES))
    context.close()
    return latencies


def kind_of(url: str) -> str:
    name = url.split("?")[0].rsplit("/", 2)
    for marker, kind in (("fragment", "fragments"), ("index", "index chunks"), ("filter", "filter chunks")):
        if name[-2] == marker:
            return kind
    if name[-1].endswith(".pagefind"):
        return "wasm"
    if name[-1].endswith((".pf_meta", "pagefind-entry.json")):
        return "language metadata"
    if name[-1] == "pagefind.js":
        return "pagefind.js"
    if name[-1] in ("search-ui.js", "search-engine.js"):
        return name[-1]
    if name[-1] == "pagefind-worker.js":
        return "pagefind-worker.js"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--query", action="append", help="words to type; repeat for several first searches "
                        "(default: «frontera», in every synthetic practice, and «1234», in a few)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-lunr", action="store_true", help="skip the build with Material's lunr search (faster)")
    parser.add_argument("--files", action="store_true", help="list every response of each first search (to stderr)")
    args = parser.parse_args()
    global LIST_FILES
    LIST_FILES = args.files
    queries = args.query or ["frontera", "1234"]

    with tempfile.TemporaryDirectory(prefix="bench-search-") as temp:
        temp = Path(temp)
        project = write_synthetic_catalog(temp / "project", args.count)
        build_seconds = build(project, temp / "site")
        started = time.perf_counter()
        pages = search.build_index(temp / "site")
        index_seconds = time.perf_counter() - started
        lunr_seconds, lunr_raw, lunr_gzip = 0.0, 0, 0
        if not args.no_lunr:
            lunr_seconds = build(project, temp / "site-lunr", lunr_config(project))
            lunr_raw, lunr_gzip = lunr_index_bytes(temp / "site-lunr")
        per_page = (temp / "site/assets/search.js").stat().st_size
        searches = []
        with launch_chromium() as browser:
            for query in queries:
                with serve(temp / "site", use_gzip=False) as base:
                    plain = first_search(browser, base, query)
                with serve(temp / "site", use_gzip=True) as base:
                    zipped = first_search(browser, base, query)
                searches.append({"query": query, "bytes": sum(plain.values()), "bytes_gzip": sum(zipped.values()),
                                 "by_kind": plain, "by_kind_gzip": zipped})
            with serve(temp / "site", use_gzip=True) as base:
                latencies = typing_latency(browser, base)

    figures = {
        "practices": args.count, "pages_indexed": pages, "first_searches": searches,
        "first_search_bytes": max(s["bytes"] for s in searches),
        "first_search_bytes_gzip": max(s["bytes_gzip"] for s in searches),
        "lunr_index_bytes": lunr_raw, "lunr_index_bytes_gzip": lunr_gzip,
        "search_js_bytes_per_page": per_page,
        "typing_ms": {"median": median([t["total"] for t in latencies]), "worst": round(max(t["total"] for t in latencies), 1),
                      "words": len(latencies),
                      "median_by_stage": {stage: median([t[stage] for t in latencies if t[stage] is not None])
                                          for stage in ("pause", "Pagefind", "cards")}},
        "build_seconds": round(build_seconds, 1), "index_seconds": round(index_seconds, 2),
        "lunr_build_seconds": round(lunr_seconds, 1), "goal_bytes": GOAL_BYTES,
    }
    print(json.dumps(figures, indent=1) if args.json else table(figures))


def median(values: list[float]) -> float | None:
    return round(sorted(values)[len(values) // 2], 1) if values else None


def table(f: dict) -> str:
    kb = lambda n: f"{n / 1024:,.1f} KB"  # noqa: E731
    rows = []
    for s in f["first_searches"]:
        rows.append((f"first search for «{s['query']}» (plain / gzip server)", f"{kb(s['bytes'])} / {kb(s['bytes_gzip'])}"))
        rows += [(f"  {kind}", f"{kb(size)} / {kb(s['by_kind_gzip'].get(kind, 0))}") for kind, size in sorted(s["by_kind"].items())]
    rows += [
        ("Material lunr search_index.json (as stored / gzipped)", f"{kb(f['lunr_index_bytes'])} / {kb(f['lunr_index_bytes_gzip'])}"),
        ("search.js, the loader on every page (not gzipped)", kb(f["search_js_bytes_per_page"])),
        (f"last keystroke → results, {f['typing_ms']['words']} words (median / worst)",
         f"{f['typing_ms']['median']} / {f['typing_ms']['worst']} ms"),
        ("  median by stage: pause, Pagefind (chunks and search), cards",
         " / ".join(str(v) for v in f["typing_ms"]["median_by_stage"].values()) + " ms"),
        ("mkdocs build with Pagefind (both languages)", f"{f['build_seconds']} s"),
        (f"Pagefind index alone ({sum(f['pages_indexed'].values())} pages)", f"{f['index_seconds']} s"),
        ("mkdocs build with lunr too", f"{f['lunr_build_seconds']} s"),
    ]
    width = max(len(label) for label, _ in rows)
    verdict = lambda n: "met" if n < f["goal_bytes"] else "NOT met"  # noqa: E731
    return "\n".join([
        f"{f['practices']} synthetic practices; Spanish catalog page, fresh cache",
        *(f"{label:<{width}}  {value:>24}" for label, value in rows),
        f"goal, first search < {kb(f['goal_bytes'])}: {verdict(f['first_search_bytes_gzip'])} from a gzip server "
        f"(as GitHub Pages), {verdict(f['first_search_bytes'])} from a plain one (worst query)",
    ])


if __name__ == "__main__":
    main()
