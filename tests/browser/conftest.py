"""Fixtures of the browser tests: the real catalog served as GitHub Pages serves it, and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.browser import serve_site


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from devtools.browser import launch_chromium

    with launch_chromium() as chromium:
        yield chromium
