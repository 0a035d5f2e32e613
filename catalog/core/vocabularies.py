"""The controlled vocabularies (data/vocabularies.yml) and CLDR country names, in each language.

A shared leaf: reads its data file fresh for every build (catalog.core.datafiles).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from catalog.core.datafiles import from_data, read_yaml
from catalog.core.languages import LANGUAGES


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable id and its label in each language."""

    id: str
    labels: dict[str, str]
    mechanism: str | None = None  # commitments only: the mechanism they belong to
    count: bool = False  # units only: it counts people or things, so its figures are whole numbers
    about: dict[str, str] | None = None  # themes and mechanisms: what it covers or is, in each language
    sources: tuple[str, ...] = ()  # mechanisms: the public addresses of those facts
    members: tuple[str, ...] = ()  # mechanisms: member states (ISO alpha-3), as the sources list them

    def label(self, language: str) -> str:
        return self.labels[language]


@dataclass(frozen=True)
class Authority:
    """A country's national asylum authority, named in each language, and the public source that names it."""

    names: dict[str, str]
    source: str


# The vocabularies a record names by id: each is an enum of the schema's $defs under its own name
# (scripts/schema_vocab.py), and the message vocabulary_<name> names it to people.
TERM_VOCABULARIES = ("themes", "mechanisms", "commitments", "statuses", "provenance", "units", "qualifiers", "languages")


@dataclass(frozen=True)
class Vocabularies:
    themes: dict[str, Term]
    mechanisms: dict[str, Term]
    commitments: dict[str, Term]
    statuses: dict[str, Term]
    provenance: dict[str, Term]
    units: dict[str, Term]
    qualifiers: dict[str, Term]
    languages: dict[str, Term]
    countries: tuple[str, ...]
    regional_code: str
    regional_name: dict[str, str]
    asylum_authorities: dict[str, Authority]  # covered country (ISO alpha-3) → its authority, where sourced

    def country_name(self, code: str, language: str) -> str:
        """CLDR name of an ISO alpha-3 country in a language; the regional code has its own name."""
        if code == self.regional_code:
            return self.regional_name[language]
        return _territories(language)[alpha2(code)]


def _terms(raw: dict) -> dict[str, Term]:
    terms = {}
    for term_id, entry in raw.items():
        labels = {language: entry[language] for language in LANGUAGES}
        about = entry.get("about")
        terms[term_id] = Term(term_id, labels, entry.get("mechanism"), entry.get("count") is True,
                              {language: about[language] for language in LANGUAGES} if about else None,
                              tuple(entry.get("sources", ())), tuple(entry.get("members", ())))
    return terms


@from_data
def load_vocabularies() -> Vocabularies:
    raw = read_yaml("data/vocabularies.yml")
    return Vocabularies(
        themes=_terms(raw["themes"]),
        mechanisms=_terms(raw["mechanisms"]),
        commitments=_terms(raw["commitments"]),
        statuses=_terms(raw["statuses"]),
        provenance=_terms(raw["provenance"]),
        units=_terms(raw["units"]),
        qualifiers=_terms(raw["qualifiers"]),
        languages=_terms(raw["languages"]),
        countries=tuple(raw["countries"]),
        regional_code=raw["regional_code"],
        regional_name={language: raw["regional_name"][language] for language in LANGUAGES},
        asylum_authorities={code: Authority({language: entry[language] for language in LANGUAGES}, entry["source"])
                            for code, entry in raw.get("asylum_authorities", {}).items()},
    )


# Babel (CLDR) is imported on the first name or code asked for, not with the module: the command line
# reads the vocabularies' labels for its help without it.
@functools.cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale

    return Locale(language).territories


@functools.cache
def alpha2(alpha3: str) -> str:
    """ISO 3166-1 alpha-2 code of an alpha-3 code, from CLDR's territory aliases."""
    from babel.core import get_global

    aliases = get_global("territory_aliases").get(alpha3)
    if not aliases:
        raise KeyError(alpha3)
    return aliases[0]
