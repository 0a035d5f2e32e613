"""The MkDocs plugin: the only module that knows about MkDocs. Each handler calls the layers below.

Registered as the entry point `catalog` (pyproject.toml), used in mkdocs.yml as `plugins: - catalog`.
Its state belongs to one build and lives on the instance, never in module globals.

mkdocs-static-i18n builds the default language and then, from inside that build's on_post_build,
builds every other language again with the same plugins: every handler fires once per language.
The plugin counts how deep it is in those nested builds, so that the records are read and the pages
written once, at the start of the outer build (write_pages rewrites only pages whose text changed,
so that `mkdocs serve` settles), and the downloads and the search index are made once,
at its very end.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import FileSystemLoader
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page
from pathspec.gitignore import GitIgnoreSpec

from catalog.build import compendium, exports, search
from catalog.build.pages import (
    BODY_MARKER,
    PageError,
    SiteContext,
    contact_block,
    generate_pages,
    insert_blocks,
    live_blocks,
    publisher_block,
    split_page,
    write_pages,
)
from catalog.core.datafiles import PACKAGE_DIR, new_build
from catalog.core.i18n import ui_strings
from catalog.core.languages import DEFAULT_LANGUAGE, LANGUAGES, language_root
from catalog.core.paths import FACETS, GENERATED_DIRS
from catalog.core.publisher import PublisherError
from catalog.core.settings import Settings, read_settings
from catalog.mkdocs.preview import Preview
from catalog.present.fields_doc import field_reference
from catalog.present.form import form_block, ways_in_block
from catalog.present.map_blocks import map_blocks
from catalog.present.render import compact_html
from catalog.present.views import LanguageView
from catalog.records.history import RecordHistory, date_notes, read_history
from catalog.records.loader import LoadError, load_document
from catalog.records.model import InvalidRecords, Practice, load_practices
from catalog.records.problems import Problem, field_name, format_problem

log = logging.getLogger("mkdocs.plugins.catalog")


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled theme templates, kept for the life of the process. MkDocs makes a new Jinja environment
    for every build (each language, each `serve` rebuild) and would compile Material's templates
    again; Jinja checks each template's source checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_THEME_BYTECODE = _MemoryBytecodeCache()


class _ThemeLoader(FileSystemLoader):
    """The theme's template loader, but listing its files without walking hidden folders. MkDocs lists
    every theme file at every build (each language, each `serve` rebuild) to find the static files to
    copy, and then drops each path with a part starting with a dot: Material's .icons alone holds
    13,000 files, a fifth of a live-preview rebuild. Templates load from hidden folders as before."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, folders, names in os.walk(searchpath, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                inside = Path(folder).relative_to(searchpath)
                found.update((inside / name).as_posix() for name in names if not name.startswith("."))
        return sorted(found)


def list_theme_without_hidden_folders(theme) -> None:
    """Give the Jinja environments MkDocs makes from this theme a _ThemeLoader."""
    if getattr(theme, "catalog_loader", False):
        return
    make_environment = theme.get_env

    def get_env():
        environment = make_environment()
        environment.loader = _ThemeLoader(environment.loader.searchpath, followlinks=environment.loader.followlinks)
        return environment
    theme.get_env, theme.catalog_loader = get_env, True

FIELDS_MARKER = "<!-- catalog:fields -->"


class CatalogConfig(Config):
    """The plugin's options in mkdocs.yml (all optional)."""

    records = c.Type(str, default="practices")  # the records' folder, relative to mkdocs.yml
    open_data = c.Type(bool, default=True)  # write the downloads, feeds and sitemap into the site
    search = c.Type(bool, default=True)  # build the Pagefind index of the finished site
    # Also typeset the PDF compendium of each language into data/ (slow: the deploy workflow asks
    # for it with CATALOG_COMPENDIUM=true; a plain build does not import WeasyPrint at all).
    compendium = c.Type(bool, default=False)


