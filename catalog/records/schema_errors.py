"""The schema pass of the validator: every JSON Schema error of a record, in plain words, at the line
of the field it is about. One small function per schema keyword (EXPLAIN); a keyword added to the
schema later is still reported, in jsonschema's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from catalog.core.vocabularies import TERM_VOCABULARIES
from catalog.records.findings import Findings
from catalog.records.problems import FieldPath, field_name
from catalog.records.rules import shown_link
from catalog.records.schema import fast_schema_check, load_schema, schema_validator

if TYPE_CHECKING:  # jsonschema is imported only when a record is invalid (catalog.records.schema)
    import jsonschema

# Errors about a value that leave its shape as the rules expect it (a string is still a string).
VALUE_KEYWORDS = ("pattern", "enum", "const", "format", "minLength", "maxLength", "minimum", "maximum",
                  "minItems", "maxItems", "uniqueItems")
# Errors about a field of an object (missing, unknown) mark that field, not the whole object.
FIELD_KEYWORDS = ("required", "additionalProperties", "unevaluatedProperties")


def check_schema(findings: Findings) -> None:
    """Report every schema error, and remember where a shape is wrong (Findings.malformed): rules skip those."""
    if fast_schema_check()(findings.data):
        return
    for error in schema_validator().iter_errors(findings.data):
        if error.validator not in VALUE_KEYWORDS + FIELD_KEYWORDS:
            findings.malformed.add(tuple(error.absolute_path))
        explain(findings, error)


def explain(findings: Findings, error: jsonschema.ValidationError) -> None:
    """Turn one jsonschema error into plain words."""
    where = tuple(error.absolute_path)
    EXPLAIN.get(error.validator, _other)(findings, error, where)


def _one_of(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    """Report the branch that matches what was written (text vs. es/en block)."""
    instance = error.instance
    wanted = 1 if isinstance(instance, dict) else 0
    branch = [e for e in error.context or [] if e.schema_path and e.schema_path[0] == wanted]
    if isinstance(instance, (str, dict)) and branch:
        for sub_error in branch:
            explain(findings, sub_error)
    else:
        _wrong_type(findings, where, "type_localized")


# Required fields whose absence is worded for what the field is (by the field's path, list indexes as []).
REQUIRED_MESSAGES = {"results[].source": "source_required"}


def _required(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    for name in error.validator_value:
        if name not in error.instance:
            # Reported on the missing field's own path, at its parent's line.
            findings.malformed.add(where + (name,))
            generic = re.sub(r"\[\d+\]", "[]", field_name(where + (name,)))
            message = REQUIRED_MESSAGES.get(generic, "required")
            findings.add(where + (name,), message, prefer_key=True, name=field_name(where + (name,)))


def _unknown_fields(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    allowed = error.schema.get("properties", {})
    for name in error.instance:
        if name not in allowed:
            findings.malformed.add(where + (name,))
            findings.add(where + (name,), "unknown_field", prefer_key=True, name=name)


def _enum(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    """A value outside a vocabulary (generated into the schema's $defs from vocabularies.yml by
    scripts/schema_vocab.py, or written in a field: kind, original_language), named by its vocabulary; the
    "did you mean …?" is catalog.records.suggest's, added to every problem by the validator."""
    value = error.instance
    vocabulary = _vocabulary(error.schema, where)
    if where in findings.document.retyped_text:
        _wrong_type(findings, where, "type_string")  # e.g. `original_language: no` read as false
    elif not isinstance(value, str) and error.schema.get("type") == "string":
        return  # the type's own error says it
    elif vocabulary == "country_not_covered":
        if re.fullmatch(r"[A-Z]{3}", value):  # another form of code: the pattern's error says it (bad_country_code)
            findings.add(where, "country_not_covered", value=value, allowed=", ".join(error.validator_value))
    else:
        findings.add(where, "not_in_vocabulary", value=value, vocabulary=("msg", vocabulary),
                     allowed=", ".join(map(str, error.validator_value)))


# The schema's generated lists of country codes: a record's country (or REG) and a regional practice's host.
COUNTRY_VOCABULARIES = ("covered_country", "covered_host_country")


