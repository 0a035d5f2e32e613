"""The PDF compendium (`catalog compendium`, catalog/build/compendium.py), checked through poppler's tools.

Titles are read from the records as the validator loads them, never through the compendium's own
code; page numbers are read from the PDF's bookmarks and text, never from the HTML it was made of.
"""

from __future__ import annotations

import fcntl
import html
import os
import re
import shutil
import subprocess
import sys
import zlib
from functools import cache
from pathlib import Path

import pytest

from catalog.records.validate import validate_paths
from scripts.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, REPO, SOURCE_DATE_EPOCH, build_site

pytestmark = [pytest.mark.site, pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")]


def compendium(out: Path, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "catalog.cli.main", "compendium", "--out", str(out), *options],
                          cwd=REPO, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The whole catalog's compendium in each language, built once for all test workers (a lock
    in pytest's shared temporary folder keeps parallel workers from building it twice)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's basetemp is inside the run's own folder
        shared = shared.parent
    folder = shared / "compendium"
    folder.mkdir(exist_ok=True)
    made = {language: folder / f"{language}.pdf" for language in ("es", "en")}
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for language, pdf in made.items():
            if not pdf.exists():
                result = compendium(folder / "partial.pdf", "--lang", language)
                assert result.returncode == 0, result.stderr
                (folder / "partial.pdf").rename(pdf)
    return made


@cache
def titles(language: str) -> dict[str, str]:
    """id → title shown in a language: the translation, or the original while it is pending."""
    report = validate_paths([PRACTICES])
    assert report.ok
    shown = {}
    for document in report.documents:
        data = document.data
        shown[data["id"]] = data["title"].get(language) or data["title"][data["original_language"]]
    return shown


def words(text: str) -> str:
    return " ".join(text.split())


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [words(page) for page in text.split("\f")]


def bookmarks(pdf: Path) -> list[tuple[int, str]]:
    """(page, title) of every bookmark, in order, from poppler's reading of the PDF outline."""
    xml = subprocess.run(["pdftohtml", "-stdout", "-xml", "-i", "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    return [(int(page), words(html.unescape(title))) for page, title in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_record_title_is_in_the_compendium(pdfs, language):
    text = " ".join(pages(pdfs[language]))
    missing = [title for title in titles(language).values() if words(title) not in text]
    assert not missing


@pytest.mark.parametrize("language", ["es", "en"])
def test_contents_page_numbers_match_where_each_practice_starts(pdfs, language):
    text = pages(pdfs[language])
    marks = {title: page for page, title in bookmarks(pdfs[language])}
    contents = " ".join(text[1:4])  # the contents follow the cover
    for title in titles(language).values():
        title = words(title)
        listed = re.search(re.escape(title) + r"[ .]*?(\d+)", contents)
        assert listed, f"not in the contents: {title}"
        page = int(listed.group(1))
        assert marks[title] == page, title  # the bookmark (the practice's heading) is on that page
        assert title in text[page - 1] and title not in text[page - 2], title


def test_pdf_is_tagged_with_language_title_and_bookmarks_by_country(pdfs):
    info = subprocess.run(["pdfinfo", str(pdfs["en"])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Compendium of good practices$", info, re.M)
    assert re.search(r"^CreationDate:\s+Thu Jan\s+1 00:00:00 2026 UTC$", info, re.M)  # SOURCE_DATE_EPOCH
    assert b"/Lang (en)" in _inflated(pdfs["en"])
    names = [title for _, title in bookmarks(pdfs["en"])]
    assert names[0] == "Contents" and "Panama" in names and "Mexico" in names
    assert names.index("Argentina") < names.index("Belize") < names.index("Uruguay")


def test_spanish_countries_follow_spanish_alphabetical_order(pdfs):
    names = [title for _, title in bookmarks(pdfs["es"])]
    countries = [name for name in ("Argentina", "Belice", "Brasil", "México", "Panamá", "Perú", "Regional", "Uruguay")]
    assert sorted(countries, key=names.index) == countries


def test_two_builds_are_byte_identical(pdfs, tmp_path):
    again = tmp_path / "again.pdf"
    assert compendium(again, "--lang", "en").returncode == 0
    assert again.read_bytes() == pdfs["en"].read_bytes()


def test_a_filtered_compendium_holds_only_its_country(tmp_path):
    out = tmp_path / "pan.pdf"
    result = compendium(out, "--lang", "es", "--country", "pan")
    assert result.returncode == 0, result.stderr
    panama = {id_ for id_, path in _record_paths().items() if path.parent.name == "pan"}
    text = " ".join(pages(out))
    for id_, title in titles("es").items():
        assert (words(title) in text) == (id_ in panama), title


def test_unknown_filter_is_a_usage_error(tmp_path):
    result = compendium(tmp_path / "x.pdf", "--lang", "en", "--theme", "no-such-theme")
    assert result.returncode == 2 and "no-such-theme" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def _record_paths() -> dict[str, Path]:
    return {path.stem: path for path in PRACTICES.rglob("*.yml")}


def _inflated(pdf: Path) -> bytes:
    """The PDF with its compressed streams inflated, to read the document catalog's entries."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end():]))
        except zlib.error:
            continue
    return b"".join(parts)


def test_a_site_build_that_does_not_ask_for_the_compendium_does_not_load_weasyprint():
    """The default `mkdocs build` pays nothing for the compendium: the plugin never imports the typesetter."""
    probe = ("import sys; from mkdocs.config import load_config; import catalog.mkdocs.plugin; "
             "config = load_config('mkdocs.yml'); "
             "assert config.plugins['catalog'].config.compendium is False, 'compendium on by default'; "
             "print('weasyprint' in sys.modules)")
    env = {key: value for key, value in os.environ.items() if key != "CATALOG_COMPENDIUM"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_site_built_with_the_compendium_publishes_and_lists_both_pdfs(tmp_path, monkeypatch):
    project = write_synthetic_catalog(tmp_path / "project", 6)
    monkeypatch.setenv("CATALOG_COMPENDIUM", "true")
    site = tmp_path / "site"
    build_site(project, site)
    for language, name in (("es", "compendio-es.pdf"), ("en", "compendium-en.pdf")):
        pdf = site / "data" / name
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert f"/Lang ({language})".encode() in _inflated(pdf)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1)) >= 4  # cover, contents, practices
        assert len(pages(pdf)) > 1
        for page in ("open-data/index.html", "en/open-data/index.html"):
            html = (site / page).read_text("utf-8")
            assert f"data/{name}</code></a>" in html
    spanish = (site / "open-data/index.html").read_text("utf-8")
    assert "1 de enero de 2026" in spanish  # the compendium's date: SOURCE_DATE_EPOCH
