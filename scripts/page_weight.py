"""Page weight of a built site: the HTML of each page, and its first view in Chromium.

The first view is every byte a fresh browser fetches to show the page (HTML, CSS, scripts, icons),
summed from CDP Network.loadingFinished (encodedDataLength), from a server that gzips text files
as GitHub Pages does. It also lists any request that leaves the site (there must be none).

Usage: .venv/bin/python scripts/page_weight.py [SITE_DIR] [PAGE ...]
Default pages: home, catalog, a country, the reference practice and the heaviest practice, in
Spanish and English. Goals: a practice page under 30 KB of HTML, a first view under 100 KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from devtools.browser import launch_chromium, serve  # serve: gzips text files as GitHub Pages does

DEFAULT_PAGES = ["", "catalog/", "countries/pan/", "practices/onpar-border-access/"]


def heaviest_practice(site: Path) -> str:
    pages = sorted(site.glob("practices/*/index.html"), key=lambda page: -page.stat().st_size)
    return f"practices/{pages[0].parent.name}/" if pages else ""


def first_view(browser, url: str, base: str) -> tuple[int, list[str]]:
    """Bytes over the wire to show a page with a fresh cache, and the addresses outside the site."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    outside: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="networkidle")
    context.close()
    outside = sorted({u for u in urls.values() if not u.startswith((base, "data:"))})
    return sum(sizes.values()), outside


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    pages = sys.argv[2:] or [*DEFAULT_PAGES, heaviest_practice(site)]
    rows = []
    with serve(site, use_gzip=True) as base, launch_chromium() as browser:
        for path in pages:
            for prefix in ("", "en/"):
                html = (site / prefix / path / "index.html").stat().st_size
                transferred, outside = first_view(browser, f"{base}/{prefix}{path}", base)
                rows.append((f"/{prefix}{path}", html, transferred, outside))
    print(f"{'page':<52} {'HTML bytes':>11} {'first view (gzip)':>18}")
    for name, html, transferred, outside in rows:
        print(f"{name:<52} {html:>11,} {transferred:>18,}" + (f"  OUTSIDE: {outside}" if outside else ""))


if __name__ == "__main__":
    main()
