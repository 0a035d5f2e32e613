"""Live preview: what `mkdocs serve --dirty` (scripts/dev serve) rebuilds after an edit.

A full build renders every page of both languages; an editor who saves one record wants to see that
record's page, and the listings that show it, within a few seconds. Between two builds of one
`serve` process (the plugin keeps one Preview, since it defines on_startup), this remembers:

- each record's data and what its pages show of its git history (last change, latest commits), and
  each practice's related practices (the cards at the foot of its page), to reuse the page text of a
  practice whose record did not change, whose related practices are the same as before and none of
  whose related practices changed;
- every generated page's text, to reuse the listings none of whose practices changed (when no record
  moved between listings), and to keep the generated pages that did not change out of MkDocs' files
  (`leave_out_unchanged`): their last HTML stays in the served site, and MkDocs, mkdocs-static-i18n
  and Material spend nothing on them. The dirty build renders the changed pages in every language
  (so the language switch finds its pair) and the hand-written pages, whose live blocks count the
  records (`mark_modified`);
- a fingerprint of the package's templates, data files and schema, of the theme overrides and of
  mkdocs.yml: when it changes (a label edited in ui.yml, the publisher's name in mkdocs.yml), nothing
  is reused and every page is rebuilt.

Records whose bytes did not change keep their validation results. The downloads and the search index
are made in the background once the editor pauses.

All of it is one object, a Preview, whose caches are `preview.kept` (a Kept: the records' checks and
practices, the cards, the related practices, the last build) and whose steps are its methods, which
the plugin calls in this order, once per build (on_files once per language):

    start_build → load → generate → write → leave_out_unchanged, mark_modified → finish_build → later

`generate` is `reusable`, then the pages made (catalog.build.pages, with what it reuses), then
`finish_generation`. A step called out of its order raises PreviewOrderError; a build may stop at any
step (an invalid record, a page that fails), so `start_build` may follow any step.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog.build.pages import Reuse, SiteContext, generate_pages, history_shown, practice_page_paths, write_pages
from catalog.build.related import related_practices
from catalog.core.datafiles import PACKAGE_DIR
from catalog.core.languages import DEFAULT_LANGUAGE, LANGUAGES, docs_suffix, language_root
from catalog.present.render import Cards
from catalog.records.model import KeptRecords, Practice, load_practices

FINGERPRINTED = ("templates", "data", "schema")  # inside the package
IDLE_SECONDS = 5.0  # the downloads and the search index wait this long after a build for the next edit

ORDER = "start_build → load → generate (reusable … finish_generation) → write → on_files → finish_build → later"
# Each step, and the steps it may follow ("new": none yet). start_build may follow any step.
_AFTER = {
    "load": {"start_build"},
    "reusable": {"start_build", "load"},
    "listing_test": {"start_build", "load"},
    "relations": {"start_build", "load"},
    "finish_generation": {"start_build", "load"},
    "write": {"finish_generation"},
    "leave_out_unchanged": {"finish_generation", "write"},
    "mark_modified": {"finish_generation", "write"},
    "finish_build": {"finish_generation", "write"},
    "later": {"finish_build"},
}
_QUERIES = {"reusable", "listing_test", "relations", "leave_out_unchanged", "mark_modified"}  # leave the phase as it is


class PreviewOrderError(RuntimeError):
    """A step of the live preview called out of its order."""


@dataclass
class LastBuild:
    """What the preview remembers of its last build."""

    fingerprint: str = ""  # of the templates, data files, schema, overrides and mkdocs.yml it was made with
    records: dict[str, tuple[object, object]] = field(default_factory=dict)  # practice id → (record data, history shown)
    pages: dict[str, str] = field(default_factory=dict)  # docs path → page text
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # practice id → its related practices' ids
    signature: tuple = ()  # listing_signature
    completed: bool = False  # whether MkDocs wrote all its pages (finish_build)

    def changed_records(self, practices: list[Practice], history_shown: Callable[[Practice], object]) -> set[str]:
        """Ids of the practices whose record, or what their pages show of its history, changed since."""
        return {p.id for p in practices if self.records.get(p.id) != (p.raw, history_shown(p))}


@dataclass
class Kept:
    """The live preview's caches, kept from one build to the next of one `serve` process."""

    records: KeptRecords = field(default_factory=KeptRecords)  # checks and practices (catalog.records.model)
    cards: Cards = field(default_factory=Cards)  # the practices' cards in listings (catalog.present.render)
    relations: tuple[tuple, dict[str, tuple[str, ...]]] | None = None  # (listing signature, related ids)
    last: LastBuild = field(default_factory=LastBuild)

    def related_ids(self, practices: list[Practice]) -> dict[str, tuple[str, ...]]:
        """Practice id → the ids of its related practices (catalog.build.related), ranked again only when
        what decides them (listing_signature) changed."""
        signature = listing_signature(practices)
        if self.relations is None or self.relations[0] != signature:
            ranked = related_practices(practices)
            self.relations = (signature, {key: tuple(other.id for other in others) for key, others in ranked.items()})
        return self.relations[1]


