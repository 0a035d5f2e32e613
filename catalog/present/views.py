"""Language views of the model: labels, country names, numbers, dates and translation status.

Everything a template shows goes through here, one language at a time, so that templates
never guess a language or format a number themselves.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from catalog.core.i18n import ui, ui_count, ui_strings
from catalog.core.languages import other_language
from catalog.core.vocabularies import Vocabularies, load_vocabularies
from catalog.records.model import Entity, Practice, Provenance, Text

# Letters that a language's alphabet sorts as letters of their own (CLDR): in Spanish ñ comes after n.
# "~" sorts after every ASCII letter and digit, so "n~" falls between "nz" and "o".
OWN_LETTERS = {"es": {"ñ": "n~"}, "en": {}}


@dataclass(frozen=True)
class Shown:
    """A text ready for a page: the words, their language, and whether they stand in for a pending translation."""

    text: str
    lang: str
    pending: bool


class LanguageView:
    """Formats model values for one page language."""

    def __init__(self, language: str, vocabularies: Vocabularies | None = None):
        self.language = language
        self.locale = Locale.parse(language)  # parsed once: Babel would parse the name at every number
        self.other_language = other_language(language)
        self.vocabularies = vocabularies or load_vocabularies()
        self.t = ui_strings(language)

    def ui(self, key: str, /, **params: object) -> str:
        return ui(key, self.language, **params)

    def count(self, key: str, count: int) -> str:
        """A number with its noun that agrees with it (ui.yml KEY_one / KEY_other): «1 práctica»."""
        return ui_count(key, count, self.language, count=self.number(count))

    def text(self, value: Text | None, original: str) -> Shown | None:
        if value is None:
            return None
        words, lang = value.shown_in(self.language, original)
        return Shown(words, lang, pending=lang != self.language)

    def acronym(self, entity: Entity) -> str:
        """The entity's acronym in this language (ACNUR / UNHCR), or ""."""
        return entity.acronym.values.get(self.language, "") if entity.acronym else ""

    def entity(self, entity: Entity, original: str) -> str:
        """Name and acronym as plain text, e.g. for downloads: "Alto Comisionado… (ACNUR)"."""
        name = self.text(entity.name, original).text
        acronym = self.acronym(entity)
        return f"{name} ({acronym})" if acronym else name

    def provenance_label(self, provenance: Provenance) -> str:
        return self.vocabularies.provenance[provenance.method].label(self.language)

    def provenance(self, practice: Practice) -> str:
        """One plain line (for downloads): how the record was made, by whom and when, in this language."""
        provenance = practice.provenance
        words = self.provenance_label(provenance)
        if provenance.by:
            words += f": {self.text(provenance.by, practice.original_language).text}"
        if provenance.date:
            words += f", {self.date(provenance.date)}"
        return words

    def country(self, code: str) -> str:
        return self.vocabularies.country_name(code, self.language)

    def theme(self, theme_id: str) -> str:
        return self.vocabularies.themes[theme_id].label(self.language)

    def mechanism(self, mechanism_id: str) -> str:
        return self.vocabularies.mechanisms[mechanism_id].label(self.language)

    def commitment(self, commitment_id: str) -> str:
        return self.vocabularies.commitments[commitment_id].label(self.language)

    def status(self, status_id: str) -> str:
        return self.vocabularies.statuses[status_id].label(self.language)

    def unit(self, unit_id: str) -> str:
        return self.vocabularies.units[unit_id].label(self.language)

    def qualifier(self, qualifier_id: str | None) -> str:
        return self.vocabularies.qualifiers[qualifier_id].label(self.language) if qualifier_id else ""

    def language_name(self, code: str) -> str:
        return self.vocabularies.languages[code].label(self.language)

    def sort_key(self, text: str) -> str:
        """A key whose plain character order is the language's alphabetical order (CLDR, primary
        strength): case, accents and punctuation ignored (Perú sorts with Peru), Spanish ñ a letter
        after n. The one alphabetical order of the site: listings, feeds and the compendium sort by
        it, and search sorts practices by it (Pagefind compares sort values as plain strings)."""
        own = OWN_LETTERS.get(self.language, {})
        letters = []
        for char in text.casefold():
            if char in own:
                letters.append(own[char])
            elif char.isspace():
                letters.append(" ")
            else:
                letters.extend(c for c in unicodedata.normalize("NFD", char) if c.isalnum())
        return " ".join("".join(letters).split())

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, partial: str | None) -> str:
        """2021 → 2021; 2021-03 → marzo de 2021 / March 2021; 2021-03-15 → 15 de marzo de 2021."""
        if not partial:
            return ""
        parts = [int(p) for p in str(partial).split("-")]
        if len(parts) == 1:
            return str(parts[0])
        if len(parts) == 2:
            return format_skeleton("yMMMM", datetime.date(parts[0], parts[1], 1), locale=self.locale)
        return format_date(datetime.date(*parts), "long", locale=self.locale)

    def period(self, practice: Practice) -> str:
        start = self.date(practice.period.start)
        if practice.period.end:
            return f"{start} – {self.date(practice.period.end)}"
        return self.ui("period_since", start=start)  # whether it goes on is the status's to say, once

    def years(self, practice: Practice) -> str:
        """Compact period for listings: 2021–2023, 2021–, 2021."""
        start, end = practice.period.start_year, practice.period.end_year
        if end:
            return f"{start}–{end}" if end != start else str(start)
        return f"{start}–" if practice.status == "ongoing" else str(start)
