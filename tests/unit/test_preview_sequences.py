"""The live preview against full builds, on random sequences of edits: whatever an editor does while
`mkdocs serve` runs (edit a title, a status, themes, dates or figures; add, delete or rename a record;
commit; edit the theme's overrides; save a record invalid, then fix it), every page the preview gives
MkDocs is the page a full build makes from the same records.

Each sequence edits real record files in a git repository on disk, and each edit is followed by one
build through the preview's own steps, in the plugin's order: start_build → load (the records
validated, those whose bytes did not change kept) → generate → write (docs/, and the pages of
deleted records out of the served site) → leave_out_unchanged, mark_modified (MkDocs' files) →
finish_build. A stand-in for MkDocs writes into the served site exactly the pages it was told to
render. After each sequence, the pages, docs/ and the served site must be those of a full build made
from scratch (records read and checked again, git history read again).

The sequences are drawn from seeded generators, so a failure names the seed and the edits that led to it.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.build import pages as site
from catalog.core.paths import GENERATED_DIRS
from catalog.mkdocs.preview import Preview, built_file
from catalog.records.history import read_history
from catalog.records.loader import load_document
from catalog.records.model import InvalidRecords, load_practices
from catalog.records.record_yaml import dump
from tests.helpers import PRACTICES, site_context

SEQUENCES_PER_CHUNK = 50
CHUNKS = 4  # 200 sequences in all, spread over the test workers
CATALOG_SIZE = 4  # small, so that a full build to compare with stays cheap; the edits reach every kind of page
THEMES = ("access-to-procedure", "border-reception", "registration-documentation", "backlog-reduction", "gender")
SCHEMA_LINE = "# yaml-language-server: $schema=../../catalog/schema/practice.schema.json\n"


# --- the project on disk: records in a git repository -------------------------------------------

def _git(root: Path, *arguments: str, day: str = "2026-10-01") -> None:
    moment = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false",
                    *arguments], cwd=root, env=env, check=True, capture_output=True)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for practice in load_practices(PRACTICES)[:CATALOG_SIZE]:
        target = root / practice.source_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PRACTICES.parent / practice.source_path, target)
    (root / "overrides").mkdir()
    (root / ".gitignore").write_text("/docs/\n/site/\n", encoding="utf-8")  # what the builds write
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Add the practices")
    return root


def _records(root: Path) -> list[Path]:
    return sorted((root / "practices").rglob("*.yml"))


def _read(path: Path) -> dict:
    return load_document(path).data


def _write(path: Path, data: dict) -> None:
    path.write_text(SCHEMA_LINE + dump(data), encoding="utf-8")


# --- the edits: each changes the files as an editor would, keeping every record valid ---------

def _result_years(data: dict) -> list[int]:
    return [int(value["year"]) for item in data.get("results", []) for value in item["values"]]


def edit_title(rng, root, _preview):
    path = rng.choice(_records(root))
    data = _read(path)
    data["title"][data["original_language"]] = f"Título {rng.randrange(10**6)}"
    _write(path, data)
    return f"title of {path.stem}"


def edit_status(rng, root, _preview):
    path = rng.choice(_records(root))
    data = _read(path)
    status = rng.choice([s for s in ("ongoing", "unknown", "completed") if s != data["status"]])
    period = data["period"]
    if status == "ongoing":
        period.pop("end", None)
    elif status == "completed" and "end" not in period:
        start = int(str(period["start"])[:4])
        period["end"] = type(period["start"])(max([start, *_result_years(data)]))
    data["status"] = status
    _write(path, data)
    return f"status of {path.stem} → {status}"


def edit_themes(rng, root, _preview):
    path = rng.choice(_records(root))
    data = _read(path)
    data["themes"] = rng.sample(THEMES, rng.randint(1, 3))
    _write(path, data)
    return f"themes of {path.stem} → {data['themes']}"


def edit_dates(rng, root, _preview):
    path = rng.choice(_records(root))
    data = _read(path)
    period = data["period"]
    latest = min([2024, *_result_years(data), *([int(str(period["end"])[:4])] if "end" in period else [])])
    start = rng.randint(latest - 6, latest)
    period["start"] = type(period["start"])(start)
    _write(path, data)
    return f"start of {path.stem} → {start}"


def edit_results(rng, root, _preview):
    path = rng.choice([path for path in _records(root) if "results" in _read(path)])
    data = _read(path)
    item = rng.choice(data["results"])
    item["values"][0]["value"] = rng.randrange(1, 10_000)
    _write(path, data)
    return f"results of {path.stem}"


def add_record(rng, root, _preview):
    source = rng.choice(_records(root))
    new_id = f"copia-{rng.randrange(10**6)}"
    data = {**_read(source), "id": new_id}
    _write(source.with_name(f"{new_id}.yml"), data)
    return f"add {new_id}"


def delete_record(rng, root, _preview):
    if len(_records(root)) <= 2:
        return add_record(rng, root, _preview)
    gone = rng.choice(_records(root))
    gone.unlink()
    return f"delete {gone.stem}"


def rename_record(rng, root, _preview):
    old = rng.choice(_records(root))
    new_id = f"renombrada-{rng.randrange(10**6)}"
    data = {**_read(old), "id": new_id}
    old.unlink()
    _write(old.with_name(f"{new_id}.yml"), data)
    return f"rename {old.stem} → {new_id}"


def commit(rng, root, _preview):
    day = f"2026-11-{rng.randint(1, 28):02d}"
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", f"Corrige la ficha {rng.randrange(1000)}", day=day)
    return f"commit on {day}"


def edit_overrides(rng, root, _preview):
    """An edit of the theme's overrides (as of a template or mkdocs.yml): the next build renders everything."""
    (root / "overrides" / "main.html").write_text(f"{{% extends 'base.html' %}}{{# {rng.randrange(10**6)} #}}\n",
                                                 encoding="utf-8")
    return "edit overrides/main.html"


