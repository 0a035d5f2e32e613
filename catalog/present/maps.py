"""Maps as inline SVG made at build time: no tiles, no script, no request, readable without the picture.

Projection: Lambert azimuthal equal-area, centred on each frame. Equal-area because countries are
shaded by how many practices they have, and a reader compares shaded areas (Mercator would swell
Patagonia and shrink Central America); centred on the frame, so shapes are hardly bent within it.
The region map has two frames: the Americas from Mexico to Tierra del Fuego, and Central America
and the Caribbean drawn larger, where a phone could not tell Panama from a dot. Each country is a
link in one frame only, so the keyboard and screen readers meet it once.

Everything a finger may tap is at least TARGET units across (24 CSS px, WCAG 2.2 2.5.8, on the
narrowest frame a 390 px phone draws): a point's hit area, a group of points that would overlap, a
small country's hit area. Markers stay inside the frame's padding. The countries a reader can open
are named inside their outline, near its pole of inaccessibility, where their name (or else their
ISO code) fits at the drawn size, clear of the markers, of the rings round the smallest countries
and of each other.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalog.core.datafiles import from_data
from catalog.core.geo import Point, Shape, shapes, simplify

WIDTH = 1000  # SVG units across every frame; the SVG scales to its box
# A tap target's side: 24 CSS px on a frame drawn 343 px wide or more (358 px at a 390 px viewport).
TARGET = 70
PAD = TARGET // 2 + 5  # margin round a frame's box: a marker on its edge is still whole
LABEL_SIZE = 32  # font size of country names: 11.5 px at 358 px wide
# Advance widths in ems of the letters of the countries' names in Noto Sans Bold (what system-ui at weight
# 600 is in the tests' Chromium, and wider than Roboto, Segoe UI or San Francisco), rounded up; any other character counts
# 1 em, and a label is LABEL_SLACK wider than its letters.
LABEL_EMS = {letter: ems for letters, ems in {
    ' ': .26, '.': .29, 'ijlí': .31, 'J': .34, 'If': .39, 't': .44, 'r': .46, 'z': .49, 's': .50, 'c':
    .52, 'F': .55, 'ES': .56, 'Lvy': .57, 'TZx': .58, 'eé': .60, 'aá': .61, 'koó': .62, 'PY': .63,
    'Cbdgpq': .64, 'V': .65, 'Rhnuú': .66, 'KX': .67, 'B': .68, 'A': .69, 'G': .73, 'D': .74, '&': .75,
    'U': .76, 'H': .77, 'OQ': .80, 'N': .82, 'w': .86, 'M': .95, 'W': .97, 'm': .99
}.items() for letter in letters}
LABEL_SLACK = 1.05
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
        scale = (WIDTH - 2 * PAD) / (max(xs) - min(xs))
        return cls(box, centre, scale, min(xs) - PAD / scale, min(ys) - PAD / scale,
                   round((max(ys) - min(ys)) * scale) + 2 * PAD)

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
    return "".join(relative_path(points) for points in _rings(frame, code))


@from_data
def _rings(frame: Frame, code: str) -> list[list[tuple[int, int]]]:
    """A country's rings in a frame, simplified to whole units; none when it lies far outside."""
    shape = shapes()[code]
    west, south, east, north = frame.box
    shape_west, shape_south, shape_east, shape_north = shape.box
    if shape_west > east + 10 or shape_east < west - 10 or shape_south > north + 10 or shape_north < south - 10:
        return []
    rings = []
    for ring in shape.rings:
        points = _dedupe([frame.xy(lon, lat) for lon, lat in ring])
        if len(points) < 3 or not frame._overlaps(points):
            continue
        points = [(int(x), int(y)) for x, y in simplify(points + points[:1], 0.6)[:-1]]
        if len(points) >= 3:
            rings.append(points)
    return rings


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


def relative_path(points: list[tuple[int, int]]) -> str:
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
    title: str = ""  # what its label on the map says: the practice's title …
    where: str = ""  # … and the place, with its country


@dataclass(frozen=True)
class CountryLink:
    url: str
    label: str  # "Panamá: 3 prácticas"


