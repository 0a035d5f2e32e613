"""The live preview's bookkeeping (catalog.mkdocs.preview): which pages a dirty `mkdocs serve` renders again."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.build import pages as site
from catalog.build import search
from catalog.core import datafiles
from catalog.mkdocs import preview as preview_module
from catalog.mkdocs.preview import Preview, PreviewOrderError
from catalog.present import render as render_module
from catalog.present.views import LanguageView
from catalog.records.history import Change, RecordHistory
from catalog.records.model import Text, load_practices
from tests.helpers import PRACTICES, site_context


@dataclass(frozen=True)
class FakePeriod:
    start_year: int = 2020


@dataclass
class FakePractice:
    id: str
    raw: dict
    country: str = "PAN"
    themes: tuple = ()
    mechanisms: tuple = ()
    status: str = "ongoing"
    submitted: str = "2026-01-01"
    period: FakePeriod = FakePeriod()


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

    def remove(self, file):
        self.files.remove(file)


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


def build(preview: Preview, overrides: Path, practices, pages: dict[str, str], on_files=None) -> dict[str, str]:
    """One build in the plugin's order; `on_files(preview)` stands for MkDocs' on_files, before MkDocs writes the pages."""
    preview.start_build(overrides)
    reuse = preview.reusable(practices, lambda p: "2026-01-01", paths)
    result = {path: reuse.get(path, text) for path, text in pages.items()}
    preview.finish_generation(practices, lambda p: "2026-01-01", result)
    if on_files is not None:
        on_files(preview)
    preview.finish_build()  # MkDocs wrote every page (the plugin's last step)
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
    files = files_for(tmp_path, [*pages, "index.md"])
    reuse = build(preview, overrides, [edited, b],
                  {**pages, "practices/a.md": "A2", "practices/a.en.md": "A2", "catalog/index.md": "A2 B"},
                  on_files=lambda preview: preview.mark_modified(files, lambda uri: uri != "index.md"))
    assert set(reuse) == {"practices/b.md", "practices/b.en.md"}  # b's pages are not rendered again
    assert preview.changed == {"practices/a.md", "practices/a.en.md", "catalog/index.md"}
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
    files = files_for(tmp_path, list(pages))
    mark = lambda preview: preview.mark_modified(files, lambda uri: True)  # noqa: E731
    build(preview, overrides, [a], pages, on_files=mark)
    assert not preview.everything_changed and preview.changed == set()
    assert not any(file.is_modified() for file in files.files)  # nothing changed: nothing rendered

    (overrides / "main.html").write_text("{% extends 'base.html' %}")
    assert build(preview, overrides, [a], pages, on_files=mark) == {}
    assert preview.everything_changed
    assert all(file.is_modified() for file in files.files)


def test_an_edit_of_mkdocs_yml_renders_everything_again(tmp_path):
    """mkdocs.yml names the publisher and the repository, which every page shows."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("extra:\n  publisher: {name: {es: A, en: A}}\n")
    preview = Preview()
    for _ in range(2):
        preview.start_build(overrides, config)
        preview.finish_generation([], lambda p: "", {})
        preview.finish_build()
    preview.start_build(overrides, config)
    assert not preview.everything_changed
    config.write_text("extra:\n  publisher: {name: {es: B, en: B}}\n")
    preview.start_build(overrides, config)
    assert preview.everything_changed


