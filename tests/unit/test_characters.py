"""catalog.records.characters: invisible and unassigned characters are refused by Unicode category and
property; every category of ordinary text is accepted."""

from __future__ import annotations

import pytest

from catalog.records.characters import describe, first_refused


@pytest.mark.parametrize("character", [
    "\u0000", "\u0007", "\u000d", "\u0085", "\u009f",  # C0/C1 controls, carriage return, NEL
    "\u00ad", "\u061c", "\u180e", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",  # format characters
    "\U000e0001", "\U000e0041", "\U000e007f",  # tag characters
    "\u3164", "\uffa0", "\u115f", "\u1160",  # Hangul fillers (letters by category, ignorable by property)
    "\u034f", "\ufe0f", "\U000e0100", "\u17b4",  # combining grapheme joiner, variation selectors
    "\uffff", "\ufffe", "\ufdd0", "\U0010ffff",  # noncharacters
    "\ue000", "\U000f0000",  # private use
    "\u2028", "\u2029",  # line and paragraph separators
    "\ud800",  # a lone surrogate (YAML's "\ud800" escape makes one)
])
def test_refused_characters(character: str) -> None:
    text = f"Texto {character}visible"
    assert first_refused(text) == len("Texto "), describe(character)


def test_every_noncharacter_and_unassigned_code_point_is_refused() -> None:
    """Unassigned by the Unicode version of the pinned `regex` package (the same on every Python)."""
    noncharacters = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p * 0x10000 + e) for p in range(17) for e in (0xFFFE, 0xFFFF)]
    assert len(noncharacters) == 66
    unassigned = ["\u0378", "\u2fe0", "\U0002fffd", "\U000dffff"]
    assert all(first_refused(c) == 0 for c in noncharacters + unassigned)


@pytest.mark.parametrize("text", [
    "Atención a personas refugiadas en Darién: «protección» — ñ, ü, ç.",
    "Tab\tand line\nfeed", "25\u00a0%", "“quotes” ‘single’ … € £ ¥", "Ελληνικά, русский, 中文, العربية",
    "emoji 😀", "n\u0303 combining tilde",
])
def test_ordinary_text_of_every_script_is_accepted(text: str) -> None:
    assert first_refused(text) is None


def test_describe_names_the_code_point() -> None:
    assert describe("\u3164") == "U+3164"
    assert describe("\U000e0041") == "U+E0041"
