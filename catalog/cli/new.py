"""`catalog new`: start a practice record from a commented template, by questions or by flags.

Many of the officials who submit practices are not programmers. The file they get already
has the right folder, name and first line (so that editors complete and check the fields),
every field explained above it in Spanish and English, and empty values exactly where they
must write. Those empty values fail validation on purpose: `catalog validate` then lists
what is left to fill, in the same words as every other problem.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES, other_language
from catalog.core.vocabularies import Term, load_vocabularies
from catalog.records.record_yaml import SCHEMA_COMMENT, scalar
from catalog.records.schema import fields_by_path, load_schema
from catalog.records.suggest import best, country_names, language_names
from catalog.records.validate import validate_paths

MAX_SUGGESTED_ID = 60  # the schema allows 80; shorter ids make friendlier addresses
COMMENT_WIDTH = 100

# A problem found in an answer: a message id (data/messages*.yml) and its parameters.
Problem = tuple[str, dict]


class MissingAnswer(Exception):
    """A question had no answer (end of input): the value must come from a flag."""


# --- ids and answers ---------------------------------------------------------------------------


def suggest_id(title: str) -> str:
    """An id from a title: accents folded to ASCII, lower case, words joined by hyphens.

    "Atención en Darién" → "atencion-en-darien". Cut at a word boundary so that the id stays
    readable; empty when the title holds nothing usable (the contributor then types one).
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    suggestion = words[0][:MAX_SUGGESTED_ID] if words else ""
    for word in words[1:]:
        if len(suggestion) + 1 + len(word) > MAX_SUGGESTED_ID:
            break
        suggestion += "-" + word
    return suggestion if check_id(suggestion) is None else ""


def check_id(value: str) -> Problem | None:
    """The schema's own rule for ids (pattern and length), so that the two never disagree."""
    rule = load_schema()["properties"]["id"]
    if rule["minLength"] <= len(value) <= rule["maxLength"] and re.fullmatch(rule["pattern"], value):
        return None
    return "bad_id", {"value": value}


def check_country(value: str) -> Problem | None:
    vocabularies = load_vocabularies()
    allowed = (*vocabularies.countries, vocabularies.regional_code)
    if value in allowed:
        return None
    suggestion, _ = best(value, country_names())
    if suggestion:
        return "country_not_covered_suggest", {"value": value, "suggestion": suggestion}
    return "country_not_covered", {"value": value, "allowed": ", ".join(allowed)}


def check_language(value: str) -> Problem | None:
    if value in LANGUAGES:
        return None
    suggestion, _ = best(value, language_names())
    if suggestion:
        return "not_in_vocabulary_suggest", {"value": value, "vocabulary": ("msg", "vocabulary_languages"),
                                             "suggestion": suggestion, "allowed": ", ".join(LANGUAGES)}
    return "not_in_vocabulary", {"value": value, "vocabulary": ("msg", "vocabulary_languages"),
                                 "allowed": ", ".join(LANGUAGES)}


def country_answer(value: str) -> str:
    """A country as the official wrote it: a code in any case, or its name in Spanish or English
    without minding case or accents ("panama", "Panamá" → PAN); anything else stays as typed."""
    code, exact = best(_clean(value), country_names())
    return code if code and exact else _clean(value).upper()


def language_answer(value: str) -> str:
    """es or en, also from "español", "Spanish", "inglés"…; anything else stays as typed."""
    code, exact = best(_clean(value), language_names())
    return code if code and exact else _clean(value).lower()


def check_title(value: str) -> Problem | None:
    """The length limits of a title in the schema (short_text)."""
    rule = load_schema()["$defs"]["short_text"]["properties"]["es"]
    if len(value) < rule["minLength"]:
        return "too_short", {"limit": rule["minLength"]}
    if len(value) > rule["maxLength"]:
        return "too_long", {"length": len(value), "limit": rule["maxLength"]}
    return None


def _clean(value: str) -> str:
    """Answers are trimmed and put in NFC (the validator requires it; some keyboards type NFD)."""
    return unicodedata.normalize("NFC", value.strip())


def _ask(prompt: str, check: Callable[[str], Problem | None], language: str,
         clean: Callable[[str], str] = _clean, default: str = "") -> str:
    """Ask until the answer passes `check`; Enter takes the default; end of input raises. A near
    miss ("Hondura") is offered to confirm ("¿Quiso decir Honduras (HND)? [S/n]"), not to retype."""
    while True:
        answer = _input(prompt, clean) or default
        problem = check(answer)
        if problem is None:
            return answer
        suggestion = problem[1].get("suggestion") if problem[0].endswith("_suggest") else None
        if suggestion and check(suggestion) is None and _confirmed(_named(suggestion, language), language):
            return suggestion
        if not suggestion:
            print(message(problem[0], language, **problem[1]), file=sys.stderr)


