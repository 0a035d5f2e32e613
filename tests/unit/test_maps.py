"""Drawing the maps: projection, path data, shading classes and colours, and what each frame links."""

from __future__ import annotations

import math
import re

import pytest

from catalog.core.geo import runs_across
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
    assert maps.relative_path(points) == "M10 20l5-2-12-22-3 4z"
    assert _absolute_points(maps.relative_path(points)) == [points]


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
    assert [m.places[0].url for m in main["markers"]] == ["practices/b/"]
    assert [m.places[0].url for m in caribbean["markers"]] == ["practices/a/"]


ECUADOR = [(-79.65, 0.96, "Esmeraldas"), (-76.90, 0.09, "Sucumbíos"), (-76.99, -0.47, "Orellana"),
           (-77.72, 0.81, "Carchi"), (-78.12, 0.35, "Imbabura")]


def _ecuador_and_others() -> list[Place]:
    places = [Place(lon, lat, "practices/ecu/", f"ecu ({name})", "ecu", name) for lon, lat, name in ECUADOR]
    return places + [Place(-77.04, -12.05, "practices/lima/", "lima"), Place(-47.93, -15.78, "practices/brasilia/", "b"),
                     Place(-117.04, 32.53, "practices/tijuana/", "tijuana"), Place(-57.58, -25.26, "practices/asu/", "a")]


def test_places_closer_than_a_target_share_one_marker_and_markers_stand_a_target_apart():
    frame = Frame.of(maps.REGION_BOX)
    markers = maps.markers(frame, _ecuador_and_others())
    ecuador = [m for m in markers if any(p.url == "practices/ecu/" for p in m.places)]
    assert len(ecuador) == 1 and sorted(p.where for p in ecuador[0].places) == sorted(n for *_, n in ECUADOR)
    assert ecuador[0].practices == [(ecuador[0].places[0], [p.where for p in ecuador[0].places])]  # one practice, five places
    assert len(markers) == 5  # Lima, Brasília, Tijuana and Asunción keep a marker each
    for index, first in enumerate(markers):
        for second in markers[index + 1:]:
            assert ((first.x - second.x) ** 2 + (first.y - second.y) ** 2) ** 0.5 >= maps.TARGET


def test_grouping_does_not_depend_on_the_order_of_the_places():
    frame = Frame.of(maps.CARIBBEAN_BOX)
    places = [Place(-90 + (i * 7919 % 300) / 20, 10 + (i * 104729 % 150) / 20, f"practices/p{i}/", str(i)) for i in range(60)]
    def drawn(order: list[Place]) -> list:
        return [(m.x, m.y, sorted(p.url for p in m.places)) for m in maps.markers(frame, order)]
    assert drawn(places) == drawn(places[::-1]) == drawn(places[1::2] + places[::2])


def test_many_practices_at_one_place_cost_one_marker_not_a_round_each(monkeypatch):
    """A thousand practices placed in Darién and Chiriquí: the pairing rounds do not grow with them
    (they grew with the square of the places, and a 3,400-practice fuzz build stalled on one map)."""
    rounds = []
    pairs = maps.close_pairs
    monkeypatch.setattr(maps, "close_pairs", lambda centres: rounds.append(len(centres)) or pairs(centres))
    frame = Frame.of(maps.country_box("PAN"))
    places = [Place(-77.98, 8.5, f"practices/p{i}/", str(i), "d", "Darién") for i in range(1000)]
    places += [Place(-82.43, 8.43, f"practices/q{i}/", str(i), "c", "Chiriquí") for i in range(1000)]
    drawn = maps.markers(frame, places)
    assert sorted(len(m.places) for m in drawn) == [1000, 1000] and rounds == [2]
    assert all([p.url for p in m.places] == sorted(p.url for p in m.places) for m in drawn)


def test_places_at_one_pixel_group_as_one_pair_at_a_time_would_group_them():
    """The shortcut for places at one pixel gives the markers, centres and order of places that merging
    the closest pair, one at a time, gives (the rule the docstring of markers states)."""
    frame = Frame.of(maps.CARIBBEAN_BOX)
    spots = [(-90 + (i * 7919 % 300) / 20, 10 + (i * 104729 % 150) / 20) for i in range(25)]
    places = [Place(*spots[i % 25], f"practices/p{i}/", str(i)) for i in range(80)]
    located = sorted(((frame.xy(p.lon, p.lat), p) for p in places if frame.shows(p.lon, p.lat)),
                     key=lambda item: (item[0], item[1].url, item[1].label))
    groups = [maps.Marker([place], [xy]) for xy, place in located]
    while True:  # the rule, one pair at a time from single places
        centres = [(g.x, g.y) for g in groups]
        close = sorted((math.dist(centres[a], centres[b]), a, b) for a, b in maps.close_pairs(centres))
        if not close:
            break
        _, a, b = close[0]
        groups[a] = maps.Marker(groups[a].places + groups[b].places, groups[a].points + groups[b].points)
        del groups[b]
    expected = [(g.x, g.y, [p.url for p in g.places]) for g in groups]
    assert [(m.x, m.y, [p.url for p in m.places]) for m in maps.markers(frame, places)] == expected
    assert any(len(g[2]) > 3 for g in expected)  # places did share pixels


