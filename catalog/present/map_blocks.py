"""The map blocks of the site: the region map (home page and /map/), a country page's map, and the
GeoJSON of the located practices. Data from the records, one language at a time; drawing in maps.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from catalog.core.geo import shapes
from catalog.core.languages import LANGUAGES
from catalog.core.paths import country_url, practice_url
from catalog.present.maps import CountryLink, Place, country_frame, legend, region_frames
from catalog.present.render import render
from catalog.present.views import LanguageView
from catalog.records.model import Practice

MAP_URL = "map/"


def places(practices: Iterable[Practice], view: LanguageView) -> list[Place]:
    """One point per location with coordinates, named by the practice's title and the place; its label
    on the map says the place's country too (a regional practice's places lie in several)."""
    found = []
    for practice in practices:
        title = view.text(practice.title, practice.original_language).text
        for location in practice.locations:
            if location.coordinates is not None:
                name = view.text(location.name, practice.original_language).text
                point = location.coordinates
                candidates = [practice.country, *_covered(view)]  # its own country first, at a border
                country = next((c for c in candidates if c in shapes() and shapes()[c].contains(point.lon, point.lat)), None)
                where = view.ui("map_where", place=name, country=view.country(country)) if country else name
                found.append(Place(point.lon, point.lat, practice_url(practice.id),
                                   view.ui("map_point", title=title, place=name), title, where))
    return found


def _covered(view: LanguageView) -> list[str]:
    """The covered countries that have a shape, in a fixed order."""
    return sorted(code for code in view.vocabularies.countries if code in shapes())


def _names(view: LanguageView, codes: Iterable[str]) -> dict[str, str]:
    """The names of the countries that have practices (the ones a reader can open from the map), in
    the page's language, written on the maps where they fit; grey countries stay unnamed."""
    return {code: view.country(code) for code in codes if code in shapes()}


def _counts(practices: Iterable[Practice], view: LanguageView) -> dict[str, int]:
    covered = set(view.vocabularies.countries)
    return dict(Counter(p.country for p in practices if p.country in covered))


def _legend_text(view: LanguageView, low: int, high: int) -> str:
    if high == 0:
        return view.t["map_legend_none"]
    if low == high:
        return view.count("count_practices", low)
    return view.ui("map_legend_range", low=view.number(low), high=view.number(high))


def region_map(practices: list[Practice], view: LanguageView, page_url: str, full: bool, standalone: bool = False) -> str:
    """The region map: shaded countries that link to their pages and a legend; on the map page (`full`)
    also the located practices as points, the regional practices beside it and the table by country.
    `standalone` (the compendium, typeset by WeasyPrint): every frame carries its own style and its
    names drawn over their halo, since WeasyPrint styles each inline SVG alone and has no paint-order."""
    counts = _counts(practices, view)
    links = {code: CountryLink(country_url(code), view.ui("map_country_link", country=view.country(code),
                                                          count=view.count("count_practices", n)))
             for code, n in counts.items()}
    located = places(practices, view) if full else []  # the home page's map stays the same weight at any size
    points = Counter(p.country for p in practices for loc in p.locations if loc.coordinates)
    rows = sorted((view.country(code), code, n, points[code]) for code, n in counts.items())
    regional = sorted((p for p in practices if p.country == view.vocabularies.regional_code),
                      key=lambda p: view.text(p.title, p.original_language).text)
    frames = region_frames(counts, links, located, _names(view, counts))
    return render(
        "map_region.html", view=view, page_url=page_url, full=full, standalone=standalone, frames=frames,
        legend=[(colour, _legend_text(view, low, high)) for colour, low, high in legend(counts)],
        rows=rows, regional=regional, regional_points=points[view.vocabularies.regional_code], located_count=len(located), MAP_URL=MAP_URL,
    )


def map_blocks(practices: list[Practice]) -> dict[str, Callable[[LanguageView, str], str]]:
    """The live blocks of hand-written pages: <!-- catalog:map --> (home) and <!-- catalog:map_page --> (/map/)."""
    return {
        "map": lambda view, page_url: region_map(practices, view, page_url, full=False),
        "map_page": lambda view, page_url: region_map(practices, view, page_url, full=True),
    }


def country_map(code: str, practices: list[Practice], view: LanguageView, page_url: str) -> str:
    """A country page's map: the country highlighted, the points of its practices."""
    located = places(practices, view)
    unlocated = sum(1 for p in practices if not any(loc.coordinates for loc in p.locations))
    frame = country_frame(code, located, _names(view, [code]))  # its neighbours link nowhere here
    return render("map_country.html", view=view, page_url=page_url, frame=frame, country=view.country(code),
                  located=sum(len(marker.places) for marker in frame["markers"]), unlocated=unlocated, MAP_URL=MAP_URL)


def geojson(practices: Iterable[Practice], page: Callable[[Practice, str], str]) -> dict:
    """The located practices as a GeoJSON FeatureCollection (RFC 7946): one Feature per location,
    with the practice's id, country, titles and page addresses (`page(practice, language)`)."""
    features = []
    for practice in practices:
        for index, location in enumerate(practice.locations):
            if location.coordinates is None:
                continue
            point = location.coordinates
            properties = {
                "id": practice.id, "country": practice.country, "location": index,
                **{f"title_{language}": practice.title.values.get(language) for language in LANGUAGES},
                **{f"place_{language}": location.name.values.get(language) for language in LANGUAGES},
                **{f"url_{language}": page(practice, language) for language in LANGUAGES},
            }
            features.append({"type": "Feature", "id": f"{practice.id}#{index}",
                             "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
                             "properties": properties})
    return {"type": "FeatureCollection", "features": features}