# The live preview's two steps on MkDocs' files (catalog.mkdocs.preview), as the plugin's on_files.
@event_priority(0)  # before mkdocs-static-i18n sorts the files by language (at -100)
def _leave_out_unchanged(plugin: CatalogPlugin, files, config: MkDocsConfig):
    """MkDocs sees only the generated pages that changed, and those nav names (the tabs link them)."""
    if plugin.preview is not None:
        plugin.preview.leave_out_unchanged(files, plugin.bodies.__contains__, kept=_nav_files(config.nav))
    return files


@event_priority(-200)  # after mkdocs-static-i18n has made each language's files (at -100)
def _mark_modified(plugin: CatalogPlugin, files, config: MkDocsConfig):
    """MkDocs renders again only the pages that changed."""
    if plugin.preview is not None:
        plugin.preview.mark_modified(files, plugin.bodies.__contains__)
    return files


class CatalogPlugin(BasePlugin[CatalogConfig]):
    """Records → generated pages before MkDocs reads docs/; open data and search after the last language."""

    def __init__(self) -> None:
        self.practices: list[Practice] = []
        self.outputs: _Outputs | None = None  # the downloads and the search index; kept across `serve` rebuilds
        self.bodies: dict[str, str] = {}  # generated page (docs path) → its pre-rendered body
        self.page_blocks: dict[str, dict[str, str]] = {}  # hand-written page → its live blocks (marker → HTML)
        self._depth = 0  # 1 in the outer build, 2 in a nested per-language build
        self.settings: Settings | None = None  # mkdocs.yml's site_url and extra, checked
        self.serving = False
        self.preview: Preview | None = None  # only in `mkdocs serve --dirty`

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """In `mkdocs serve --dirty` (scripts/dev serve), rebuild only what an edit changed (catalog.mkdocs.preview).
        Defining this handler also keeps one plugin instance across the rebuilds of one `serve`."""
        self.serving = command == "serve"
        self.preview = Preview() if self.serving and dirty else None
        if self.preview is not None:  # MkDocs warns of every dirty build; this one knows what changed
            logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)

    @event_priority(-200)  # after mkdocs-static-i18n has set this build's language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Keep the generated folders out of nav (a page's weight must not grow with the catalog).
        Only the default language's build writes 404.html: GitHub Pages serves a single 404 page
        (ours is bilingual), and the later English build would otherwise overwrite it with lang="en"."""
        list_theme_without_hidden_folders(config.theme)
        generated = GitIgnoreSpec.from_lines(f"/{folder}/" for folder in GENERATED_DIRS)
        config.not_in_nav = config.not_in_nav + generated if config.not_in_nav else generated
        if config.theme["language"] != DEFAULT_LANGUAGE:
            config.theme.static_templates.discard("404.html")
        else:
            config.theme.static_templates.add("404.html")
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """At the start of the outer build: read the data files and the schema again (so that
        `mkdocs serve` shows their edits), validate every record and write the generated pages.
        An invalid record stops the build here, before MkDocs cleans or writes site/."""
        self._depth += 1
        if self._depth > 1:
            return  # a nested per-language build: the outer one has written every language's pages
        root = _root(config)
        if self.outputs is None:
            self.outputs = _Outputs(self.config.open_data, self.config.search, self.config.compendium)
        self.outputs.site_dir = Path(config.site_dir).resolve()  # the nested builds write into its language folders
        if self.preview is not None:  # first: waits for the last build's background job, which reads the data files
            self.preview.start_build(Path(config.theme.custom_dir or root / "overrides"),
                                     Path(config.config_file_path) if config.config_file_path else None)
        new_build()
        try:
            self.settings = read_settings(config.extra, config.site_url)
        except PublisherError as error:
            raise PluginError(str(error)) from None
        # Forked checkers and renderers, except under `serve`, whose watcher threads make forking unsafe.
        self.practices = _load(root / self.config.records, workers=1 if self.serving else 2, preview=self.preview)
        context = SiteContext.of(self.settings, read_history(root, self.config.records))
        _log_date_notes(context.history, self.practices)
        pages = _pages_or_stop(self.practices, context, self.preview, root, workers=1 if self.serving else 2)
        if self.preview is None:
            written = write_pages(Path(config.docs_dir), pages)
        else:  # only the pages that changed; those of a deleted or renamed record leave the served site
            written = self.preview.write(Path(config.docs_dir), self.outputs.site_dir, pages)
        self.bodies = {path: split_page(page)[1] for path, page in pages.items()}
        self.outputs.make_downloads(self.practices, config.site_url or "", context, later=self.preview is not None)
        log.info(f"catalog: {len(self.practices)} practices, {written} generated page(s) changed")

    on_files = CombinedEvent(_leave_out_unchanged, _mark_modified)

    def on_env(self, env, config: MkDocsConfig, files):
        """Theme templates are compiled once per process, not once per language and `serve` rebuild.
        Give theme templates (404, overrides) the interface strings of every language, where each
        language's pages live (catalog_language_root('en') → 'en/') and the catalog's filter names."""
        env.bytecode_cache = _THEME_BYTECODE
        env.globals["catalog_ui"] = {language: ui_strings(language) for language in LANGUAGES}
        env.globals["catalog_language_root"] = language_root
        env.globals["catalog_is_home"] = _is_home_page
        env.globals["catalog_default_language"] = DEFAULT_LANGUAGE
        env.globals["catalog_facets"] = FACETS
        env.globals["catalog_publisher"] = {language: Markup(publisher_block(self.settings.publisher, LanguageView(language)))
                                            for language in LANGUAGES}
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        """Fill the live blocks (counts, latest additions, downloads, maps) of hand-written pages in the page's language."""
        language = getattr(page.file, "locale", None) or DEFAULT_LANGUAGE
        url = page.url.removeprefix(language_root(language))
        # The field reference is Markdown (a table), so it is inserted before Markdown is rendered.
        if FIELDS_MARKER in markdown:
            markdown = markdown.replace(FIELDS_MARKER, field_reference(language))
        blocks = _hand_written_blocks(self.practices, self.settings, self.outputs.downloads if self.config.open_data else None,
                                      page.url)
        self.page_blocks[page.file.src_uri] = live_blocks(markdown, language, url, self.practices, blocks)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files) -> str:
        """A generated page's body, rendered before the build, takes the place of its marker; so do
        the live blocks of a hand-written page."""
        body = self.bodies.get(page.file.src_uri)
        if body is None:
            try:
                return insert_blocks(html, self.page_blocks.pop(page.file.src_uri, {}))
            except ValueError as error:
                raise PluginError(f"{page.file.src_uri}: {error}") from None
        if BODY_MARKER not in html:
            raise PluginError(f"{page.file.src_uri}: the generated page lost its body marker; delete docs/ and build again")
        return html.replace(BODY_MARKER, body, 1)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Pages go out without indentation: lighter on slow links, same rendering; hand-written
        pages are marked for the search index, which reads the site in place."""
        if self.config.search:
            output = search.mark_for_search(output, page.file.dest_uri)
        return compact_html(output)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """`mkdocs serve` also rebuilds when a record, a template, a data file or the schema changes,
        but not when the build itself writes the generated pages into docs/ (that would start a
        second build after every edit)."""
        _watch_all_but_generated(server, Path(config.docs_dir))
        server.watch(str(_root(config) / self.config.records))
        server.watch(str(PACKAGE_DIR))
        return server

    @event_priority(0)  # before mkdocs-static-i18n builds the other languages (at -100) inside this event
    def _index_this_language(self, config: MkDocsConfig) -> None:
        """As soon as one language's pages are written, Pagefind starts indexing them (see _Outputs)."""
        if self.preview is None:
            self.outputs.index(config.theme["language"])

    @event_priority(-200)  # after mkdocs-static-i18n has built the other languages (at -100)
    def _finish_site(self, config: MkDocsConfig) -> None:
        """After the last language: the open-data downloads and sitemap, and the search index."""
        self._depth -= 1
        if self._depth > 0:
            return  # a nested per-language build; the outer build finishes the job
        if self.preview is None:
            self.outputs.finish()
        else:
            self.preview.finish_build()
            self.preview.later(self.outputs.finish_later(), abandon=self.outputs.abandon)

    on_post_build = CombinedEvent(_index_this_language, _finish_site)

    def on_build_error(self, error: Exception) -> None:
        """A failed build (an invalid record, say) leaves no half-counted nesting behind for `serve`'s
        next one, and no indexing process running."""
        self._depth = 0
        if self.outputs is not None:
            self.outputs.stop()


