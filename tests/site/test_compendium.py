"""The PDF compendium (`catalog compendium`, catalog/build/compendium.py), checked through poppler's tools.

Titles are read from the records as the validator loads them, never through the compendium's own
code; page numbers are read from the PDF's bookmarks and text, never from the HTML it was made of.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zlib
from functools import cache
from pathlib import Path

import pytest
import yaml

from catalog.build.compendium_pdf import PACKAGE, Refused, package_path
from catalog.build.compendium_pdf import pdf as typeset
from catalog.records.validate import validate_paths
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES, REPO, SOURCE_DATE_EPOCH, build_site, made_once, run_folder

pytestmark = [pytest.mark.site, pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")]


def compendium(out: Path, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "catalog.cli.main", "compendium", "--out", str(out), *options],
                          cwd=REPO, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The whole catalog's compendium in each language, built once for all test workers (the first
    worker builds both languages at once while the others wait on the shared folder's lock)."""
    folder = made_once(run_folder(tmp_path_factory.getbasetemp()), "compendium", _both_compendiums)
    return {language: folder / f"{language}.pdf" for language in ("es", "en")}


def _both_compendiums(folder: Path) -> None:
    folder.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    running = [subprocess.Popen([sys.executable, "-m", "catalog.cli.main", "compendium", "--lang", language,
                                 "--out", str(folder / f"{language}.pdf")], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for language in ("es", "en")]
    for process in running:
        _, errors = process.communicate()
        assert process.returncode == 0, errors


def poppler(*command: str | Path) -> str:
    """What a poppler tool (pdftotext, pdftohtml, pdfinfo, pdffonts) prints for a PDF, the PDF given as a
    Path. Kept for the test process, keyed by the arguments and the PDF's content, since the tests read
    the same compendium with the same options many times and one pdftotext of it takes seconds."""
    key = tuple(hashlib.sha256(part.read_bytes()).hexdigest() if isinstance(part, Path) else part for part in command)
    if key not in _POPPLER_OUTPUT:
        _POPPLER_OUTPUT[key] = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                                              check=True).stdout
    return _POPPLER_OUTPUT[key]


_POPPLER_OUTPUT: dict[tuple[str, ...], str] = {}


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
    text = poppler("pdftotext", "-enc", "UTF-8", pdf, "-")
    return [words(page) for page in text.split("\f")]


def bookmarks(pdf: Path) -> list[tuple[int, str]]:
    """(page, title) of every bookmark, in order, from poppler's reading of the PDF outline."""
    return [(page, title) for page, title, _ in outline(pdf)]


