"""Helpers for browser tests: serve a built site on loopback and drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

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
