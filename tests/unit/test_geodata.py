"""The country shapes: the committed file is what scripts/geodata.py makes from the pinned npm
package, and the shapes answer "is this point in this country" as a gazetteer would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.core.geo import shapes
from catalog.core.vocabularies import load_vocabularies
from tests.helpers import REPO

WORLD_ATLAS = REPO / "node_modules" / "world-atlas" / "countries-50m.json"
COMMITTED = REPO / "catalog" / "data" / "americas.json"


def test_committed_shapes_are_what_the_script_makes_from_the_pinned_package(tmp_path: Path):
    assert WORLD_ATLAS.is_file(), f"{WORLD_ATLAS} is missing: run `npm ci` (scripts/dev test does it)"
    lock = json.loads((REPO / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/world-atlas"]["version"] == "2.0.2"
    made = tmp_path / "americas.json"
    subprocess.run([sys.executable, str(REPO / "scripts" / "geodata.py"), str(WORLD_ATLAS), str(made)],
                   check=True, capture_output=True)
    assert made.read_bytes() == COMMITTED.read_bytes(), "run scripts/geodata.py and commit catalog/data/americas.json"


def test_shapes_file_is_small_and_says_where_it_comes_from():
    raw = json.loads(COMMITTED.read_text("utf-8"))
    assert COMMITTED.stat().st_size < 100_000
    assert "Natural Earth" in raw["source"] and "world-atlas 2.0.2" in raw["source"]
    assert "public domain" in raw["source"]


def test_every_covered_country_has_a_shape():
    assert set(load_vocabularies().countries) <= set(shapes())


@pytest.mark.parametrize(("code", "lat", "lon"), [
    ("PAN", 8.98, -79.52),   # Panama City
    ("PAN", 8.43, -82.43),   # David, Chiriquí
    ("PAN", 8.41, -78.14),   # La Palma, Darién (on the Gulf of San Miguel)
    ("MEX", 14.90, -92.26),  # Tapachula
    ("BRA", 2.82, -60.67),   # Boa Vista, Roraima
    ("CHL", -53.16, -70.91),  # Punta Arenas
    ("GRD", 12.05, -61.75),  # St. George's
    ("ECU", -0.74, -90.31),  # Puerto Ayora, Galápagos
])
def test_places_lie_in_their_country(code: str, lat: float, lon: float):
    assert shapes()[code].contains(lon, lat)


@pytest.mark.parametrize(("code", "lat", "lon"), [
    ("PAN", 4.71, -74.07),    # Bogotá is in Colombia
    ("PAN", 9.93, -84.08),    # San José is in Costa Rica
    ("CHL", -34.60, -58.38),  # Buenos Aires is in Argentina
    ("MEX", 0.0, 0.0),        # the Gulf of Guinea
    ("GRD", 13.16, -61.23),   # Kingstown is in Saint Vincent
    ("PER", -12.5, -80.0),    # the Pacific, 150 km off Lima
])
def test_places_outside_a_country_are_not_in_it(code: str, lat: float, lon: float):
    assert not shapes()[code].contains(lon, lat)
