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
import logging
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page
from pathspec.gitignore import GitIgnoreSpec

from catalog import compendium, exports, search
from catalog.datafiles import new_build
from catalog.fields_doc import field_reference
from catalog.form import form_block, ways_in_block
from catalog.history import read_history
from catalog.i18n import ui_strings
from catalog.languages import DEFAULT_LANGUAGE, LANGUAGES, language_root
from catalog.loader import LoadError, load_document
from catalog.map_blocks import map_blocks
from catalog.model import InvalidRecords, Practice, load_practices
from catalog.paths import FACETS, GENERATED_DIRS
from catalog.preview import Preview
from catalog.problems import Problem, field_name, format_problem
from catalog.publisher import Publisher, PublisherError, publisher_from_config
from catalog.render import compact_html
from catalog.site import (
    BODY_MARKER,
    PageError,
    SiteContext,
    expand_markers,
    generate_pages,
    last_updated,
    practice_page_paths,
    publisher_block,
    split_page,
    write_pages,
)
from catalog.views import LanguageView

log = logging.getLogger("mkdocs.plugins.catalog")

FIELDS_MARKER = "<!-- catalog:fields -->"
PACKAGE_DIR = Path(__file__).parent


class CatalogConfig(Config):
    """The plugin's options in mkdocs.yml (all optional)."""

    records = c.Type(str, default="practices")  # the records' folder, relative to mkdocs.yml
    open_data = c.Type(bool, default=True)  # write the downloads, feeds and sitemap into the site
    search = c.Type(bool, default=True)  # build the Pagefind index of the finished site
    # Also typeset the PDF compendium of each language into data/ (slow: the deploy workflow asks
    # for it with CATALOG_COMPENDIUM=true; a plain build does not import WeasyPrint at all).
    compendium = c.Type(bool, default=False)


