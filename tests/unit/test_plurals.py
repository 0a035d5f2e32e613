"""Plural forms follow CLDR's rules (Babel), in one place: catalog/core/i18n.py."""

from __future__ import annotations

import pytest

from catalog.core.datafiles import read_yaml
from catalog.core.i18n import message
from catalog.present.views import LanguageView


@pytest.mark.parametrize(("language", "count", "text"), [
    ("es", 0, "0 prácticas"), ("es", 1, "1 práctica"), ("es", 2, "2 prácticas"),
    # CLDR gives Spanish millions their own category ("many": «un millón de»); it reads as the plural.
    ("es", 1_000_000, "1.000.000 prácticas"),
    ("en", 0, "0 practices"), ("en", 1, "1 practice"), ("en", 1_000_000, "1,000,000 practices"),
])
def test_a_count_takes_the_form_that_agrees_with_it(language, count, text):
    assert LanguageView(language).count("count_practices", count) == text


def test_a_figure_label_is_singular_for_one_source_only():
    view = LanguageView("es")
    assert (view.count("figure_sources", 1), view.count("figure_sources", 2)) == ("Fuente:", "Fuentes:")


@pytest.mark.parametrize("language", ["es", "en"])
def test_zero_and_millions_take_the_plural_in_messages(language):
    zero, million = (message("summary_errors", language, errors=n, files=n) for n in (0, 1_000_000))
    assert zero.startswith({"es": "0 errores en 0 archivos", "en": "0 errors in 0 files"}[language])
    assert {"es": "errores en", "en": "errors in"}[language] in million


def test_every_singular_interface_string_has_its_plural():
    table = read_yaml("data/ui.yml")
    assert [key for key in table if key.endswith("_one") and key.removesuffix("_one") + "_other" not in table] == []
