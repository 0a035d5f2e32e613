"""Screenshots of the built site in headless Chromium, at phone and desktop widths.

Usage: .venv/bin/python scripts/screenshots.py [SITE_DIR] [OUT_DIR]
Takes home, catalog, a country, a practice page (Spanish and English) at 390 px and 1280 px.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.helpers.browser import launch_chromium, serve_directory  # noqa: E402

PAGES = {
    "home": "", "catalog": "catalog/", "country": "countries/pan/",
    "practice": "practices/onpar-border-access/",
}


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "build/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with serve_directory(site) as base_url, launch_chromium() as browser:
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES.items():
                for prefix in ("", "en/"):
                    page.goto(f"{base_url}/{prefix}{path}")
                    target = out / f"{name}-{prefix.strip('/') or 'es'}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
            page.close()


if __name__ == "__main__":
    main()
