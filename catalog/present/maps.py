"""Maps as inline SVG made at build time: no tiles, no script, no request, readable without the picture.

Projection: Lambert azimuthal equal-area, centred on each frame. Equal-area because countries are
shaded by how many practices they have, and a reader compares shaded areas (Mercator would swell
Patagonia and shrink Central America); centred on the frame, so shapes are hardly bent within it.
The region map has two frames: the Americas from Mexico to Tierra del Fuego, and Central America
and the Caribbean drawn larger, where a phone could not tell Panama from a dot. Each country is a
link in one frame only, so the keyboard and screen readers meet it once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalog.core.datafiles import from_data
from catalog.core.geo import Point, Shape, shapes, simplify

WIDTH = 1000  # SVG units across every frame; the SVG scales to its box
REGION_BOX = (-118.0, -56.0, -34.0, 33.0)  # west, south, east, north
CARIBBEAN_BOX = (-92.5, 6.8, -59.0, 27.5)
PALETTE = ("#c6dbef", "#8fbde0", "#4f93c7", "#2166ac", "#0b3d75")  # sequential blues, light to dark
NO_PRACTICES = "#e6e6e6"


@dataclass(frozen=True)
class Frame:
    """A geographic box projected onto an SVG viewBox WIDTH units wide."""

    box: tuple[float, float, float, float]
    centre: Point
    scale: float
    left: float
    top: float
    height: int

    @classmethod
    def of(cls, box: tuple[float, float, float, float]) -> Frame:
        west, south, east, north = box
        centre = ((west + east) / 2, (south + north) / 2)
        steps = [i / 16 for i in range(17)]
        edge = [(west + (east - west) * t, lat) for t in steps for lat in (south, north)]
        edge += [(lon, south + (north - south) * t) for t in steps for lon in (west, east)]
        xs, ys = zip(*(_laea(point, centre) for point in edge), strict=True)
        scale = WIDTH / (max(xs) - min(xs))
        return cls(box, centre, scale, min(xs), min(ys), round((max(ys) - min(ys)) * scale))

    def xy(self, lon: float, lat: float) -> tuple[int, int]:
        x, y = _laea((lon, lat), self.centre)
        return round((x - self.left) * self.scale), round((y - self.top) * self.scale)

    def shows(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.box
        return west <= lon <= east and south <= lat <= north

    def path(self, shape: Shape) -> str:
        """SVG path data of a shape's rings in this frame (relative moves, whole units), '' if none shows."""
        return _path(self, shape.code)

    def _overlaps(self, points: Sequence[tuple[int, int]]) -> bool:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return max(xs) >= 0 and min(xs) <= WIDTH and max(ys) >= 0 and min(ys) <= self.height


@from_data
def _path(frame: Frame, code: str) -> str:
    """Cached: the same country in the same frame is drawn for both languages."""
    shape = shapes()[code]
    west, south, east, north = frame.box
    shape_west, shape_south, shape_east, shape_north = shape.box
    if shape_west > east + 10 or shape_east < west - 10 or shape_south > north + 10 or shape_north < south - 10:
        return ""
    parts = []
    for ring in shape.rings:
        points = _dedupe([frame.xy(lon, lat) for lon, lat in ring])
        if len(points) < 3 or not frame._overlaps(points):
            continue
        points = [(int(x), int(y)) for x, y in simplify(points + points[:1], 0.6)[:-1]]
        if len(points) >= 3:
            parts.append(_relative_path(points))
    return "".join(parts)


def _laea(point: Point, centre: Point) -> tuple[float, float]:
    """Lambert azimuthal equal-area on the unit sphere, y pointing down as in SVG."""
    lon, lat = map(math.radians, point)
    lon0, lat0 = map(math.radians, centre)
    cos_c = math.sin(lat0) * math.sin(lat) + math.cos(lat0) * math.cos(lat) * math.cos(lon - lon0)
    k = math.sqrt(2 / (1 + cos_c))
    x = k * math.cos(lat) * math.sin(lon - lon0)
    y = k * (math.cos(lat0) * math.sin(lat) - math.sin(lat0) * math.cos(lat) * math.cos(lon - lon0))
    return x, -y