def test_mkdocs_sees_only_the_changed_generated_pages_in_every_language_and_those_nav_names(tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    a, b, c = (FakePractice(key, {"title": key.upper()}) for key in "abc")
    preview = Preview()
    pages = {f"practices/{key}{suffix}.md": key.upper() for key in "abc" for suffix in ("", ".en")}
    pages |= {"catalog/index.md": "A B C", "catalog/index.en.md": "A B C", "countries/pan.md": "A B C"}
    generated = pages.__contains__
    everything = files_for(tmp_path, [*pages, "index.md"])
    build(preview, overrides, [a, b, c], pages,
          on_files=lambda preview: preview.leave_out_unchanged(everything, generated, kept=["catalog/index.md"]))
    assert len(everything.files) == len(pages) + 1  # the first build: MkDocs sees every page

    # Only a's English title changed, yet both languages of its page stay (the language switch
    # pairs them); the catalog's index stays in both languages because nav names it.
    edited = {**pages, "practices/a.en.md": "A2"}
    files = files_for(tmp_path, [*edited, "index.md"])
    build(preview, overrides, [FakePractice("a", {"title": "A2"}), b, c], edited,
          on_files=lambda preview: preview.leave_out_unchanged(files, generated, kept=["catalog/index.md"]))
    assert {file.src_uri for file in files.files} == {
        "practices/a.md", "practices/a.en.md", "catalog/index.md", "catalog/index.en.md", "index.md"}


def test_after_a_build_stopped_by_an_invalid_record_the_last_good_build_stands(tmp_path):
    a = FakePractice("a", {"title": "A"})
    pages = {"practices/a.md": "A", "practices/a.en.md": "A"}
    preview = Preview()
    build(preview, tmp_path, [a], pages)
    preview.start_build(tmp_path)  # the records do not validate: no page is made, nothing written
    assert build(preview, tmp_path, [a], pages) == pages  # the record fixed: its pages are reused
    assert not preview.everything_changed


def test_after_a_build_that_failed_every_page_is_rendered_again(tmp_path):
    a = FakePractice("a", {"title": "A"})
    pages = {"practices/a.md": "A", "practices/a.en.md": "A"}
    preview = Preview()
    build(preview, tmp_path, [a], pages)
    preview.start_build(tmp_path)  # a build that stops before MkDocs has written its pages
    preview.finish_generation([a], lambda p: "2026-01-01", pages)
    files = files_for(tmp_path, list(pages))
    assert build(preview, tmp_path, [a], pages, on_files=lambda preview: preview.leave_out_unchanged(files, pages.__contains__)) == {}
    assert preview.everything_changed
    assert len(files.files) == 2


def test_a_page_never_written_is_always_rendered(tmp_path):
    preview = Preview()
    build(preview, tmp_path, [], {})
    preview.start_build(tmp_path)
    preview.finish_generation([], lambda p: "", {})
    assert not preview.everything_changed  # nothing changed, yet a page that was never written is rendered
    missing = FakeFile("practices/new.md", str(tmp_path / "src.md"), str(tmp_path / "nowhere" / "index.html"))
    preview.mark_modified(FakeFiles([missing]), lambda uri: True)
    assert missing.is_modified()


# --- with the real records: the listings of unchanged practices are reused, and right ------------

def _real_catalog():
    return load_practices(PRACTICES), site_context(RecordHistory())


def _preview_build(preview: Preview, practices, context, overrides: Path) -> dict[str, str]:
    """One build as the plugin makes it in `mkdocs serve --dirty` (on_pre_build's part, and the last step)."""
    preview.start_build(overrides)
    pages = preview.generate(practices, context)
    preview.finish_build()
    return pages


@pytest.mark.parametrize("page_size", [100, 4])  # 4: listings of several pages, most without the record
def test_after_an_edit_only_the_listings_showing_the_record_are_rendered_and_all_pages_are_right(tmp_path, monkeypatch,
                                                                                              page_size):
    monkeypatch.setattr(site, "PAGE_SIZE", page_size)
    practices, context = _real_catalog()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    preview = Preview()
    _preview_build(preview, practices, context, overrides)

    edited = practices[0]
    title = Text({**edited.title.values, "es": "VISTA PREVIA " + edited.title.values["es"]})
    practices[0] = dataclasses.replace(edited, title=title, raw={**edited.raw, "title": title.values})
    rendered: list[str] = []
    real_render = site.render

    def spy(template, **context):
        if template == "listing.html":
            rendered.append(context["page_url"])
        return real_render(template, **context)
    monkeypatch.setattr(site, "render", spy)
    pages = _preview_build(preview, practices, context, overrides)

    expected = {site.CATALOG_URL, site.country_url(edited.country), *map(site.theme_url, edited.themes),
                *map(site.mechanism_url, edited.mechanisms)}
    if page_size == 100:  # one page each: every listing showing the record once per language, nothing else
        assert sorted(rendered) == sorted([*expected, *expected])
    else:  # the first page of those listings, and the page showing the record; the other pages are reused
        assert {url.split("page-")[0] for url in rendered} == expected
        assert len(rendered) <= 4 * len(expected) < len([u for e in expected for u in pages if u.startswith(e)])
    monkeypatch.setattr(site, "render", real_render)
    full = site.generate_pages(practices, context)
    # Reused or not, every page is that of a full build: the listings, the edited record's pages, and the
    # pages of the practices that show it among their related practices (its card, with the new title).
    listings = [path for path in full if not path.startswith("practices/")]
    assert len(listings) > 20 and {path: pages[path] for path in listings} == {path: full[path] for path in listings}
    assert all(pages[path] == full[path] for path in site.practice_page_paths(practices[0]))
    showing = [path for path in full if path.startswith("practices/") and edited.id not in path and "VISTA PREVIA" in full[path]]
    assert showing and all("VISTA PREVIA" in pages[path] for path in showing)
    assert pages == full
    assert "VISTA PREVIA" in pages[site.docs_path(site.country_url(edited.country), "es")]


def test_after_an_edit_of_themes_the_pages_whose_related_practices_changed_are_rendered_again(tmp_path):
    """Related practices are chosen by shared themes and mechanisms: a practice given other themes
    leaves the related lists of some pages and enters others; every page is then that of a full build,
    and the pages whose lists did not change are reused."""
    practices, context = _real_catalog()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    preview = Preview()
    before = _preview_build(preview, practices, context, overrides)
    edited = practices[0]
    themes = [theme for theme in (p.themes[0] for p in practices[::-1]) if theme not in edited.themes][:1]
    practices[0] = dataclasses.replace(edited, themes=themes, raw={**edited.raw, "themes": themes})
    preview.start_build(overrides)  # as the next build starts (templates unchanged)
    reused = preview.reusable(practices, lambda p: site.history_shown(p, context), site.practice_page_paths)
    pages = _preview_build(preview, practices, context, overrides)

    full = site.generate_pages(practices, context)
    assert pages == full
    lists_changed = [p for p in practices[1:] if before[site.practice_page_paths(p)[0]] != full[site.practice_page_paths(p)[0]]]
    assert lists_changed, "the edit should change some other practice's related practices"
    assert not any(path in reused for p in lists_changed for path in site.practice_page_paths(p))
    assert reused  # the pages whose related practices did not change are still reused


def test_a_commit_made_while_serving_shows_in_the_dates_of_the_record_it_changed(tmp_path):
    """A practice page shows its record's last-update date from git (never a commit subject). A commit
    made while serving renders that page again with the new date, as a full build does. (This test
    used to check that the commit's subject was listed; pages no longer show subjects.)"""
    practices = load_practices(PRACTICES)
    # Submitted before the commits: git dates before a record's `submitted` are not shown (test_untrusted_history).
    record = practices[0] = dataclasses.replace(practices[0], submitted="2026-10-01", updated=None)
    added = Change("a" * 40, "2026-11-01", "Add the practice", False, True)
    corrected = Change("b" * 40, "2026-11-05", "Correct the figure of 2023", False, False)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    preview = Preview()
    _preview_build(preview, practices, site_context(RecordHistory({record.source_path: (added,)}, available=True)), overrides)
    context = site_context(RecordHistory({record.source_path: (corrected, added)}, available=True))
    pages = _preview_build(preview, practices, context, overrides)
    page = pages[site.practice_page_paths(record)[0]]
    assert "5 de noviembre de 2026" in page and "Correct the figure of 2023" not in page
    assert pages == site.generate_pages(practices, context)


def test_a_record_that_moves_between_listings_renders_every_listing(tmp_path):
    practices, context = _real_catalog()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    preview = Preview()
    _preview_build(preview, practices, context, overrides)
    changed_at = lambda p: site.history_shown(p, context)  # noqa: E731 - as the plugin keys a record
    preview.start_build(overrides)  # the next build, templates unchanged
    assert preview.listing_test(practices, changed_at) is not None
    moved = dataclasses.replace(practices[0], themes=[*practices[0].themes[1:]] or ["other"])
    assert preview.listing_test([moved, *practices[1:]], changed_at) is None


def test_the_preview_writes_only_the_changed_pages_and_any_page_missing(tmp_path):
    docs = tmp_path / "docs"
    pages = {f"practices/{key}.md": f"---\ntitle: {key}\n---\n\n{site.BODY_MARKER}\n<p>{key}</p>\n" for key in "abc"}
    assert site.write_pages(docs, pages) == 3
    (docs / "practices" / "c.md").unlink()  # gone from docs/ since the last build
    (docs / "practices" / "b.md").write_text("edited by hand", encoding="utf-8")
    edited = {**pages, "practices/a.md": pages["practices/a.md"].replace("title: a", "title: A")}
    assert site.write_pages(docs, edited, changed={"practices/a.md"}) == 2  # a changed, c missing
    assert "title: A" in (docs / "practices" / "a.md").read_text(encoding="utf-8")
    assert (docs / "practices" / "c.md").exists()
    assert (docs / "practices" / "b.md").read_text(encoding="utf-8") == "edited by hand"  # not read again
    assert site.write_pages(docs, edited) == 1  # a full build compares every page


def test_a_build_that_starts_while_the_background_job_runs_abandons_it(tmp_path):
    preview = Preview()
    started, abandoned, finished = threading.Event(), threading.Event(), threading.Event()

    def job():  # stands for the downloads and the search index: ends soon once abandoned
        started.set()
        abandoned.wait(60)
        finished.set()

    build(preview, tmp_path, [], {})  # the background job follows a build
    preview_module.IDLE_SECONDS, idle = 0.0, preview_module.IDLE_SECONDS
    try:
        preview.later(job, abandon=abandoned.set)
        assert started.wait(10)
        begun = time.monotonic()
        preview.wait()
        assert finished.is_set() and time.monotonic() - begun < 10
    finally:
        preview_module.IDLE_SECONDS = idle


def test_a_background_job_not_started_yet_is_dropped(tmp_path):
    preview = Preview()
    build(preview, tmp_path, [], {})  # the background job follows a build
    calls = []
    preview.later(lambda: calls.append("job"), abandon=lambda: calls.append("abandon"))
    preview.wait()
    time.sleep(0.1)
    assert "job" not in calls


def test_a_search_index_run_killed_midway_leaves_the_last_index_whole(tmp_path):
    site_dir = tmp_path / "site"
    (site_dir / search.OUTPUT_DIR).mkdir(parents=True)
    (site_dir / search.OUTPUT_DIR / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    output = tmp_path / "run"
    output.mkdir()
    run = search.IndexRun("es", output, subprocess.Popen(["sleep", "60"], stdout=subprocess.PIPE, text=True), time.perf_counter())
    threading.Timer(0.2, search.kill_index, [[run]]).start()
    with pytest.raises(RuntimeError, match="Pagefind failed"):
        search.finish_index(site_dir, [run])
    assert (site_dir / search.OUTPUT_DIR / "pagefind-entry.json").read_text(encoding="utf-8") == "{}"
    assert not output.exists()  # the run's own folder is removed


def test_a_card_is_kept_across_builds_until_its_template_changes(monkeypatch):
    practice = load_practices(PRACTICES)[0]
    view = LanguageView("es")
    rendered = []
    real_render = render_module.render
    monkeypatch.setattr(render_module, "render", lambda *args, **kw: rendered.append(args) or real_render(*args, **kw))
    template = datafiles.PACKAGE_DIR / "templates" / "card.html"
    status = template.stat()
    cards = Preview().kept.cards  # the preview's, kept across its builds

    def card_after_a_new_build() -> str:
        datafiles.new_build()
        return cards.card(practice, view, "countries/")

    first = card_after_a_new_build()
    assert card_after_a_new_build() == first and len(rendered) == 1  # the next build keeps it
    try:
        os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))  # as an edit would
        assert card_after_a_new_build() == first and len(rendered) == 2  # rendered again
    finally:
        os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
        datafiles.new_build()


