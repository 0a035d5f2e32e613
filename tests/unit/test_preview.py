"""The live preview's bookkeeping (catalog.preview): which pages a dirty `mkdocs serve` renders again."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from catalog.preview import Preview


@dataclass
class FakePractice:
    id: str
    raw: dict


@dataclass
class FakeFile:
    src_uri: str
    abs_src_path: str
    abs_dest_path: str

    def is_modified(self) -> bool:  # replaced by Preview.mark_modified
        raise AssertionError("not decided")


class FakeFiles:
    def __init__(self, files):
        self.files = files

    def documentation_pages(self):
        return self.files


def paths(practice) -> list[str]:
    return [f"practices/{practice.id}.md", f"practices/{practice.id}.en.md"]


def files_for(tmp_path: Path, names: list[str]) -> FakeFiles:
    files = []
    for name in names:
        source, dest = tmp_path / "docs" / name, tmp_path / "site" / name / "index.html"
        for path in (source, dest):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x")
        os.utime(source, (1, 1))  # written long before the page was built
        files.append(FakeFile(name, str(source), str(dest)))
    return FakeFiles(files)


def build(preview: Preview, overrides: Path, practices, pages: dict[str, str]) -> dict[str, str]:
    preview.start_build(overrides)
    reuse = preview.reusable(practices, lambda p: "2026-01-01", paths)
    result = {path: reuse.get(path, text) for path, text in pages.items()}
    preview.finish_generation(practices, lambda p: "2026-01-01", result)
    return reuse


def test_only_the_pages_of_an_edited_record_and_the_listings_are_rendered_again(tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    a, b = FakePractice("a", {"title": "A"}), FakePractice("b", {"title": "B"})
    preview = Preview()
    pages = {"practices/a.md": "A", "practices/a.en.md": "A", "practices/b.md": "B", "practices/b.en.md": "B",
             "catalog/index.md": "A B"}
    assert build(preview, overrides, [a, b], pages) == {}  # the first build reuses nothing
    assert preview.everything_changed

    edited = FakePractice("a", {"title": "A2"})
    reuse = build(preview, overrides, [edited, b],
                  {**pages, "practices/a.md": "A2", "practices/a.en.md": "A2", "catalog/index.md": "A2 B"})
    assert set(reuse) == {"practices/b.md", "practices/b.en.md"}  # b's pages are not rendered again
    assert preview.changed == {"practices/a.md", "practices/a.en.md", "catalog/index.md"}

    files = files_for(tmp_path, [*pages, "index.md"])
    preview.mark_modified(files, lambda uri: uri != "index.md")
    modified = {file.src_uri for file in files.files if file.is_modified()}
    # The hand-written home page shows counts and the latest practices: it is rendered again too.
    assert modified == {"practices/a.md", "practices/a.en.md", "catalog/index.md", "index.md"}


def test_a_template_edit_renders_everything_again(tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    a = FakePractice("a", {"title": "A"})
    preview = Preview()
    pages = {"practices/a.md": "A", "practices/a.en.md": "A"}
    build(preview, overrides, [a], pages)
    build(preview, overrides, [a], pages)
    assert not preview.everything_changed and preview.changed == set()
    files = files_for(tmp_path, list(pages))
    preview.mark_modified(files, lambda uri: True)
    assert not any(file.is_modified() for file in files.files)  # nothing changed: nothing rendered

    (overrides / "main.html").write_text("{% extends 'base.html' %}")
    assert build(preview, overrides, [a], pages) == {}
    assert preview.everything_changed
    preview.mark_modified(files, lambda uri: True)
    assert all(file.is_modified() for file in files.files)


def test_a_page_never_written_is_always_rendered(tmp_path):
    preview = Preview()
    preview.start_build(tmp_path)
    preview.finish_generation([], lambda p: "", {})
    preview.everything_changed = False
    missing = FakeFile("practices/new.md", str(tmp_path / "src.md"), str(tmp_path / "nowhere" / "index.html"))
    preview.mark_modified(FakeFiles([missing]), lambda uri: True)
    assert missing.is_modified()
