"""`catalog validate` and the build check many files in two forked processes (catalog.records.validate): the
report must be exactly the one a single process gives — every problem, in the same order, the same
valid documents, the same pending translations, and duplicate ids found across the two halves."""

from __future__ import annotations

import datetime
import re

from catalog.core.parallel import PARALLEL_FROM
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD

TODAY = datetime.date(2026, 11, 23)


def test_two_processes_report_exactly_what_one_does(tmp_path):
    folder = tmp_path / "practices" / "pan"
    folder.mkdir(parents=True)
    original = EXAMPLE_RECORD.read_text("utf-8")
    count = PARALLEL_FROM + 10
    for index in range(count):
        text = original.replace("\nid: onpar-border-access\n", f"\nid: copy-{index:04d}\n", 1)
        if index % 50 == 7:  # a few invalid files, spread over both halves
            text = text.replace("\nstatus: ", "\nstatus: unknown-status\nstatus_note: ", 1)
        if index % 60 == 11:  # a missing Spanish title: a pending translation, not an error
            text = re.sub(r"\ntitle:\n  es: [^\n]*", "\ntitle:", text, count=1)
        (folder / f"copy-{index:04d}.yml").write_text(text, encoding="utf-8")
    # The last file repeats the first one's id: a duplicate across the two halves.
    (folder / "zzz-duplicate.yml").write_text(original.replace("\nid: onpar-border-access\n", "\nid: copy-0000\n", 1), "utf-8")

    one = validate_paths([tmp_path / "practices"], TODAY, workers=1)
    two = validate_paths([tmp_path / "practices"], TODAY, workers=2)
    assert one.files_checked == two.files_checked == count + 1
    assert one.problems == two.problems
    assert [d.path for d in one.documents] == [d.path for d in two.documents]
    assert [d.data for d in one.documents] == [d.data for d in two.documents]
    assert one.pending == two.pending
    # The comparison means something: there are problems, a duplicate, valid documents and pending ones.
    messages = {p.message for p in two.problems}
    assert "duplicate_id" in messages and len(messages) >= 2, messages
    assert next(p for p in two.problems if p.message == "duplicate_id").path.endswith("zzz-duplicate.yml")
    assert len(two.documents) > count - 20 and two.pending


def test_the_live_preview_checks_again_only_files_whose_bytes_changed(tmp_path, monkeypatch):
    import catalog.records.validate as validate

    folder = tmp_path / "practices" / "pan"
    folder.mkdir(parents=True)
    original = EXAMPLE_RECORD.read_text("utf-8")
    for index in range(5):
        (folder / f"copy-{index}.yml").write_text(original.replace("\nid: onpar-border-access\n", f"\nid: copy-{index}\n", 1))
    (folder / "copy-5.yml").write_text(original.replace("\nid: onpar-border-access\n", "\nid: copy-0\n", 1))  # duplicate id
    checked: list[str] = []
    real_check = validate.check_file
    monkeypatch.setattr(validate, "check_file", lambda path, today: checked.append(path.name) or real_check(path, today))

    unchanged: dict = {}
    first = validate_paths([tmp_path / "practices"], TODAY, unchanged=unchanged)
    assert len(checked) == 6
    again = validate_paths([tmp_path / "practices"], TODAY, unchanged=unchanged)
    assert len(checked) == 6  # nothing changed: nothing checked again
    assert again.problems == first.problems and [d.path for d in again.documents] == [d.path for d in first.documents]
    # The duplicate is found once, not once more per build (its file also is not named after its id).
    assert sorted(p.message for p in again.problems) == ["duplicate_id", "id_not_file_name"]

    (folder / "copy-3.yml").write_text(original.replace("\nid: onpar-border-access\n", "\nid: copy-3\n", 1)
                                       .replace("\nstatus: ", "\nstatus: sometimes\nstatus_note: ", 1))
    edited = validate_paths([tmp_path / "practices"], TODAY, unchanged=unchanged)
    assert checked[6:] == ["copy-3.yml"]
    fresh = validate_paths([tmp_path / "practices"], TODAY)
    assert edited.problems == fresh.problems
    assert [d.path for d in edited.documents] == [d.path for d in fresh.documents]
