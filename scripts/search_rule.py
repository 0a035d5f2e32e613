"""How well search tells real words from unknown ones: runs the hand-written queries of
tests/data/search_queries.yml against a built site, in Chromium, with Pagefind alone (before)
and with the rule of docs/assets/search-engine.js (after), and reports each query's number of
practices and the false-negative and false-positive rates.

A false negative is a `found` query that lists no practice; a false positive is a `none` query
that lists some.

Usage: .venv/bin/python scripts/search_rule.py [SITE_DIR] [--json]     (default: site/)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from devtools.browser import launch_chromium, serve_directory

REPO = Path(__file__).resolve().parent.parent

QUERIES = REPO / "tests/data/search_queries.yml"
PREFIX = {"es": "", "en": "en/"}

# In the catalog page: Pagefind's practices for each query, before and after the rule.
COUNT = """async (queries) => {
    const loader = document.querySelector('script[src$="assets/search.js"]').src;  // the site's root is ../
    const engine = await import(new URL('search-engine.js', loader).href);
    const pagefind = await import(new URL('../pagefind/pagefind.js', loader).href);
    await pagefind.options({ baseUrl: new URL('../', loader).pathname, excerptLength: 24 });
    const counts = {};
    for (const query of queries) {
        const options = { filters: engine.PRACTICES_ONLY };
        const before = (await pagefind.search(query, options)).results.length;
        const after = (await engine.search(pagefind, query, options)).results.length;
        counts[query] = [before, after];
    }
    return counts; }"""


def measure(site: Path) -> dict[str, dict[str, dict[str, list[int]]]]:
    """{language: {expectation: {query: [practices before, practices after]}}}."""
    queries = yaml.safe_load(QUERIES.read_text("utf-8"))
    outcome: dict = {}
    with serve_directory(site) as base, launch_chromium() as browser:
        page = browser.new_page()
        for language, groups in queries.items():
            page.goto(f"{base}/{PREFIX[language]}catalog/")
            every = [query for group in groups.values() for query in group]
            counts = page.evaluate(COUNT, every)
            outcome[language] = {expect: {query: counts[query] for query in group} for expect, group in groups.items()}
    return outcome


def rates(outcome: dict) -> dict[str, dict[str, object]]:
    """False negatives and positives, before (Pagefind alone) and after (with the rule)."""
    found = [counts for language in outcome.values() for counts in language["found"].items()]
    none = [counts for language in outcome.values() for counts in language["none"].items()]
    summary = {}
    for index, name in ((0, "before"), (1, "after")):
        misses = sorted(query for query, counts in found if not counts[index])
        wrong = sorted(query for query, counts in none if counts[index])
        summary[name] = {
            "false_negatives": misses, "false_negative_rate": len(misses) / len(found),
            "false_positives": wrong, "false_positive_rate": len(wrong) / len(none),
        }
    summary["queries"] = {"found": len(found), "none": len(none)}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    outcome = measure(args.site)
    summary = rates(outcome)
    if args.json:
        print(json.dumps({"outcome": outcome, "summary": summary}, ensure_ascii=False, indent=1))
        return
    for language, groups in outcome.items():
        for expect, counts in groups.items():
            for query, (before, after) in counts.items():
                print(f"{language}  {expect:<5}  {query:<22} {before:>3} → {after:>3}")
    print(f"{summary['queries']['found']} queries that should find practices, {summary['queries']['none']} that should not")
    for name in ("before", "after"):
        s = summary[name]
        print(f"{name:>6}: false negatives {s['false_negative_rate']:.1%} {s['false_negatives']}; "
              f"false positives {s['false_positive_rate']:.1%} {s['false_positives']}")


if __name__ == "__main__":
    main()
