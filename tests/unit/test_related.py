"""Related practices (catalog.build.related): by shared themes and mechanisms, never the practice itself,
different lists for different practices, and work that grows linearly with the catalog."""

from __future__ import annotations

import heapq
import random

from catalog.build.related import NEIGHBOURS, RELATED_COUNT, related_practices
from catalog.records.model import load_practices, practice_from_data
from devtools.synthetic import synthetic_record
from tests.helpers import PRACTICES


def tags(practice) -> set[str]:
    return set(practice.themes) | {f"m:{m}" for m in practice.mechanisms}


def synthetic(count: int, same_theme: bool = False) -> list:
    rng = random.Random(7)
    practices = []
    for index in range(count):
        data = synthetic_record(index, rng)
        if same_theme:
            data["themes"] = ["access-to-procedure"]
        practices.append(practice_from_data(data, f"practices/x/{data['id']}.yml"))
    return practices


def test_real_catalog_related_practices_share_a_theme_or_mechanism():
    practices = load_practices(PRACTICES)
    related = related_practices(practices)
    assert set(related) == {p.id for p in practices}
    for practice in practices:
        others = related[practice.id]
        assert len(others) <= RELATED_COUNT and practice not in others
        assert len({o.id for o in others}) == len(others)
        assert all(tags(o) & tags(practice) for o in others), practice.id
    assert sum(1 for others in related.values() if len(others) >= 3) >= len(practices) - 2


def test_the_most_related_come_first():
    practices = load_practices(PRACTICES)
    related = related_practices(practices)
    for practice in practices:
        shared = [len(tags(o) & tags(practice)) for o in related[practice.id]]
        assert shared == sorted(shared, reverse=True), practice.id


def test_lists_differ_even_when_every_practice_shares_the_same_theme():
    practices = synthetic(300, same_theme=True)
    related = related_practices(practices)
    lists = {tuple(o.id for o in others) for others in related.values()}
    assert all(len(others) == RELATED_COUNT for others in related.values())
    assert len(lists) > 250, f"only {len(lists)} different lists for 300 practices"


def test_work_grows_linearly_with_the_catalog(monkeypatch):
    """Every practice sharing one theme is the worst case for a pairwise comparison (n² pairs);
    neighbours bound the work, so ten times the practices rank about ten times the candidates.
    Counted, not timed: the candidates each practice's list is chosen from (heapq.nsmallest)."""
    ranked: list[int] = []
    choose = heapq.nsmallest
    monkeypatch.setattr(heapq, "nsmallest", lambda n, items, key: ranked.append(len(items)) or choose(n, items, key=key))
    work = []
    for count in (300, 3000):
        ranked.clear()
        practices = synthetic(count, same_theme=True)
        related_practices(practices)
        assert len(ranked) == count
        assert max(ranked) <= 2 * NEIGHBOURS * max(len(tags(p)) for p in practices), max(ranked)
        work.append(sum(ranked))
    assert work[1] <= 10.5 * work[0], work  # a pairwise comparison would rank about 100 times as many