def _input(prompt: str, clean: Callable[[str], str] = _clean) -> str:
    try:
        return clean(input(prompt))
    except EOFError:
        raise MissingAnswer from None


def _confirmed(name: str, language: str) -> bool:
    """Enter or yes (s, sí, y, yes) takes the suggestion; anything else asks the question again."""
    return _input(message("new_confirm", language, name=name)).casefold() in ("", "s", "si", "sí", "y", "yes")


def _named(code: str, language: str) -> str:
    """A country or language code as the official reads it: Honduras (HND), español (es)."""
    vocabularies = load_vocabularies()
    if code in LANGUAGES:
        return f"{vocabularies.languages[code].label(language)} ({code})"
    return f"{vocabularies.country_name(code, language)} ({code})"


# --- the template ------------------------------------------------------------------------------


def _comment(texts: dict[str, str], indent: str = "") -> list[str]:
    """Comment lines, Spanish then English, wrapped for a narrow editor window."""
    lines = []
    for language in LANGUAGES:
        if not texts.get(language):
            continue
        wrapped = textwrap.wrap(texts[language], COMMENT_WIDTH - len(indent) - 7) or [""]
        lines.append(f"{indent}# ({language}) {wrapped[0]}")
        lines.extend(f"{indent}#      {more}" for more in wrapped[1:])
    return lines


def _said(key: str, indent: str = "", **params: object) -> list[str]:
    """A message (data/messages_new.yml) as comment lines in both languages."""
    return _comment({language: message(key, language, **params) for language in LANGUAGES}, indent)


def _about(path: str, indent: str = "") -> list[str]:
    """The schema's description of a field, as comment lines in both languages."""
    return _comment(fields_by_path()[path].descriptions, indent)


def _choices(terms: dict[str, Term], indent: str = "") -> list[str]:
    """The ids a vocabulary allows, each with its Spanish and English label."""
    lines = _said("new_skeleton_choices", indent)
    return lines + [f"{indent}#   {term.id}: {term.label('es')} / {term.label('en')}" for term in terms.values()]


def _scalar(value: str) -> str:
    """An answer as one YAML value, written by the catalog's one writer (catalog.records.record_yaml)."""
    return scalar(value)


def skeleton(country: str, language: str, title: str, record_id: str, today: datetime.date,
             shown_path: str) -> str:
    """The text of a new record: given values filled, required values empty, optional ones commented."""
    lines = [
        SCHEMA_COMMENT,
        *_said("new_skeleton_intro"),
        *_said("new_skeleton_check", path=shown_path),
        "",
        *_about("id"), f"id: {record_id}", "",
        *_about("country"), f"country: {country}", "",
        *_about("original_language"), f"original_language: {language}", "",
        *_about("submitted"), f'submitted: "{today.isoformat()}"', "",
        *_text_block("title", language, title),
        *_text_block("summary", language),
        *_text_block("description", language, long=True),
        *_text_block("results_summary", language, optional=True, long=True),
        *_text_block("challenges", language, optional=True, long=True),
        *_entities(),
        *_period_status_results(language),
        *_themes_sources_contact(),
    ]
    return "\n".join(lines) + "\n"


def _text_block(name: str, language: str, value: str = "", optional: bool = False, long: bool = False) -> list[str]:
    """An es/en text: the original language to write, the translation left for later."""
    other = other_language(language)
    mark = "# " if optional else ""
    lines = _about(name)
    if long:
        lines += _said("new_skeleton_multiline", code=language)
    if optional:
        lines += _said("new_skeleton_optional")
    lines += [f"{mark}{name}:", f"{mark}  {language}:{' ' + _scalar(value) if value else ''}"]
    if not optional:
        lines += _said("new_skeleton_translation", "  ", other=("lang", other))
        lines.append(f"  # {other}:")
    return lines + [""]


def _entities() -> list[str]:
    return [
        *_about("lead_entity"),
        "lead_entity:",
        *_about("lead_entity.name", "  "),
        "  name:",
        *_said("new_skeleton_optional", "  "),
        *_about("lead_entity.acronym", "  "),
        "  # acronym:",
        "  # url:",
        "",
        *_about("partners"), *_said("new_skeleton_optional"),
        "# partners:", "#   - name:", "#     acronym:", "",
        *_about("locations"), *_said("new_skeleton_optional"),
        "# locations:", "#   - name:", "#     subdivision:", "#     coordinates: {lat: , lon: }", "",
    ]