@pytest.mark.parametrize("box", [maps.REGION_BOX, maps.CARIBBEAN_BOX, maps.country_box("MEX")])
def test_a_marker_at_the_edge_of_a_frame_is_whole_inside_it(box):
    frame = Frame.of(box)
    west, south, east, north = box
    corners = [Place(lon, lat, f"practices/{lon}-{lat}/", "corner") for lon in (west, east) for lat in (south, north)]
    tijuana = Place(-117.04, 32.53, "practices/tijuana/", "tijuana")
    for marker in maps.markers(frame, [*corners, tijuana]):
        assert maps.TARGET / 2 <= marker.x <= maps.WIDTH - maps.TARGET / 2
        assert maps.TARGET / 2 <= marker.y <= frame.height - maps.TARGET / 2


def test_a_linked_country_too_small_to_tap_gets_a_hit_area_a_target_across():
    links = {code: CountryLink(f"countries/{code.lower()}/", code) for code in ("SLV", "BLZ", "MEX")}
    frame = maps.draw(Frame.of(maps.CARIBBEAN_BOX), {}, links, [])
    drawn = {c["code"]: c for c in frame["countries"] if c["link"]}
    assert drawn["SLV"]["hit"] and drawn["BLZ"]["hit"] and drawn["MEX"]["hit"] is None
    assert frame["target"] == maps.TARGET
    assert [c["code"] for c in frame["countries"]][-2:] in (["SLV", "BLZ"], ["BLZ", "SLV"])  # hit areas on top


def test_a_small_country_s_hit_area_moves_off_a_marker_on_it():
    links = {"BLZ": CountryLink("countries/blz/", "BLZ")}
    belmopan = Place(-88.77, 17.25, "practices/belmopan/", "belmopan")
    frame = maps.draw(Frame.of(maps.CARIBBEAN_BOX), {}, links, [belmopan])
    [marker] = frame["markers"]
    [belize] = [c for c in frame["countries"] if c["link"]]
    assert ((belize["hit"][0] - marker.x) ** 2 + (belize["hit"][1] - marker.y) ** 2) ** 0.5 >= maps.TARGET


def test_country_names_are_written_where_they_fit_else_their_code_and_never_overlap():
    frame = Frame.of(maps.REGION_BOX)
    names = {"BRA": "Brasil", "PRY": "Paraguay", "URY": "Uruguay", "ARG": "Argentina", "PER": "Perú", "COL": "Colombia"}
    markers = maps.markers(frame, _ecuador_and_others())
    labels = {label["text"]: label for label in maps.labels(frame, names, markers)}
    assert "Brasil" in labels  # room for the whole name
    assert "Colombia" not in labels and "COL" in labels  # room for the code only
    assert "Paraguay" not in labels and "PRY" not in labels  # the marker of Asunción takes its room
    boxes = [(label["x"], label["y"], label["width"], maps.LABEL_SIZE) for label in labels.values()]
    boxes += [(m.x, m.y, maps.TARGET, maps.TARGET) for m in markers]
    for index, (x, y, w, h) in enumerate(boxes):
        assert w / 2 <= x <= maps.WIDTH - w / 2 and h / 2 <= y <= frame.height - h / 2
        for x2, y2, w2, h2 in boxes[index + 1:]:
            assert abs(x - x2) * 2 >= w + w2 or abs(y - y2) * 2 >= h + h2, (x, y, x2, y2)


NAMES = {"ARG": "Argentina", "BOL": "Bolivia", "BRA": "Brasil", "CHL": "Chile", "COL": "Colombia", "CRI": "Costa Rica",
         "CUB": "Cuba", "DOM": "República Dominicana", "ECU": "Ecuador", "GTM": "Guatemala", "HND": "Honduras",
         "MEX": "México", "NIC": "Nicaragua", "PAN": "Panamá", "PER": "Perú", "PRY": "Paraguay", "URY": "Uruguay",
         "VEN": "Venezuela"}


def _box_on_land(rings: list[list[tuple[int, int]]], x: float, y: float, width: float) -> bool:
    """Whether a label's box (`width` by LABEL_SIZE, centred at x, y) lies inside the rings: checked
    along horizontal lines every half unit from its top to its bottom."""
    half = maps.LABEL_SIZE / 2
    return all(any(a <= x - width / 2 and x + width / 2 <= b for a, b in runs_across(rings, y - half + step / 2))
               for step in range(int(4 * half) + 1))


def test_each_name_lies_inside_its_own_country_and_a_code_only_where_the_name_does_not_fit():
    """Perú used to sit across the border with Bolivia: a label's box lies wholly inside the outline
    of the country it names, and a code stands only where no spot of the country holds the name."""
    links = {code: CountryLink(f"countries/{code.lower()}/", name) for code, name in NAMES.items()}
    frames = maps.region_frames(dict.fromkeys(NAMES, 1), links, _ecuador_and_others(), NAMES)
    by_text = {text: code for code, name in NAMES.items() for text in (name, code)}
    placed = 0
    for frame in frames:
        rings = {c["code"]: _absolute_points(c["d"]) for c in frame["countries"]}
        for label in frame["labels"]:
            code = by_text[label["text"]]
            assert _box_on_land(rings[code], label["x"], label["y"], label["width"]), label
            if label["text"] == code:
                name_width = maps.label_width(NAMES[code])
                fits = [(x, y) for y in range(0, frame["height"], 4) for x in range(0, maps.WIDTH, 4)
                        if maps.PAD <= x - name_width / 2 and x + name_width / 2 <= maps.WIDTH - maps.PAD
                        and maps.PAD + maps.LABEL_SIZE / 2 <= y <= frame["height"] - maps.PAD - maps.LABEL_SIZE / 2
                        and _box_on_land(rings[code], x, y, name_width)]
                assert not fits, (code, fits[:3])
            placed += 1
    assert placed >= 5

