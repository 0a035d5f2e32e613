"""The issue form for proposing a practice, and `catalog from-issue`, which turns an issue into a record.

Officials who do not use Git propose a practice through a GitHub issue form; when a maintainer
labels the issue `accepted`, a workflow runs `catalog from-issue` and opens a pull request.

One definition (FIELDS, with labels in messages.yml and options from the vocabularies) serves
both sides: `python -m catalog.cli.issue_form` writes .github/ISSUE_TEMPLATE/practice.yml from it,
and the parser finds the sections of an issue body by the very same labels.

The issue body is untrusted text typed by anyone. It is only ever read as data: sections are
split on known headings, values become strings, numbers or lists in a dict, PyYAML's safe
dumper writes them (no tags, no code), and the validator decides. Nothing here runs a shell.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.cli.issue_comment import Places, comment
from catalog.cli.new import check_id, suggest_id
from catalog.core.i18n import message
from catalog.core.languages import DEFAULT_LANGUAGE, LANGUAGES
from catalog.core.vocabularies import load_vocabularies
from catalog.records.figures import written_problem
from catalog.records.problems import Problem, format_problem
from catalog.records.record_yaml import dump, record_text
from catalog.records.validate import validate_paths

MAX_BODY_BYTES = 64 * 1024  # GitHub caps issue bodies at 65,536 characters; a record is far smaller
NO_RESPONSE = "_No response_"  # what GitHub writes for a field left empty
FALLBACK_ID = "practice-from-issue"  # when the title gives no usable id (then it is invalid anyway)
TEMPLATE_PATH = Path(".github/ISSUE_TEMPLATE/practice.yml")

_OPTION_CODE = re.compile(r"\(([^()\s]+)\)\s*$")  # "Panamá / Panama (PAN)" → PAN
_CHECKED = re.compile(r"^\s*[-*]\s+\[[xX]\]\s+(.*)$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")  # ASCII: \d would take ٣ and ３
_YEAR = re.compile(r"^[0-9]{4}$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # https:, javascript:, data:…


@dataclass(frozen=True)
class FormField:
    """One question of the form. Its label and help text are messages form_<id> and form_<id>_help."""

    id: str
    kind: str  # input, textarea, dropdown or checkboxes (GitHub's element types)
    required: bool = False

    def label(self) -> str:
        return _both(f"form_{self.id}", " / ")

    def help(self) -> str:
        extra = _HELP_PARAMETERS.get(self.id, lambda language: {})
        texts = [message(f"form_{self.id}_help", language, **extra(language)) for language in LANGUAGES]
        return "\n\n".join(texts)


# Help texts that list a vocabulary get it from the vocabulary, in the language of the text.
_HELP_PARAMETERS = {
    "results": lambda language: {
        "units": ", ".join(term.label(language) for term in load_vocabularies().units.values())
    },
}


FIELDS = (
    FormField("country", "dropdown", required=True),
    FormField("original_language", "dropdown", required=True),
    FormField("title", "input", required=True),
    FormField("summary", "textarea", required=True),
    FormField("description", "textarea", required=True),
    FormField("lead_entity", "input", required=True),
    FormField("lead_acronym", "input"),
    FormField("partners", "textarea"),
    FormField("locations", "textarea"),
    FormField("start", "input", required=True),
    FormField("end", "input"),
    FormField("status", "dropdown", required=True),
    FormField("results", "textarea"),
    FormField("themes", "checkboxes"),
    FormField("sources", "textarea", required=True),
    FormField("provenance", "dropdown", required=True),
    FormField("provenance_by", "input"),
    FormField("contact_name", "input"),
    FormField("contact_email", "input"),
)


class FormError(Exception):
    """An issue body that cannot be read as the form at all (too large, a section twice)."""

    def __init__(self, message_id: str, **params: Any):
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


def _both(key: str, separator: str) -> str:
    spanish, english = (message(key, language) for language in LANGUAGES)
    return spanish if spanish == english else f"{spanish}{separator}{english}"


def _option(spanish: str, english: str, code: str) -> str:
    return f"{spanish} ({code})" if spanish == english else f"{spanish} / {english} ({code})"


def options(field_id: str) -> list[str]:
    """The choices of a dropdown or checkbox list, each ending in the id the record stores."""
    v = load_vocabularies()
    if field_id == "country":
        by_name = sorted(v.countries, key=lambda code: v.country_name(code, "es"))
        codes = [*by_name, v.regional_code]
        return [_option(v.country_name(code, "es"), v.country_name(code, "en"), code) for code in codes]
    terms = {"original_language": {code: v.languages[code] for code in LANGUAGES},
             "status": v.statuses, "themes": v.themes, "provenance": v.provenance}[field_id]
    return [_option(term.label("es"), term.label("en"), term.id) for term in terms.values()]


# --- the form template -------------------------------------------------------------------------


def form_template() -> str:
    """The GitHub issue form, as the YAML text of .github/ISSUE_TEMPLATE/practice.yml."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": _both("form_intro", "\n\n")}}]
    for field in FIELDS:
        attributes: dict[str, Any] = {"label": field.label(), "description": field.help()}
        if field.kind == "dropdown":
            attributes["options"] = options(field.id)
        elif field.kind == "checkboxes":
            attributes["options"] = [{"label": label} for label in options(field.id)]
        element: dict[str, Any] = {"type": field.kind, "id": field.id, "attributes": attributes}
        if field.required:
            element["validations"] = {"required": True}
        body.append(element)
    form = {
        "name": _both("form_name", " / "),
        "description": _both("form_purpose", " / "),
        "title": _both("form_issue_title", " / ") + ": ",
        "labels": ["practice-proposal"],
        "body": body,
    }
    header = ("# Generated by `python -m catalog.cli.issue_form` from catalog/cli/issue_form.py, messages.yml and\n"
              "# the vocabularies: change those and regenerate; tests/unit/test_issue_form.py checks this file.\n")
    return header + dump(form)


