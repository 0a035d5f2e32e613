"""Safe YAML loading that keeps the line and column of every key and value.

Records are untrusted. On top of PyYAML's safe loader this refuses what plain YAML lets
through silently: duplicate keys (YAML keeps the last one), anchors and aliases (billion
laughs, hidden sharing), explicit tags, several documents in one file, and oversize files.
Dates stay text (YAML would turn 2024-01-25 into a date object); every other scalar is
typed as YAML 1.1 types it, and the raw text of plain scalars that did not become text is
kept so that the validator can say "put NO in quotes" where text was meant.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.datafiles import from_data
from catalog.figures import MAX_FIGURE, shorten
from catalog.languages import LANGUAGES
from catalog.problems import FieldPath, Problem, field_name
from catalog.schema import iter_fields
from catalog.yaml_diagnosis import SYNTAX_MESSAGES, diagnose_syntax, joined_list_item

MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 50  # a record nests about six levels; far deeper is an attack on the recursive composer


@dataclass
class Document:
    """A loaded record: its data plus where each piece of it stands in the file."""

    path: Path
    data: Any
    value_positions: dict[FieldPath, tuple[int, int]]
    key_positions: dict[FieldPath, tuple[int, int]]
    retyped_text: dict[FieldPath, str]  # raw text of plain scalars YAML read as a non-string
    problems: list[Problem] = field(default_factory=list)  # found while reading, yet the data is usable
    source_lines: list[str] = field(default_factory=list)
    value_end_lines: dict[FieldPath, int] = field(default_factory=dict)

    def locate(self, field_path: FieldPath, needle: str) -> tuple[int, int]:
        """The line and column of `needle` inside a multi-line text value, else of the value."""
        line, column = self.position(field_path)
        last = self.value_end_lines.get(tuple(field_path), line)
        # A folded text (>-) joins its lines with spaces, so a long probe may straddle two lines
        # of the file: fall back to the needle's first word.
        words = needle.split()
        for probe in (needle.strip()[:12], words[0][:12] if words else ""):
            for number in range(line, min(last, len(self.source_lines)) + 1):
                found = self.source_lines[number - 1].find(probe) if probe else -1
                if found >= 0:
                    return number, found + 1
        return line, column

    def position(self, field_path: FieldPath, prefer_key: bool = False) -> tuple[int, int]:
        """The (line, column) of a field, or of its nearest parent that has one."""
        path = tuple(field_path)
        while True:
            first, second = (
                (self.key_positions, self.value_positions)
                if prefer_key
                else (self.value_positions, self.key_positions)
            )
            for table in (first, second):
                if path in table:
                    return table[path]
            if not path:
                return (1, 1)
            path = path[:-1]


# LibYAML's C parser when PyYAML was built with it (ten times faster), the Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader without the timestamp resolver, so dates stay the text that was written."""


_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_STRING_TAG = "tag:yaml.org,2002:str"
# Plain scalars that resolve to null, bool, int or float are typed by PyYAML's own safe constructors.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = {
    f"tag:yaml.org,2002:{name}": yaml.constructor.SafeConstructor.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float")
}


# Problems found in the event stream after which the file is not composed at all.
_UNREADABLE = ("alias", "yaml_syntax", "several_documents", "too_deep", "control_character", *SYNTAX_MESSAGES)