class Preview:
    """The live preview: its caches (`kept`) and its steps, in their order (see the module's docstring)."""

    def __init__(self) -> None:
        self.kept = Kept()
        self._step = "new"  # the last step taken
        self._everything_changed = True
        self._changed: frozenset[str] = frozenset()
        self._removed: set[str] = set()  # docs paths of earlier builds not yet removed from the site
        self._background = Background()

    step = property(lambda self: self._step, doc='The last step taken ("new" before the first build).')

    @property
    def everything_changed(self) -> bool:
        """Whether this build reuses nothing (the first build, one after a failed build, or an edit of a
        template, a data file, the schema, the overrides or mkdocs.yml)."""
        return self._everything_changed

    @property
    def changed(self) -> frozenset[str]:
        """The docs paths whose text changed in this build (known from finish_generation on)."""
        return self._changed

    def _take(self, step: str) -> None:
        if self._step not in _AFTER[step]:
            raise PreviewOrderError(f"live preview: {step} cannot follow {self._step}; the steps go {ORDER}")
        if step not in _QUERIES:
            self._step = step

    def start_build(self, overrides: Path, config_file: Path | None = None) -> None:
        """Before a build: wait for the last build's background work, and see whether templates or the
        site's configuration changed (mkdocs.yml holds the publisher, the repository and the nav, which
        pages show; MkDocs reloads it at each rebuild, but a dirty build renders only the pages it is told to).
        After a build that failed once its pages were made (some may not be in the site), every page
        is rendered again; after one that stopped earlier (an invalid record), the last good build
        still stands."""
        self.wait()
        self._step, self._changed, last = "start_build", frozenset(), self.kept.last
        fingerprint = folder_fingerprint([PACKAGE_DIR / name for name in FINGERPRINTED] + [overrides],
                                         [config_file] if config_file else [])
        self._everything_changed, last.fingerprint = fingerprint != last.fingerprint or not last.completed, fingerprint
        if self._everything_changed:  # the schema or the vocabularies may have changed: check every file
            self.kept.records.forget_checks()

    def load(self, records: Path, workers: int = 1) -> list[Practice]:
        """The validated records (catalog.records.model.load_practices), those whose bytes did not change
        taken as they were; raises InvalidRecords (the build stops, the last good one stands)."""
        self._take("load")
        return load_practices(records, workers, self.kept.records)

    def generate(self, practices: list[Practice], context: SiteContext) -> dict[str, str]:
        """Every generated page (catalog.build.pages.generate_pages), those of unchanged records and
        listings taken from the last build."""
        history, by_id = (lambda practice: history_shown(practice, context)), {practice.id: practice for practice in practices}
        related = {key: [by_id[other] for other in others] for key, others in self.relations(practices).items()}
        reuse = Reuse(self.reusable(practices, history, practice_page_paths), self.kept.last.pages,
                      self.listing_test(practices, history), related, self.kept.cards)
        pages = generate_pages(practices, context, reuse)
        self.finish_generation(practices, history, pages)
        return pages

    def reusable(self, practices: Iterable[Practice], history_shown: Callable[[Practice], object],
                 page_paths: Callable[[Practice], Iterable[str]]) -> dict[str, str]:
        """The pages of the last build that can be reused as they are: those of unchanged records whose
        related practices are the same as in the last build, and unchanged too (their cards show them)."""
        self._take("reusable")
        if self._everything_changed:
            return {}
        practices = list(practices)
        last = self.kept.last
        changed = last.changed_records(practices, history_shown)
        related = self.kept.related_ids(practices)
        reuse = {}
        for practice in practices:
            others = related[practice.id]
            if practice.id in changed or last.related.get(practice.id) != others or not changed.isdisjoint(others):
                continue
            reuse.update({path: last.pages[path] for path in page_paths(practice) if path in last.pages})
        return reuse

    def relations(self, practices: list[Practice]) -> dict[str, tuple[str, ...]]:
        """Practice id → the ids of its related practices (catalog.build.related), which decide what is reused
        and are rendered (catalog.build.pages.Reuse). They depend only on what listing_signature holds, so
        they are ranked again only when that changed (an edit of themes, country or years), not after
        an edit of a text: once per build at most."""
        self._take("relations")
        return self.kept.related_ids(practices)

    def listing_test(self, practices: list[Practice],
                     history_shown: Callable[[Practice], object]) -> Callable[[list[Practice]], bool] | None:
        """When no record moved in or out of a listing, or within one, since the last build: a test of
        whether all of a listing's practices are unchanged (then its pages are too). Else None."""
        self._take("listing_test")
        if self._everything_changed or listing_signature(practices) != self.kept.last.signature:
            return None
        changed = self.kept.last.changed_records(practices, history_shown)
        return lambda members: not any(practice.id in changed for practice in members)

    def finish_generation(self, practices: list[Practice], history_shown: Callable[[Practice], object],
                          pages: dict[str, str]) -> None:
        """Remember this build's records and pages, and which pages changed since the last one."""
        self._take("finish_generation")
        last = self.kept.last
        self._changed = frozenset(path for path, text in pages.items() if last.pages.get(path) != text)
        self._removed = (self._removed | set(last.pages)) - set(pages)  # with any a failed build left behind
        last.records = {practice.id: (practice.raw, history_shown(practice)) for practice in practices}
        last.related = self.kept.related_ids(practices)
        last.signature = listing_signature(practices)
        last.pages = pages
        last.completed = False  # until MkDocs has written them (finish_build)

    def write(self, docs_dir: Path, site_dir: Path, pages: dict[str, str]) -> int:
        """Write the generated pages into docs/ (catalog.build.pages.write_pages; only those that changed,
        and any missing, unless everything did), and delete from the served site the pages that are gone
        since the last build; return how many pages were written."""
        self._take("write")
        remove_built(site_dir, self._removed)
        self._removed = set()
        return write_pages(docs_dir, pages, None if self._everything_changed else set(self._changed))

    def leave_out_unchanged(self, files, generated: Callable[[str], bool], kept: Iterable[str] = ()) -> None:
        """Remove from MkDocs' files (before mkdocs-static-i18n sorts them by language) the generated
        pages whose text did not change in any language, but for the pages `kept` (in any language);
        the served site keeps their last HTML."""
        self._take("leave_out_unchanged")
        if not self._everything_changed:
            leave_out(files, generated, {_page_of(path) for path in [*self._changed, *kept]})

    def mark_modified(self, files, generated: Callable[[str], bool]) -> None:
        """Tell MkDocs' dirty build which pages to render again: generated pages whose text changed,
        hand-written pages whenever any record changed (their live blocks show counts and the latest
        practices), every page when the templates changed, and any page not written yet."""
        self._take("mark_modified")
        mark_modified(files, generated, self._changed, self._everything_changed)

    def finish_build(self) -> None:
        """The build wrote every page: the next one may leave unchanged pages out."""
        self._take("finish_build")
        self.kept.last.completed = True

    def later(self, job: Callable[[], None], abandon: Callable[[], None] | None = None) -> None:
        """Run job once the editor pauses (see Background)."""
        self._take("later")
        self._background.start(job, abandon)

    def wait(self) -> None:
        """Wait for the background job, if any (at any step: it only ends a thread)."""
        self._background.wait()