def test_the_pages_of_a_deleted_or_renamed_record_leave_the_served_site(tmp_path):
    """A dirty build never deletes a built page: the preview removes, in every language, the pages of the
    last build that this one has not, so that the served site (and the search index made from it) holds
    exactly the pages of a full build."""
    practices, context = _real_catalog()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    preview = Preview()
    before = _preview_build(preview, practices, context, overrides)
    served = tmp_path / "site"
    for docs_path in before:  # the site MkDocs wrote from the first build
        page = served / preview_module.built_file(docs_path)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("built", encoding="utf-8")

    deleted, renamed = practices[0], practices[1]
    new_id = renamed.id + "-renamed"
    practices = [dataclasses.replace(renamed, id=new_id, raw={**renamed.raw, "id": new_id},
                                     source_path=renamed.source_path.replace(renamed.id, new_id)), *practices[2:]]
    preview.start_build(overrides)
    pages = preview.generate(practices, context)
    preview.write(tmp_path / "docs", served, pages)
    preview.finish_build()

    full = site.generate_pages(practices, context)
    assert pages == full
    left = {path.relative_to(served).as_posix() for path in served.rglob("index.html")}
    assert left == {preview_module.built_file(path) for path in before if path in full}
    for gone in (deleted, renamed):
        for language_root in ("", "en/"):
            assert f"{language_root}practices/{gone.id}/index.html" not in left
            assert not (served / language_root / "practices" / gone.id).exists()
    assert f"en/practices/{renamed.id}/index.html" in {preview_module.built_file(p) for p in before}