class LoadError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def load_document(path: Path, display_path: str | None = None) -> Document:
    """Load one record file. Problems that leave the data readable (duplicate keys, anchors,
    tags) are kept in Document.problems so that validation can go on and report the rest;
    problems that do not (syntax, aliases, size, encoding) raise LoadError."""
    shown = display_path or str(path)

    def problem(line: int, column: int, message: str, field_path: FieldPath = (), **params: Any) -> Problem:
        return Problem(shown, line, column, field_name(field_path), message, params)

    raw = read_capped(path, problem)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError([problem(line, 1, "not_utf8")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]

    problems = _check_events(text, problem)
    # Anchors and tags are reported, but the file can still be read for its other problems;
    # aliases, syntax errors and deep nesting cannot be read past (an alias may expand
    # exponentially, and the composer recurses once per level).
    if any(p.message in _UNREADABLE for p in problems):
        raise LoadError(problems)
    try:
        root = yaml.compose(text, Loader=_RecordLoader)
    except yaml.YAMLError as error:
        raise LoadError([_syntax_problem(error, problem, text)]) from None
    except RecursionError:  # thousands of nested brackets: no record is shaped like that
        raise LoadError([problem(1, 1, "too_deep")]) from None
    if root is None:
        raise LoadError([problem(1, 1, "empty_file")])
    if not isinstance(root, yaml.MappingNode):
        line, column = _mark(root)
        raise LoadError([problem(line, column, "root_not_mapping")])

    document = Document(path, None, {}, {}, {}, problems, text.splitlines())
    document.data = _build(root, (), document, problems, problem)
    return document


def read_capped(path: Path, problem: Any) -> bytes:
    """The bytes of a record file, reading at most MAX_FILE_BYTES + 1 of them. A symbolic link (it
    could publish a file from outside the repository) or anything but a regular file (a FIFO, a
    device) is refused without reading it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if os.path.islink(path):
            raise LoadError([problem(1, 1, "symlink")]) from None
        raise LoadError([problem(1, 1, "unreadable_file", detail=error.strerror or str(error))]) from None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise LoadError([problem(1, 1, "not_regular_file")])
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # the size the file system gives, not what was read
        raise LoadError([problem(1, 1, "file_too_large", size=max(status.st_size, len(raw)), limit=MAX_FILE_BYTES)])
    return raw


def _mark(node_or_event: Any) -> tuple[int, int]:
    mark = node_or_event.start_mark
    return mark.line + 1, mark.column + 1


def _syntax_problem(error: yaml.YAMLError, problem: Any, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        # A character YAML refuses anywhere (NUL, BEL, DEL…). It has no mark, and its offset counts
        # characters in the Python reader but bytes in LibYAML's: find the character itself.
        offset = max(text.find(chr(error.character)), 0)
        before = text[:offset]
        line, column = before.count("\n") + 1, offset - before.rfind("\n")
        return problem(line, column, "control_character", code=f"U+{error.character:04X}")
    # The parser's own words stay out: the slip is named from the lines themselves.
    line, column, message, params = diagnose_syntax(text, error, record_keys())
    return problem(line, column, message, **params)


@from_data
def record_keys() -> frozenset[str]:
    """Every field name of the format (title, es, acronym…), to tell 'country:PAN' from a text."""
    names = {part for field in iter_fields() for part in re.split(r"[.\[\]]+", field.path) if part}
    return frozenset(names | set(LANGUAGES))


def _joined_items(node: yaml.SequenceNode, here: FieldPath, document: Document, problems: list[Problem], problem: Any) -> None:
    """A list item indented deeper than the one above is glued onto it as one plain text."""
    for index, item in enumerate(node.value):
        if isinstance(item, yaml.ScalarNode) and not item.style and item.end_mark.line > item.start_mark.line:
            slip = joined_list_item(item.start_mark.line + 1, item.end_mark.line + 1, document.source_lines)
            if slip:
                line, column, message, params = slip
                problems.append(problem(line, column, message, here + (index,), **params))


def _check_events(text: str, problem: Any) -> list[Problem]:
    """Walk the raw event stream for what the composer would accept but we refuse."""
    problems: list[Problem] = []
    documents = 0
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_RecordLoader):
            kind = type(event)
            if kind is yaml.ScalarEvent and event.anchor is None and event.tag in (None, "!"):
                continue  # nearly every event: nothing to check (the loop is a tenth of validation)
            line, column = _mark(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    problems.append(problem(line, column, "several_documents"))
            if kind is yaml.AliasEvent:
                problems.append(problem(line, column, "alias", name=event.anchor))
            elif getattr(event, "anchor", None):
                problems.append(problem(line, column, "anchor", name=event.anchor))
            if getattr(event, "tag", None) not in (None, "!"):
                problems.append(problem(line, column, "explicit_tag", tag=event.tag))
            if issubclass(kind, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(problem(line, column, "too_deep"))
                    break
            elif issubclass(kind, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        problems.append(_syntax_problem(error, problem, text))
    return problems


def _build(node: yaml.Node, here: FieldPath, document: Document, problems: list[Problem], problem: Any) -> Any:
    document.value_positions[here] = _mark(node)
    document.value_end_lines[here] = node.end_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line, column = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(problem(line, column, "complex_key", here))
                continue
            # Field names are always text: `on:` or `no:` must not become booleans.
            key = key_node.value
            if key == "<<":
                problems.append(problem(line, column, "merge_key", here))
                continue
            if key in result:
                first_line = document.key_positions[here + (key,)][0]
                problems.append(problem(line, column, "duplicate_key", here + (key,), key=key, first_line=first_line))
                continue
            document.key_positions[here + (key,)] = (line, column)
            result[key] = _build(value_node, here + (key,), document, problems, problem)
        return result
    if isinstance(node, yaml.SequenceNode):
        _joined_items(node, here, document, problems, problem)
        return [_build(item, here + (index,), document, problems, problem) for index, item in enumerate(node.value)]
    return _scalar(node, here, document, problems, problem)


def _scalar(node: yaml.ScalarNode, here: FieldPath, document: Document, problems: list[Problem], problem: Any) -> Any:
    """A scalar typed as YAML 1.1 types it; the raw text of a plain one that did not become text is
    kept, so the validator can tell 1500 from 0x5DC, 1:30 or 1.5e3 (see validate's figure rule)."""
    if node.tag == _STRING_TAG:
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(node.tag)
    if construct is None:  # e.g. YAML's odd "=" value tag: keep the text
        return node.value
    if not node.style:  # plain: None from the Python parser, "" from LibYAML's
        document.retyped_text[here] = node.value
    try:
        return construct(_CONSTRUCTOR, node)
    except (ValueError, OverflowError):  # int() refuses more than 4,300 digits: no figure is that long
        line, column = _mark(node)
        problems.append(problem(line, column, "number_too_large", here, value=shorten(node.value), limit=MAX_FIGURE))
        return 0