class _Outputs:
    """What goes into the site besides its pages: the open-data downloads, made before the pages (the
    open-data page states their sizes), and the search index: each language's Pagefind process starts
    as soon as that language's pages are written, and runs while the next language builds. In the
    live preview both wait until the editor pauses (the last sizes stand meanwhile)."""

    def __init__(self, open_data: bool, index: bool, with_compendium: bool) -> None:
        self.open_data, self.index_wanted, self.with_compendium = open_data, index, with_compendium
        self.site_dir = Path()
        self.exports: exports.Exports | None = None
        self.downloads: dict[str, bytes] = {}  # site path → bytes
        self.runs: list[search.IndexRun] = []
        self.made_later: Callable[[], None] | None = None
        self.abandoned = False

    def make_downloads(self, practices: list[Practice], site_url: str, context: SiteContext, later: bool) -> None:
        self.made_later = None
        if not self.open_data:
            return
        make = functools.partial(self._make, practices, site_url, context)
        if later and self.downloads:
            self.made_later = make
        else:
            make()

    def _make(self, practices: list[Practice], site_url: str, context: SiteContext) -> None:
        self.exports, self.downloads = _downloads(practices, site_url, context, self.with_compendium)

    def index(self, language: str) -> None:
        if self.index_wanted:
            self.runs.append(search.start_index(self.site_dir, language))

    def finish(self) -> None:
        try:
            _finish(self.site_dir, self.exports if self.open_data else None, self.downloads, self.runs)
        finally:
            self.runs = []

    def finish_later(self) -> Callable[[], None]:
        """The live preview's background job. A build that starts meanwhile abandons it (`abandon`):
        its Pagefind runs are killed and the served site keeps its last search index."""
        make, self.abandoned = self.made_later, False

        def background() -> None:
            try:
                if make is not None:
                    make()
                if not self.abandoned:
                    for language in LANGUAGES:
                        self.index(language)
                    if self.abandoned:  # while they were starting
                        search.kill_index(self.runs)
                    self.finish()
            except Exception:
                if not self.abandoned:
                    raise
        return background

    def abandon(self) -> None:
        self.abandoned = True
        search.kill_index(list(self.runs))

    def stop(self) -> None:
        runs, self.runs = self.runs, []
        search.stop_index(runs)


