"""Screenshots of the built site in headless Chromium, at phone and desktop widths.

Usage: .venv/bin/python scripts/screenshots.py [SITE_DIR] [OUT_DIR] [NAME ...]
Takes home, catalog, a country, a theme, a mechanism, a practice with a single-year figure, a practice
with several charts, open data, about, contribute and the map (Spanish and English) at 390 px and 1280 px, and the practice with
charts as printed (print media emulated). NAME limits the run to some of the pages below.
In full-page shots Material's tabs look faded (it animates them in when the viewport changes);
they are solid in a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from devtools.browser import launch_chromium, serve_directory

PAGES = {
    "home": "", "catalog": "catalog/", "country": "countries/pan/",
    "practice": "practices/onpar-border-access/",
    "practice-charts": "practices/conare-venezuela-simplified-recognition/",
    "open-data": "open-data/", "about": "about/", "map": "map/",
    "theme": "themes/access-to-procedure/", "mechanism": "mechanisms/mirps/", "contribute": "contribute/",
}
PRINTED = ("practice-charts",)


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "build/screenshots")
    names = sys.argv[3:] or list(PAGES)
    out.mkdir(parents=True, exist_ok=True)
    with serve_directory(site) as base_url, launch_chromium() as browser:
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name in names:
                for prefix in ("", "en/"):
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
