"""How the catalog writes a record's values as YAML: one writer for `catalog from-issue`, `catalog new`
and the proposal form, whose docs/assets/record-yaml.js is this module ported to the browser
(tests/browser/test_record_yaml.py holds the two to the same bytes):
- a number is written as plain decimals (figures.plain_number), never with an exponent: YAML 1.1
  reads `1e-7` as text and the validator asks for `0.0000001`, which the person typed;
- a text holding a line break that people do not see as one (NEL, LS, PS: characters.RAW_LINE_BREAKS)
  is written double-quoted, with the character as an escape, so that the validator finds it in the
  value and names its field; raw, YAML would end the line there or fold it into a space;
- a text of several lines is a readable | block; any other text as PyYAML's safe dumper writes it.

In records/: it imports only characters and figures, its neighbours.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from catalog.records.characters import RAW_LINE_BREAKS
from catalog.records.figures import plain_number

# A record's first line: editors with YAML support complete and check the fields with the schema.
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../catalog/schema/practice.schema.json"


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, laid out like the hand-written records: lists indented under their field."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if RAW_LINE_BREAKS.search(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    if not math.isfinite(value):  # .nan, .inf: written as YAML's own, for the validator to refuse
        return dumper.represent_float(value)
    text = plain_number(value)
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(float, _represent_float)


def dump(data: Any, width: int = 100) -> str:
    """YAML text of data, in the order given."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width)


def scalar(value: Any) -> str:
    """One value as YAML on one line (an answer of `catalog new`)."""
    return dump(value, width=10_000).removesuffix("\n...\n").rstrip("\n")


def record_text(record: dict[str, Any]) -> str:
    """The YAML file of a record, with the schema line that editors use for completion.

    Each top-level field is dumped on its own so that a blank line can part them, as in the
    hand-written records, without touching the text of any value.
    """
    fields = (dump({key: value}) for key, value in record.items())
    return SCHEMA_COMMENT + "\n" + "\n".join(fields)
