"""The regional good-practice catalog: records → validation → model → views → site and open data.

Layers, each importing only its own and the ones below: leaves (one fact each) → records → views →
render → site → commands → plugin. The modules of each layer are listed in LAYERS of
tests/unit/test_architecture.py, which checks the direction; the README says what each one knows.
"""

from catalog.languages import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES"]
