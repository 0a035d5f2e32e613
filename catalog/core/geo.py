"""Country shapes of the Americas and the questions asked of them: is a point in a country, where is a country.

The shapes are catalog/data/americas.json: Natural Earth 1:50m (public domain), simplified once by
scripts/geodata.py to about 2 km and rounded to two decimals, in degrees of longitude and latitude
(WGS 84). A leaf: it imports only the data-file reader.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from catalog.core.datafiles import from_data, read_json

# How far outside its simplified shape a point may lie and still count as in the country: the shapes
# stray up to ~2 km from Natural Earth's, whose coasts are themselves generalized (a port, an island).
MARGIN_DEGREES = 0.1  # about 11 km

Point = tuple[float, float]  # (longitude, latitude)


@dataclass(frozen=True)
class Shape:
    """One country: its ISO alpha-3 code and its rings of (lon, lat) points (outer rings and holes alike)."""

    code: str
    rings: tuple[tuple[Point, ...], ...]

    @cached_property
    def box(self) -> tuple[float, float, float, float]:
        """West, south, east, north."""
        lons = [lon for ring in self.rings for lon, _ in ring]
        lats = [lat for ring in self.rings for _, lat in ring]
        return min(lons), min(lats), max(lons), max(lats)

    def contains(self, lon: float, lat: float, margin: float = MARGIN_DEGREES) -> bool:
        """Inside the shape (even-odd rule over all rings), or within `margin` degrees of its outline."""
        west, south, east, north = self.box
        if not (west - margin <= lon <= east + margin and south - margin <= lat <= north + margin):
            return False
        inside = False
        for ring in self.rings:
            inside ^= _in_ring(ring, lon, lat)
        return inside or any(_near_ring(ring, lon, lat, margin) for ring in self.rings)


def _edges(ring: tuple[Point, ...]) -> Iterable[tuple[Point, Point]]:
    return zip(ring, ring[1:] + ring[:1], strict=True)


def _in_ring(ring: tuple[Point, ...], x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in _edges(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _near_ring(ring: tuple[Point, ...], x: float, y: float, margin: float) -> bool:
    for (x0, y0), (x1, y1) in _edges(ring):
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / length))
        if math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) <= margin:
            return True
    return False


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, keeping both ends; a closed arc is split at its farthest point first."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        if far in (0, len(points) - 1):
            return list(points)
        return simplify(points[:far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = _farthest(points, first, last)
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _farthest(points: list[tuple[float, float]], first: int, last: int) -> tuple[int, float]:
    (ax, ay), (bx, by) = points[first], points[last]
    length = math.hypot(bx - ax, by - ay)
    best, best_distance = first, 0.0
    for index in range(first + 1, last):
        px, py = points[index]
        if length == 0:
            distance = math.hypot(px - ax, py - ay)
        else:
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if distance > best_distance:
            best, best_distance = index, distance
    return best, best_distance


@from_data
def shapes() -> dict[str, Shape]:
    """Every country of the data file by alpha-3 code (covered or not: neighbours are drawn too)."""
    raw = read_json("data/americas.json")
    return {
        code: Shape(code, tuple(tuple(zip(flat[::2], flat[1::2], strict=True)) for flat in rings))
        for code, rings in raw["countries"].items()
    }