# --- reading an issue body ---------------------------------------------------------------------


def read_body(raw: bytes) -> str:
    """The body as text: size-checked, any bytes accepted (undecodable ones become U+FFFD)."""
    if len(raw) > MAX_BODY_BYTES:
        raise FormError("file_too_large", size=len(raw), limit=MAX_BODY_BYTES)
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return strip_comments(text)


_COMMENT = re.compile(r"<!--(?:>|->|.*?-->)", re.DOTALL)  # <!--> and <!---> are whole comments too


def strip_comments(body: str) -> str:
    """The body as GitHub shows it: HTML comments are invisible on the issue page, so nothing in
    them may reach the record (a hidden e-mail address, a hidden figure). A comment left open
    hides everything after it."""
    body = _COMMENT.sub("", body)
    opened = body.find("<!--")
    return body if opened < 0 else body[:opened]


def sections(body: str) -> dict[str, str]:
    """The answers of the form, by field id. Empty answers are left out.

    A section starts at a line "### <label>" whose label is one of the form's; any other
    heading is part of the answer it stands in. A known label twice means someone typed a
    heading into an answer to move text into another field: refused rather than guessed.
    """
    by_label = {field.label(): field.id for field in FIELDS}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.split("\n"):
        field_id = by_label.get(line[4:].strip()) if line.startswith("### ") else None
        if field_id is not None:
            if field_id in found:
                raise FormError("issue_duplicate_section", label=line[4:].strip())
            current = found[field_id] = []
        elif current is not None:
            current.append(line)
    answers = {}
    for field_id, lines in found.items():
        value = unicodedata.normalize("NFC", "\n".join(line.rstrip() for line in lines).strip("\n").strip())
        if value and value != NO_RESPONSE:
            answers[field_id] = value
    return answers


def _line(text: str) -> str:
    """A one-line value: line breaks typed into it (to fake another YAML field) become spaces."""
    return re.sub(r"[ \t\n]+", " ", text).strip()