def _finish(site_dir: Path, made: exports.Exports | None, downloads: dict[str, bytes], runs: list[search.IndexRun]) -> None:
    """The open-data downloads and sitemap, and the search index of the finished pages: Python writes
    the downloads in a thread while Pagefind, other processes, indexes (no HTML among the downloads)."""
    with concurrent.futures.ThreadPoolExecutor(1) as writer:
        written = writer.submit(exports.write_exports, site_dir, made, downloads) if made is not None else None
        if runs:
            search.finish_index(site_dir, runs)
        if written is not None:
            written.result()  # raises what the writer raised


def _log_date_notes(history: RecordHistory, practices: list[Practice]) -> None:
    """Say in the build log which records show their own dates because git's cannot be shown. At
    info level: `--strict` counts warnings, and a commit's date must never stop the build."""
    for note in date_notes(history, ((practice.source_path, practice.submitted) for practice in practices)):
        log.info(format_problem(note, "both"))


def _downloads(practices: list[Practice], site_url: str, context: SiteContext,
               with_compendium: bool) -> tuple[exports.Exports, dict[str, bytes]]:
    """The open-data downloads (site path → bytes), and the PDF compendium if asked for."""
    made = exports.exports_for(practices, site_url, context)
    downloads = exports.download_files(made)
    if with_compendium:
        downloads |= compendium.site_files(practices, compendium.Context(context, made.build_date))
    return made, downloads