def break_record(rng, root, preview):
    """A record saved invalid (a status outside the vocabulary): the build stops before anything is made
    or written, and the editor's fix is built on the last good build."""
    path = rng.choice(_records(root))
    good, data = path.read_bytes(), _read(path)
    data["status"] = "finished"
    _write(path, data)
    docs = {page: page.read_bytes() for page in (root / "docs").rglob("*.md")}
    with pytest.raises(InvalidRecords):
        _preview_build(preview, root)
    assert {page: page.read_bytes() for page in (root / "docs").rglob("*.md")} == docs
    path.write_bytes(good)
    return f"break and fix {path.stem}"


EDITS = (edit_title, edit_status, edit_themes, edit_dates, edit_results, add_record, delete_record, rename_record, commit,
         edit_overrides, break_record)


# --- builds -------------------------------------------------------------------------------------

@dataclass
class Page:
    """What the preview's on_files steps read of one of MkDocs' files (mkdocs.structure.files.File)."""

    src_uri: str
    abs_src_path: str
    abs_dest_path: str


class Files:
    def __init__(self, files: list[Page]):
        self.files = files

    def documentation_pages(self) -> list[Page]:
        return self.files

    def remove(self, file: Page) -> None:
        self.files.remove(file)


def _theme(root: Path) -> str:
    """What the served pages take from the theme besides their text: the overrides."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted((root / "overrides").rglob("*.html")))


def _preview_build(preview: Preview, root: Path) -> dict[str, str]:
    """One build as the plugin makes it in `mkdocs serve --dirty`, MkDocs standing in as a writer of
    the pages it is told to render (the theme and the page's text, in the served site)."""
    preview.start_build(root / "overrides")
    practices = preview.load(root / "practices")
    pages = preview.generate(practices, site_context(read_history(root, "practices")))
    served = root / "site"
    preview.write(root / "docs", served, pages)
    files = Files([Page(path, str(root / "docs" / path), str(served / built_file(path))) for path in pages])
    preview.leave_out_unchanged(files, pages.__contains__)
    preview.mark_modified(files, pages.__contains__)
    for file in files.documentation_pages():
        if file.is_modified():
            Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
            Path(file.abs_dest_path).write_text(_theme(root) + pages[file.src_uri], encoding="utf-8")
    preview.finish_build()
    return pages


def _full_build(root: Path) -> dict[str, str]:
    return site.generate_pages(load_practices(root / "practices"), site_context(read_history(root, "practices")))


def _differences(root: Path, pages: dict[str, str], full: dict[str, str]) -> list[str]:
    """Where the preview's pages, docs/ or served site differ from a full build's pages."""
    found = [f"pages: {path}" for path in sorted(pages.keys() ^ full.keys())]
    found += [f"page text: {path}" for path in full if path in pages and pages[path] != full[path]]
    docs = root / "docs"
    written = {path.relative_to(docs).as_posix() for folder in GENERATED_DIRS for path in (docs / folder).rglob("*.md")}
    found += [f"docs/: {path}" for path in sorted(written ^ full.keys())]
    found += [f"docs/ text: {path}" for path in full if path in written
              and (docs / path).read_text(encoding="utf-8") != site.split_page(full[path])[0]]
    served = root / "site"
    built = {path.relative_to(served).as_posix() for path in served.rglob("index.html")}
    found += [f"site/: {path}" for path in sorted(built ^ {built_file(path) for path in full})]
    found += [f"site/ text: {path}" for path in full if built_file(path) in built
              and (served / built_file(path)).read_text(encoding="utf-8") != _theme(root) + full[path]]
    return found


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_edit_sequences_give_the_pages_of_a_full_build(tmp_path: Path, chunk: int) -> None:
    root = _project(tmp_path)
    preview = Preview()
    _preview_build(preview, root)
    kinds_seen = set()
    for sequence in range(SEQUENCES_PER_CHUNK):
        seed = chunk * SEQUENCES_PER_CHUNK + sequence
        rng = random.Random(seed)
        done = []
        for _ in range(rng.randint(1, 3)):
            edit = rng.choice(EDITS)
            kinds_seen.add(edit.__name__)
            done.append(edit(rng, root, preview))
            pages = _preview_build(preview, root)
        wrong = _differences(root, pages, _full_build(root))
        assert not wrong, f"seed {seed}: after {done}, these differ from a full build: {wrong[:5]}"
    assert kinds_seen == {edit.__name__ for edit in EDITS}  # every kind of edit was tried
