"""Points on the map in the records: the validator keeps them in their country, in both languages;
the issue form and `catalog new` offer them. (The hostile corpus has one file per way to get them wrong.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.cli.issue_form import place_from_line
from catalog.records.problems import describe
from tests.helpers import PRACTICES
from tests.helpers.records import edit, problems_for, summary

CHIRIQUI_POINT = "    coordinates: {lat: 8.43, lon: -82.43}\n"


def test_the_reference_record_places_its_two_provinces(example_text: str):
    assert example_text.count("    coordinates: {") == 2


@pytest.mark.parametrize(("point", "expected"), [
    ("{lat: 9.36, lon: -79.9}", []),              # Colón, on the coast
    ("{lat: 7.2, lon: -80.8}", []),               # Azuero: four-decimal rule and shape both fine
    ("{lat: 8.4272, lon: -82.4308}", []),         # four decimals are allowed
    ("{lat: 9.93, lon: -84.08}", ["coordinates_outside_country"]),  # San José, Costa Rica
])
def test_points_in_panama(tmp_path: Path, example_text: str, point: str, expected: list[str]):
    text = edit(example_text, (CHIRIQUI_POINT, f"    coordinates: {point}\n"))
    assert [message for message, _, _ in summary(problems_for(tmp_path, text))] == expected


def test_a_regional_practice_may_place_points_in_any_covered_country(tmp_path: Path):
    name = "conare-technical-meetings-pac-quality-asylum"
    text = (PRACTICES / "reg" / f"{name}.yml").read_text("utf-8")
    placed_now = "    coordinates: {lat: 8.99, lon: -79.52}\n"  # Panama City, where the meeting was
    for point, expected in (("{lat: -12.05, lon: -77.04}", []), ("{lat: 38.9, lon: -77.04}", ["coordinates_outside_region"])):
        placed = edit(text, (placed_now, f"    coordinates: {point}\n"))
        problems = problems_for(tmp_path, placed, name=name, folder="reg")
        assert [p.message for p in problems] == expected, point


def test_a_point_outside_its_country_is_explained_in_spanish_and_english(tmp_path: Path, example_text: str):
    text = edit(example_text, (CHIRIQUI_POINT, "    coordinates: {lat: 8.43, lon: 82.43}\n"))
    [problem] = problems_for(tmp_path, text)
    assert (problem.field, problem.line) == ("locations[1].coordinates", text[:text.index("lon: 82.43")].count("\n") + 1)
    spanish, english = describe(problem, "es"), describe(problem, "en")
    assert "no cae en PAN" in spanish and "signo" in spanish
    assert "is not in PAN" in english and "sign" in english


@pytest.mark.parametrize(("line", "expected"), [
    ("Metetí | PA-5 | 8.50, -77.98", {"name": "Metetí", "subdivision": "PA-5", "coordinates": {"lat": 8.5, "lon": -77.98}}),
    ("David | 8.43; -82.43", {"name": "David", "coordinates": {"lat": 8.43, "lon": -82.43}}),
    ("Darién | PA-5", {"name": "Darién", "subdivision": "PA-5"}),
    ("Tapachula | 14,9 -92,26", {"name": "Tapachula", "coordinates": "14,9 -92,26"}),  # left for the validator
    ("Boa Vista | ٢.٨٢, -٦٠.٦٧", {"name": "Boa Vista", "coordinates": "٢.٨٢, -٦٠.٦٧"}),  # Arabic-Indic digits are not read
])
def test_issue_form_reads_a_place_line(line: str, expected: dict):
    assert place_from_line(line) == expected
