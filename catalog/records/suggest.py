"""Did you mean…? The id an official meant, from a typo, a label in Spanish or English, or a
country's name as CLDR spells it in either language, compared without case or accents.

Used by `catalog validate` (a value outside a vocabulary, a country written as a name) and by
`catalog new` (which accepts "panamá" as PAN and "español" as es when nothing else is meant).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Iterable

from babel import Locale

from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import Term, alpha2, load_vocabularies
from catalog.records.problems import Problem

CLOSE_ENOUGH = 0.75  # difflib's ratio: "border-recepcion" ~ "border-reception" (0.94), "pan" ~ "pac" (0.67)


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: "Recepción en-zonas" → "recepcion en zonas"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[\s_\-–—.,;:()]+", plain)).strip()


def _names(term: Term) -> Iterable[str]:
    yield term.id
    yield from term.labels.values()


def best(value: str, names: dict[str, list[str]]) -> tuple[str | None, bool]:
    """(the id whose id or name matches the value, exactly after folding?), or (None, False)."""
    wanted = fold(value)
    if not wanted:
        return None, False
    folded = {fold(name): key for key, spellings in names.items() for name in spellings}
    if wanted in folded:
        return folded[wanted], True
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=CLOSE_ENOUGH)
    return (folded[close[0]], False) if close else (None, False)


def term_names(terms: dict[str, Term]) -> dict[str, list[str]]:
    return {term_id: list(_names(term)) for term_id, term in terms.items()}


def country_names(include_regional: bool = True) -> dict[str, list[str]]:
    """Each covered country's code, alpha-2 and CLDR names in the site's languages (and REG's)."""
    vocabularies = load_vocabularies()
    names = {
        code: [code, alpha2(code), *(Locale(language).territories[alpha2(code)] for language in LANGUAGES)]
        for code in vocabularies.countries
    }
    if include_regional:
        regional = vocabularies.regional_code
        names[regional] = [regional, *(vocabularies.country_name(regional, language) for language in LANGUAGES)]
    return names


def language_names() -> dict[str, list[str]]:
    """The site's languages by code and by name in each language ("español", "Spanish")."""
    languages = load_vocabularies().languages
    return {code: [code, *languages[code].labels.values()] for code in LANGUAGES}


# Which names each vocabulary message stands for (the `vocabulary` parameter of not_in_vocabulary).
def _vocabulary_names(vocabulary_message: str) -> dict[str, list[str]]:
    vocabularies = load_vocabularies()
    name = vocabulary_message.removeprefix("vocabulary_")
    if name == "kinds":
        return {"result": ["result"], "context": ["context"]}
    return term_names(getattr(vocabularies, name))


def with_suggestions(problems: list[Problem]) -> list[Problem]:
    """The same problems, with 'did you mean …?' where a vocabulary value or a country code was mistyped."""
    return [_suggested(problem) for problem in problems]


def _suggested(problem: Problem) -> Problem:
    value = problem.params.get("value")
    if not isinstance(value, str):
        return problem
    if problem.message == "not_in_vocabulary":
        names = _vocabulary_names(problem.params["vocabulary"][1])
    elif problem.message in ("country_not_covered", "bad_country_code"):
        names = country_names(include_regional=not problem.field.startswith("host_country"))
    else:
        return problem
    suggestion, _ = best(value, names)
    allowed = problem.params.get("allowed")
    if suggestion is None or suggestion == value or (allowed and suggestion not in allowed.split(", ")):
        return problem
    return dataclasses.replace(problem, message=f"{problem.message}_suggest",
                               params={**problem.params, "suggestion": suggestion})
