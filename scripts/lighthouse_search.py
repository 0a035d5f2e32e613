"""Lighthouse (mobile profile) on the catalog page with and without a query, in both languages:
layout shift, total blocking time and performance score, the median of several runs (a shared
machine makes single runs noisy; the about page is measured beside them as a control).

Lighthouse is not a dependency of the project: install it outside the repository and pass its
path, e.g. `cd /tmp/lh && npm install lighthouse@12`. The site is served as GitHub Pages serves
it (text files gzipped, scripts/bench_search.py's server), from 127.0.0.1 only.

Usage: .venv/bin/python scripts/lighthouse_search.py SITE_DIR --lighthouse /tmp/lh/node_modules/.bin/lighthouse [--runs 3]
(SITE_DIR: a built site, e.g. from `mkdocs build`, or a synthetic one from scripts/synthetic.py.)

`--profile` measures instead, without Lighthouse, the main thread's time in each script of the same
pages (Chromium's sampling profiler, CPU slowed 4× as Lighthouse's mobile profile does, mean of the
runs): which script blocks, a figure that the load of a shared machine disturbs less than TBT.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from devtools.browser import CHROMIUM, serve

REPO = Path(__file__).resolve().parent.parent

PAGES = ("catalog/", "catalog/?q=frontera", "en/catalog/", "en/catalog/?q=border", "about/")
TARGETS = "targets on the catalog page: layout shift < 0.1, total blocking time < 200 ms, performance ≥ 95"


def lighthouse(binary: str, url: str) -> dict[str, float]:
    """One mobile-profile run (Lighthouse's default): CLS, TBT in ms, performance score 0–100."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temp:
        report = Path(temp) / "report.json"
        subprocess.run([binary, url, "--only-categories=performance", "--output=json", f"--output-path={report}",
                        "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                       check=True, capture_output=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(report.read_text("utf-8"))
    audits = result["audits"]
    return {"CLS": audits["cumulative-layout-shift"]["numericValue"],
            "TBT": audits["total-blocking-time"]["numericValue"],
            "performance": result["categories"]["performance"]["score"] * 100}


def script_times(browser, url: str) -> dict[str, float]:
    """Main-thread milliseconds per script file (and the engine's WebAssembly) while the page loads
    and, with a query, until its results are in, plus 1.5 s; CPU slowed 4×."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    cdp.send("Profiler.start")
    page.goto(url, wait_until="load")
    if "q=" in url:
        page.wait_for_function("document.querySelector('[data-catalog-results]').getAttribute('aria-busy') === 'false'",
                               timeout=120_000)
    page.wait_for_timeout(1500)
    profile = cdp.send("Profiler.stop")["profile"]
    context.close()
    frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    times: dict[str, float] = {}
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = frames[sample]
        name = "WebAssembly" if frame["functionName"].startswith("wasm-") else frame["url"].rsplit("/", 1)[-1].split("?")[0]
        if "." in name or name == "WebAssembly":
            times[name] = times.get(name, 0.0) + delta / 1000
    return times


def profile(site: Path, runs: int) -> None:
    from devtools.browser import launch_chromium, serve  # serve: gzips text files as GitHub Pages does

    with serve(site, use_gzip=True) as base, launch_chromium() as browser:
        for page in PAGES:
            measured = [script_times(browser, f"{base}/{page}") for _ in range(runs)]
            names = sorted({name for run in measured for name in run}, key=lambda n: -sum(r.get(n, 0) for r in measured))
            print(f"/{page}: " + ", ".join(f"{name} {sum(r.get(name, 0) for r in measured) / runs:.0f} ms" for name in names[:8]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--lighthouse", help="path of the lighthouse command (npm, outside the repo)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="main-thread time per script instead (no Lighthouse)")
    args = parser.parse_args()
    if args.profile:
        print(f"Main-thread time per script, CPU slowed 4×, mean of {args.runs} runs")
        return profile(args.site, args.runs)
    if not args.lighthouse:
        parser.error("--lighthouse is required (or --profile)")
    with serve(args.site, use_gzip=True) as base:
        runs = {page: [lighthouse(args.lighthouse, f"{base}/{page}") for _ in range(args.runs)] for page in PAGES}
    print(f"Lighthouse, mobile profile, median of {args.runs} runs ({TARGETS})")
    for page, results in runs.items():
        middle = {key: statistics.median(run[key] for run in results) for key in results[0]}
        spread = ", ".join(f"{run['TBT']:.0f}" for run in results)
        print(f"  /{page:<22} CLS {middle['CLS']:.4f}  TBT {middle['TBT']:4.0f} ms (runs: {spread})  "
              f"performance {middle['performance']:.0f}")


if __name__ == "__main__":
    main()