def _dedupe(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = [point for index, point in enumerate(points) if index == 0 or point != points[index - 1]]
    while len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    return kept


def _relative_path(points: list[tuple[int, int]]) -> str:
    (x0, y0), rest = points[0], points[1:]
    out = [f"M{x0} {y0}l"]
    previous = points[0]
    for x, y in rest:
        out.append(_pair(x - previous[0], y - previous[1], first=len(out) == 1))
        previous = (x, y)
    return "".join(out) + "z"


def _pair(dx: int, dy: int, first: bool) -> str:
    """'3 -4' written as '3-4': a minus sign separates numbers by itself."""
    head = str(dx) if first or dx < 0 else f" {dx}"
    return head + (str(dy) if dy < 0 else f" {dy}")


def shade_classes(counts: Iterable[int]) -> list[tuple[int, int]]:
    """Up to five ranges of practice counts (low, high), one per colour: one count per class while they
    fit, otherwise ranges that double, so that one busy country does not wash out all the others."""
    top = max([*counts, 0])
    if top <= len(PALETTE):
        return [(n, n) for n in range(1, top + 1)]
    bounds = [round(top ** (step / len(PALETTE))) for step in range(len(PALETTE) + 1)]
    classes, low = [], 1
    for high in bounds[1:]:
        if high >= low:
            classes.append((low, high))
            low = high + 1
    return classes


def shade(count: int, classes: list[tuple[int, int]]) -> str:
    if count <= 0:
        return NO_PRACTICES
    for index, (_, high) in enumerate(classes):
        if count <= high:
            return PALETTE[index + len(PALETTE) - len(classes)] if len(classes) < len(PALETTE) else PALETTE[index]
    return PALETTE[-1]


def country_box(code: str) -> tuple[float, float, float, float]:
    """A country's frame: its shape's box with a margin, widened so that the map is neither a sliver
    nor a tower (Chile) and at least four degrees across (Grenada)."""
    west, south, east, north = shapes()[code].box
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    squeeze = math.cos(math.radians(centre_lat))
    half_w, half_h = max((east - west) * squeeze, 4) * 0.6, max(north - south, 4) * 0.6
    half_w, half_h = max(half_w, half_h / 1.3), max(half_h, half_w / 1.6)
    return (centre_lon - half_w / squeeze, centre_lat - half_h, centre_lon + half_w / squeeze, centre_lat + half_h)


@dataclass(frozen=True)
class Place:
    """A located practice: one point on the map, a link to the practice page."""

    lon: float
    lat: float
    url: str  # page URL relative to the language root
    label: str  # accessible name: the practice's title and the place


@dataclass(frozen=True)
class CountryLink:
    url: str
    label: str  # "Panamá: 3 prácticas"


def draw(frame: Frame, fills: dict[str, str], links: dict[str, CountryLink], places: Iterable[Place],
         highlight: str | None = None) -> dict:
    """What one frame's SVG shows: every country of the data in its fill (a link where `links` says),
    the places inside the frame, and a marker round linked countries too small to find or to click."""
    countries = []
    for code, shape in shapes().items():
        d = frame.path(shape)
        if not d:
            continue
        link = links.get(code)
        entry = {"code": code, "d": d, "fill": fills.get(code, NO_PRACTICES), "link": link,
                 "highlight": code == highlight, "marker": None}
        if link is not None and _is_small(frame, shape):
            entry["marker"] = _middle(frame, shape)
        countries.append(entry)
    countries.sort(key=lambda entry: (entry["link"] is not None, entry["highlight"]))  # links on top
    points = [{"x": x, "y": y, "url": place.url, "label": place.label}
              for place in places if frame.shows(place.lon, place.lat)
              for x, y in [frame.xy(place.lon, place.lat)]]
    return {"width": WIDTH, "height": frame.height, "countries": countries, "points": points, "inset": None}


SMALL = 14  # SVG units: a linked country narrower and lower than this gets a ring round it


def _is_small(frame: Frame, shape: Shape) -> bool:
    return _small(frame, shape.code)


@from_data  # keyed by the code (hashing a shape's points would cost what projecting them does)
def _small(frame: Frame, code: str) -> bool:
    xy = [frame.xy(lon, lat) for ring in shapes()[code].rings for lon, lat in ring]
    return max(x for x, _ in xy) - min(x for x, _ in xy) < SMALL and max(y for _, y in xy) - min(y for _, y in xy) < SMALL


def _middle(frame: Frame, shape: Shape) -> tuple[int, int]:
    west, south, east, north = shape.box
    return frame.xy((west + east) / 2, (south + north) / 2)


def region_frames(counts: dict[str, int], links: dict[str, CountryLink], places: Sequence[Place]) -> list[dict]:
    """The two frames of the region map. A country lying wholly in the Caribbean frame is a link there,
    every other one in the main frame; a place shows in the Caribbean frame when it lies in it."""
    classes = shade_classes(counts.values())
    fills = {code: shade(count, classes) for code, count in counts.items()}
    main, caribbean = Frame.of(REGION_BOX), Frame.of(CARIBBEAN_BOX)
    in_caribbean = {code for code in links if _within(shapes()[code].box, CARIBBEAN_BOX)}
    drawn_main = draw(main, fills, {c: link for c, link in links.items() if c not in in_caribbean},
                      [p for p in places if not caribbean.shows(p.lon, p.lat)])
    drawn_caribbean = draw(caribbean, fills, {c: links[c] for c in in_caribbean}, places)
    west, south, east, north = CARIBBEAN_BOX
    corners = [main.xy(lon, lat) for lon in (west, east) for lat in (south, north)]
    drawn_main["inset"] = "M" + "L".join(f"{x} {y}" for x, y in (corners[0], corners[1], corners[3], corners[2])) + "z"
    return [drawn_main, drawn_caribbean]


def _within(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def country_frame(code: str, places: Sequence[Place]) -> dict:
    """A country page's map: the country highlighted among its neighbours, with its located practices."""
    return draw(Frame.of(country_box(code)), {code: HIGHLIGHT}, {}, places, highlight=code)


HIGHLIGHT = PALETTE[3]


def legend(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """(colour, low, high) of each class in use, then the colour of countries without practices (0, 0)."""
    classes = shade_classes(counts.values())
    return [(shade(high, classes), low, high) for low, high in classes] + [(NO_PRACTICES, 0, 0)]