@pytest.mark.parametrize(("docs_path", "built"), [
    ("practices/a.md", "practices/a/index.html"), ("practices/a.en.md", "en/practices/a/index.html"),
    ("catalog/index.md", "catalog/index.html"), ("catalog/index.en.md", "en/catalog/index.html"),
    ("countries/pan/page-2.en.md", "en/countries/pan/page-2/index.html"),
])
def test_where_mkdocs_writes_a_generated_page(docs_path, built):
    assert preview_module.built_file(docs_path) == built


def test_the_steps_of_a_build_go_in_their_order_and_a_wrong_order_says_so(tmp_path):
    """The plugin calls the preview's steps in one order (catalog.mkdocs.preview's docstring); a step
    called out of it raises, naming the step, the one before it and the order, instead of quietly
    reusing what an earlier build left."""
    preview = Preview()
    assert preview.step == "new"
    with pytest.raises(PreviewOrderError, match=r"finish_build cannot follow new; the steps go start_build → load"):
        preview.finish_build()
    with pytest.raises(PreviewOrderError, match="load cannot follow new"):
        preview.load(tmp_path)
    with pytest.raises(PreviewOrderError, match="reusable cannot follow new"):
        preview.reusable([], lambda p: "", paths)
    preview.start_build(tmp_path)
    files = files_for(tmp_path, ["practices/a.md"])
    with pytest.raises(PreviewOrderError, match="mark_modified cannot follow start_build"):  # no pages made yet
        preview.mark_modified(files, lambda uri: True)
    with pytest.raises(PreviewOrderError, match="write cannot follow start_build"):
        preview.write(tmp_path / "docs", tmp_path / "site", {})
    with pytest.raises(PreviewOrderError, match="later cannot follow start_build"):
        preview.later(lambda: None)
    preview.finish_generation([], lambda p: "", {})
    preview.write(tmp_path / "docs", tmp_path / "site", {})
    preview.leave_out_unchanged(files, lambda uri: True)
    preview.mark_modified(files, lambda uri: True)
    assert preview.step == "write"  # MkDocs' files are read, not a step of their own
    preview.finish_build()
    with pytest.raises(PreviewOrderError, match="finish_generation cannot follow finish_build"):
        preview.finish_generation([], lambda p: "", {})  # the next build has not started
    with pytest.raises(PreviewOrderError, match="mark_modified cannot follow finish_build"):
        preview.mark_modified(files, lambda uri: True)
    preview.start_build(tmp_path)  # a build may also start after one that stopped midway
    preview.start_build(tmp_path)


def test_what_the_preview_decided_is_read_only(tmp_path):
    """Tests and the plugin read what a build decided; only the steps change it."""
    preview = Preview()
    build(preview, tmp_path, [], {})
    for name, value in (("everything_changed", False), ("changed", frozenset()), ("step", "finish_build")):
        with pytest.raises(AttributeError):
            setattr(preview, name, value)