class CatalogPlugin(BasePlugin[CatalogConfig]):
    """Records → generated pages before MkDocs reads docs/; open data and search after the last language."""

    def __init__(self) -> None:
        self.practices: list[Practice] = []
        self.exports: exports.Exports | None = None
        self.bodies: dict[str, str] = {}  # generated page (docs path) → its pre-rendered body
        self.downloads: dict[str, bytes] = {}  # site path → bytes, made before the pages (their sizes are shown)
        self._depth = 0  # 1 in the outer build, 2 in a nested per-language build
        self.publisher: Publisher | None = None  # mkdocs.yml extra.publisher, checked
        self.serving = False
        self.preview: Preview | None = None  # only in `mkdocs serve --dirty`

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """In `mkdocs serve --dirty` (scripts/dev serve), rebuild only what an edit changed (catalog.preview).
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
        new_build()
        try:
            self.publisher = publisher_from_config(config.extra, LANGUAGES)
        except PublisherError as error:
            raise PluginError(str(error)) from None
        root = _root(config)
        if self.preview is not None:
            self.preview.start_build(Path(config.theme.custom_dir or root / "overrides"))
        # Forked checkers and renderers, except under `serve`, whose watcher threads make forking unsafe.
        self.practices = _load(root / self.config.records, workers=1 if self.serving else 2,
                               unchanged=self.preview.checked if self.preview else None)
        context = SiteContext(
            repository=config.extra["repository"],
            branch=config.extra.get("branch", "main"),
            history=read_history(root, self.config.records),
            publisher=self.publisher,
            site_url=(config.site_url or "").rstrip("/") + "/",
        )
        pages = _pages_or_stop(self.practices, context, self.preview, root, workers=1 if self.serving else 2)
        written = write_pages(Path(config.docs_dir), pages)
        self.bodies = {path: split_page(page)[1] for path, page in pages.items()}
        if self.config.open_data:  # made now: the open-data page states their sizes
            self.exports = exports.exports_for(self.practices, config.site_url or "", context)
            self.downloads = exports.download_files(self.exports)
            if self.config.compendium:
                self.downloads |= compendium.site_files(self.practices, compendium.Context(context, self.exports.build_date))
        log.info(f"catalog: {len(self.practices)} practices, {written} generated page(s) changed")

    @event_priority(-200)  # after mkdocs-static-i18n has made each language's files (at -100)
    def on_files(self, files, config: MkDocsConfig):
        """In the live preview, MkDocs renders again only the pages that changed (catalog.preview)."""
        if self.preview is not None:
            self.preview.mark_modified(files, self.bodies.__contains__)
        return files

    def on_env(self, env, config: MkDocsConfig, files):
        """Give theme templates (404, overrides) the interface strings of every language, where each
        language's pages live (catalog_language_root('en') → 'en/') and the catalog's filter names."""
        env.globals["catalog_ui"] = {language: ui_strings(language) for language in LANGUAGES}
        env.globals["catalog_language_root"] = language_root
        env.globals["catalog_default_language"] = DEFAULT_LANGUAGE
        env.globals["catalog_facets"] = FACETS
        env.globals["catalog_publisher"] = {language: Markup(self._publisher_block(LanguageView(language), ""))
                                            for language in LANGUAGES}
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        """Fill the live blocks (counts, latest additions, downloads, maps) of hand-written pages in the page's language."""
        language = getattr(page.file, "locale", None) or DEFAULT_LANGUAGE
        url = page.url.removeprefix(language_root(language))
        # The field reference is Markdown (a table), so it is inserted before Markdown is rendered.
        if FIELDS_MARKER in markdown:
            markdown = markdown.replace(FIELDS_MARKER, field_reference(language))
        blocks = {"downloads": self._downloads_block} if self.config.open_data else {}
        blocks["publisher"] = self._publisher_block
        blocks.update(map_blocks(self.practices))
        extra = config.extra
        email = extra.get("proposal_email", "")
        # The form's scripts are addressed from the page's real URL (/en/propose/ for English).
        blocks["form"] = lambda view, _url: form_block(view, page.url, extra["repository"],
                                                       extra.get("branch", "main"), email)
        blocks["ways"] = lambda view, url: ways_in_block(view, url, extra["repository"], email)
        return expand_markers(markdown, language, url, self.practices, blocks)

    def _publisher_block(self, view, page_url: str) -> str:
        return publisher_block(self.publisher, view)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files) -> str:
        """A generated page's body, rendered before the build, takes the place of its marker."""
        body = self.bodies.get(page.file.src_uri)
        if body is None:
            return html
        if BODY_MARKER not in html:
            raise PluginError(f"{page.file.src_uri}: the generated page lost its body marker; delete docs/ and build again")
        return html.replace(BODY_MARKER, body, 1)

    def _downloads_block(self, view, page_url: str) -> str:
        sizes = {path: len(data) for path, data in self.downloads.items()}
        return exports.downloads_block(view, page_url, sizes, self.practices)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Pages go out without indentation: lighter on slow links, same rendering; hand-written
        pages are marked for the search index, which reads the site in place."""
        if self.config.search:
            output = search.mark_for_search(output, page.file.dest_uri)
        return compact_html(output)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """`mkdocs serve` also rebuilds when a record, a template, a data file or the schema changes."""
        server.watch(str(_root(config) / self.config.records))
        server.watch(str(PACKAGE_DIR))
        return server

    @event_priority(-200)  # after mkdocs-static-i18n has built the other languages (at -100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """After the last language: the open-data downloads and sitemap, then the search index
        (Pagefind reads the finished pages of both languages)."""
        self._depth -= 1
        if self._depth > 0:
            return  # a nested per-language build; the outer build finishes the job
        made = (Path(config.site_dir), self.exports if self.config.open_data else None, self.downloads, self.config.search)
        if self.preview is not None:  # the browser reloads meanwhile
            self.preview.later(lambda: _finish(*made))
        else:
            _finish(*made)

    def on_build_error(self, error: Exception) -> None:
        """A failed build (an invalid record, say) leaves no half-counted nesting behind for `serve`'s next one."""
        self._depth = 0


def _finish(site_dir: Path, made: exports.Exports | None, downloads: dict[str, bytes], index: bool) -> None:
    """The open-data downloads and sitemap, and the search index of the finished pages: Python writes
    the downloads in a thread while Pagefind, another process, indexes (no HTML among the downloads)."""
    with concurrent.futures.ThreadPoolExecutor(1) as writer:
        written = writer.submit(exports.write_exports, site_dir, made, downloads) if made is not None else None
        if index:
            search.build_index(site_dir)
        if written is not None:
            written.result()  # raises what the writer raised


def _generate(practices: list[Practice], context: SiteContext, preview: Preview | None, workers: int) -> dict[str, str]:
    """Every generated page; in the live preview, those of unchanged records are reused."""
    if preview is None:
        return generate_pages(practices, context, workers=workers)
    changed_at = lambda practice: last_updated(practice, context)  # noqa: E731
    pages = generate_pages(practices, context, preview.reusable(practices, changed_at, practice_page_paths))
    preview.finish_generation(practices, changed_at, pages)
    return pages


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _load(records: Path, workers: int, unchanged: dict | None) -> list[Practice]:
    """The validated records, or a PluginError after logging every problem (the site is not built)."""
    try:
        return load_practices(records, workers, unchanged)
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
        return _generate(practices, context, preview, workers)
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
