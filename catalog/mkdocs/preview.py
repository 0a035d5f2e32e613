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
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from catalog.build.related import related_practices
from catalog.core.datafiles import PACKAGE_DIR
from catalog.core.languages import LANGUAGES, docs_suffix
from catalog.records.model import Practice

FINGERPRINTED = ("templates", "data", "schema")  # inside the package
IDLE_SECONDS = 5.0  # the downloads and the search index wait this long after a build for the next edit


class Preview:
    def __init__(self) -> None:
        self.fingerprint = ""
        self.records: dict[str, tuple[object, object]] = {}  # practice id → (record data, history shown)
        self.pages: dict[str, str] = {}  # docs path → page text of the last build
        self.changed: set[str] = set()  # docs paths whose text changed in this build
        self.everything_changed = True
        self.checked: dict = {}  # record file → (its bytes, its validation result): catalog.records.validate
        self.made: dict = {}  # record file → its practice (catalog.records.model.load_practices)
        self.signature: tuple = ()  # listing_signature of the last build
        self.related: dict[str, tuple[str, ...]] = {}  # practice id → its related practices' ids, last build
        self._relations: tuple[tuple, dict[str, tuple[str, ...]]] | None = None  # (signature, relations) cache
        self.completed = False  # whether the last build that generated pages also wrote them all
        self._background: threading.Timer | None = None
        self._abandon: Callable[[], None] | None = None

    def start_build(self, overrides: Path, config_file: Path | None = None) -> None:
        """Before a build: wait for the last build's background work, and see whether templates or the
        site's configuration changed (mkdocs.yml holds the publisher, the repository and the nav, which
        pages show; MkDocs reloads it at each rebuild, but a dirty build renders only the pages it is told to).
        After a build that failed once its pages were made (some may not be in the site), every page
        is rendered again; after one that stopped earlier (an invalid record), the last good build
        still stands."""
        self.wait()
        fingerprint = folder_fingerprint([PACKAGE_DIR / name for name in FINGERPRINTED] + [overrides],
                                         [config_file] if config_file else [])
        self.everything_changed = fingerprint != self.fingerprint or not self.completed
        self.fingerprint = fingerprint
        if self.everything_changed:  # the schema or the vocabularies may have changed: check every file
            self.checked.clear()

    def reusable(self, practices: Iterable[Practice], history_shown: Callable[[Practice], object],
                 page_paths: Callable[[Practice], Iterable[str]]) -> dict[str, str]:
        """The pages of the last build that can be reused as they are: those of unchanged records whose
        related practices are the same as in the last build, and unchanged too (their cards show them)."""
        if self.everything_changed:
            return {}
        practices = list(practices)
        changed = self._changed_records(practices, history_shown)
        related = self.relations(practices)
        reuse = {}
        for practice in practices:
            others = related[practice.id]
            if practice.id in changed or self.related.get(practice.id) != others or not changed.isdisjoint(others):
                continue
            reuse.update({path: self.pages[path] for path in page_paths(practice) if path in self.pages})
        return reuse

    def relations(self, practices: list[Practice]) -> dict[str, tuple[str, ...]]:
        """Practice id → the ids of its related practices (catalog.build.related), which decide what is reused
        and are rendered (catalog.build.pages.Reuse). They depend only on what listing_signature holds, so
        they are ranked again only when that changed (an edit of themes, country or years), not after
        an edit of a text: once per build at most."""
        signature = listing_signature(practices)
        if self._relations is None or self._relations[0] != signature:
            ranked = related_practices(practices)
            self._relations = (signature, {key: tuple(other.id for other in others) for key, others in ranked.items()})
        return self._relations[1]

    def listing_test(self, practices: list[Practice],
                     history_shown: Callable[[Practice], object]) -> Callable[[list[Practice]], bool] | None:
        """When no record moved in or out of a listing, or within one, since the last build: a test of
        whether all of a listing's practices are unchanged (then its pages are too). Else None."""
        if self.everything_changed or listing_signature(practices) != self.signature:
            return None
        changed = self._changed_records(practices, history_shown)
        return lambda members: not any(practice.id in changed for practice in members)

    def _changed_records(self, practices: list[Practice], history_shown: Callable[[Practice], object]) -> set[str]:
        """Ids of the practices whose record, or what their pages show of its history, changed since the last build."""
        return {p.id for p in practices if self.records.get(p.id) != (p.raw, history_shown(p))}

    def finish_generation(self, practices: list[Practice], history_shown: Callable[[Practice], object],
                          pages: dict[str, str]) -> None:
        """Remember this build's records and pages, and which pages changed since the last one."""
        self.changed = {path for path, text in pages.items() if self.pages.get(path) != text}
        self.records = {practice.id: (practice.raw, history_shown(practice)) for practice in practices}
        self.related = self.relations(practices)
        self.signature = listing_signature(practices)
        self.pages = pages
        self.completed = False  # until MkDocs has written them (finish_build)

    def finish_build(self) -> None:
        """The build wrote every page: the next one may leave unchanged pages out."""
        self.completed = True

    def leave_out_unchanged(self, files, generated: Callable[[str], bool], kept: Iterable[str] = ()) -> None:
        """Remove from MkDocs' files (before mkdocs-static-i18n sorts them by language) the generated
        pages whose text did not change in any language, but for the pages `kept` (in any language);
        the served site keeps their last HTML."""
        if self.everything_changed:
            return
        needed = {_page_of(path) for path in [*self.changed, *kept]}
        for file in list(files.documentation_pages()):
            if generated(file.src_uri) and _page_of(file.src_uri) not in needed:
                files.remove(file)

    def mark_modified(self, files, generated: Callable[[str], bool]) -> None:
        """Tell MkDocs' dirty build which pages to render again: generated pages whose text changed,
        hand-written pages whenever any record changed (their live blocks show counts and the latest
        practices), every page when the templates changed, and any page not written yet."""
        something_changed = self.everything_changed or bool(self.changed)
        for file in files.documentation_pages():
            if self.everything_changed or not os.path.isfile(file.abs_dest_path):
                modified = True
            elif generated(file.src_uri):
                modified = file.src_uri in self.changed
            else:
                modified = something_changed or _source_newer(file)
            file.is_modified = _answer(modified)

    def later(self, job: Callable[[], None], abandon: Callable[[], None] | None = None) -> None:
        """Run job once the editor pauses (the browser reloads meanwhile): a build that starts before
        then cancels it, and makes its own; one that starts while it runs calls `abandon` (which
        makes the job end soon, leaving the site as it was) and waits for it to end."""
        self._background = threading.Timer(IDLE_SECONDS, job)
        self._background.daemon = True
        self._background.start()
        self._abandon = abandon

    def wait(self) -> None:
        if self._background is not None:
            self._background.cancel()  # not started yet: dropped
            if self._background.is_alive() and self._abandon is not None:
                self._abandon()
            self._background.join()
            self._background = None


def listing_signature(practices: list[Practice]) -> tuple:
    """What decides which listings show a practice, and where: its id, country, themes, mechanisms,
    status, date of submission and start year (catalog.build.pages.browse_pages); it holds all that decides
    its related practices too (catalog.build.related)."""
    return tuple((p.id, p.country, tuple(p.themes), tuple(p.mechanisms), p.status, p.submitted, p.period.start_year)
                 for p in practices)


def _page_of(docs_path: str) -> str:
    """A generated page's Markdown file without its language: practices/a.en.md → practices/a."""
    for language in LANGUAGES[::-1]:  # the default language's suffix is empty: test it last
        suffix = docs_suffix(language) + ".md"
        if docs_path.endswith(suffix):
            return docs_path.removesuffix(suffix)
    return docs_path


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