@dataclass
class Marker:
    """One tap target on a frame: a place, or the places that would overlap it (a group)."""

    places: list[Place]
    points: list[tuple[int, int]] = field(default_factory=list)

    @property
    def x(self) -> int:
        return round(sum(x for x, _ in self.points) / len(self.points))

    @property
    def y(self) -> int:
        return round(sum(y for _, y in self.points) / len(self.points))

    @property
    def practices(self) -> list[tuple[Place, list[str]]]:
        """Each practice of the marker once, in the order met, with the places it has here."""
        found: dict[str, tuple[Place, list[str]]] = {}
        for place in self.places:
            found.setdefault(place.url, (place, []))[1].append(place.where)
        return list(found.values())


def markers(frame: Frame, places: Iterable[Place]) -> list[Marker]:
    """The places inside the frame as markers, TARGET apart at least: the two closest markers merge,
    one pair at a time, while any two are closer (merging all close pairs at once would chain far
    places through near ones). The result depends only on the places, never on their order."""
    located = sorted(((frame.xy(p.lon, p.lat), p) for p in places if frame.shows(p.lon, p.lat)),
                     key=lambda item: (item[0], item[1].url, item[1].label))
    # Places at one pixel merge first in the loop below and leave its centres unchanged: merged here at
    # once, so that a thousand practices at one place cost one marker, not a thousand rounds of pairs.
    groups = [Marker([place for _, place in same], [xy] * len(same))
              for xy, same in ((xy, list(run)) for xy, run in itertools.groupby(located, key=lambda item: item[0]))]
    while True:
        centres = [(group.x, group.y) for group in groups]
        pairs = sorted((math.dist(centres[a], centres[b]), a, b) for a, b in close_pairs(centres))
        if not pairs:
            return groups
        _, first, second = pairs[0]
        groups[first] = Marker(groups[first].places + groups[second].places, groups[first].points + groups[second].points)
        del groups[second]


