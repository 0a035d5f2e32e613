"""Which characters a record's text may not contain, by Unicode category and property.

Refused as classes, not as a list of examples: every control (Cc, except tab and line feed),
format (Cf: bidi controls, zero-width characters, the tag characters of U+E0000…), surrogate
(Cs), private-use (Co) and unassigned (Cn, which holds the noncharacters U+FFFE, U+FFFF,
U+FDD0…) character, the line and paragraph separators (Zl, Zp), and everything Unicode marks
Default_Ignorable_Code_Point: characters a renderer shows as nothing, such as the Hangul fillers
(U+3164, U+FFA0), the combining grapheme joiner (U+034F) and the variation selectors. None of
them belongs in Spanish or English prose, some break XML (the feeds) and some hide or reorder
text (Trojan Source).

A leaf: imports nothing of the catalog package.
"""

from __future__ import annotations

import regex

_CLASS = r"[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]"
# Written so that JavaScript (with the u flag) reads it the same: the proposal form checks in the browser.
REFUSED = regex.compile(r"(?![\t\n])" + _CLASS)


def first_refused(text: str) -> int | None:
    """The offset of the first refused character in `text`, or None."""
    match = REFUSED.search(text)
    return match.start() if match else None


def describe(character: str) -> str:
    """U+3164: how a message names a character."""
    return f"U+{ord(character):04X}"


_NOT_ON_ONE_LINE = regex.compile(_CLASS)


def one_line(text: str) -> str:
    """Untrusted text (a key, a value, a path) made safe to print on one line of output: every
    character of the refused class, tab and line feed included, written as an escape (\\u000a), so
    that nothing a record holds can start a line of its own (a forged message or a workflow command)."""
    return _NOT_ON_ONE_LINE.sub(_escape, text)


def _escape(match: regex.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
