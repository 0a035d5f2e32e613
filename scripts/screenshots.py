"""Screenshots of the built site in headless Chromium, at phone and desktop widths.

Usage: .venv/bin/python scripts/screenshots.py [SITE_DIR] [OUT_DIR] [NAME ...]
Takes home, catalog, a country, a theme, a mechanism, the countries, themes and mechanisms indexes, a
practice with a single-year figure, a practice with several charts, one with only context figures,
one with no figures, a regional one, open data, about, contribute, propose, the map (Spanish and
English) and the 404 page at 390 px and 1280 px, and the practice with
charts as printed (print media emulated). NAME limits the run to some of the pages below.
In full-page shots Material's tabs look faded (it animates them in when the viewport changes);
they are solid in a browser.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from devtools.browser import launch_chromium, serve_directory

PAGES = {
    "home": "", "catalog": "catalog/", "country": "countries/pan/",
    "practice": "practices/onpar-border-access/",
    "practice-charts": "practices/conare-venezuela-simplified-recognition/",
    "open-data": "open-data/", "about": "about/", "map": "map/",
    "theme": "themes/access-to-procedure/", "mechanism": "mechanisms/mirps/", "contribute": "contribute/",
    "practice-context": "practices/comar-eligibility-support-packages/",
    "practice-no-results": "practices/conare-remote-asylum-application/",
    "practice-regional": "practices/mirps-peer-learning-asylum-systems/",
    "countries": "countries/", "themes": "themes/", "mechanisms": "mechanisms/", "propose": "propose/",
    "not-found": "404.html",
}
ONE_LANGUAGE = ("not-found",)  # one bilingual 404 page serves both languages
PRINTED = ("practice-charts",)


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "build/screenshots")
    names = sys.argv[3:] or list(PAGES)
    out.mkdir(parents=True, exist_ok=True)
    # The 404 page links its styles from the site's own path (/catalog/assets/…: it is served for any
    # address): serve the site under that path, as GitHub Pages does, or it is shot without styles.
    found = re.search(r'href="/([^"]*?)assets/', (site / "404.html").read_text(encoding="utf-8")) if (site / "404.html").exists() else None
    root = Path(tempfile.mkdtemp())
    mounted = root.joinpath(*found.group(1).strip("/").split("/")) if found and found.group(1) else root / "site"
    mounted.parent.mkdir(parents=True, exist_ok=True)
    mounted.symlink_to(site.resolve(), target_is_directory=True)
    path = "/" + mounted.relative_to(root).as_posix()
    with serve_directory(root) as served, launch_chromium() as browser:
        base_url = served + path
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name in names:
                for prefix in ("",) if name in ONE_LANGUAGE else ("", "en/"):
                    page.goto(f"{base_url}/{prefix}{PAGES[name]}")
                    target = out / f"{name}-{prefix.strip('/') or 'es'}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
            page.close()
        page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        for name in (n for n in names if n in PRINTED):
            page.goto(f"{base_url}/{PAGES[name]}")
            target = out / f"{name}-es-print.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)


if __name__ == "__main__":
    main()
