"""Did you mean…? From a typo, a Spanish or English label, or a CLDR country name, in any case and
with or without accents: in `catalog validate` and in `catalog new`."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from babel import Locale

from catalog.cli.main import main
from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import alpha2, load_vocabularies
from catalog.records.suggest import best, country_names, fold, term_names
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD

VOCABULARIES = ("themes", "mechanisms", "commitments", "statuses", "units", "qualifiers", "languages")


def plain(text: str) -> str:
    """How an official may type a name: lower case, accents dropped."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_label_in_both_languages_leads_to_its_id(vocabulary):
    terms = getattr(load_vocabularies(), vocabulary)
    names = term_names(terms)
    for term in terms.values():
        for language in LANGUAGES:
            for typed in (term.labels[language], plain(term.labels[language]), term.labels[language].upper()):
                assert best(typed, names) == (term.id, True), (typed, term.id)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_a_one_letter_typo_in_an_id_is_suggested_not_accepted(vocabulary):
    names = term_names(getattr(load_vocabularies(), vocabulary))
    for term_id in names:
        if len(term_id) < 6:
            continue  # "pac", "es": one letter changed is another word
        typo = term_id[:2] + term_id[3:]  # one letter left out
        assert best(typo, names) == (term_id, False), typo


def test_every_covered_country_by_its_cldr_name_in_both_languages_and_by_code():
    names = country_names()
    vocabularies = load_vocabularies()
    for code in vocabularies.countries:
        spellings = [code.lower(), alpha2(code)]
        for language in LANGUAGES:
            name = Locale(language).territories[alpha2(code)]
            spellings += [name, plain(name), name.upper()]
        for typed in spellings:
            assert best(typed, names) == (code, True), (typed, code)
    assert best("regional", names) == ("REG", True)
    assert best("Panamaa", names) == ("PAN", False)
    assert best("Atlantis", names) == (None, False)


def test_fold_ignores_case_accents_and_separators():
    assert fold("Recepción en-zonas  Fronterizas") == "recepcion en zonas fronterizas"


def record_with(tmp_path: Path, old: str, new: str) -> list:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "pan"
    folder.mkdir()
    (folder / "onpar-border-access.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return validate_paths([folder]).problems


@pytest.mark.parametrize(("old", "new", "field", "message_id", "suggestion"), [
    ("  - border-reception\n", "  - border-recepcion\n", "themes[1]", "not_in_vocabulary_suggest", "border-reception"),
    ("  - border-reception\n", "  - Recepción en zonas fronterizas\n", "themes[1]", "not_in_vocabulary_suggest",
     "border-reception"),
    ("  - border-reception\n", "  - border reception\n", "themes[1]", "not_in_vocabulary_suggest", "border-reception"),
    ("status: ongoing", "status: en curso", "status", "not_in_vocabulary_suggest", "ongoing"),
    ("country: PAN", "country: panama", "country", "bad_country_code_suggest", "PAN"),
    ("country: PAN", "country: Panamá", "country", "bad_country_code_suggest", "PAN"),
    ("country: PAN", "country: PNA", "country", "country_not_covered_suggest", "PAN"),
])
def test_validate_suggests_the_id(tmp_path, old, new, field, message_id, suggestion):
    problems = record_with(tmp_path, old, new)
    found = [(p.field, p.message, p.params.get("suggestion")) for p in problems]
    assert (field, message_id, suggestion) in found, found
    problem = next(p for p in problems if p.field == field)
    assert f"¿quiso decir «{suggestion}»?" in message(problem.message, "es", **problem.params) or \
        f"¿quiso decir {suggestion}?" in message(problem.message, "es", **problem.params)
    assert "did you mean" in message(problem.message, "en", **problem.params)


def test_no_suggestion_when_nothing_is_close(tmp_path):
    problems = record_with(tmp_path, "  - border-reception\n", "  - xyzzy\n")
    assert [(p.field, p.message) for p in problems] == [("themes[1]", "not_in_vocabulary")]


def test_a_suggestion_is_never_a_value_the_field_refuses(tmp_path):
    """'portugués' is a source language (pt), but not a language a record can be written in."""
    problems = record_with(tmp_path, "original_language: en", "original_language: portugués")
    assert [(p.field, p.message) for p in problems if p.field == "original_language"] == [
        ("original_language", "not_in_vocabulary")]


@pytest.mark.parametrize(("country", "language", "folder", "written"), [
    ("panama", "español", "pan", "es"), ("Panamá", "Spanish", "pan", "es"), ("méxico", "inglés", "mex", "en"),
    ("pan", "ES", "pan", "es"),
])
def test_catalog_new_accepts_names_for_country_and_language(tmp_path, country, language, folder, written):
    code = main(["new", "--country", country, "--language", language, "--title", "Atención en Darién",
                 "--out-dir", str(tmp_path), "--lang", "en"])
    assert code == 0
    record = yaml.safe_load((tmp_path / folder / "atencion-en-darien.yml").read_text(encoding="utf-8"))
    assert record["country"] == folder.upper() and record["original_language"] == written


def test_catalog_new_suggests_for_a_typo(tmp_path, capsys):
    assert main(["new", "--country", "Panamaa", "--language", "es", "--title", "Atención en Darién",
                 "--out-dir", str(tmp_path), "--lang", "es"]) == 2
    assert "¿quiso decir PAN?" in capsys.readouterr().err
    assert main(["new", "--country", "PAN", "--language", "espannol", "--title", "Atención en Darién",
                 "--out-dir", str(tmp_path), "--lang", "en"]) == 2
    assert "did you mean 'es'?" in capsys.readouterr().err
