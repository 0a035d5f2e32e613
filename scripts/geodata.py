"""Reduce Natural Earth's country shapes to the small file of the Americas the site's maps use.

Usage: .venv/bin/python scripts/geodata.py [TOPOJSON] [OUT]
       (defaults: node_modules/world-atlas/countries-50m.json → catalog/data/americas.json)

Run once after `npm ci` when the pinned npm package `world-atlas` (package-lock.json) changes; the
output is committed, so the site build needs neither npm nor the network. tests/unit/test_geodata.py
runs this script again and checks that the committed file is exactly what it makes.

Source: Natural Earth 1:50m Admin 0 countries (public domain), as TopoJSON in world-atlas 2.0.2
(ISC licence, Mike Bostock). Steps, all in degrees of longitude and latitude (WGS 84):
1. decode the TopoJSON arcs (quantized, delta-encoded);
2. simplify each arc once with Douglas–Peucker, so neighbours keep sharing the same border;
3. assemble each country's rings, keep those that touch the Americas box (clipped to it), drop
   islands smaller than MIN_AREA except a country's largest ring (small island states stay);
4. round to two decimals (about 1 km) and write compact JSON, one country per line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.core import get_global

from catalog.core.geo import simplify

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "catalog" / "data" / "americas.json"
BOX = (-120.0, -60.0, -30.0, 33.5)  # west, south, east, north: Mexico to Tierra del Fuego, Florida, Brazil's islands
TOLERANCE = 0.02  # degrees (~2 km): the largest distance a simplified border strays from Natural Earth's
MIN_AREA = 0.02  # square degrees (~250 km²): smaller islands are dropped, unless they are a whole country
HEADER = {
    "source": "Natural Earth 1:50m Admin 0 countries 4.1.0 (public domain, naturalearthdata.com), "
              "from the npm package world-atlas 2.0.2 (countries-50m.json, ISC licence)",
    "made_by": "scripts/geodata.py: Douglas-Peucker per shared border, clipped to the box, two decimals",
    "box": list(BOX), "tolerance_degrees": TOLERANCE, "min_island_square_degrees": MIN_AREA,
}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat), undoing quantization and delta encoding."""
    (scale_x, scale_y), (move_x, move_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def ring_of(arc_indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), without repeating the joints."""
    ring: list[tuple[float, float]] = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def area(ring: list[tuple[float, float]]) -> float:
    """Unsigned area of a ring in square degrees (shoelace formula)."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def clip(ring: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman clipping of a ring to the box (the Americas' parts of France, the US…)."""
    west, south, east, north = box
    edges = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))
    for axis, limit, keep_above in edges:
        result: list[tuple[float, float]] = []
        for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
            current_in = current[axis] >= limit if keep_above else current[axis] <= limit
            following_in = following[axis] >= limit if keep_above else following[axis] <= limit
            if current_in:
                result.append(current)
            if current_in != following_in:
                t = (limit - current[axis]) / (following[axis] - current[axis])
                result.append(tuple(c + t * (f - c) for c, f in zip(current, following, strict=True)))
        ring = result
        if not ring:
            break
    return ring


def country_rings(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """A country's rings inside the box, rounded, small islands dropped (not the largest ring)."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = [ring_of(indexes, arcs) for polygon in polygons for indexes in polygon]
    # A ring that crosses the antimeridian (Fiji, Russia) lies nowhere near the Americas.
    rings = [clip(ring[:-1], BOX) for ring in rings if max(x for x, _ in ring) - min(x for x, _ in ring) < 180]
    rings = [_rounded(ring) for ring in rings if len(ring) >= 3]
    rings = [ring for ring in rings if len(ring) >= 3 and area(ring) > 0]
    if not rings:
        return []
    largest = max(rings, key=area)
    return [ring for ring in rings if ring is largest or area(ring) >= MIN_AREA]


def _rounded(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for x, y in ring:
        point = (round(x, 2) + 0.0, round(y, 2) + 0.0)  # + 0.0 turns -0.0 into 0.0
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def alpha3_of_numeric() -> dict[str, str]:
    """ISO 3166-1 numeric → alpha-3, both from CLDR's territory aliases (Babel), as the site names countries.
    Where two alpha-3 codes lead to one country (FRA and the withdrawn FXX), the one spelled like it wins."""
    aliases = get_global("territory_aliases")
    alpha3: dict[str, str] = {}
    for code, targets in sorted(aliases.items()):
        if len(code) == 3 and code.isalpha() and len(targets) == 1:
            if targets[0] not in alpha3 or code.startswith(targets[0]):
                alpha3[targets[0]] = code
    return {code: alpha3[targets[0]] for code, targets in aliases.items()
            if code.isdigit() and len(targets) == 1 and targets[0] in alpha3}


def reduce(topology: dict) -> dict:
    """The committed data: header, then each country of the box with its code and flat [lon, lat, …] rings."""
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    codes = alpha3_of_numeric()
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] not in ("Polygon", "MultiPolygon") or geometry.get("id") not in codes:
            continue
        rings = country_rings(geometry, arcs)
        if rings:
            countries[codes[geometry["id"]]] = [[c for point in ring for c in point] for ring in rings]
    return {**HEADER, "countries": dict(sorted(countries.items()))}


def dumps(data: dict) -> str:
    """Compact JSON with one country per line, so that a change shows as a readable diff."""
    head = {key: value for key, value in data.items() if key != "countries"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "countries": {']
    items = list(data["countries"].items())
    for number, (code, rings) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        lines.append(f"{json.dumps(code)}: {json.dumps(rings, separators=(',', ':'))}{comma}")
    return "\n".join(lines) + "\n}}\n"


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else SOURCE
    out = Path(argv[1]) if len(argv) > 1 else OUT
    text = dumps(reduce(json.loads(source.read_text(encoding="utf-8"))))
    out.write_text(text, encoding="utf-8")
    print(f"{source} ({source.stat().st_size:,} bytes) → {out} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
