"""Make the sharing images of the site (og:image), one per language: the catalog's name and
description beside its regional map, drawn from the site's own country shapes and projection
(catalog/present/maps.py) and photographed by headless Chromium.

Usage: .venv/bin/python scripts/og_image.py [OUT_DIR]   (default: docs/assets)

Writes og-es.png and og-en.png (1200 × 630, the size link previews expect), which are
committed: the site build makes no image and needs no browser. Run it again after a change of the
site's name or description (catalog/data/ui.yml) or of the shapes. Chromium sets the text in the
machine's system sans-serif (Pillow's own font has no accented letters), so another machine may
draw the letters slightly differently: that is why the images are committed, not rebuilt.
"""

from __future__ import annotations

import io
import sys
from html import escape
from pathlib import Path

from PIL import Image

from catalog.core.geo import shapes
from catalog.core.i18n import ui
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import load_vocabularies
from catalog.present.maps import REGION_BOX, WIDTH, Frame
from devtools.browser import launch_chromium

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1200, 630)
BACKGROUND = "#0b4f6c"  # the site's primary colour (docs/assets/catalog.css)
COVERED = "#c6dbef"  # the map's lightest blue: the countries the catalog covers
OTHER = "#1f6f91"  # the primary's light tone: the other countries, as context
COLOURS = 48  # a small palette keeps the file small (< 60 KB)


def region_svg() -> str:
    """The region frame of the site's map: covered countries light, the others as context."""
    frame = Frame.of(REGION_BOX)
    covered = set(load_vocabularies().countries)
    paths = [f'<path d="{frame.path(shape)}" fill="{COVERED if code in covered else OTHER}"/>'
             for code, shape in sorted(shapes().items(), key=lambda item: (item[0] in covered, item[0]))]
    return (f'<svg viewBox="0 0 {WIDTH} {frame.height}" xmlns="http://www.w3.org/2000/svg">'
            f'<g stroke="{BACKGROUND}" stroke-width="2">{"".join(paths)}</g></svg>')


def card_html(language: str) -> str:
    return f"""<!doctype html><html lang="{language}"><meta charset="utf-8"><style>
body{{margin:0;width:{SIZE[0]}px;height:{SIZE[1]}px;background:{BACKGROUND};color:#fff;
  font-family:system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;display:flex;overflow:hidden}}
main{{flex:0 0 640px;padding:80px 0 0 64px;box-sizing:border-box}}
h1{{font-size:60px;line-height:1.15;margin:0 0 36px;font-weight:700}}
hr{{width:100px;height:8px;margin:0 0 36px;border:0;background:{COVERED}}}
p{{font-size:30px;line-height:1.4;margin:0;color:#e3eef4}}
svg{{flex:1;height:600px;margin:15px 20px 15px 0}}
</style><main><h1>{escape(ui("site_name", language))}</h1><hr><p>{escape(ui("site_description", language))}</p></main>
{region_svg()}</html>"""


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "assets"
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": SIZE[0], "height": SIZE[1]})
        for language in LANGUAGES:
            page.set_content(card_html(language))
            shot = Image.open(io.BytesIO(page.screenshot()))
            target = out / f"og-{language}.png"
            shot.convert("RGB").quantize(colors=COLOURS, dither=Image.Dither.NONE).save(target, optimize=True)
            print(target, target.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
