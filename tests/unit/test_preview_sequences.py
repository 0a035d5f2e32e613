"""The live preview against full builds, on random sequences of edits: whatever an editor does while
`mkdocs serve` runs (edit a title, a status, themes, dates or figures; add, delete or rename a record;
commit), every page the preview gives MkDocs is the page a full build makes from the same records.

The sequences are drawn from seeded generators, so a failure names the seed and the edits that led to it.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from catalog.build import pages as site
from catalog.mkdocs.plugin import generate_with_preview
from catalog.mkdocs.preview import Preview
from catalog.records.history import Change, RecordHistory
from catalog.records.model import Indicator, Period, ResultValue, Text, load_practices
from tests.helpers import PRACTICES, site_context

SEQUENCES_PER_CHUNK = 50
CHUNKS = 4  # 200 sequences in all, spread over the test workers
CATALOG_SIZE = 4  # small, so that a full build to compare with stays cheap; the edits reach every kind of page
THEMES = ("access-to-procedure", "border-reception", "registration-documentation", "backlog-reduction", "gender")


def _with_raw(practice, **fields):
    """The practice with fields replaced, in the typed model and in the record data the preview keys on."""
    raw = {**practice.raw}
    for name, value in fields.items():
        raw[name] = value.values if isinstance(value, Text) else value
    return dataclasses.replace(practice, **fields, raw=raw)


def edit_title(rng, practices, history):
    index = rng.randrange(len(practices))
    practice = practices[index]
    practices[index] = _with_raw(practice, title=Text({**practice.title.values, "es": f"Título {rng.randrange(10**6)}"}))
    return f"title of {practice.id}"


def edit_status(rng, practices, history):
    index = rng.randrange(len(practices))
    practice = practices[index]
    status = rng.choice([s for s in ("ongoing", "unknown", "completed") if s != practice.status])
    end = str(practice.period.start_year + 1) if status == "completed" else None
    period = Period(practice.period.start, end, practice.period.note)
    practices[index] = dataclasses.replace(_with_raw(practice, status=status), period=period)
    return f"status of {practice.id} → {status}"


def edit_themes(rng, practices, history):
    index = rng.randrange(len(practices))
    themes = tuple(rng.sample(THEMES, rng.randint(1, 3)))
    practices[index] = _with_raw(practices[index], themes=list(themes))
    practices[index] = dataclasses.replace(practices[index], themes=themes)
    return f"themes of {practices[index].id} → {themes}"


def edit_dates(rng, practices, history):
    index = rng.randrange(len(practices))
    practice = practices[index]
    start = str(rng.randint(2015, 2024))
    practices[index] = dataclasses.replace(_with_raw(practice, period={"start": start}), period=Period(start))
    practices[index] = dataclasses.replace(practices[index], status="ongoing", raw={**practices[index].raw, "status": "ongoing"})
    return f"start of {practice.id} → {start}"


def edit_results(rng, practices, history):
    index = rng.randrange(len(practices))
    practice = practices[index]
    year = practice.period.start_year
    indicator = Indicator(Text({"es": "Solicitudes", "en": "Applications"}), "applications",
                          (ResultValue(year, rng.randrange(1, 10_000)),), source=1)
    practices[index] = dataclasses.replace(practice, results=(indicator,),
                                           raw={**practice.raw, "results": [repr(indicator)]})
    return f"results of {practice.id}"


def add_record(rng, practices, history):
    source = rng.choice(practices)
    new_id = f"copia-{rng.randrange(10**6)}"
    practices.append(dataclasses.replace(source, id=new_id, source_path=f"practices/x/{new_id}.yml",
                                         raw={**source.raw, "id": new_id}))
    practices.sort(key=lambda p: p.id)
    return f"add {new_id}"


def delete_record(rng, practices, history):
    if len(practices) <= 2:
        return add_record(rng, practices, history)
    gone = practices.pop(rng.randrange(len(practices)))
    return f"delete {gone.id}"


def rename_record(rng, practices, history):
    index = rng.randrange(len(practices))
    old = practices[index]
    new_id = f"renombrada-{rng.randrange(10**6)}"
    practices[index] = dataclasses.replace(old, id=new_id, source_path=f"practices/x/{new_id}.yml", raw={**old.raw, "id": new_id})
    practices.sort(key=lambda p: p.id)
    return f"rename {old.id} → {new_id}"


def commit(rng, practices, history):
    practice = rng.choice(practices)
    day = f"2026-11-{rng.randint(1, 28):02d}"
    earlier = history.get(practice.source_path, ())
    change = Change(f"{rng.randrange(16**40):040x}", day, f"Corrige la ficha {rng.randrange(1000)}", False, not earlier)
    history[practice.source_path] = (change, *earlier)
    return f"commit to {practice.id} on {day}"


EDITS = (edit_title, edit_status, edit_themes, edit_dates, edit_results, add_record, delete_record, rename_record, commit)


def _build(preview: Preview, practices, context, overrides: Path) -> dict[str, str]:
    """One build as the plugin makes it in `mkdocs serve --dirty`."""
    preview.start_build(overrides)
    pages = generate_with_preview(practices, context, preview, workers=1)
    preview.finish_build()
    return pages


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_edit_sequences_give_the_pages_of_a_full_build(tmp_path: Path, chunk: int) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    practices = load_practices(PRACTICES)[:CATALOG_SIZE]
    history: dict[str, tuple[Change, ...]] = {}
    preview = Preview()
    _build(preview, practices, site_context(RecordHistory(dict(history), available=True)), overrides)
    kinds_seen = set()
    for sequence in range(SEQUENCES_PER_CHUNK):
        seed = chunk * SEQUENCES_PER_CHUNK + sequence
        rng = random.Random(seed)
        done = []
        for _ in range(rng.randint(1, 3)):
            edit = rng.choice(EDITS)
            kinds_seen.add(edit.__name__)
            done.append(edit(rng, practices, history))
            context = site_context(RecordHistory(dict(history), available=True))
            pages = _build(preview, practices, context, overrides)
        full = site.generate_pages(practices, context)
        assert pages.keys() == full.keys(), f"seed {seed}: {done}: pages {sorted(pages.keys() ^ full.keys())[:4]}"
        wrong = [path for path in full if pages[path] != full[path]]
        assert not wrong, f"seed {seed}: after {done}, these pages differ from a full build's: {wrong[:5]}"
    assert kinds_seen == {edit.__name__ for edit in EDITS}  # every kind of edit was tried
