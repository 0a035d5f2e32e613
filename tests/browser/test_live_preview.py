"""The live preview (`scripts/dev serve`, that is `mkdocs serve --dirty`) in a real browser: saving a
record shows the change on its page and its country's listing, after one rebuild only (the build writes
generated pages into docs/, which the watcher must not take for an edit), and the downloads and the
search index follow once the editor pauses."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml

from devtools.browser import launch_chromium
from devtools.synthetic import copy_site_inputs
from tests.helpers import PRACTICES, SOURCE_DATE_EPOCH

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(predicate, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def test_saving_a_record_rebuilds_once_and_the_browser_shows_it(tmp_path):
    project = tmp_path / "project"
    copy_site_inputs(project)
    shutil.copytree(PRACTICES, project / "practices")
    record = project / "practices" / "pan" / "onpar-border-access.yml"
    other_record = next(path for path in sorted((project / "practices").glob("*/*.yml")) if path != record)
    other_title = yaml.safe_load(other_record.read_text("utf-8"))["title"]["es"].strip()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1", "CATALOG_SITE_URL": base + "/"}
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    log_text = lambda: log_path.read_text("utf-8", errors="replace")  # noqa: E731
    try:
        page_url = f"{base}/practices/{record.stem}/"
        _wait_for(lambda: server.poll() is None and _answers(page_url), "the first build")
        _wait_for(lambda: "pages indexed" in log_text(), "the first search index")
        with launch_chromium() as browser:
            page = browser.new_page()
            page.goto(page_url)
            before = log_text().count("Detected file changes")
            record.write_text(record.read_text("utf-8").replace("\ntitle:\n  es: ", "\ntitle:\n  es: VISTA-PREVIA ", 1), "utf-8")
            # The page reloads by itself (MkDocs' livereload script) once the rebuild is done.
            page.wait_for_function("() => document.title.includes('VISTA-PREVIA')", timeout=120_000, polling=100)
            listing = browser.new_page()
            listing.goto(f"{base}/countries/pan/")
            assert "VISTA-PREVIA" in listing.locator("main").inner_text()
            # The rebuild gave MkDocs only the changed pages: the others are still served, and the
            # edited page's tabs and language switch still lead where they should.
            other = browser.new_page()
            assert other.goto(f"{base}/practices/{other_record.stem}/").status == 200
            assert other_title in other.locator("h1").inner_text()
            tabs = [page.locator(".md-tabs__link").nth(n).get_attribute("href") for n in range(page.locator(".md-tabs__link").count())]
            assert "../../catalog/" in tabs, tabs
            assert other.goto(page.url + "../../catalog/").status == 200 and other.locator("[data-catalog-search]").count() == 1
            english = page.locator('a[hreflang="en"]').first.get_attribute("href")
            assert other.goto(urllib.parse.urljoin(page.url, english)).status == 200
            assert other.locator("html").get_attribute("lang") == "en"
            assert other.url.endswith(f"/en/practices/{record.stem}/")
            time.sleep(3)  # a second build would have been detected by now (the watcher polls every 0.5 s)
            assert log_text().count("Detected file changes") == before + 1, log_text()[-3000:]
            # The downloads and the search index are made again once the editor pauses.
            _wait_for(lambda: log_text().count("pages indexed") >= 2, "the search index of the edited catalog")
            with urllib.request.urlopen(f"{base}/data/practices.json", timeout=10) as response:
                assert "VISTA-PREVIA" in response.read().decode("utf-8")
        assert not re.search(r"Traceback|ERROR", log_text()), log_text()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=60)


_SEARCH = """async (words) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.options({noWorker: true});
    const found = await pagefind.search(words);
    return Promise.all(found.results.map(async (result) => (await result.data()).url)); }"""


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _found(browser, base: str, root: str, words: str) -> list[str]:
    """The URLs the served search index finds for words, from a page of one language (Pagefind picks
    that language's index by <html lang>)."""
    page = browser.new_page()
    page.goto(f"{base}/{root}catalog/")
    try:
        return page.evaluate(_SEARCH, words)
    finally:
        page.close()


def test_a_record_deleted_or_renamed_while_serving_leaves_the_site_and_the_search(tmp_path):
    project = tmp_path / "project"
    copy_site_inputs(project)
    shutil.copytree(PRACTICES, project / "practices")
    deleted = project / "practices" / "pan" / "onpar-border-access.yml"
    renamed = next(path for path in sorted((project / "practices").glob("*/*.yml")) if path != deleted)
    new_id = renamed.stem + "-renamed"
    words = yaml.safe_load(deleted.read_text("utf-8"))["title"]["es"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1", "CATALOG_SITE_URL": base + "/"}
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    log_text = lambda: log_path.read_text("utf-8", errors="replace")  # noqa: E731
    old_pages = [f"{base}/{root}practices/{stem}/" for root in ("", "en/") for stem in (deleted.stem, renamed.stem)]
    new_pages = [f"{base}/{root}practices/{new_id}/" for root in ("", "en/")]
    try:
        _wait_for(lambda: server.poll() is None and _answers(old_pages[0]), "the first build")
        _wait_for(lambda: "pages indexed" in log_text(), "the first search index")
        with launch_chromium() as browser:
            assert f"/practices/{deleted.stem}/" in _found(browser, base, "", words)  # found before
            indexed = log_text().count("pages indexed")
            deleted.unlink()
            text = renamed.read_text("utf-8").replace(f"\nid: {renamed.stem}\n", f"\nid: {new_id}\n", 1)
            assert f"\nid: {new_id}\n" in text
            (renamed.parent / f"{new_id}.yml").write_text(text, "utf-8")
            renamed.unlink()
            _wait_for(lambda: all(_status(url) == 200 for url in new_pages), "the renamed record's pages")
            _wait_for(lambda: all(_status(url) == 404 for url in old_pages), "the old pages to go")
            _wait_for(lambda: log_text().count("pages indexed") > indexed, "the search index of the changed catalog")
            for root in ("", "en/"):
                urls = _found(browser, base, root, words)
                assert not [url for url in urls if f"/practices/{deleted.stem}/" in url or f"/practices/{renamed.stem}/" in url]
        assert not re.search(r"Traceback|ERROR", log_text()), log_text()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=60)
