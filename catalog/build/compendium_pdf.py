"""Typesetting the compendium with WeasyPrint: an archival, tagged PDF that fetches nothing.

- PDF/A-3b (ISO 19005-3, level B) with tags for structure and reading order: fonts embedded,
  an sRGB output intent, and XMP metadata carrying the title, description, language, publisher
  and date (WeasyPrint writes the first two; the others are added here to its RDF).
- A URL fetcher that refuses every address but the package's own files (catalog/): the book is
  made from the records and the package's templates only, so no template change can make a build
  read a local file, call a server or decode a `data:` URL.

WeasyPrint is imported only inside these functions: a site build that does not ask for the
compendium never loads it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

PDF_VARIANT = "pdf/a-3b"
PACKAGE = Path(__file__).resolve().parents[1]  # catalog/: the only files the typesetter may read


class Refused(ValueError):
    """A resource the compendium may not fetch."""


def package_path(url: str) -> Path:
    """The file of the package a `file:` URL names; Refused for any other URL (another scheme, a
    host, a file outside catalog/, a path that leaves it through `..` or a link)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise Refused(f"the compendium fetches only the package's own files, not {url[:80]}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(PACKAGE) or not path.is_file():
        raise Refused(f"the compendium fetches only the package's own files, not {url[:80]}")
    return path


def url_fetcher():
    """A WeasyPrint URL fetcher for package_path's files; it refuses (and logs) everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = package_path(url)
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return PackageFetcher(allowed_protocols=("file",), allow_redirects=False)


_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def xmp_additions(language: str, publisher: str, date: str) -> bytes:
    """RDF descriptions WeasyPrint's XMP lacks: the language, the publisher and the date (Dublin Core)."""
    return (f'<rdf:Description xmlns:rdf="{_RDF}" xmlns:dc="{_DC}" rdf:about="">'
            f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
            f"<dc:publisher><rdf:Bag><rdf:li>{escape(publisher)}</rdf:li></rdf:Bag></dc:publisher>"
            f"<dc:date><rdf:Seq><rdf:li>{escape(date)}</rdf:li></rdf:Seq></dc:date>"
            "</rdf:Description>").encode()


_RDF_END = re.compile(rb"</rdf:RDF>\s*$")


def with_xmp(metadata, additions: bytes) -> None:
    """Make a WeasyPrint DocumentMetadata write `additions` inside its own rdf:RDF element."""
    generate = metadata.generate_rdf_metadata

    def generate_with_additions(*args, **kwargs) -> bytes:
        return _RDF_END.sub(lambda end: additions + end.group(0), generate(*args, **kwargs), count=1)

    metadata.generate_rdf_metadata = generate_with_additions


def pdf(html: str, base_url: str, publisher: str = "") -> tuple[bytes, int]:
    """Typeset the document into a tagged PDF/A (headings as bookmarks, language, title and XMP in its
    metadata, text as text); return its bytes and number of pages."""
    import weasyprint  # only here: a site build without the compendium never loads it

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).render()
    metadata = document.metadata
    with_xmp(metadata, xmp_additions(metadata.lang or "", publisher, (metadata.created or "")[:10]))
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True), len(document.pages)
