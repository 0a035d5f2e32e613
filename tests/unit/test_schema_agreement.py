"""The schema pass asks jsonschema-rs first and walks jsonschema (the reference, whose errors become
the messages) only when jsonschema-rs finds a record invalid (catalog.records.schema.fast_schema_check).
That is safe only if jsonschema-rs never accepts a record the reference refuses; where it is the
stricter one (NaN is no JSON number to it), the reference walk decides, as before. Both are compared
on the real records, the hostile corpus, and thousands of records made by changing one field of a
real record at a time (deleted, retyped, emptied, made too long...)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.records.loader import LoadError, load_document
from catalog.records.schema import fast_schema_check, schema_validator
from tests.helpers import EXAMPLE_RECORD, PRACTICES

HOSTILE = Path(__file__).resolve().parent / "hostile"
# Values of every JSON type, and strings at and past the limits the schema sets.
REPLACEMENTS = [None, True, 0, -1, 1.5, 10**30, "", " ", "x", "x" * 5000, "es", "PAN", "2019-13", "2019", "https://a.b/",
                [], ["x"], [{}], {}, {"es": "x"}, {"es": "x", "en": "y"}, {"fr": "x"}]


def both_verdicts(data: object) -> tuple[bool, bool]:
    return fast_schema_check()(data), schema_validator().is_valid(data)


def never_laxer(fast: bool, reference: bool) -> bool:
    """jsonschema-rs may refuse more (then the reference decides), never accept more."""
    return reference or not fast


def documents(folder: Path) -> Iterator[tuple[str, object]]:
    for path in sorted(folder.rglob("*.yml")):
        try:
            document = load_document(path)
        except LoadError:
            continue  # not YAML the loader accepts: never reaches the schema
        if document.data is not None:
            yield path.name, document.data


def paths_in(value: object, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path to a value inside a record (dict keys and list indexes)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield prefix + (key,)
        yield from paths_in(child, prefix + (key,))


def changed(record: dict, path: tuple, replacement: object) -> dict:
    result = copy.deepcopy(record)
    target = result
    for key in path[:-1]:
        target = target[key]
    if replacement is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = replacement
    return result


_DELETE = object()


@pytest.mark.parametrize("folder", [PRACTICES, HOSTILE], ids=["real records", "hostile corpus"])
def test_both_validators_agree_on_every_checked_in_file(folder):
    checked = 0
    for name, data in documents(folder):
        fast, reference = both_verdicts(data)
        assert never_laxer(fast, reference), name
        checked += 1
    assert checked >= 3


def test_both_validators_agree_when_any_one_field_is_changed():
    record = load_document(EXAMPLE_RECORD).data
    verdicts = {True: 0, False: 0}
    disagreements = 0
    for path in list(paths_in(record)):
        for replacement in [_DELETE, *REPLACEMENTS]:
            mutant = changed(record, path, replacement)
            fast, reference = both_verdicts(mutant)
            assert never_laxer(fast, reference), (path, replacement if replacement is not _DELETE else "deleted")
            verdicts[reference] += 1
            disagreements += fast != reference
    # The mutations reach both verdicts many times, so the comparison means something.
    assert verdicts[True] > 50 and verdicts[False] > 1000, verdicts
    assert disagreements == 0  # on well-formed values (no NaN here) they agree exactly


def test_an_unknown_field_is_refused_by_both():
    record = load_document(EXAMPLE_RECORD).data
    assert both_verdicts(record) == (True, True)
    assert both_verdicts({**record, "colour": "blue"}) == (False, False)
