"""The catalog's own records, read as a reader would: sources a reader can check, every figure with its
source, nothing written for editors in a reader's text, and no unconfirmed or ended practice told in
the present as if it were going on. These check the content of practices/, not the code.
(That an unconfirmed practice's page says so in its first lines is checked on the built pages, in
tests/site/test_site.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.helpers import PRACTICES

RECORDS = sorted(PRACTICES.rglob("*.yml"))

# Addresses of a newsroom's staging server or content-management system: they are not the published
# article, may disappear or change, and a reader must never be sent there.
STAGING_HOSTS = (
    "prensalibre-com-develop.go-vip.co",
    "adminrediseno.laopinion.com.co",
    "dev.confidencial.digital",
    "voa.pangea-cms.com",
)
STAGING_HOST_PATTERN = re.compile(r"(^|[.-])(develop|dev|staging|stage|admin\w*|preview)[.-]|go-vip\.co$|pangea-cms\.com$")

# Sites that re-publish other outlets' texts: a copy there must say whose text it is and where it was found.
AGGREGATOR_HOSTS = ("mindofthegeek.com", "docslib.org", "readkong.com", "menafn.com",
                    "publicnow.com", "pubt.io", "miragenews.com", "studylib.es", "reliefweb.int")
COPY_WORDING = re.compile(r"\b(copia en|copy at|cópia em|copie sur)\b", re.IGNORECASE)

# Editors' remarks that belong in editor_note, never in a text a reader sees.
EDITOR_REMARKS = re.compile(
    r"punto (del|en el) mapa|map point|point on the map|\bhttps?\b|gazetteer|nomencl[aá]tor"
    r"|sin que se haya comprobado|without having checked",
    re.IGNORECASE)

# A summary that speaks of a practice as going on now: a sentence that opens with "since <date>"
# ("Desde 2019 … registran", "Since December 2020 … has recognized"), "currently", or a present perfect.
ONGOING_WORDING = re.compile(
    r"(^|[.;:]\s+)(desde|since)\s+(\w+\s+(de\s+)?)?(19|20)\d\d\b"
    r"|\b(actualmente|en la actualidad|currently|nowadays)\b|\b(has|have) (been|since)\b",
    re.IGNORECASE)


def record(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def reader_texts(node, path: str = ""):
    """Every text a reader can see: all strings of the record except editor-only notes, addresses
    and the record's codes (id, country, vocabulary values)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("editor_note", "url", "id", "country", "host_country", "original_language", "unit",
                       "kind", "qualifier", "status", "mechanism", "commitment", "subdivision", "language",
                       "method", "submitted", "updated", "date", "email"):
                continue
            yield from reader_texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from reader_texts(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def test_the_patterns_catch_what_they_are_for():
    """The lists above are only as good as their patterns: each catches its own examples."""
    assert all(STAGING_HOST_PATTERN.search(h) for h in STAGING_HOSTS)
    assert not any(STAGING_HOST_PATTERN.search(h) for h in ("www.prensalibre.com", "confidencial.digital",
                                                             "www.vozdeamerica.com", "acnur.org", "www.oas.org"))
    assert EDITOR_REMARKS.search("Región Uno (el punto del mapa está en Mabaruma, la capital de la región)")
    assert EDITOR_REMARKS.search("The source was recorded with an address starting with \"http\"")
    assert not EDITOR_REMARKS.search("Oficina de la ONPAR en Metetí desde enero de 2024")
    assert ONGOING_WORDING.search("Desde 2019 funcionarios de inmigración registran a personas venezolanas")
    assert ONGOING_WORDING.search("Since December 2020 Brazil's CONARE has recognized Afghans")
    assert not ONGOING_WORDING.search("En octubre de 2019 empezó el registro")
    assert not ONGOING_WORDING.search("volvió a reunir su comisión de refugio, inactiva desde 2005, para resolver")


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_no_source_points_to_a_staging_or_cms_address(path):
    for number, source in enumerate(record(path)["sources"], start=1):
        if "url" in source:
            name = host(source["url"])
            assert name not in STAGING_HOSTS and not STAGING_HOST_PATTERN.search(name), (number, source["url"])
            assert "/preview/" not in urlsplit(source["url"]).path, (number, source["url"])


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_no_staging_or_cms_host_is_named_anywhere_in_a_record(path):
    """Editors' notes go out with the open data: they say where such a copy is described (the facts
    sheets), never its address."""
    text = path.read_text(encoding="utf-8").lower()
    assert not [h for h in STAGING_HOSTS if h in text]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_a_copy_on_an_aggregator_says_whose_text_it_is(path):
    for number, source in enumerate(record(path)["sources"], start=1):
        name = host(source.get("url", ""))
        if any(name == h or name.endswith("." + h) for h in AGGREGATOR_HOSTS):
            assert COPY_WORDING.search(source.get("publisher", "")), (number, source.get("publisher"))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_figure_names_one_of_the_record_s_sources(path):
    data = record(path)
    count = len(data["sources"])
    for index, result in enumerate(data.get("results", [])):
        assert isinstance(result.get("source"), int) and 1 <= result["source"] <= count, (index, result.get("source"))
        for value in result["values"]:
            if "source" in value:
                assert isinstance(value["source"], int) and 1 <= value["source"] <= count, (index, value)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_no_reader_text_holds_an_editor_s_remark(path):
    """Where a map point was put, or how an address was checked, is for editors (editor_note)."""
    found = [(field, text) for field, text in reader_texts(record(path)) if EDITOR_REMARKS.search(text)]
    assert not found


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_an_unconfirmed_or_ended_practice_is_not_summarized_as_going_on(path):
    data = record(path)
    if data["status"] == "ongoing":
        return
    for language, text in data["summary"].items():
        assert not ONGOING_WORDING.search(text), (language, ONGOING_WORDING.search(text).group(0))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_source_says_its_language(path):
    for number, source in enumerate(record(path)["sources"], start=1):
        assert source.get("language") in ("es", "en", "pt", "fr"), (number, source["title"])
