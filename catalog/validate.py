"""Validation of practice records: the JSON Schema first, then the rules a schema cannot say.

Every problem in every file is collected (nothing stops at the first error) and carries the
line and column of the offending key or value, so that a contributor can fix them all at once.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from catalog.languages import LANGUAGES
from catalog.loader import Document, LoadError, load_document
from catalog.problems import FieldPath, Problem, field_name
from catalog.schema import schema_validator
from catalog.vocabularies import Vocabularies, alpha2, load_vocabularies

EARLIEST_YEAR = 1990

# Invisible characters that can reorder or hide text (Trojan Source) or smuggle content.
_CONTROL_CHARACTERS = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f"
    "\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\ufff9-\ufffb]"
)
# Anything a browser or Markdown could take for a tag, comment, doctype or processing instruction,
# and character references (&lt; &#60;), which templates' striptags would turn back into tags.
_HTML = re.compile(r"<\s*[A-Za-z!?/]|<\s*$|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]{1,31});", re.MULTILINE | re.IGNORECASE)
# Inline link targets, and reference definitions also where they stand inside a block quote or a
# list item ("> [x]: …", "- [x]: …", or indented under a nested item).
_MARKDOWN_LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]*)|^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE
)
# Schemes a browser would follow even outside Markdown link syntax (autolinks, pasted URLs).
_AUTOLINK_OR_BARE_SCHEME = re.compile(
    r"((?:java|vb)\s*script\s*:[^\s)]*|\bdata:\s*\w+/[^\s)]*|\b(?:http|ftp|file)://[^\s)]*)", re.IGNORECASE
)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SAFE_LINK = re.compile(r"^(https://|mailto:)", re.IGNORECASE)


@dataclass
class Report:
    """The outcome of validating a set of files."""

    problems: list[Problem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # the files that are valid
    pending: list[Problem] = field(default_factory=list)  # missing translations: reported, not errors
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def record_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their .yml files (recursively, sorted); report paths that are not records."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yml") if p.is_file()))
        elif path.is_file() and path.suffix == ".yml":
            files.append(path)
        else:
            reason = "no_such_path" if not path.exists() else "not_a_record"
            problems.append(Problem(str(path), 0, 0, "(file)", reason))
    # A file named twice (itself and its folder) is checked once, else it "duplicates" its own id.
    unique = {file.resolve(): file for file in reversed(files)}
    return list(reversed(unique.values())), problems


def validate_paths(paths: Iterable[Path], today: datetime.date | None = None) -> Report:
    """Validate every record under the given files or folders, each file on its own and all together."""
    today = today or datetime.date.today()
    files, path_problems = record_files(paths)
    report = Report(problems=path_problems, files_checked=len(files))
    seen_ids: dict[str, str] = {}
    for path in files:
        shown = display(path)
        try:
            document = load_document(path, shown)
        except LoadError as error:
            report.problems.extend(error.problems)
            continue
        except OSError as error:
            report.problems.append(Problem(shown, 0, 0, "(file)", "yaml_syntax", {"detail": error.strerror}))
            continue
        checker = _RecordChecker(document, shown, load_vocabularies(), today)
        problems = checker.run()
        record_id = document.data.get("id")
        if isinstance(record_id, str):
            if record_id in seen_ids:
                problems.append(checker.problem(("id",), "duplicate_id", value=record_id, other=seen_ids[record_id]))
            else:
                seen_ids[record_id] = shown
        report.problems.extend(problems)
        if not problems:
            report.documents.append(document)
            report.pending.extend(checker.pending)
    return report


def display(path: Path) -> str:
    """The path as a contributor sees it: relative to the current folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _RecordChecker:
    """All checks of one loaded record."""

    def __init__(self, document: Document, shown: str, vocabularies: Vocabularies, today: datetime.date):
        self.document = document
        self.shown = shown
        self.vocabularies = vocabularies
        self.today = today
        self.data = document.data
        self.problems: list[Problem] = []
        self.pending: list[Problem] = []

    def problem(self, where: FieldPath, message: str, prefer_key: bool = False, **params: Any) -> Problem:
        line, column = self.document.position(where, prefer_key)
        return Problem(self.shown, line, column, field_name(where), message, params)

    def add(self, where: FieldPath, message: str, prefer_key: bool = False, **params: Any) -> None:
        self.problems.append(self.problem(where, message, prefer_key, **params))

    def run(self) -> list[Problem]:
        self.problems.extend(self.document.problems)
        self.check_schema()
        shapes_valid = not self.problems
        self.check_text(self.data, ())
        rules = (self.check_identity, self.check_vocabularies, self.check_dates,
                 self.check_results, self.check_translations, self.check_sources)
        for rule in rules:
            if shapes_valid:
                rule()
                continue
            # The schema already reported a wrong shape; run each rule anyway so that every
            # problem shows at once, and skip only the rule that trips over the wrong shape.
            try:
                rule()
            except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                pass
        # The same problem can be found twice (e.g. by the schema and a rule), each time with its
        # parameters worded a little differently (a hint, a shortened link): report it once, as
        # first found. Different problems differ in place, field or message.
        unique: dict[tuple[int, int, str, str], Problem] = {}
        for problem in self.problems:
            unique.setdefault((problem.line, problem.column, problem.field, problem.message), problem)
        return sorted(unique.values(), key=lambda p: (p.line, p.column, p.field, p.message))

    # --- the schema --------------------------------------------------------------------------

    def check_schema(self) -> None:
        for error in schema_validator().iter_errors(self.data):
            self._explain(error)

    def _explain(self, error: jsonschema.ValidationError) -> None:
        """Turn a jsonschema error into plain words, at the line of the field it is about."""
        where = tuple(error.absolute_path)
        keyword = error.validator
        instance = error.instance
        if keyword in ("oneOf", "anyOf"):
            # Report the branch that matches what was written (text vs. es/en block).
            wanted = 1 if isinstance(instance, dict) else 0
            branch = [e for e in error.context or [] if e.schema_path and e.schema_path[0] == wanted]
            if isinstance(instance, (str, dict)) and branch:
                for sub_error in branch:
                    self._explain(sub_error)
            else:
                self._wrong_type(where, "type_localized")
        elif keyword == "required":
            for name in error.validator_value:
                if name not in instance:
                    # Reported on the missing field's own path, at its parent's line.
                    self.add(where + (name,), "required", prefer_key=True, name=field_name(where + (name,)))
        elif keyword in ("additionalProperties", "unevaluatedProperties"):
            allowed = error.schema.get("properties", {})
            for name in instance:
                if name not in allowed:
                    self.add(where + (name,), "unknown_field", prefer_key=True, name=name)
        elif keyword == "type":
            expected = error.validator_value
            self._wrong_type(where, _type_hint(expected, error.schema))
        elif keyword == "minProperties":
            self._wrong_type(where, "type_localized")
        elif keyword == "minLength":
            self.add(where, "too_short", limit=error.validator_value)
        elif keyword == "maxLength":
            self.add(where, "too_long", length=len(instance), limit=error.validator_value)
        elif keyword == "minItems":
            self.add(where, "too_few", limit=error.validator_value)
        elif keyword == "maxItems":
            self.add(where, "too_many", limit=error.validator_value)
        elif keyword == "uniqueItems":
            self.add(where, "repeated_item")
        elif keyword == "minimum":
            self.add(where, "negative")
        elif keyword == "enum" and where in self.document.retyped_text:
            self._wrong_type(where, "type_string")  # e.g. `original_language: no` read as false
        elif keyword == "enum":
            vocabulary = "vocabulary_kinds" if where and where[-1] == "kind" else "vocabulary_languages"
            self.add(where, "not_in_vocabulary", value=instance, vocabulary=("msg", vocabulary),
                     allowed=", ".join(map(str, error.validator_value)))
        elif keyword == "pattern":
            self._bad_pattern(where, instance)
        else:  # a keyword added to the schema later: still report it, in jsonschema's words
            self.add(where, "yaml_syntax", detail=error.message)

    def _wrong_type(self, where: FieldPath, expected_hint: str) -> None:
        value = _get(self.data, where)
        raw = self.document.retyped_text.get(where)
        if value is None:
            self.add(where, "empty")
        elif raw is not None and expected_hint in ("type_string", "type_localized"):
            self.add(where, "retyped", raw=raw, kind=("msg", _kind(value)))
        else:
            self.add(where, "wrong_type", expected=("msg", expected_hint))

    def _bad_pattern(self, where: FieldPath, value: str) -> None:
        name = where[-1] if where else ""
        if name == "id":
            self.add(where, "bad_id", value=value)
        elif name in ("country", "host_country"):
            self.add(where, "bad_country_code", value=value)
        elif name == "url" or (len(where) >= 2 and where[-2] == "url"):
            self.add(where, "not_https", value=value)
        elif name in ("submitted", "updated"):
            self.add(where, "bad_pattern", value=value, hint=("msg", "hint_day"))
        else:
            hint = {"subdivision": "hint_subdivision", "acronym": "hint_acronym", "email": "hint_email"}.get(
                str(name), "hint_date"
            )
            self.add(where, "bad_pattern", value=value, hint=("msg", hint))

    # --- rules the schema cannot say -----------------------------------------------------------

    def check_text(self, value: Any, where: FieldPath) -> None:
        """Every string anywhere: no control characters, NFC, no raw HTML, only safe link schemes."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_text(item, where + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_text(item, where + (index,))
        elif isinstance(value, str):
            if value and not value.strip():  # only spaces: as good as missing ("" is the schema's)
                self.add(where, "empty")
            match = _CONTROL_CHARACTERS.search(value)
            if match:
                self.add_in_text(where, value, match.start(), "control_character", code=f"U+{ord(match.group()):04X}")
            if not unicodedata.is_normalized("NFC", value):  # placed on the first letter NFC would change
                offset = next((i for i in range(len(value)) if not unicodedata.is_normalized("NFC", value[i:i + 2])), 0)
                self.add_in_text(where, value, offset, "not_nfc")
            match = _HTML.search(value)
            if match:
                self.add_in_text(where, value, match.start(), "raw_html",
                                 value=value[match.start(): match.start() + 20].strip())
            if "![" in value:
                self.add_in_text(where, value, value.index("!["), "markdown_image")
            for target in _link_targets(value):
                if not _SAFE_LINK.match(target):
                    self.add_in_text(where, value, value.find(target), "not_https", value=target[:60])

    def add_in_text(self, where: FieldPath, text: str, offset: int, message: str, **params: Any) -> None:
        """A problem inside a (possibly multi-line) text, placed on the line where it stands."""
        around = text[max(offset, 0):].split("\n", 1)[0]
        line, column = self.document.locate(where, around)
        self.problems.append(Problem(self.shown, line, column, field_name(where), message, params))

    def check_identity(self) -> None:
        record_id, country = self.data["id"], self.data["country"]
        expected_id = self.document.path.stem
        if record_id != expected_id:
            self.add(("id",), "id_not_file_name", value=record_id, expected=expected_id)
        vocabularies = self.vocabularies
        known = (*vocabularies.countries, vocabularies.regional_code)
        for key in ("country", "host_country"):
            code = self.data.get(key)
            allowed = known if key == "country" else vocabularies.countries
            # A code of the wrong form was already reported by the schema.
            if isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code) and code not in allowed:
                self.add((key,), "country_not_covered", value=code, allowed=", ".join(allowed))
        if "host_country" in self.data and country != vocabularies.regional_code:
            self.add(("host_country",), "host_country_only_regional", prefer_key=True)
        folder = self.document.path.parent.name
        if country in known and folder != country.lower():
            self.add(("country",), "wrong_folder", value=country, expected=country.lower())
        for index, location in enumerate(self.data.get("locations", [])):
            code = location.get("subdivision")
            if code and country in vocabularies.countries and not code.startswith(alpha2(country) + "-"):
                self.add(("locations", index, "subdivision"), "subdivision_other_country",
                         value=code, country=country, prefix=alpha2(country))

    def check_vocabularies(self) -> None:
        v = self.vocabularies
        self._in((("status",), self.data["status"]), v.statuses, "statuses")
        themes = self.data["themes"]
        for index, theme in enumerate(themes if isinstance(themes, list) else ()):  # not its letters one by one
            self._in((("themes", index), theme), v.themes, "themes")
        for index, item in enumerate(self.data.get("commitments", [])):
            mechanism_ok = self._in((("commitments", index, "mechanism"), item["mechanism"]), v.mechanisms, "mechanisms")
            commitment = item.get("commitment")
            if commitment is None:
                continue
            where = ("commitments", index, "commitment")
            if self._in((where, commitment), v.commitments, "commitments") and mechanism_ok:
                expected = v.commitments[commitment].mechanism
                if expected != item["mechanism"]:
                    self.add(("commitments", index, "mechanism"), "commitment_mechanism_mismatch",
                             commitment=commitment, expected=expected, value=item["mechanism"])
        for index, indicator in enumerate(self.data.get("results", [])):
            self._in((("results", index, "unit"), indicator["unit"]), v.units, "units")
            for value_index, value in enumerate(indicator["values"]):
                if "qualifier" in value:
                    where = ("results", index, "values", value_index, "qualifier")
                    self._in((where, value["qualifier"]), v.qualifiers, "qualifiers")
        for index, source in enumerate(self.data["sources"]):
            if "language" in source:
                self._in((("sources", index, "language"), source["language"]), v.languages, "languages")

    def _in(self, where_value: tuple[FieldPath, str], terms: dict, vocabulary: str) -> bool:
        where, value = where_value
        if value in terms:
            return True
        if not isinstance(value, str):  # already reported as the wrong type
            return False
        self.add(where, "not_in_vocabulary", value=value, vocabulary=("msg", f"vocabulary_{vocabulary}"),
                 allowed=", ".join(terms))
        return False

    def check_dates(self) -> None:
        high = self.today.year + 1
        period = self.data["period"]
        parsed: dict[str, tuple[datetime.date, datetime.date] | None] = {}
        for key in ("start", "end"):
            if key in period:
                parsed[key] = self._date_range(("period", key), period[key], EARLIEST_YEAR, high)
        start, end = parsed.get("start"), parsed.get("end")
        if start and end and end[1] < start[0]:
            self.add(("period", "end"), "end_before_start", start=period["start"], end=period["end"])
        status = self.data["status"]
        if status == "completed" and "end" not in period:
            self.add(("status",), "completed_needs_end")
        if status == "ongoing" and "end" in period:
            self.add(("period", "end"), "ongoing_has_end")
        for key in ("submitted", "updated"):
            if key in self.data:
                bounds = self._date_range((key,), self.data[key], EARLIEST_YEAR, high)
                if bounds and bounds[0] > self.today:
                    self.add((key,), "future_date", value=self.data[key])
        if "updated" in self.data and str(self.data["updated"]) < str(self.data["submitted"]):
            self.add(("updated",), "updated_before_submitted", value=self.data["updated"],
                     submitted=self.data["submitted"])
        for index, source in enumerate(self.data["sources"]):
            if "date" in source:
                bounds = self._date_range(("sources", index, "date"), source["date"], 1900, high)
                if bounds and bounds[0] > self.today:
                    self.add(("sources", index, "date"), "future_date", value=source["date"])

    def _date_range(self, where: FieldPath, value: str | int, low: int, high: int) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day a partial date (2021, 2021-03, 2021-03-15) can mean."""
        if isinstance(value, bool) or not isinstance(value, (str, int)):  # empty or of a wrong type: the schema said so
            return None
        match = _PARTIAL_DATE.match(str(value))
        if not match:
            self.add(where, "bad_pattern", value=value, hint=("msg", "hint_date"))
            return None
        year, month, day = match.groups()
        if not low <= int(year) <= high:
            self.add(where, "implausible_year", year=year, low=low, high=high)
            return None
        try:
            if day:
                first = last = datetime.date(int(year), int(month), int(day))
            elif month:
                first = datetime.date(int(year), int(month), 1)
                next_month = datetime.date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
                last = next_month - datetime.timedelta(days=1)
            else:
                first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        except ValueError:
            self.add(where, "invalid_date", value=value)
            return None
        return first, last

    def check_results(self) -> None:
        high = self.today.year + 1
        period = self.data["period"]
        start_year = int(str(period["start"])[:4])
        end_year = int(str(period["end"])[:4]) if "end" in period else self.today.year
        for index, indicator in enumerate(self.data.get("results", [])):
            years_seen: set[int] = set()
            for value_index, value in enumerate(indicator["values"]):
                where = ("results", index, "values", value_index, "year")
                amount = value.get("value")
                if isinstance(amount, float) and not math.isfinite(amount):  # .nan, .inf pass "number"
                    self.add(where[:-1] + ("value",), "wrong_type", expected=("msg", "type_number"))
                year = value["year"]
                if type(year) is not int:  # true is reported by the schema; 2024.0 passes it
                    self.add(where, "wrong_type", expected=("msg", "type_integer"))
                    continue
                if year in years_seen:
                    self.add(where, "duplicate_year", year=year)
                years_seen.add(year)
                if not EARLIEST_YEAR <= year <= high:
                    self.add(where, "implausible_year", year=year, low=EARLIEST_YEAR, high=high)
                elif indicator.get("kind", "result") == "result" and not start_year <= year <= end_year:
                    self.add(where, "result_outside_period", year=year, start=start_year, end=end_year)

    def check_translations(self) -> None:
        """The original language is required everywhere; the other may be pending (reported, not an error)."""
        original = self.data["original_language"]
        for where, block in _localized_blocks(self.data, ()):
            for language in LANGUAGES:
                if block.get(language):
                    continue
                message = "missing_original" if language == original else "translation_pending"
                entry = self.problem(where, message, prefer_key=True, language=("lang", language))
                (self.problems if language == original else self.pending).append(entry)

    def check_sources(self) -> None:
        sources = self.data["sources"]
        if isinstance(sources, list) and not any("url" in source for source in sources):
            self.add(("sources",), "no_source_url", prefer_key=True)


