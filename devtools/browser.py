"""Helpers for browser tests: serve a built site on loopback and drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google services that this machine's network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serve_directory(root: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 on a free port; yields the base URL (no trailing slash)."""
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """A headless Chromium driven by Playwright, using the system browser (never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def tab_to(tab, predicate: str, presses: int, what: str) -> None:
    """Press Tab until the JavaScript predicate holds for the focused element, or fail the test."""
    import pytest

    for _ in range(presses):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
            return
    pytest.fail(f"Tab never reached {what}")


def axe_violations(tab) -> list[dict]:
    """What axe-core finds wrong on the page open in the tab."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(tab, options={"resultTypes": ["violations"]}).response["violations"]


def violation_details(violations: list[dict]) -> str:
    """axe's violations, one line each with up to five of the elements at fault."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5]]
    return "\n".join(lines)


def site_path(site: Path) -> str:
    """The path the site is published under, from its canonical address: /catalog/."""
    html = (site / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return urlsplit(canonical.group(1)).path if canonical else "/"


class _PagesHandler(QuietHandler):
    """A static server that answers a missing address with 404.html, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.not_found_page
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve a built site at its published path; yields the URL of its root (ending in /)."""
    prefix = site_path(site).strip("/")
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root, prefix) if prefix else Path(root, "site")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        directory = root if prefix else str(mount)
        handler = type("Handler", (_PagesHandler,), {"not_found_page": f"{prefix}/404.html".lstrip("/")})
        with serve_directory(Path(directory), handler) as base:
            yield f"{base}/{prefix + '/' if prefix else ''}"


# Text files GitHub Pages sends gzipped.
TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")


class PagesLikeHandler(QuietHandler):
    """A static server; with gzip on, text files go compressed, as GitHub Pages sends them.
    Pagefind's own files (.pagefind, .pf_*) are compressed already and go as they are."""

    use_gzip = False
    # Connections kept open, as browsers keep them with GitHub Pages (HTTP/2 there): without it,
    # every fragment of a result list waits for a new connection to this one-thread-per-request server.
    protocol_version = "HTTP/1.1"
    # Headers and body go in two writes: with Nagle's algorithm the body waits for the client's
    # delayed acknowledgement of the headers (40 ms on Linux), a stall no real web server has.
    disable_nagle_algorithm = True

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.use_gzip and accepts and path.suffix in TEXT_TYPES and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path, use_gzip: bool) -> Iterator[str]:
    """Serve a built site on loopback, gzipping text files when asked (as GitHub Pages does)."""
    with serve_directory(site, type("Handler", (PagesLikeHandler,), {"use_gzip": use_gzip})) as base:
        yield base
