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

from catalog.core.datafiles import from_data
from catalog.core.languages import LANGUAGES
from catalog.records.characters import RAW_LINE_BREAKS, describe
from catalog.records.figures import MAX_FIGURE, shorten
from catalog.records.problems import FieldPath, Problem, field_name
from catalog.records.schema import iter_fields
from catalog.records.yaml_diagnosis import SYNTAX_MESSAGES, diagnose_syntax, joined_list_item

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


class RecordLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader without the timestamp resolver, so dates stay the text that was written."""


RecordLoader.yaml_implicit_resolvers = {
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

    hidden_break = RAW_LINE_BREAKS.search(text)
    if hidden_break:  # what YAML would make of it is not what a person sees: refused before parsing
        before = text[:hidden_break.start()]
        raise LoadError([problem(before.count("\n") + 1, hidden_break.start() - before.rfind("\n"), "control_character",
                                 code=describe(hidden_break.group()))])
    document = Document(path, None, {}, {}, {}, [], text.splitlines())
    reader = _Reader(document, problem)
    reader.read(text)
    # Anchors and tags are reported, but the file can still be read for its other problems;
    # aliases, syntax errors and deep nesting cannot be read past (an alias may expand
    # exponentially, and nesting a thousand levels deep is no record).
    if any(p.message in _UNREADABLE for p in reader.stream):
        raise LoadError(reader.stream)
    if not reader.documents:
        raise LoadError([problem(1, 1, "empty_file")])
    if reader.not_a_mapping is not None:
        raise LoadError([problem(*reader.not_a_mapping, "root_not_mapping")])
    document.problems = reader.stream + reader.built
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


class _Frame:
    """An open mapping or sequence while the events are read: where it is and what comes next."""

    __slots__ = ("data", "here", "key", "expect_key")

    def __init__(self, data: Any, here: FieldPath):
        self.data, self.here = data, here
        self.key: Any = None  # the key whose value comes next; _SKIP for a value that is not kept
        self.expect_key = True


_SKIP = object()
_SKIPPED = _Frame(None, ())  # a collection inside a value that is not kept
_SKIPPED_KEY = _Frame(None, ())  # a collection used as a key (refused): its value follows
_RESOLVER = RecordLoader("")  # types plain scalars as PyYAML's composer does


class _Reader:
    """Reads a record's YAML events once (LibYAML's parser when PyYAML has it): checks the stream
    for what the composer would accept but we refuse (`stream`: anchors, aliases, tags, several
    documents, nesting, syntax), and builds the data with the place of every key and value, noting
    what the data leaves out (`built`: duplicate, merge and complex keys, joined list items, numbers
    too large). A value that is not kept (a duplicate key's) is read, checked and dropped."""

    def __init__(self, document: Document, problem: Any):
        self.document, self.problem = document, problem
        self.stream: list[Problem] = []
        self.built: list[Problem] = []
        self.documents = 0
        self.not_a_mapping: tuple[int, int] | None = None
        self.stack: list[_Frame] = []

    def read(self, text: str) -> None:
        depth = 0
        try:
            for event in yaml.parse(text, Loader=RecordLoader):
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    if event.anchor is not None or event.tag not in (None, "!"):
                        self._check(event, kind)
                    self._node(event, kind)
                    continue
                self._check(event, kind)
                if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    depth += 1
                    if depth > MAX_DEPTH:
                        self.stream.append(self.problem(*_mark(event), "too_deep"))
                        return
                    self._node(event, kind)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    depth -= 1
                    frame = self.stack.pop()
                    if frame.data is not None:
                        self.document.value_end_lines[frame.here] = event.end_mark.line + 1
                    if frame is not _SKIPPED_KEY:
                        self._after_value()
                elif kind is yaml.AliasEvent:
                    self._node(event, kind)
        except yaml.YAMLError as error:
            self.stream.append(_syntax_problem(error, self.problem, text))

    def _check(self, event: Any, kind: type) -> None:
        line, column = _mark(event)
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents == 2:
                self.stream.append(self.problem(line, column, "several_documents"))
        if kind is yaml.AliasEvent:
            self.stream.append(self.problem(line, column, "alias", name=event.anchor))
        elif getattr(event, "anchor", None):
            self.stream.append(self.problem(line, column, "anchor", name=event.anchor))
        if getattr(event, "tag", None) not in (None, "!"):
            self.stream.append(self.problem(line, column, "explicit_tag", tag=event.tag))

    def _node(self, event: Any, kind: type) -> None:
        """A scalar, alias or collection starts: put it where it belongs."""
        collection = kind is not yaml.ScalarEvent and kind is not yaml.AliasEvent
        if not self.stack:  # a root: the first document's is kept if it is a mapping, no other one
            if self.documents == 1 and self.document.data is None and self.not_a_mapping is None:
                if kind is yaml.MappingStartEvent:
                    self._start(event, {}, ())
                    return
                self.not_a_mapping = _mark(event)
            if collection:
                self.stack.append(_SKIPPED)
            return
        frame = self.stack[-1]
        if frame.data is None or (frame.key is _SKIP and not frame.expect_key):  # not kept
            if collection:
                self.stack.append(_SKIPPED)
            else:
                self._after_value()
            return
        if isinstance(frame.data, dict) and frame.expect_key:
            self._key(event, kind, frame)
            if collection:  # a complex key: read and dropped, and so is its value
                self.stack.append(_SKIPPED_KEY)
            return
        if kind is yaml.AliasEvent:  # refused, and the file with it: nothing to keep
            self._after_value()
            return
        here = frame.here + ((frame.key,) if isinstance(frame.data, dict) else (len(frame.data),))
        if kind is yaml.MappingStartEvent:
            self._start(event, {}, here)
        elif kind is yaml.SequenceStartEvent:
            self._start(event, [], here)
        else:
            self._place(frame, _scalar(event, here, isinstance(frame.data, list), self.document, self.built, self.problem))

    def _key(self, event: Any, kind: type, frame: _Frame) -> None:
        line, column = _mark(event)
        frame.expect_key, frame.key = False, _SKIP
        if kind is not yaml.ScalarEvent:
            self.built.append(self.problem(line, column, "complex_key", frame.here))
            return
        # Field names are always text: `on:` or `no:` must not become booleans.
        key = event.value
        if key == "<<":
            self.built.append(self.problem(line, column, "merge_key", frame.here))
        elif key in frame.data:
            first_line = self.document.key_positions[frame.here + (key,)][0]
            self.built.append(self.problem(line, column, "duplicate_key", frame.here + (key,), key=key, first_line=first_line))
        else:
            self.document.key_positions[frame.here + (key,)] = (line, column)
            frame.key = key

    def _start(self, event: Any, data: Any, here: FieldPath) -> None:
        self.document.value_positions[here] = _mark(event)
        if self.stack:
            self._place(self.stack[-1], data, done=False)
        else:
            self.document.data = data
        self.stack.append(_Frame(data, here))

    def _place(self, frame: _Frame, value: Any, done: bool = True) -> None:
        if isinstance(frame.data, dict):
            frame.data[frame.key] = value
        else:
            frame.data.append(value)
        if done:
            self._after_value()

    def _after_value(self) -> None:
        """A value is complete: its mapping waits for the next key."""
        if self.stack and isinstance(self.stack[-1].data, dict):
            self.stack[-1].expect_key = True


def _scalar(event: Any, here: FieldPath, in_list: bool, document: Document, built: list[Problem], problem: Any) -> Any:
    """A scalar typed as YAML 1.1 types it (as PyYAML's composer and safe constructors would); the
    raw text of a plain one that did not become text is kept, so the validator can tell 1500 from
    0x5DC, 1:30 or 1.5e3 (see validate's figure rule)."""
    line, column = document.value_positions[here] = _mark(event)
    document.value_end_lines[here] = event.end_mark.line + 1
    plain = not event.style  # plain: None from the Python parser, "" from LibYAML's
    if in_list and plain and event.end_mark.line > event.start_mark.line:
        # A list item indented deeper than the one above is glued onto it as one plain text.
        slip = joined_list_item(line, event.end_mark.line + 1, document.source_lines)
        if slip:
            built.append(problem(slip[0], slip[1], slip[2], here, **slip[3]))
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STRING_TAG:
        return event.value
    construct = _SCALAR_CONSTRUCTORS.get(tag)
    if construct is None:  # e.g. YAML's odd "=" value tag: keep the text
        return event.value
    if plain:
        document.retyped_text[here] = event.value
    try:
        return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
    except (ValueError, OverflowError):  # int() refuses more than 4,300 digits: no figure is that long
        built.append(problem(line, column, "number_too_large", here, value=shorten(event.value), limit=MAX_FIGURE))
        return 0