def _type_hint(expected: str | list[str], schema: dict[str, Any]) -> str:
    if isinstance(expected, list):
        return "type_date" if "integer" in expected and "string" in expected else f"type_{expected[0]}"
    if expected == "object" and set(schema.get("properties", {})) == {"es", "en"}:
        return "type_localized"
    return f"type_{expected}"


def _kind(value: Any) -> str:
    if value is None:
        return "kind_null"
    if isinstance(value, bool):
        return "kind_bool"
    return "kind_int" if isinstance(value, int) else "kind_float"


def _get(data: Any, where: FieldPath) -> Any:
    for part in where:
        data = data[part]
    return data


def _link_targets(text: str) -> Iterator[str]:
    """Every link target a Markdown renderer could make of this text, plus bare dangerous schemes."""
    for match in _MARKDOWN_LINK_TARGET.finditer(text):
        target = match.group(1) if match.group(1) is not None else match.group(2)
        if target:
            yield target
    for match in _AUTOLINK_OR_BARE_SCHEME.finditer(text):
        yield match.group(1)


def _localized_blocks(value: Any, where: FieldPath) -> Iterator[tuple[FieldPath, dict[str, str]]]:
    """Every es/en text block in a record, with its field path."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
            yield where, value
            return
        for key, item in value.items():
            yield from _localized_blocks(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _localized_blocks(item, where + (index,))