def _lines(text: str | None) -> list[str]:
    return [line for _, line in _numbered(text)]


def _numbered(text: str | None) -> list[tuple[int, str]]:
    """The non-empty lines of an answer, each with its line number in the answer as the proposer sees it."""
    return [(number, line.strip()) for number, line in enumerate((text or "").split("\n"), 1) if line.strip()]


def _code(text: str) -> str:
    """The id at the end of a chosen option; what was typed, when it is not an option."""
    match = _OPTION_CODE.search(text)
    return match.group(1) if match else _line(text)


def _date(text: str) -> str | int:
    text = _line(text)
    return int(text) if _YEAR.match(text) else text


def _number(text: str) -> str | int | float:
    """A figure as a number when it is one; otherwise the text, for the validator to reject."""
    text = text.strip()
    if not _NUMBER.match(text) or written_problem(text, count=False):  # 3.540: never guessed, the validator says why
        return text
    return float(text) if "." in text else int(text)


def _unit(text: str) -> str:
    """A unit id, also when the label was typed ("solicitudes", "applications")."""
    wanted = text.strip().casefold()
    for term in load_vocabularies().units.values():
        if wanted in (term.id, *(label.casefold() for label in term.labels.values())):
            return term.id
    return text.strip()


def _results(text: str | None, language: str, places: Places) -> list[dict[str, Any]]:
    """Lines "indicator | unit | year | value | source"; lines of the same indicator and unit are merged.
    The source is a number in the form's list of sources (1 = the first): the entry takes its first
    line's, and a figure whose line names another keeps its own. A line without one leaves the entry
    without a source, so that the validator names that line. `places` gets the answer's line of each
    result, of its source and of each of its figures."""
    results: dict[tuple[str, str], dict[str, Any]] = {}
    lines_of: dict[tuple[str, str], list[tuple[int, str | None]]] = {}  # each figure's line and source as written
    for number, line in _numbered(text):
        parts = [part.strip() for part in line.rsplit("|", 4)]
        if len(parts) not in (4, 5):  # not the expected shape: kept whole so the validator names the result
            places.setdefault(f"results[{len(results)}]", ("results", number))
            results[(line, "")] = {"indicator": {language: line}}
            continue
        indicator, unit, year, value = parts[:4]
        key = (indicator, _unit(unit))
        places.setdefault(f"results[{list(results).index(key) if key in results else len(results)}]", ("results", number))
        entry = results.setdefault(key, {"indicator": {language: indicator}, "unit": _unit(unit), "values": []})
        places[f"results[{list(results).index(key)}].values[{len(entry['values'])}]"] = ("results", number)
        entry["values"].append({"year": _number(year), "value": _number(value)})
        lines_of.setdefault(key, []).append((number, parts[4] if len(parts) == 5 and parts[4] else None))
    for index, (key, entry) in enumerate(results.items()):
        _figure_sources(entry, lines_of.get(key, []), f"results[{index}]", places)
    return list(results.values())


def _figure_sources(entry: dict[str, Any], lines: list[tuple[int, str | None]], name: str, places: Places) -> None:
    """The sources of one result's figures, as the record says them: the entry's source, and a figure's own
    where its line names another. A figure's line with none leaves the entry without one (reported there)."""
    if not lines:
        return
    missing = [number for number, written in lines if written is None]
    places[f"{name}.source"] = ("results", missing[0] if missing else lines[0][0])
    if not missing:
        entry["source"] = _number(lines[0][1] or "")
        entry["values"] = entry.pop("values")  # the source before the figures, as the records have it
    for position, (number, written) in enumerate(lines):
        if written is not None and _number(written) != entry.get("source"):
            entry["values"][position]["source"] = _number(written)
            places[f"{name}.values[{position}].source"] = ("results", number)