@cache
def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(page, title, level) of every bookmark, in order; level 1 for a chapter (or front and back matter)."""
    xml = poppler("pdftohtml", "-stdout", "-xml", "-i", "-f", "1", "-l", "1", pdf)
    found = []

    def walk(node: ET.Element, level: int) -> None:
        for child in node:
            if child.tag == "item":
                found.append((int(child.get("page")), words(child.text or ""), level))
            elif child.tag == "outline":
                walk(child, level + 1)

    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    for top in root.iter("outline"):
        walk(top, 1)
        break
    return found


def layout_pages(pdf: Path) -> list[str]:
    """Each page's text as laid out (pdftotext -layout), lines kept."""
    text = poppler("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
    return text.split("\f")[:-1]


def section_pages(pdf: Path, title: str) -> range:
    """The pages of the front or back matter section whose first-level bookmark is title."""
    chapters = [(page, name) for page, name, level in outline(pdf) if level == 1]
    names = [name for _, name in chapters]
    start = chapters[names.index(title)][0]
    following = [page for page, _ in chapters if page > start]
    end = following[0] - 1 if following else len(layout_pages(pdf))
    return range(start, end + 1)


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_record_title_is_in_the_compendium(pdfs, language):
    text = " ".join(pages(pdfs[language]))
    missing = [title for title in titles(language).values() if words(title) not in text]
    assert not missing


@pytest.mark.parametrize("language", ["es", "en"])
def test_contents_page_numbers_match_where_each_practice_starts(pdfs, language):
    """The contents (after the cover) give each practice's page: its bookmark and its title are there.
    The title is not on the page before, unless that page is front matter, which names every practice."""
    text = pages(pdfs[language])
    marks = {title: page for page, title in bookmarks(pdfs[language])}
    contents = " ".join(text[page - 1] for page in section_pages(pdfs[language], CONTENTS[language]))
    first_chapter = min(marks[words(title)] for title in titles(language).values())
    for title in titles(language).values():
        title = words(title)
        listed = re.search(printed(title) + r"[ .]*?(\d+)", contents)
        assert listed, f"not in the contents: {title}"
        page = int(listed.group(1))
        assert marks[title] == page, title  # the bookmark (the practice's heading) is on that page
        assert re.search(printed(title), text[page - 1]), title
        assert page - 1 < first_chapter or not re.search(printed(title), text[page - 2]), title


def printed(title: str) -> str:
    """A pattern for a title as pdftotext reads it: where a line breaks after a hyphen
    ("non-" / "refoulement"), pdftotext joins the words and drops the hyphen."""
    return re.escape(title).replace(r"\-", "-?")


OVERVIEW = {"es": "Cuadro general de las prácticas", "en": "Overview of the practices"}
CONTENTS = {"es": "Contenido", "en": "Contents"}


def tokens(text: str) -> list[str]:
    """Words, a hyphenated one as its parts (a table cell may wrap it after the hyphen)."""
    return [part for part in re.split(r"\s+|(?<=-)", text) if part]


def is_subsequence(wanted: list[str], found: list[str]) -> bool:
    remaining = iter(found)
    return all(word in remaining for word in wanted)


@pytest.mark.parametrize("language", ["es", "en"])
def test_overview_table_lists_every_practice_with_its_page(pdfs, language):
    """One row per practice (a block of lines in the laid-out text): its title, read line by line
    between the other cells, and on the row's first line the page where the practice starts."""
    pdf = pdfs[language]
    marks = {title: page for page, title in bookmarks(pdf)}
    rows = [block.strip("\n").splitlines() for page in section_pages(pdf, OVERVIEW[language])
            for block in re.split(r"\n\s*\n", layout_pages(pdf)[page - 1])]
    rows = [row for row in rows if row and re.search(r"\d+\s*$", row[0])]
    for title in titles(language).values():
        title = words(title)
        holding = [row for row in rows if is_subsequence(tokens(title), tokens(" ".join(row)))]
        assert len(holding) == 1, (title, holding)
        assert int(re.search(r"(\d+)\s*$", holding[0][0]).group(1)) == marks[title], title


def test_pdf_is_tagged_with_language_title_and_bookmarks_by_country(pdfs):
    info = poppler("pdfinfo", pdfs["en"])
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


def test_a_long_partner_list_reads_as_one_run_of_names(tmp_path):
    """A reviewer saw ONPAR's partners break after the fifth (the web page's "and 4 more" <details>)
    and go on on a new line starting with "·": the names past the fifth follow on the same line,
    and no separator ever starts a line (a list of places or themes neither)."""
    out = tmp_path / "pan.pdf"
    result = compendium(out, "--lang", "es", "--country", "pan")
    assert result.returncode == 0, result.stderr
    lines = poppler("pdftotext", "-layout", "-enc", "UTF-8", out, "-").splitlines()
    assert not [line for line in lines if line.strip().startswith("·")]
    partners = " ".join(" ".join(lines).split())
    assert "Niñez, Adolescencia y Familia (SENNIAF) · Defensoría del Pueblo" in partners


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
        info = poppler("pdfinfo", pdf)
        assert int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1)) >= 4  # cover, contents, practices
        assert len(pages(pdf)) > 1
        for page in ("open-data/index.html", "en/open-data/index.html"):
            html = (site / page).read_text("utf-8")
            assert f"data/{name}</code></a>" in html
    spanish = (site / "open-data/index.html").read_text("utf-8")
    assert "1 de enero de 2026" in spanish  # the compendium's date: SOURCE_DATE_EPOCH


# --- issue 29: a compendium for readers ---------------------------------------------------------

SITE_ADDRESS = re.compile(r"\S*conare-catalog\.github\.io/\S*")


