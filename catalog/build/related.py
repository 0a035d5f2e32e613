"""Related practices: for each practice, up to five others that share its themes and mechanisms.

Computed once per build for the whole catalog, in time linear in its size: each practice is
compared only with its neighbours (by start year) in each of its themes and mechanisms, never with
every other practice. Neighbours differ from one practice to the next, and so do the lists.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from catalog.records.model import Practice

RELATED_COUNT = 5
NEIGHBOURS = 8  # on each side, per theme or mechanism: bounds the work per practice


def _tags(practice: Practice) -> frozenset[tuple[str, str]]:
    return frozenset([*(("theme", t) for t in practice.themes), *(("mechanism", m) for m in practice.mechanisms)])


def related_practices(practices: list[Practice], count: int = RELATED_COUNT,
                      neighbours: int = NEIGHBOURS) -> dict[str, list[Practice]]:
    """Practice id → the practices most related to it, best first: most shared themes and
    mechanisms, then another country before the same one, then the closest start year."""
    tags = {p.id: _tags(p) for p in practices}
    groups: dict[tuple[str, str], list[Practice]] = defaultdict(list)
    for practice in sorted(practices, key=lambda p: (p.period.start_year, p.id)):
        for tag in tags[practice.id]:
            groups[tag].append(practice)
    position = {(tag, p.id): index for tag, members in groups.items() for index, p in enumerate(members)}
    related = {}
    for practice in practices:
        candidates: dict[str, Practice] = {}
        for tag in tags[practice.id]:
            index = position[(tag, practice.id)]
            for other in groups[tag][max(0, index - neighbours):index + neighbours + 1]:
                candidates[other.id] = other
        candidates.pop(practice.id, None)

        def rank(other: Practice, practice: Practice = practice) -> tuple:
            shared = len(tags[practice.id] & tags[other.id])
            year_gap = abs(other.period.start_year - practice.period.start_year)
            return (-shared, other.country == practice.country, year_gap, other.id)

        related[practice.id] = heapq.nsmallest(count, candidates.values(), key=rank)
    return related