class Background:
    """The live preview's background job (the downloads and the search index): it runs once the editor
    pauses (the browser reloads meanwhile); a build that starts before then cancels it, and makes its
    own; one that starts while it runs calls `abandon` (which makes the job end soon, leaving the site
    as it was) and waits for it to end."""

    def __init__(self) -> None:
        self._timer: threading.Timer | None = None
        self._abandon: Callable[[], None] | None = None

    def start(self, job: Callable[[], None], abandon: Callable[[], None] | None) -> None:
        self._timer = threading.Timer(IDLE_SECONDS, job)
        self._timer.daemon = True
        self._timer.start()
        self._abandon = abandon

    def wait(self) -> None:
        if self._timer is not None:
            self._timer.cancel()  # not started yet: dropped
            if self._timer.is_alive() and self._abandon is not None:
                self._abandon()
            self._timer.join()
            self._timer = None


def remove_built(site_dir: Path, removed: Iterable[str]) -> None:
    """Delete from the served site the pages (docs paths) that are gone since the last build, in every
    language: a dirty build writes pages and never deletes one, so the pages of a deleted or renamed
    record (and a listing left empty) would still be served, and found by the search index, which is
    made from the site's files. Each page's folder goes too when nothing else is left in it."""
    for docs_path in sorted(removed):
        page = site_dir / built_file(docs_path)
        page.unlink(missing_ok=True)
        for folder in (page.parent, *page.parent.parents):
            if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
                break
            folder.rmdir()