def _vocabulary(node: dict[str, Any], where: FieldPath) -> str:
    """The message that names an enum's vocabulary: by its name in $defs (themes → vocabulary_themes), or
    for the enums written in a field, by the field; a list of countries has its own message."""
    defined = next((key for key, definition in load_schema()["$defs"].items() if definition is node or definition == node), "")
    if defined in COUNTRY_VOCABULARIES:
        return "country_not_covered"
    if defined in TERM_VOCABULARIES:
        return f"vocabulary_{defined}"
    return "vocabulary_kinds" if where and where[-1] == "kind" else "vocabulary_languages"


def _pattern(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    name, value = (where[-1] if where else ""), error.instance
    if len(where) >= 2 and where[-2] == "acronym":  # one language of an es/en acronym
        name = "acronym"
    if name == "id":
        findings.add(where, "bad_id", value=value)
    elif name in ("country", "host_country"):
        findings.add(where, "bad_country_code", value=value)
    elif name == "url" or (len(where) >= 2 and where[-2] == "url"):
        message = "bad_https_url" if value.startswith("https://") else "not_https"  # the schema's pattern failed
        findings.add(where, message, value=shown_link(value))
    elif name in ("submitted", "updated"):
        findings.add(where, "bad_pattern", value=value, hint=("msg", "hint_day"))
    else:
        hint = {"subdivision": "hint_subdivision", "acronym": "hint_acronym", "email": "hint_email"}.get(
            str(name), "hint_date"
        )
        findings.add(where, "bad_pattern", value=value, hint=("msg", hint))


def _other(findings: Findings, error: jsonschema.ValidationError, where: FieldPath) -> None:
    findings.add(where, "yaml_syntax", detail=error.message)


def _wrong_type(findings: Findings, where: FieldPath, expected_hint: str) -> None:
    value = _get(findings.data, where)
    raw = findings.document.retyped_text.get(where)
    if value is None:
        findings.add(where, "empty")
    elif raw is not None and expected_hint in ("type_string", "type_localized"):
        findings.add(where, "retyped", raw=raw, kind=("msg", _kind(value)))
    else:
        findings.add(where, "wrong_type", expected=("msg", expected_hint))


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


def _below_or_above(findings: Findings, error: jsonschema.ValidationError, where: FieldPath, message: str | None) -> None:
    """A latitude or longitude out of its range; a figure's year too early; any other number below zero
    (or above a maximum)."""
    if len(where) >= 2 and where[-2] == "coordinates":
        findings.add(where, "coordinate_range", value=error.instance)
    elif where[-1:] == ("source",):  # a source is named by its number in the list, from 1
        findings.add(where, "source_number_from_one", value=error.instance)
    elif where[-1:] == ("year",) and message:  # a figure's year before the schema's earliest (figure_year)
        findings.add(where, "implausible_year", year=error.instance, low=error.validator_value, high=findings.today.year + 1)
    elif message:
        findings.add(where, message)
    else:
        _other(findings, error, where)


_Explain = Callable[[Findings, "jsonschema.ValidationError", FieldPath], None]
EXPLAIN: dict[str, _Explain] = {
    "oneOf": _one_of,
    "anyOf": _one_of,
    "required": _required,
    "additionalProperties": _unknown_fields,
    "unevaluatedProperties": _unknown_fields,
    "type": lambda f, e, where: _wrong_type(f, where, _type_hint(e.validator_value, e.schema)),
    "minProperties": lambda f, e, where: _wrong_type(f, where, "type_localized"),
    "minLength": lambda f, e, where: f.add(where, "too_short", limit=e.validator_value),
    "maxLength": lambda f, e, where: f.add(where, "too_long", length=len(e.instance), limit=e.validator_value),
    "minItems": lambda f, e, where: f.add(where, "too_few", limit=e.validator_value),
    "maxItems": lambda f, e, where: f.add(where, "too_many", limit=e.validator_value),
    "uniqueItems": lambda f, e, where: f.add(where, "repeated_item"),
    "minimum": lambda f, e, where: _below_or_above(f, e, where, "negative"),
    "maximum": lambda f, e, where: _below_or_above(f, e, where, None),
    "enum": _enum,
    "pattern": _pattern,
}