def _source(line: str) -> dict[str, Any]:
    """A line "title | publisher | date | url"; the date and the address are recognized by their form."""
    parts = [part.strip() for part in line.split("|") if part.strip()]
    url = parts.pop() if len(parts) > 1 and _HAS_SCHEME.match(parts[-1]) else ""
    date = parts.pop() if len(parts) > 1 and _DATE.match(parts[-1]) else ""
    source: dict[str, Any] = {"title": parts[0] if parts else ""}
    if len(parts) > 1:
        source["publisher"] = " | ".join(parts[1:])
    if date:
        source["date"] = _date(date)
    if url:
        source["url"] = url
    return source


def _acronym(text: str) -> str | dict[str, str]:
    """"ONPAR" (the same in both languages) or "ACNUR | UNHCR" (Spanish | English)."""
    parts = [_line(part) for part in text.split("|")]
    return dict(zip(LANGUAGES, parts, strict=True)) if len(parts) == len(LANGUAGES) else _line(text)


def _named(line: str, language: str | None, second: str) -> dict[str, Any]:
    """A line "name | extra": a partner (extra = acronym, or "ACNUR | UNHCR") or a place (extra = subdivision)."""
    name, _, extra = (part.strip() for part in line.partition("|"))
    item: dict[str, Any] = {"name": {language: name} if language else name}
    if extra:
        item[second] = _acronym(extra) if second == "acronym" else extra
    return item


_COORDINATES = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,;]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


def place_from_line(line: str) -> dict[str, Any]:
    """A line "name | subdivision | latitude, longitude"; the subdivision and the point are optional,
    the point is recognized by its digits. A point that is not two numbers stays text, for the
    validator to refuse with its line."""
    parts = [part.strip() for part in line.split("|")]
    place: dict[str, Any] = {"name": parts[0]}
    for part in filter(None, parts[1:]):
        if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", part) or not re.search(r"\d", part):  # any digit, even ٢
            place["subdivision"] = part
        elif match := _COORDINATES.match(part):
            place["coordinates"] = {"lat": float(match.group(1)), "lon": float(match.group(2))}
        else:
            place["coordinates"] = part
    return place


def _provenance(answers: dict[str, str], today: datetime.date) -> dict[str, Any]:
    """How the proposal came to be; a submitted or reviewed one is dated the day it is turned into a record."""
    provenance: dict[str, Any] = {"method": _code(answers["provenance"])}
    if answers.get("provenance_by"):
        provenance["by"] = _line(answers["provenance_by"])
    if provenance["method"] != "compiled":
        provenance["date"] = today.isoformat()
    return provenance


def build_record(answers: dict[str, str], today: datetime.date, record_id: str | None = None,
                 places: Places | None = None) -> dict[str, Any]:
    """The record the answers describe, in the schema's order. Nothing is checked here: the validator does.
    `places`, when given, gets where each list item came from: its question and its line in the answer."""
    places = {} if places is None else places
    for field_id in ("partners", "locations", "sources"):
        for index, (number, _) in enumerate(_numbered(answers.get(field_id))):
            places[f"{field_id}[{index}]"] = (field_id, number)
    get = answers.get
    original = _code(get("original_language", ""))
    language = original if original in LANGUAGES else DEFAULT_LANGUAGE
    title = _line(get("title", ""))
    record: dict[str, Any] = {"id": record_id or suggest_id(title) or FALLBACK_ID}
    if get("country"):
        record["country"] = _code(get("country"))
    if original:
        record["original_language"] = original
    record["submitted"] = today.isoformat()
    if title:
        record["title"] = {language: title}
    for key in ("summary", "description"):
        if get(key):
            record[key] = {language: get(key)}
    if get("lead_entity") or get("lead_acronym"):
        lead: dict[str, Any] = {"name": {language: _line(get("lead_entity"))}} if get("lead_entity") else {}
        if get("lead_acronym"):
            lead["acronym"] = _acronym(get("lead_acronym"))
        record["lead_entity"] = lead
    if get("partners"):
        record["partners"] = [_named(line, language, "acronym") for line in _lines(get("partners"))]
    if get("locations"):
        record["locations"] = [place_from_line(line) for line in _lines(get("locations"))]
    if get("start") or get("end"):
        record["period"] = {key: _date(get(key)) for key in ("start", "end") if get(key)}
    if get("status"):
        record["status"] = _code(get("status"))
    if get("results"):
        record["results"] = _results(get("results"), language, places)
    themes = [_code(match.group(1)) for line in _lines(get("themes")) if (match := _CHECKED.match(line))]
    if themes:
        record["themes"] = themes
    if get("sources"):
        record["sources"] = [_source(line) for line in _lines(get("sources"))]
    if get("provenance"):
        record["provenance"] = _provenance(answers, today)
    if get("contact_name") or get("contact_email"):
        contact = {"name": _line(get("contact_name", ""))} if get("contact_name") else {}
        if get("contact_email"):
            contact["email"] = _line(get("contact_email"))
        record["contact"] = contact
    return record


