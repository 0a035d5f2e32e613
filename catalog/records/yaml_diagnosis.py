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
                   "yaml_bad_escape", "yaml_unreadable", "yaml_missing_colon", "yaml_unclosed_bracket",
                   "yaml_dedented_key", "yaml_lost_dash")

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
    quote = unclosed_quote_above(lines, line)
    if quote:
        return quote
    if "could not find expected ':'" in problem and context:
        return _no_colon(lines, context.line + 1, known_keys)
    if "while parsing a flow" in (getattr(error, "context", "") or "") and context:
        closing = "]" if "sequence" in error.context else "}"
        return context.line + 1, context.column + 1, "yaml_unclosed_bracket", {"closing": closing}
    if "mapping values are not allowed" in problem:
        return _left_group(lines, line, known_keys) or _unexpected_colon(lines, line, column)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _left_group(lines, line, known_keys) or _indent_mismatch(lines, line)
    if "end of stream" in problem and context and "quoted" in (error.context or ""):
        return context.line + 1, context.column + 1, "yaml_unclosed_quote", {"opened": context.line + 1}
    if "cannot start any token" in problem:
        character = _at(lines, line, column)
        return line, column, "yaml_reserved_character", {"character": character}
    if "escape" in problem or "hexdecimal" in problem:
        return line, column, "yaml_bad_escape", {}
    return line, column, "yaml_unreadable", {}


_QUOTE_OPENS = re.compile(r"^(?P<indent> *)(?:- +)?(?:[A-Za-z_][A-Za-z0-9_-]*: +)?(?P<quote>[\"'])")


def unclosed_quote_above(lines: list[str], error_line: int) -> Diagnosis | None:
    """A value whose quote is not closed on its own line, when a line after it that would be a field
    of the same or an outer group is swallowed into the text: YAML reads on to the next quote and
    fails somewhere further down, far from the slip."""
    for number in range(1, min(error_line, len(lines)) + 1):
        opened = _QUOTE_OPENS.match(lines[number - 1])
        if not opened or _closes(lines[number - 1][opened.end():], opened["quote"]):
            continue
        indent = len(opened["indent"])
        for after in range(number + 1, min(error_line, len(lines)) + 1):
            field = _KEY_LINE.match(lines[after - 1])
            if field and _indent_of(lines[after - 1]) <= indent:
                return number, opened.start("quote") + 1, "yaml_unclosed_quote", {"opened": number}
            if _closes(lines[after - 1], opened["quote"]):
                break
    return None


def _closes(text: str, quote: str) -> bool:
    """The text holds the closing quote ("…\"…" escapes with a backslash, '…''…' by doubling)."""
    if quote == '"':
        return re.search(r'(?<!\\)(?:\\\\)*"', text) is not None
    return re.search(r"'(?!')", text.replace("''", "")) is not None


def _left_group(lines: list[str], error_line: int, known_keys: frozenset[str]) -> Diagnosis | None:
    """A field moved left out of the group it opens under ("name:" at the margin right under
    "lead_entity:"): YAML closes the group empty and fails lines later. Told at the moved field."""
    for number in range(min(error_line, len(lines)), 1, -1):
        field = _KEY_LINE.match(lines[number - 1])
        above = _previous_content(lines, number)
        group = _KEY_LINE.match(lines[above - 1]) if above else None
        if not (field and group and not group["rest"].strip() and not group["dash"] and not field["dash"]):
            continue
        if field["key"] in known_keys and group["key"] in known_keys and _indent_of(lines[number - 1]) <= _indent_of(lines[above - 1]):
            return number, _indent_of(lines[number - 1]) + 1, "yaml_dedented_key", {
                "key": field["key"], "indent": _indent_of(lines[number - 1]), "parent": group["key"],
                "parent_line": above, "spaces": _indent_of(lines[above - 1]) + 2 - _indent_of(lines[number - 1])}
    return None


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
    item_above = lines[above - 1].lstrip().startswith("- ") if above else False
    if item_above and len(words) == 1 and indent == _indent_of(lines[above - 1]):  # "- a" then "b": no dash
        return line, indent + 1, "yaml_lost_dash", {"at": line, "item": words[0]}
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
    than the one above it, which YAML glued onto that item ("access-to-procedure - border-reception").
    A continuation that is one word, as every line above it, is an item that lost its '- '."""
    span = range(first_line + 1, min(last_line, len(lines)) + 1)
    for number in span:
        text = lines[number - 1]
        if text.lstrip().startswith("- "):
            return number, _indent_of(text) + 1, "yaml_item_joined", {"item": text.strip()[2:].strip()}
    first = lines[first_line - 1].strip().removeprefix("-").strip() if 0 < first_line <= len(lines) else ""
    words = [first] + [lines[number - 1].strip() for number in span]
    if len(words) > 1 and all(word and len(word.split()) == 1 and not word.startswith("#") for word in words):
        number = span[0]
        return number, _indent_of(lines[number - 1]) + 1, "yaml_lost_dash", {"at": number, "item": words[1]}
    return None
