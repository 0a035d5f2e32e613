"""Internal links of the whole built site: every href and src of every HTML page, relative,
root-relative or absolute on the site's own address, leads to a file of the site, and every
#fragment to an id in the page it points to. Links to other sites are counted, not followed.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.site

LINK_ATTRIBUTES = {"href", "src"}
BASE = "http://site.invalid"  # where a page is placed to resolve its links (never fetched)


class _Page(HTMLParser):
    """The links and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, address)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")
            elif name in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, value))


@cache
def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def site_address(site: Path) -> str:
    """The site's own absolute address, from the home page's canonical link."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return canonical.group(1) if canonical else ""


def page_url(site: Path, html_file: Path, root_path: str) -> str:
    """The address a page is served at, on the placeholder host: /catalog/practices/x/."""
    relative = html_file.relative_to(site).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return f"{BASE}{root_path}{relative}"


def target_file(site: Path, root_path: str, path: str) -> Path | None:
    """The file an address on the site resolves to, as a static server would, or None."""
    if not path.startswith(root_path):
        return None
    relative = unquote(path[len(root_path):])
    if posixpath.normpath("/" + relative).startswith("/.."):
        return None
    candidate = site / relative
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path) -> tuple[Counter, list[str]]:
    address = site_address(site)
    assert address, "the home page has no canonical address"
    root_path = urlsplit(address).path
    counts: Counter = Counter()
    broken: list[str] = []
    for html_file in sorted(site.rglob("*.html")):
        here = page_url(site, html_file, root_path)
        for tag, link in parse(html_file).links:
            link = link.strip()
            if link.startswith(address):  # an absolute link to the site itself (canonical, alternates)
                link = root_path + link[len(address):]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                counts["external"] += 1
                continue
            resolved = urlsplit(urljoin(here, link))
            where = f"{html_file.relative_to(site)}: <{tag}> {link}"
            target = target_file(site, root_path, resolved.path)
            counts["internal"] += 1
            if target is None:
                broken.append(f"{where} (no such file)")
                continue
            if resolved.fragment and target.suffix == ".html":
                counts["fragment"] += 1
                if unquote(resolved.fragment) not in parse(target).ids:
                    broken.append(f"{where} (no id '{resolved.fragment}' in {target.relative_to(site)})")
    return counts, broken


def test_every_internal_link_and_anchor_resolves(built_site):
    counts, broken = check_site(built_site)
    pages = len(list(built_site.rglob("*.html")))
    print(f"\nlink check: {pages} pages, {counts['internal']} internal links (of which {counts['fragment']} "
          f"with a #fragment) checked, {counts['external']} external links not followed, {len(broken)} broken")
    assert counts["internal"] > 20 * pages  # header, tabs, navigation and content of every page
    assert broken == []


def test_the_link_check_finds_broken_links_and_anchors(built_site, tmp_path):
    """A copy of two pages with a missing file, a missing anchor and an escape from the site."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    canonical = f'<link rel="canonical" href="{site_address(built_site)}">'
    (site / "index.html").write_text(f'<html><head>{canonical}</head><body><a href="a/">ok</a> <a href="a/#top">ok</a>'
                                     ' <a href="gone/">missing</a> <a href="a/#nowhere">bad anchor</a>'
                                     ' <a href="../../etc/passwd">outside</a></body></html>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<p id="top"><a href="../#">home</a></p>', encoding="utf-8")
    counts, broken = check_site(site)
    assert counts["fragment"] == 2  # "#" alone names no anchor
    assert sorted(b.split(" (")[0] for b in broken) == [
        "index.html: <a> ../../etc/passwd", "index.html: <a> a/#nowhere", "index.html: <a> gone/",
    ]
