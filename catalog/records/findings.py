"""What the checks of one record report into: its problems, its pending translations, and where
the schema already found a field malformed (so that no rule trips over a wrong shape).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from catalog.core.vocabularies import Vocabularies
from catalog.records.loader import Document
from catalog.records.problems import FieldPath, Problem, field_name


@dataclass
class Findings:
    """The checks of one loaded record: what they need to know, and what they found."""

    document: Document
    shown: str  # the path as the contributor sees it
    vocabularies: Vocabularies
    today: datetime.date
    problems: list[Problem] = field(default_factory=list)
    pending: list[Problem] = field(default_factory=list)  # missing translations: reported, not errors
    malformed: set[FieldPath] = field(default_factory=set)  # where the schema found a problem
    _prefixes: set[FieldPath] = field(default_factory=set, repr=False)  # every path leading to a malformed one
    _indexed: int = field(default=0, repr=False)  # how many malformed paths _prefixes covers

    @property
    def data(self) -> Any:
        return self.document.data

    def problem(self, where: FieldPath, message: str, prefer_key: bool = False, **params: Any) -> Problem:
        line, column = self.document.position(where, prefer_key)
        return Problem(self.shown, line, column, field_name(where), message, params)

    def add(self, where: FieldPath, message: str, prefer_key: bool = False, **params: Any) -> None:
        self.problems.append(self.problem(where, message, prefer_key, **params))

    def add_in_text(self, where: FieldPath, text: str, offset: int, message: str, **params: Any) -> None:
        """A problem inside a (possibly multi-line) text, placed on the line where it stands."""
        around = text[max(offset, 0):].split("\n", 1)[0]
        line, column = self.document.locate(where, around)
        self.problems.append(Problem(self.shown, line, column, field_name(where), message, params))

    def sound(self, where: FieldPath) -> bool:
        """No problem of the schema at this field or inside it. In constant time: asked once per item
        of a list, a scan of every malformed path made a record of 7,000 bad items take minutes."""
        if self._indexed != len(self.malformed):  # the schema pass only ever adds paths
            self._prefixes = {path[:end] for path in self.malformed for end in range(len(path) + 1)}
            self._indexed = len(self.malformed)
        return tuple(where) not in self._prefixes

    def items(self, *where: str | int) -> Iterator[tuple[int, Any]]:
        """The well-formed items of a list field, with their index (absent field: none)."""
        value: Any = self.data
        for part in where:
            if isinstance(value, dict):
                value = value.get(part)
            else:
                value = value[part] if isinstance(value, list) and isinstance(part, int) and part < len(value) else None
        for index, item in enumerate(value if isinstance(value, list) else ()):
            if self.sound((*where, index)):
                yield index, item
