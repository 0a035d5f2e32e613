"""Drawing the maps: projection, path data, shading classes and colours, and what each frame links."""

from __future__ import annotations

import re

import pytest

from catalog.present import maps
from catalog.present.maps import CountryLink, Frame, Place


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _absolute_points(d: str) -> list[list[tuple[int, int]]]:
    """Parse our path data (M x y l dx dy … z, repeated) back into absolute points."""
    rings = []
    for ring in re.findall(r"M([^Mz]+)z", d):
        start, _, moves = ring.partition("l")
        numbers = [int(n) for n in re.findall(r"-?\d+", start)]
        x, y = numbers
        points = [(x, y)]
        deltas = [int(n) for n in re.findall(r"-?\d+", moves)]
        for dx, dy in zip(deltas[::2], deltas[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def test_relative_path_data_round_trips():
    points = [(10, 20), (15, 18), (3, -4), (0, 0)]
    assert maps._relative_path(points) == "M10 20l5-2-12-22-3 4z"
    assert _absolute_points(maps._relative_path(points)) == [points]


def test_north_is_up_and_east_is_right_in_a_frame():
    frame = Frame.of(maps.REGION_BOX)
    mexico_city, lima, bogota = frame.xy(-99.13, 19.43), frame.xy(-77.04, -12.05), frame.xy(-74.07, 4.71)
    assert mexico_city[1] < bogota[1] < lima[1]
    assert mexico_city[0] < lima[0] < bogota[0]
    for lon in (maps.REGION_BOX[0], maps.REGION_BOX[2]):
        for lat in (maps.REGION_BOX[1], maps.REGION_BOX[3]):
            x, y = frame.xy(lon, lat)
            assert 0 <= x <= maps.WIDTH and 0 <= y <= frame.height


def test_country_path_stays_inside_its_frame_and_near_its_places():
    frame = Frame.of(maps.country_box("PAN"))
    rings = _absolute_points(frame.path(maps.shapes()["PAN"]))
    assert rings and all(len(ring) >= 3 for ring in rings)
    xs = [x for ring in rings for x, _ in ring]
    assert 0 <= min(xs) and max(xs) <= maps.WIDTH
    david, la_palma = frame.xy(-82.43, 8.43), frame.xy(-78.14, 8.41)
    assert david[0] < la_palma[0]


@pytest.mark.parametrize(("counts", "expected"), [
    ([1, 2, 3], [(1, 1), (2, 2), (3, 3)]),
    ([1, 1], [(1, 1)]),
    ([], []),
])
def test_few_counts_get_one_class_each(counts, expected):
    assert maps.shade_classes(counts) == expected


def test_many_counts_get_five_contiguous_classes_up_to_the_largest():
    classes = maps.shade_classes([1, 7, 40, 250])
    assert len(classes) == len(maps.PALETTE)
    assert classes[0][0] == 1 and classes[-1][1] == 250
    assert all(high + 1 == next_low for (_, high), (next_low, _) in zip(classes, classes[1:], strict=False))


def test_more_practices_never_give_a_lighter_colour():
    for counts in ([1, 2, 3], [1, 3, 9, 27, 81, 243]):
        classes = maps.shade_classes(counts)
        shades = [maps.shade(n, classes) for n in range(1, max(counts) + 1)]
        luminances = [_luminance(colour) for colour in shades]
        assert luminances == sorted(luminances, reverse=True)
        assert maps.shade(0, classes) == maps.NO_PRACTICES


def test_points_and_links_stand_out_on_every_fill():
    """A point is yellow with a dark ring: on every country colour one of the two contrasts 3:1 or more."""
    for fill in (*maps.PALETTE, maps.NO_PRACTICES, "#ffffff"):
        assert max(_contrast("#ffcf33", fill), _contrast("#1a1a1a", fill)) >= 3, fill
    assert _contrast(maps.PALETTE[-1], "#ffffff") >= 7
    assert _contrast(maps.PALETTE[0], maps.PALETTE[-1]) >= 4.5


def test_each_country_is_a_link_in_one_frame_and_each_place_shows_once():
    counts = {"PAN": 3, "MEX": 2, "GRD": 1, "BRA": 1}
    links = {code: CountryLink(f"countries/{code.lower()}/", code) for code in counts}
    places = [Place(-78.14, 8.41, "practices/a/", "a"), Place(-60.67, 2.82, "practices/b/", "b")]
    main, caribbean = maps.region_frames(counts, links, places)
    linked = [[c["code"] for c in frame["countries"] if c["link"]] for frame in (main, caribbean)]
    assert sorted(linked[0] + linked[1]) == sorted(counts)
    assert "PAN" in linked[1] and "GRD" in linked[1] and "BRA" in linked[0]
    grenada = next(c for c in caribbean["countries"] if c["code"] == "GRD")
    assert grenada["marker"] is not None  # too small to find without its ring
    assert [p["url"] for p in main["points"]] == ["practices/b/"]
    assert [p["url"] for p in caribbean["points"]] == ["practices/a/"]