def _period_status_results(language: str) -> list[str]:
    vocabularies = load_vocabularies()
    return [
        *_about("period"),
        "period:",
        "  start:",
        *_said("new_skeleton_optional", "  "),
        "  # end:",
        "",
        *_about("status"), *_choices(vocabularies.statuses),
        "status:",
        "",
        *_about("results"), *_said("new_skeleton_optional"), *_choices(vocabularies.units),
        *_said("new_skeleton_figures", counts=", ".join(term.id for term in vocabularies.units.values() if term.count)),
        "# results:", "#   - indicator:", f"#       {language}:", "#     unit:", "#     source: 1", "#     values:",
        "#       - year:", "#         value:", "",
    ]


def _themes_sources_contact() -> list[str]:
    vocabularies = load_vocabularies()
    return [
        *_about("commitments"), *_said("new_skeleton_optional"), *_choices(vocabularies.mechanisms),
        "# commitments:", "#   - mechanism:", "",
        *_about("themes"), *_choices(vocabularies.themes),
        "themes:",
        "  -",
        "",
        *_about("sources"),
        "sources:",
        *_about("sources[].title", "  "),
        "  - title:",
        *_about("sources[].url", "    "),
        "    url:",
        *_said("new_skeleton_optional", "    "),
        "    # publisher:",
        "    # date:",
        "",
        *_about("provenance"), *_choices(vocabularies.provenance),
        "provenance:",
        "  method:",
        *_said("new_skeleton_optional", "  "),
        "  # by:",
        "  # date:",
        "",
        *_about("contact"), *_said("new_skeleton_optional"),
        "# contact:", "#   name:", "#   email:",
    ]


# --- the command -------------------------------------------------------------------------------


def create(out_dir: Path, country: str, language: str, title: str, record_id: str,
           today: datetime.date | None = None) -> Path:
    """Write the new record; FileExistsError when that id is already used (never overwrite)."""
    existing = sorted(out_dir.glob(f"*/{record_id}.yml"))
    if existing:  # the same id in another country's folder would clash on the site
        raise FileExistsError(errno.EEXIST, "exists", str(existing[0]))
    path = out_dir / country.lower() / f"{record_id}.yml"
    text = skeleton(country, language, title, record_id, today or datetime.date.today(), path.as_posix())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fails rather than overwrite, even in a race
        handle.write(text)
    return path


def fields_to_fill(path: Path) -> list[str]:
    """What the contributor still has to write: the fields the validator rejects, top to bottom."""
    problems = sorted(validate_paths([path]).problems, key=lambda p: (p.line, p.column))
    return list(dict.fromkeys(problem.field for problem in problems))


def run(args: argparse.Namespace) -> int:
    language = args.lang

    def say(key: str, **params: object) -> str:
        return message(key, language, **params)

    given = {
        "country": country_answer(args.country or ""),
        "language": language_answer(args.language or ""),
        "title": _clean(args.title or ""),
        "id": (args.id or "").strip(),
    }
    checks = {"country": check_country, "language": check_language, "title": check_title, "id": check_id}
    for name, value in given.items():  # a wrong flag is refused before any question is asked
        problem = checks[name](value) if value else None
        if problem:
            print(say(problem[0], **problem[1]), file=sys.stderr)
            return 2
    interactive = not (given["country"] and given["language"] and given["title"])
    try:
        country = given["country"] or _ask(say("new_prompt_country"), check_country, language, clean=country_answer)
        original = given["language"] or _ask(say("new_prompt_language"), check_language, language,
                                             clean=language_answer)
        title = given["title"] or _ask(say("new_prompt_title"), check_title, language)
        suggestion = suggest_id(title)
        record_id = given["id"]
        if not record_id and (interactive or not suggestion):
            prompt = say("new_prompt_id", suggestion=suggestion) if suggestion else say("new_prompt_id_none")
            record_id = _ask(prompt, check_id, language, default=suggestion)
        record_id = record_id or suggestion
    except MissingAnswer:
        print(say("new_no_answer"), file=sys.stderr)
        return 2
    try:
        path = create(Path(args.out_dir), country, original, title, record_id)
    except FileExistsError as error:
        print(say("new_exists", path=Path(error.filename).as_posix()), file=sys.stderr)
        return 1
    print(say("new_created", path=path.as_posix()))
    print(say("new_fill_next", fields=", ".join(fields_to_fill(path)), path=path.as_posix()))
    return 0