@cache
def commit_subjects() -> list[str]:
    """Every commit subject that touched a record (what the web page's history box lists)."""
    log = subprocess.run(["git", "log", "--format=%s", "--", "practices"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    return sorted({words(subject) for subject in log.splitlines() if len(subject.split()) >= 3})


@pytest.mark.parametrize("language", ["es", "en"])
def test_nothing_for_makers_reaches_the_pdf(pdfs, language):
    """No commit subject, history box, YAML link, repository address or record id: only each
    practice's own address on the site (which holds its id) and its citation."""
    text = " ".join(pages(pdfs[language]))
    assert commit_subjects(), "the records have a history in git"
    assert not [subject for subject in commit_subjects() if subject in text]
    for makers in ("YAML", "Historial de cambios", "History of changes", "github.com/", "<https://"):
        assert makers not in text
    readers = SITE_ADDRESS.sub(" ", text)
    assert not [id_ for id_ in titles(language) if id_ in readers]
    online = {"es": "Ficha en línea:", "en": "Online page:"}[language]
    assert text.count(online) == len(titles(language))


@cache
def acronym_pairs(language: str) -> set[tuple[str, str]]:
    """(acronym, name) of every entity of every record, read from the records as validated."""
    report = validate_paths([PRACTICES])
    pairs = set()
    for document in report.documents:
        data = document.data
        for entity in [data["lead_entity"], *data.get("partners", [])]:
            acronym, name = entity.get("acronym"), entity["name"]
            if acronym:
                acronym = acronym if isinstance(acronym, str) else acronym.get(language)
                name = name if isinstance(name, str) else name.get(language) or name[data["original_language"]]
                if acronym:
                    pairs.add((acronym, name))
    return pairs


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_acronym_list_holds_every_acronym_of_the_records(pdfs, language):
    title = {"es": "Siglas", "en": "Acronyms"}[language]
    listed = " ".join(pages(pdfs[language])[page - 1] for page in section_pages(pdfs[language], title))
    assert acronym_pairs(language)
    missing = [pair for pair in acronym_pairs(language) if words(f"{pair[0]} {pair[1]}") not in listed]
    assert not missing


def test_one_type_family_embedded(pdfs):
    """At most two font families (a serif and its sans), every font embedded."""
    for pdf in pdfs.values():
        rows = poppler("pdffonts", pdf).splitlines()[2:]
        fonts = [row.split()[0].split("+")[-1] for row in rows]
        families = {re.sub(r"[-,]?(Regular|Bold|Italic|SemiBold|Medium|Light|Condensed|Oblique)+$", "", font) for font in fonts}
        assert len(families) <= 2, families
        assert all(" yes " in row for row in rows)


@pytest.mark.parametrize("language", ["es", "en"])
def test_archival_pdf_with_xmp_metadata_in_its_own_language(pdfs, language):
    meta = poppler("pdfinfo", "-meta", pdfs[language])
    assert re.search(rf"<dc:language>\s*<rdf:Bag>\s*<rdf:li>{language}</rdf:li>", meta)
    assert "<dc:title>" in meta and "<dc:publisher>" in meta and "<rdf:li>2026-01-01</rdf:li>" in meta
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = poppler("pdfinfo", pdfs[language])
    subject = re.search(r"^Subject:\s+(.*)$", info, re.M).group(1)
    assert ("prácticas" in subject) == (language == "es") and ("practices" in subject) == (language == "en")
    assert not re.search(r"español e inglés|Spanish and English", subject)


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_nearly_empty_page_but_a_chapters_last(pdfs, language):
    """Every page has at least 12 lines of text, besides its running header and page number, except
    the cover and the last page of a chapter (the page before one that starts a chapter, and the last)."""
    pdf = pdfs[language]
    laid_out = layout_pages(pdf)
    starts = {page for page, _, level in outline(pdf) if level == 1}
    short = []
    for number, text in enumerate(laid_out, start=1):
        if number == 1 or number == len(laid_out) or number + 1 in starts:
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) - 2 < 12:
            short.append((number, len(lines) - 2))
    assert not short


def test_running_header_stays_on_one_line(pdfs):
    """Above the top margin (20 mm) every page has at most one line: the chapter and the practice's
    title, cut with an ellipsis when long."""
    top = 20 / 25.4 * 72 - 5  # a heading's glyphs may rise a little above the text area
    for pdf in pdfs.values():
        boxes = poppler("pdftotext", "-bbox", pdf, "-")
        for number, page in enumerate(boxes.split("<page ")[2:], start=2):  # the cover has no header
            tops = {round(float(y)) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', page) if float(y) < top}
            assert len(tops) <= 1, (pdf.name, number, tops)


# --- issue 27: the PDF wraps anything, and fetches nothing ----------------------------------------

def test_package_path_allows_only_the_packages_own_files(tmp_path):
    own = PACKAGE / "templates" / "compendium.css"
    assert package_path(own.as_uri()) == own
    outside = tmp_path / "x.css"
    outside.write_text("body{}")
    for url in (outside.as_uri(), (PACKAGE / ".." / "README.md").as_uri(), "file:///etc/passwd",
                "http://127.0.0.1/x.css", "https://example.org/x.css", "data:text/css,body{}",
                "ftp://example.org/x.css", f"file://example.org{own}"):
        with pytest.raises(Refused):
            package_path(url)


SVG_DATA = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'%3E"
            "%3Ctext y='9'%3EIMG%3C/text%3E%3C/svg%3E")


def test_the_typesetter_fetches_no_file_http_or_data_resource(tmp_path):
    """A page that asks for a local file, a server and data: URLs gets none of them."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            body = b"body::after { content: 'HTTP-FETCHED' }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = tmp_path / "local.css"
    local.write_text("body::before { content: 'FILE-FETCHED' }")
    page = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
<link rel="stylesheet" href="{local.as_uri()}">
<link rel="stylesheet" href="http://127.0.0.1:{server.server_port}/style.css">
<link rel="stylesheet" href="data:text/css,p%3A%3Aafter%7Bcontent%3A%27DATA-FETCHED%27%7D">
</head><body><p>Text.</p><img alt="" src="http://127.0.0.1:{server.server_port}/image.png">
<img alt="" src="{local.as_uri()}"><img alt="" src="{SVG_DATA}">
</body></html>"""
    try:
        data, _ = typeset(page, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
    out = tmp_path / "page.pdf"
    out.write_bytes(data)
    text = " ".join(pages(out))
    assert "Text." in text
    assert not [marker for marker in ("FILE-FETCHED", "HTTP-FETCHED", "DATA-FETCHED", "IMG") if marker in text]
    assert requests == []


LONG_WORD = ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 176)[:7900]
LONG_URL = "https://example.org/" + ("abcdefghijklmnopqrstuvwxyz0123456789" * 4)[:120]


def test_long_words_and_links_wrap_inside_the_margins(tmp_path):
    """A 7,900-character word in the text, a 140-character address without hyphens as the contact's
    link and a long word in a table cell break at any character, and every word stays on the page."""
    project = write_synthetic_catalog(tmp_path / "project", 2)
    record_path = sorted((project / "practices").rglob("*.yml"))[0]
    record = yaml.safe_load(record_path.read_text("utf-8"))
    record["description"] = {language: f"Before {LONG_WORD} after." for language in ("es", "en")}
    record["contact"] = {"name": "Office", "url": LONG_URL}
    record["results"][0]["values"][0]["note"] = {"es": LONG_WORD[:300], "en": LONG_WORD[:300]}
    record_path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "long.pdf"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "catalog.cli.main", "compendium", "--lang", "en", "--out", str(out),
                             "--config", str(project / "mkdocs.yml")], cwd=project, env=env, capture_output=True, text=True)
    assert len(LONG_URL) == 140 and result.returncode == 0, result.stderr
    boxes = poppler("pdftotext", "-bbox", out, "-")
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edge = width - 20 / 25.4 * 72  # the right margin, 20 mm
    beyond = [(word[:30], x) for x, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
              if float(x) > right_edge + 1]
    assert not beyond
    body = ["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "57", "-W", "596", "-H", "725"]  # inside the page margins
    text = "".join(subprocess.run([*body, str(out), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert LONG_WORD in text and LONG_URL in text


# --- issue 29: the map as the site draws it --------------------------------------------------------

MAP_TITLES = {"es": "Mapa de las prácticas", "en": "Map of the practices"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_maps_country_names_are_set_at_a_legible_size(pdfs, language):
    """The names on the map (ARG, Brasil, CUB…) are 4–14 pt high, like a caption: WeasyPrint reads
    the first word of the SVG's `font` shorthand as its size (600 units, names higher than the page)."""
    pdf = pdfs[language]
    (page, *_) = section_pages(pdf, MAP_TITLES[language])
    boxes = poppler("pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-")
    names = [(word, float(y1) - float(y0)) for y0, y1, word in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', boxes)
             if word in {"ARG", "BOL", "COL", "MEX", "CUB", "HND", "Brasil", "Brazil"}]
    assert len({word for word, _ in names}) >= 5, names
    assert all(4 <= height <= 14 for _, height in names), names


def dark_share(pdf: Path, page: int) -> float:
    """The share of a page's pixels that are near-black, rendered in grey at 30 dpi."""
    data = subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    header = data.split(b"\n", 3)
    pixels = header[3]
    return sum(1 for value in pixels if value < 40) / len(pixels)


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_map_frame_is_drawn_in_the_sites_colours(pdfs, language):
    """No frame of the map is drawn without its style (WeasyPrint styles an inline SVG only from its
    own <style>): the inset's tap areas were black discs, its names black on dark blue."""
    pdf = pdfs[language]
    (page, *_) = section_pages(pdf, MAP_TITLES[language])
    assert dark_share(pdf, page) < 0.01


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_colophon_says_how_to_reach_the_editors(pdfs, language):
    """Besides the publisher's name, the colophon gives the editors' e-mail or, without one, the
    site's about page, which says how to write to them (mkdocs.yml extra.publisher)."""
    email = os.environ.get("CATALOG_PROPOSAL_EMAIL", "").strip()
    site = os.environ.get("CATALOG_SITE_URL", "https://conare-catalog.github.io/catalog/").rstrip("/")
    contact = email or f"{site}/{'en/' if language == 'en' else ''}about/"
    title = {"es": "Créditos", "en": "Colophon"}[language]
    colophon = " ".join(pages(pdfs[language])[page - 1] for page in section_pages(pdfs[language], title))
    assert contact in colophon.replace(" ", "")


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_word_of_the_catalog_stays_inside_the_right_margin(pdfs, language):
    """No word of the real catalog, an address kept whole on its line included, runs past the right
    margin (20 mm) of any page."""
    boxes = poppler("pdftotext", "-bbox", pdfs[language], "-")
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edge = width - 20 / 25.4 * 72
    beyond = [(word[:40], x) for x, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
              if float(x) > right_edge + 1]
    assert not beyond


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_overview_never_cuts_a_country_name_inside_a_word(pdfs, language):
    """Each chapter's country reads whole in the overview table ("República Dominicana", not
    "República Dominican a")."""
    pdf = pdfs[language]
    title = {"es": "Cuadro general de las prácticas", "en": "Overview of the practices"}[language]
    table = " ".join(pages(pdf)[page - 1] for page in section_pages(pdf, title))
    acronyms = {"es": "Siglas", "en": "Acronyms"}[language]
    names = [name for _, name, level in outline(pdf) if level == 1]
    chapters = names[names.index(title) + 1:names.index(acronyms)]
    assert len(chapters) >= 10
    assert not [name for name in chapters if name not in table]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_context_heading_never_ends_a_page_without_its_figures(pdfs, language):
    """"Contexto" and its one-line introduction are never the last lines of a page, their figures
    on the next."""
    intro = {"es": "no miden sus resultados.", "en": "they do not measure its results."}[language]
    stranded = []
    for number, text in enumerate(layout_pages(pdfs[language]), start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > 2 and lines[-2].endswith(intro):  # the last line is the footer
            stranded.append(number)
    assert not stranded


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_source_number_stays_on_the_line_of_its_address(pdfs, language):
    """In the list of source addresses, "4." never ends a line while its address starts the next."""
    stranded = [line.strip() for text in layout_pages(pdfs[language]) for line in text.splitlines()
                if re.search(r"(^|\s)\d{1,2}\.\s*$", line)]
    assert not stranded


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_address_never_breaks_inside_its_scheme(pdfs, language):
    """A long address moves to the next line whole rather than leave "https:" or "ht" at a line's end."""
    split = [line.strip() for text in layout_pages(pdfs[language]) for line in text.splitlines()
             if re.search(r"\b(h|ht|htt|http|https|https:|https:/)$", line.rstrip())]
    assert not split


# The chart of Brazil's Venezuelan claims pending a decision (conare-venezuela-simplified-recognition): its
# scale is 120,469 applications, so its axis reads 0, 50,000 and 100,000, as the PDF's language writes them.
AXIS = {"es": ("Solicitudes de personas venezolanas pendientes de decisión", ["0", "50.000", "100.000"], "solicitudes"),
        "en": ("Venezuelan claims pending a decision", ["0", "50,000", "100,000"], "applications")}


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_chart_has_an_axis_with_round_ticks_and_its_unit(pdfs, language):
    title, ticks, unit = AXIS[language]
    number, page = next((number, page) for number, page in enumerate(layout_pages(pdfs[language]), 1) if title in page)
    lines = page.splitlines()
    start = next(number for number, line in enumerate(lines) if title in line)
    axis = next(number for number in range(start, start + 12) if lines[number].split() == ticks)
    assert lines[axis + 1].split() == [unit]
    # The ticks sit at 0, 41.5% and 83% of the bar track (scale 120,469): equal steps between the
    # centres of their labels, as the PDF places them (pdftotext -bbox, in points).
    boxes = poppler("pdftotext", "-bbox", "-f", str(number), "-l", str(number), pdfs[language], "-")
    words_at = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', boxes)
    row = next(float(y) for x, y, _, word in words_at if word == ticks[-1] and
               any(w == ticks[1] and abs(float(v) - float(y)) < 0.5 for _, v, _, w in words_at))
    centres = [(float(x0) + float(x1)) / 2 for x0, y, x1, word in words_at if word in ticks and abs(float(y) - row) < 0.5]
    assert len(centres) == 3
    assert abs((centres[1] - centres[0]) - (centres[2] - centres[1])) < 0.5