def close_pairs(centres: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    """Pairs of centres closer than TARGET, found through a grid of TARGET-sized cells."""
    cells: dict[tuple[int, int], list[int]] = {}
    for index, (x, y) in enumerate(centres):
        cells.setdefault((x // TARGET, y // TARGET), []).append(index)
    for index, (x, y) in enumerate(centres):
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in cells.get((x // TARGET + dx, y // TARGET + dy), []):
                    if other > index and math.dist(centres[index], centres[other]) < TARGET:
                        yield index, other


def draw(frame: Frame, fills: dict[str, str], links: dict[str, CountryLink], places: Iterable[Place],
         highlight: str | None = None, names: dict[str, str] | None = None) -> dict:
    """What one frame's SVG shows: every country of the data in its fill (a link where `links` says),
    the names of the countries in `names` where they fit, and the places inside the frame as markers.
    A linked country too small to tap gets a hit area TARGET across, clear of the markers where its
    land allows, and a ring when too small to find."""
    shown = markers(frame, places)
    countries = []
    for code, shape in shapes().items():
        d = frame.path(shape)
        if not d:
            continue
        link = links.get(code)
        entry = {"code": code, "d": d, "fill": fills.get(code, NO_PRACTICES), "link": link,
                 "highlight": code == highlight, "marker": None, "hit": None}
        if link is not None:
            width, height = _extent(frame, code)
            if width < SMALL and height < SMALL:
                entry["marker"] = entry["hit"] = _middle(frame, shape)
            elif width < TARGET or height < TARGET:
                entry["hit"] = _hit_spot(frame, shape, shown)
        countries.append(entry)
    # links on top of plain shapes, and small countries' hit areas on top of their neighbours
    countries.sort(key=lambda entry: (entry["link"] is not None, entry["highlight"], entry["hit"] is not None))
    return {"width": WIDTH, "height": frame.height, "countries": countries, "markers": shown,
            "labels": labels(frame, names or {}, shown, [c["marker"] for c in countries if c["marker"]]), "inset": None, "target": TARGET}


def _hit_spot(frame: Frame, shape: Shape, shown: Sequence[Marker]) -> tuple[int, int]:
    """The middle of a country, or, when a marker lies there, the spot nearest it (on the land or just
    off its coast) that stands a target away from every marker, so that a tap there reaches the country."""
    middle = _middle(frame, shape)
    steps = 16
    around = [(round(middle[0] + r * math.cos(2 * math.pi * k / steps)), round(middle[1] + r * math.sin(2 * math.pi * k / steps)))
              for r in (TARGET / 4, TARGET / 2, TARGET * 3 / 4, TARGET) for k in range(steps)]
    for spot in [middle, *around]:
        inside = TARGET / 2 <= spot[0] <= WIDTH - TARGET / 2 and TARGET / 2 <= spot[1] <= frame.height - TARGET / 2
        if inside and all(math.dist(spot, (m.x, m.y)) >= TARGET for m in shown):
            return spot
    return middle


SMALL = 14  # SVG units: a linked country narrower and lower than this gets a ring round it


@from_data  # keyed by the code (hashing a shape's points would cost what projecting them does)
def _extent(frame: Frame, code: str) -> tuple[int, int]:
    xy = [frame.xy(lon, lat) for ring in shapes()[code].rings for lon, lat in ring]
    return max(x for x, _ in xy) - min(x for x, _ in xy), max(y for _, y in xy) - min(y for _, y in xy)


def _middle(frame: Frame, shape: Shape) -> tuple[int, int]:
    west, south, east, north = shape.box
    return frame.xy((west + east) / 2, (south + north) / 2)


def labels(frame: Frame, names: dict[str, str], shown: Sequence[Marker] = (),
           rings: Sequence[tuple[int, int]] = ()) -> list[dict]:
    """Country names written inside their country: the whole name where its box fits inside the
    outline, else the ISO code, else nothing; each nearest the country's pole of inaccessibility
    (the point of its land farthest from its coast and borders), clear of the markers, of the rings
    round the smallest countries (centred at `rings`) and of the other names."""
    taken = [{"x": x, "y": y, "width": TARGET, "height": TARGET} for x, y in [*((m.x, m.y) for m in shown), *rings]]
    placed: list[dict] = []
    for code in sorted(names):
        for text in (names[code], code):
            spot = _spot(frame, code, label_width(text), taken)
            if spot:
                placed.append({**spot, "text": text, "code": code})
                taken.append(spot)
                break
    return placed


def label_width(text: str) -> int:
    """A label's width in SVG units, measured letter by letter."""
    return math.ceil(sum(LABEL_EMS.get(letter, 1.0) for letter in text) * LABEL_SIZE * LABEL_SLACK)


def _collide(a: dict, b: dict) -> bool:
    return abs(a["x"] - b["x"]) * 2 < a["width"] + b["width"] and abs(a["y"] - b["y"]) * 2 < a["height"] + b["height"]


def _spot(frame: Frame, code: str, width: int, taken: list[dict]) -> dict | None:
    """Where a label `width` units long lies wholly inside the country and the frame's padding,
    clear of what is `taken`, nearest the country's pole of inaccessibility."""
    rooms = _rooms(frame, code)
    if not rooms:
        return None
    pole = _pole(frame, code)
    spots = []
    for y, x0, x1 in rooms:
        if x1 - x0 >= width:
            low, high = math.ceil(x0 + width / 2), math.floor(x1 - width / 2)
            x = min(max(round(pole[0]), low), high)
            spot = {"x": x, "y": y, "width": width, "height": LABEL_SIZE}
            if low <= high and not any(_collide(spot, other) for other in taken):
                spots.append((math.dist((x, y), pole), y, x, spot))
    return min(spots, key=lambda item: item[:3])[3] if spots else None


class _Lines:
    """Where horizontal lines cross a country's rings (even-odd rule), with the edges bucketed by
    height so that a line meets only the edges that span it."""

    def __init__(self, rings: list[list[tuple[int, int]]]):
        self.buckets: dict[int, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        for ring in rings:
            for index, start in enumerate(ring):
                end = ring[(index + 1) % len(ring)]
                for row in range(min(start[1], end[1]) // 8, max(start[1], end[1]) // 8 + 1):
                    self.buckets.setdefault(row, []).append((start, end))
        self.cache: dict[float, list[tuple[float, float]]] = {}

    def runs(self, y: float) -> list[tuple[float, float]]:
        if y not in self.cache:
            crossings = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                               for (x0, y0), (x1, y1) in self.buckets.get(math.floor(y) // 8, []) if (y0 > y) != (y1 > y))
            self.cache[y] = list(zip(crossings[::2], crossings[1::2], strict=True))
        return self.cache[y]

    def edges(self) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
        return {edge for bucket in self.buckets.values() for edge in bucket}


@from_data
def _rooms(frame: Frame, code: str) -> list[tuple[int, int, int]]:
    """(y, x0, x1): where a label centred at height y, LABEL_SIZE high, lies wholly on the country
    between x0 and x1, inside the frame's padding. Exact for the whole-unit outline: the land's
    stretches change only at a vertex, so the lines at the label's top and bottom and at every
    whole unit between them (just above, at and just below it) bound every stretch in between."""
    rings = _rings(frame, code)
    if not rings:
        return []
    lines = _Lines(rings)
    half = LABEL_SIZE // 2
    found = []
    for y in range(PAD + half, frame.height - PAD - half + 1, 8):
        cover = [(float(PAD), float(WIDTH - PAD))]
        heights = [y - half, y + half] + [k + d for k in range(y - half + 1, y + half) for d in (-0.01, 0, 0.01)]
        for height in heights:
            line = lines.runs(height)
            cover = [(max(a, c), min(b, d)) for a, b in cover for c, d in line if max(a, c) < min(b, d)]
            if not cover:
                break
        found += [(y, math.ceil(a), math.floor(b)) for a, b in cover if b - a >= LABEL_SIZE]
    return found


@from_data
def _pole(frame: Frame, code: str) -> tuple[int, int]:
    """The country's pole of inaccessibility in the frame: of the points of its land inside the
    frame's padding, on a grid 16 units apart and then 4 apart round the best, the one farthest
    from its outline (the first such, west to east, north to south: the same at every build)."""
    rings = _rings(frame, code)
    lines = _Lines(rings)
    edges = sorted(lines.edges())

    def clearance(x: float, y: float) -> float:
        inside = any(a < x < b for a, b in lines.runs(y)) and PAD <= x <= WIDTH - PAD and PAD <= y <= frame.height - PAD
        return min(_to_segment((x, y), start, end) for start, end in edges) if inside else -1.0

    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    if not xs:
        return (0, 0)
    coarse = [(x, y) for y in range(min(ys), max(ys) + 1, 16) for x in range(min(xs), max(xs) + 1, 16)]
    best = max(coarse, key=lambda p: (clearance(*p), -p[1], -p[0]))
    fine = [(best[0] + dx, best[1] + dy) for dy in range(-16, 17, 4) for dx in range(-16, 17, 4)]
    best = max(fine, key=lambda p: (clearance(*p), -p[1], -p[0]))
    if clearance(*best) < 0:
        return _middle_xy(rings)
    return best


def _middle_xy(rings: list[list[tuple[int, int]]]) -> tuple[int, int]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return (min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2


def _to_segment(point: tuple[float, float], start: tuple[int, int], end: tuple[int, int]) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def region_frames(counts: dict[str, int], links: dict[str, CountryLink], places: Sequence[Place],
                  names: dict[str, str] | None = None) -> list[dict]:
    """The two frames of the region map. A country lying wholly in the Caribbean frame is a link (and
    named) there, every other one in the main frame; a place shows in the Caribbean frame when it lies in it."""
    classes = shade_classes(counts.values())
    fills = {code: shade(count, classes) for code, count in counts.items()}
    names = names or {}
    main, caribbean = Frame.of(REGION_BOX), Frame.of(CARIBBEAN_BOX)
    in_caribbean = {code for code in {*links, *names} if _within(shapes()[code].box, CARIBBEAN_BOX)}
    drawn_main = draw(main, fills, {c: link for c, link in links.items() if c not in in_caribbean},
                      [p for p in places if not caribbean.shows(p.lon, p.lat)],
                      names={c: name for c, name in names.items() if c not in in_caribbean})
    drawn_caribbean = draw(caribbean, fills, {c: links[c] for c in in_caribbean if c in links}, places,
                           names={c: names[c] for c in in_caribbean if c in names})
    west, south, east, north = CARIBBEAN_BOX
    corners = [main.xy(lon, lat) for lon in (west, east) for lat in (south, north)]
    drawn_main["inset"] = "M" + "L".join(f"{x} {y}" for x, y in (corners[0], corners[1], corners[3], corners[2])) + "z"
    return [drawn_main, drawn_caribbean]


def _within(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def country_frame(code: str, places: Sequence[Place], names: dict[str, str] | None = None) -> dict:
    """A country page's map: the country highlighted among its neighbours, with its located practices."""
    return draw(Frame.of(country_box(code)), {code: HIGHLIGHT}, {}, places, highlight=code, names=names)


HIGHLIGHT = PALETTE[3]


def legend(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """(colour, low, high) of each class in use, then the colour of countries without practices (0, 0)."""
    classes = shade_classes(counts.values())
    return [(shade(high, classes), low, high) for low, high in classes] + [(NO_PRACTICES, 0, 0)]