def _hand_written_blocks(practices: list[Practice], settings: Settings, downloads: dict[str, bytes] | None,
                         page_url: str) -> dict[str, Callable[[LanguageView, str], str]]:
    """The live blocks a hand-written page may hold, besides catalog.build.pages's own (stats, latest)."""
    publisher, email = settings.publisher, settings.email
    blocks: dict[str, Callable[[LanguageView, str], str]] = {"publisher": lambda view, _url: publisher_block(publisher, view),
                                                            "contact": lambda view, _url: contact_block(publisher, view)}
    if downloads is not None:
        sizes = {path: len(data) for path, data in downloads.items()}
        blocks["downloads"] = lambda view, url: exports.downloads_block(view, url, sizes, practices)
    blocks.update(map_blocks(practices))
    # The form's scripts are addressed from the page's real URL (/en/propose/ for English).
    blocks["form"] = lambda view, _url: form_block(view, page_url, settings.repository, settings.branch, email, publisher.contact)
    blocks["ways"] = lambda view, url: ways_in_block(view, url, settings.repository, email)
    return blocks


def _watch_all_but_generated(server, docs: Path) -> None:
    """MkDocs watches the whole docs/ folder; keep its files and hand-written folders, not GENERATED_DIRS.
    (A folder added to docs/ while serving is watched from the next `serve` on.)"""
    server.unwatch(str(docs))
    server.watch(str(docs), recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and child.name not in GENERATED_DIRS:
            server.watch(str(child))


def _is_home_page(page) -> bool:
    """A language's home page (index.md, index.en.md): Material's is_homepage is true for the default language's only."""
    return bool(page) and page.url in {language_root(language) for language in LANGUAGES}


def _nav_files(nav) -> Iterator[str]:
    """The Markdown files named in mkdocs.yml's nav (a list of titles → files or sections)."""
    for item in nav or []:
        for value in item.values() if isinstance(item, dict) else [item]:
            if isinstance(value, list):
                yield from _nav_files(value)
            elif isinstance(value, str):
                yield value


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _load(records: Path, workers: int, preview: Preview | None) -> list[Practice]:
    """The validated records, or a PluginError after logging every problem (the site is not built)."""
    try:
        return load_practices(records, workers) if preview is None else preview.load(records, workers)
    except InvalidRecords as error:
        for problem in error.report.problems:
            log.error(format_problem(problem, "en"))
        raise PluginError(
            f"{len(error.report.problems)} problem(s) in the practice records; run `catalog validate` for details. "
            "The site was not built."
        ) from None


def _pages_or_stop(practices: list[Practice], context: SiteContext, preview: Preview | None, root: Path,
                   workers: int) -> dict[str, str]:
    """The generated pages, or a PluginError naming the record, line and field of a page that
    failed (no traceback); nothing has been written yet, so site/ and docs/ stay as they were."""
    try:
        if preview is None:
            return generate_pages(practices, context, workers=workers)
        return preview.generate(practices, context)  # those of unchanged records and listings reused
    except PageError as error:
        line, column = _position(root / error.source_path, error.field_path)
        problem = Problem(error.source_path, line, column, field_name(error.field_path), "page_failed",
                          {"language": ("lang", error.language), "reason": error.reason})
        raise PluginError(format_problem(problem, "en")) from None  # MkDocs logs it and aborts


def _position(path: Path, field_path: tuple) -> tuple[int, int]:
    try:
        return load_document(path).position(field_path)
    except (LoadError, OSError):
        return 1, 1
