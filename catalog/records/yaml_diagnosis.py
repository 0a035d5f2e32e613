"""What an official did wrong when a record's YAML does not read, or reads into the wrong shape.

The YAML parser says where it gave up and why in its own terms ("did not find expected key",
"mapping values are not allowed in this context"), often a line after the real slip. These
functions look at the lines themselves and name the slip and its fix, at the line where the
official must act: a tab in the indentation, a missing space after a colon, a colon inside a text
that needs quotes, a field or list item indented differently from its neighbours, a text line less
indented than the text it continues, an unclosed quote. The parser's own English never reaches the
official. Each diagnosis is (line, column, message id of messages.yml, parameters).
"""

from __future__ import annotations

import re
from typing import Any

Diagnosis = tuple[int, int, str, dict[str, Any]]
# The messages of a file YAML cannot read at all (nothing else of it can be checked).
SYNTAX_MESSAGES = ("yaml_tab", "yaml_no_space_after_colon", "yaml_colon_in_text", "yaml_indent_deeper",
                   "yaml_indent_mismatch", "yaml_text_dedented", "yaml_unclosed_quote", "yaml_reserved_character",
                   "yaml_bad_escape", "yaml_unreadable", "yaml_missing_colon", "yaml_unclosed_bracket")

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<rest>.*)$")
_NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>[^\s/].*)$")


def diagnose_syntax(text: str, error: Any, known_keys: frozenset[str]) -> Diagnosis:
    """The slip behind a YAML syntax error, worded as a message id and parameters."""
    lines = text.split("\n")
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = getattr(error, "problem", "") or ""
    tab = _first_tab(lines, line)
    if tab:
        return tab
    if "could not find expected ':'" in problem and context:
        return _no_colon(lines, context.line + 1, known_keys)
    if "while parsing a flow" in (getattr(error, "context", "") or "") and context:
        closing = "]" if "sequence" in error.context else "}"
        return context.line + 1, context.column + 1, "yaml_unclosed_bracket", {"closing": closing}
    if "mapping values are not allowed" in problem:
        return _unexpected_colon(lines, line, column)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _indent_mismatch(lines, line)
    if "end of stream" in problem and context and "quoted" in (error.context or ""):
        return context.line + 1, context.column + 1, "yaml_unclosed_quote", {"opened": context.line + 1}
    if "cannot start any token" in problem:
        character = _at(lines, line, column)
        return line, column, "yaml_reserved_character", {"character": character}
    if "escape" in problem or "hexdecimal" in problem:
        return line, column, "yaml_bad_escape", {}
    return line, column, "yaml_unreadable", {}


def _at(lines: list[str], line: int, column: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[column - 1] if 0 < column <= len(text) else ""


def _first_tab(lines: list[str], error_line: int) -> Diagnosis | None:
    """A tab in the indentation of a line up to the error (YAML indents with spaces only)."""
    for number, text in enumerate(lines[:error_line], start=1):
        indentation = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indentation:
            return number, indentation.index("\t") + 1, "yaml_tab", {}
    return None


def _no_colon(lines: list[str], line: int, known_keys: frozenset[str]) -> Diagnosis:
    """A line read as the start of a field that never gets its 'field: ': either 'field:value'
    without the space, or a text line that is less indented than the text it continues."""
    text = lines[line - 1] if line <= len(lines) else ""
    match = _NO_SPACE.match(text)
    if match and match["key"] in known_keys:
        column = match.end("key") + 2
        return line, column, "yaml_no_space_after_colon", {"key": match["key"], "value": match["value"].strip()}
    words = text.split(None, 1)
    if words and words[0] in known_keys:  # "status ongoing"
        value = words[1].strip() if len(words) > 1 else ""
        return line, _indent_of(text) + len(words[0]) + 1, "yaml_missing_colon", {"key": words[0], "value": value}
    indent = len(text) - len(text.lstrip(" "))
    above = _previous_content(lines, line)
    expected = _indent_of(lines[above - 1]) if above else 0
    return line, indent + 1, "yaml_text_dedented", {"indent": indent, "expected": max(expected, indent + 1),
                                                   "start": above or line}


def _unexpected_colon(lines: list[str], line: int, column: int) -> Diagnosis:
    """': ' where YAML cannot start a field: inside a text (quote it), or a field indented deeper
    than its neighbour, which YAML then reads as part of that neighbour's value."""
    text = lines[line - 1] if line <= len(lines) else ""
    match = _KEY_LINE.match(text)
    if match and column - 1 > match.end("key"):
        value = match["rest"].strip()
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        prefix = f'{match["indent"]}{match["dash"] or ""}{match["key"]}: '
        return line, column, "yaml_colon_in_text", {"key": match["key"], "fixed": f'{prefix}"{quoted}"'.strip()}
    above = _previous_content(lines, line)
    neighbour = _KEY_LINE.match(lines[above - 1]) if above else None
    return line, _indent_of(text) + 1, "yaml_indent_deeper", {
        "key": match["key"] if match else text.strip()[:30], "indent": _indent_of(text),
        "other": neighbour["key"] if neighbour else "", "other_line": above, "other_indent": _indent_of(lines[above - 1]) if above else 0,
    }


def _indent_mismatch(lines: list[str], line: int) -> Diagnosis:
    """A field or list item whose indentation matches none of the groups open above it."""
    text = lines[line - 1] if line <= len(lines) else ""
    indent = _indent_of(text)
    levels = _open_levels(lines, line)
    match = _KEY_LINE.match(text)
    what = match["key"] if match and not match["dash"] else ("-" if text.lstrip().startswith("-") else text.strip()[:30])
    described = ", ".join(f"{level} ({key})" for level, key, _number in levels)
    return line, indent + 1, "yaml_indent_mismatch", {"key": what, "indent": indent, "levels": described}


def _open_levels(lines: list[str], line: int) -> list[tuple[int, str, int]]:
    """(indentation, field, line) of the nearest field at each indentation that is still open."""
    levels: list[tuple[int, str, int]] = []
    lowest = None
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = _indent_of(text)
        match = _KEY_LINE.match(text)
        if match and (lowest is None or indent < lowest):
            levels.append((indent + (len(match["dash"]) if match["dash"] else 0), match["key"], number))
            lowest = indent
        if indent == 0:
            break
    return sorted(levels)


def _previous_content(lines: list[str], line: int) -> int:
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            return number
    return 0


def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def joined_list_item(first_line: int, last_line: int, lines: list[str]) -> Diagnosis | None:
    """A plain text spanning lines whose continuation starts with '- ': a list item indented deeper
    than the one above it, which YAML glued onto that item ("access-to-procedure - border-reception")."""
    for number in range(first_line + 1, min(last_line, len(lines)) + 1):
        text = lines[number - 1]
        if text.lstrip().startswith("- "):
            return number, _indent_of(text) + 1, "yaml_item_joined", {"item": text.strip()[2:].strip()}
    return None