def leave_out(files, generated: Callable[[str], bool], needed: set[str]) -> None:
    """Remove from MkDocs' files the generated pages but those `needed` (pages without their language)."""
    for file in list(files.documentation_pages()):
        if generated(file.src_uri) and _page_of(file.src_uri) not in needed:
            files.remove(file)


def mark_modified(files, generated: Callable[[str], bool], changed: Iterable[str], everything: bool) -> None:
    """Mark each of MkDocs' files as modified or not (see Preview.mark_modified)."""
    changed = set(changed)
    something_changed = everything or bool(changed)
    for file in files.documentation_pages():
        if everything or not os.path.isfile(file.abs_dest_path):
            modified = True
        elif generated(file.src_uri):
            modified = file.src_uri in changed
        else:
            modified = something_changed or _source_newer(file)
        file.is_modified = _answer(modified)


def listing_signature(practices: list[Practice]) -> tuple:
    """What decides which listings show a practice, and where: its id, country, themes, mechanisms,
    status, date of submission and start year (catalog.build.pages.browse_pages); it holds all that decides
    its related practices too (catalog.build.related)."""
    return tuple((p.id, p.country, tuple(p.themes), tuple(p.mechanisms), p.status, p.submitted, p.period.start_year)
                 for p in practices)


def _page_of(docs_path: str) -> str:
    """A generated page's Markdown file without its language: practices/a.en.md → practices/a."""
    return _page_and_language(docs_path)[0]


def _page_and_language(docs_path: str) -> tuple[str, str]:
    for language in LANGUAGES[::-1]:  # the default language's suffix is empty: test it last
        suffix = docs_suffix(language) + ".md"
        if docs_path.endswith(suffix):
            return docs_path.removesuffix(suffix), language
    return docs_path, DEFAULT_LANGUAGE


def built_file(docs_path: str) -> str:
    """Where MkDocs writes a generated page, relative to the site (directory URLs, and the language's
    root of mkdocs-static-i18n): practices/a.en.md → en/practices/a/index.html, catalog/index.md →
    catalog/index.html."""
    page, language = _page_and_language(docs_path)
    url = page.removesuffix("index") if page == "index" or page.endswith("/index") else page + "/"
    return f"{language_root(language)}{url}index.html"


def folder_fingerprint(folders: Iterable[Path], files: Iterable[Path] = ()) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for path in files:
        digest.update(b"\1" + str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def _source_newer(file) -> bool:
    """MkDocs' own test: the source changed after the page was last written."""
    return os.path.getmtime(file.abs_dest_path) < os.path.getmtime(file.abs_src_path)


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value
