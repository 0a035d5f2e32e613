"""The built site's maps and located data: the GeoJSON matches the records, the coordinates are in
practices.json and the CSVs, the map pages exist in both languages, pages without a map carry none, and
every page names its sharing image (og:image)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from catalog.core.i18n import ui
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import load_vocabularies
from tests.helpers import PRACTICES

pytestmark = pytest.mark.site


def _located() -> list[tuple[str, str, int, dict]]:
    """(id, country, index, location) of every location with coordinates, read straight from the YAML."""
    found = []
    for path in sorted(PRACTICES.glob("*/*.yml")):
        record = yaml.safe_load(path.read_text("utf-8"))
        for index, location in enumerate(record.get("locations", [])):
            if "coordinates" in location:
                found.append((record["id"], record["country"], index, location))
    return found


def test_geojson_has_one_point_per_located_place_of_the_records(built_site: Path):
    collection = json.loads((built_site / "data" / "practices.geojson").read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    located = _located()
    assert len(collection["features"]) == len(located) >= 2
    records = {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in PRACTICES.glob("*/*.yml")}
    for feature, (record_id, country, index, location) in zip(
            sorted(collection["features"], key=lambda f: (f["properties"]["id"], f["properties"]["location"])),
            sorted(located, key=lambda item: (item[0], item[2])), strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point",
                                       "coordinates": [location["coordinates"]["lon"], location["coordinates"]["lat"]]}
        properties = feature["properties"]
        assert (properties["id"], properties["country"], properties["location"]) == (record_id, country, index)
        title = records[record_id]["title"]
        assert (properties["title_es"], properties["title_en"]) == (title.get("es"), title.get("en"))
        assert properties["url_es"].endswith(f"/practices/{record_id}/")
        assert properties["url_en"].endswith(f"/en/practices/{record_id}/")


def test_onpar_is_located_in_the_geojson_json_and_csvs(built_site: Path):
    features = json.loads((built_site / "data" / "practices.geojson").read_text("utf-8"))["features"]
    onpar = [f for f in features if f["properties"]["id"] == "onpar-border-access"]
    assert sorted(f["properties"]["place_es"] for f in onpar) == ["Chiriquí", "Darién"]
    practices = json.loads((built_site / "data" / "practices.json").read_text("utf-8"))["practices"]
    record = next(p["record"] for p in practices if p["id"] == "onpar-border-access")
    assert [loc["coordinates"] for loc in record["locations"]] == [{"lat": 8.5, "lon": -77.98}, {"lat": 8.43, "lon": -82.43}]
    for language, header in (("es", "coordenadas (lugar: latitud, longitud)"), ("en", "coordinates (place: latitude, longitude)")):
        text = (built_site / "data" / f"practices-{language}.csv").read_text("utf-8-sig")
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
        assert rows["onpar-border-access"][header] == "Darién: 8.5, -77.98 | Chiriquí: 8.43, -82.43"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_map_pages_and_the_open_data_page_in_both_languages(built_site: Path, prefix: str):
    page = (built_site / prefix / "map" / "index.html").read_text("utf-8")
    assert page.count('<svg class="catalog-map__svg"') == 2 and "<table>" in page
    assert 'href="../practices/onpar-border-access/"' in page
    open_data = (built_site / prefix / "open-data" / "index.html").read_text("utf-8")
    assert "practices.geojson" in open_data
    home = (built_site / prefix / "index.html").read_text("utf-8")
    assert 'class="catalog-map__svg"' in home and 'class="catalog-map__point"' not in home  # the home map has no points
    country = (built_site / prefix / "countries" / "pan" / "index.html").read_text("utf-8")
    # ONPAR's two places are on Panama's map: each marker's panel names its practices and places
    # (Darién shares a marker with another practice placed there, so the count of point links says less).
    panels = re.findall(r'<div class="catalog-map__panel"[^>]*>(.*?)</div>', country, re.S)
    onpar = [place for panel in panels for href, place in re.findall(r'<li><a href="([^"]+)">[^<]*</a> <span>([^<]*)</span>', panel)
             if href == "../../practices/onpar-border-access/"]
    assert sorted(place.split(",")[0] for place in onpar) == ["Chiriquí", "Darién"]


def test_a_practice_page_carries_no_map(built_site: Path):
    for page in list(built_site.glob("practices/*/index.html")) + list(built_site.glob("en/practices/*/index.html")):
        assert "catalog-map" not in page.read_text("utf-8"), page


def test_every_page_shares_the_image_of_its_language_described_in_its_language(built_site: Path):
    """og:image: an absolute address under the site's own, of a PNG of the build (1200 × 630, small),
    with its description (og:image:alt) in the page's language."""
    home = (built_site / "index.html").read_text("utf-8")
    root = re.search(r'<link rel="canonical" href="([^"]+)">', home).group(1)
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text("utf-8")
        language = re.search(r'<html lang="(\w+)"', text).group(1)
        assert re.findall(r'<meta property="og:image" content="([^"]+)">', text) == [f"{root}assets/og-{language}.png"], page
        [alt] = re.findall(r'<meta property="og:image:alt" content="([^"]+)">', text)
        assert html.unescape(alt) == ui("og_image_alt", language), page
    for language in LANGUAGES:
        image = built_site / "assets" / f"og-{language}.png"
        with Image.open(image) as png:
            assert (png.format, png.size) == ("PNG", (1200, 630))
        assert image.stat().st_size < 60_000


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_table_lists_regional_practices_apart_from_the_countries(built_site: Path, language: str):
    """"Regional" is not a country: its row is the table's footer, named as regional practices."""
    prefix = "" if language == "es" else f"{language}/"
    page = (built_site / prefix / "map" / "index.html").read_text("utf-8")
    table = page[page.index('id="by-country"'):]
    table = table[:table.index("</table>")]
    body, footer = table.split("</tbody>")
    assert 'countries/reg/' not in body and ">Regional<" not in body
    name = ui("map_regional_title", language)
    assert re.search(rf'<tfoot><tr><th scope="row"><a href="[^"]*countries/reg/">{re.escape(html.escape(name))}</a>', footer)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["", "map/", "countries/pan/"])
def test_only_countries_a_reader_can_open_are_named_on_a_map(built_site: Path, language: str, page: str):
    """Cuba, Nicaragua and Venezuela used to be labelled though grey: a map names only the countries
    that have practices (on the region map, those linked to their page), by name or ISO code."""
    root = built_site / ("" if language == "es" else f"{language}/")
    text = (root / page / "index.html").read_text("utf-8")
    vocabularies = load_vocabularies()
    with_practices = {yaml.safe_load(path.read_text("utf-8"))["country"] for path in PRACTICES.glob("*/*.yml")}
    linked = {code.upper() for code in re.findall(r'<a href="(?:\.\./)*countries/(\w{3})/"><title>', text)}
    labels = [html.unescape(label) for group in re.findall(r'<g class="catalog-map__labels"[^>]*>(.*?)</g>', text, re.S)
              for label in re.findall(r"<text [^>]*>([^<]*)</text>", group)]
    assert labels
    for label in labels:
        if re.fullmatch(r"[A-Z]{3}", label):
            assert label in with_practices and (page.startswith("countries/") or label in linked), label
        else:
            named = [code for code in with_practices if vocabularies.country_name(code, language) == label]
            assert named and (page.startswith("countries/") or named[0] in linked), label