# --- the command -------------------------------------------------------------------------------


def from_issue(raw: bytes, out_dir: Path, today: datetime.date | None = None,
               record_id: str | None = None, places: Places | None = None) -> tuple[Path | None, list[Problem]]:
    """Write the record of an issue body if it is valid: (its path, []) or (None, the validator's problems).

    The file is written where it belongs and validated there, so that the validator checks its
    folder and name too; an invalid file is removed again, with any folder made for it. `places`
    gets where the record's list items came from in the issue (see question_of).
    """
    record = build_record(sections(read_body(raw)), today or datetime.date.today(), record_id, places)
    record_id = record["id"]
    if check_id(record_id):  # --id comes from a person too: it must never reach outside out_dir
        raise FormError("bad_id", value=record_id)
    existing = sorted(out_dir.glob(f"*/{record_id}.yml"))
    if existing:
        raise FormError("new_exists", path=existing[0].as_posix())
    country = record.get("country")
    # Only a well-formed code names a folder; anything else is invalid anyway and stays inside out_dir.
    well_formed = isinstance(country, str) and re.fullmatch("[A-Z]{3}", country)
    folder = out_dir / (country.lower() if well_formed else "unknown")
    made_folder = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yml"
    with path.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
        handle.write(record_text(record))
    report = None
    try:
        report = validate_paths([path], today)
    finally:  # an invalid record, or a validator crash, leaves nothing behind
        if report is None or not report.ok:
            path.unlink()
            if made_folder:
                folder.rmdir()
    return (path, []) if report.ok else (None, report.problems)


def run(args: argparse.Namespace) -> int:
    """Turn the issue into a record; with --check, only say whether it can be one (nothing is kept);
    with --comment-file, also write the issue's comment (catalog.cli.issue_comment) to that file."""
    language = args.lang
    summary_language = DEFAULT_LANGUAGE if language == "both" else language
    places: Places = {}
    try:
        raw = Path(args.body_file).read_bytes()
        path, problems = from_issue(raw, Path(args.out_dir), record_id=args.id, places=places)
    except FormError as error:
        unreadable = Problem(args.body_file, 1, 1, "(file)", error.message_id, error.params)
        _write_comment(args.comment_file, [], places, unreadable)
        print(format_problem(unreadable, language), file=sys.stderr)
        return 1
    _write_comment(args.comment_file, problems, places)
    if path is None:
        for lang in LANGUAGES if language == "both" else (language,):
            print(message("issue_invalid", lang), file=sys.stderr)
        for problem in problems:
            print(format_problem(problem, language), file=sys.stderr)
        return 1
    if args.check:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
        return 0
    print(message("new_created", summary_language, path=path.as_posix()))
    return 0


def _write_comment(target: str | None, problems: list[Problem], places: Places, error: Problem | None = None) -> None:
    if target:
        Path(target).write_text(comment(problems, places, error), encoding="utf-8")


if __name__ == "__main__":
    sys.stdout.write(form_template())
