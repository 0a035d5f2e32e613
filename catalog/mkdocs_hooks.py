"""MkDocs glue: the only place that knows about MkDocs. Each handler calls the layers above.

mkdocs-static-i18n re-runs the whole build once per language, so every handler here fires
once per language; the records are loaded and the pages generated once per build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from catalog import DEFAULT_LANGUAGE, LANGUAGES, exports, search
from catalog.cli import format_problem
from catalog.fields_doc import field_reference
from catalog.i18n import ui_strings
from catalog.map_blocks import region_map
from catalog.model import InvalidRecords, Practice, load_practices
from catalog.render import compact_html
from catalog.site import SiteContext, expand_markers, generate_pages, git_last_changed, write_pages

log = logging.getLogger("mkdocs.plugins.catalog")

_state: dict[str, object] = {"signature": None, "practices": [], "context": None}
FIELDS_MARKER = "<!-- catalog:fields -->"


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _records_signature(practices_dir: Path, templates_dir: Path) -> tuple:
    """Changes when any record or template changes: then pages are generated again."""
    files = sorted([*practices_dir.rglob("*.yml"), *templates_dir.rglob("*")])
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def practices() -> list[Practice]:
    return _state["practices"]  # type: ignore[return-value]


@event_priority(-200)  # after mkdocs-static-i18n has set this build's language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Only the default language's build writes 404.html: GitHub Pages serves a single 404 page
    (ours is bilingual), and the later English build would otherwise overwrite it with lang="en"."""
    if config.theme["language"] != DEFAULT_LANGUAGE:
        config.theme.static_templates.discard("404.html")
    else:
        config.theme.static_templates.add("404.html")
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Validate every record and write the generated pages; an invalid record stops the build here,
    before MkDocs cleans or writes site/, so nothing partial is published."""
    root = _root(config)
    practices_dir = root / "practices"
    signature = _records_signature(practices_dir, Path(__file__).parent / "templates")
    if signature == _state["signature"]:
        return
    try:
        loaded = load_practices(practices_dir)
    except InvalidRecords as error:
        for problem in error.report.problems:
            log.error(format_problem(problem, "en"))
        raise PluginError(
            f"{len(error.report.problems)} problem(s) in the practice records; run `catalog validate` for details. "
            "The site was not built."
        ) from None
    context = SiteContext(
        repository=config.extra["repository"],
        branch=config.extra.get("branch", "main"),
        last_changed=git_last_changed(root),
    )
    written = write_pages(Path(config.docs_dir), generate_pages(loaded, context))
    _state.update(signature=signature, practices=loaded, context=context)
    log.info(f"catalog: {len(loaded)} practices, {written} generated page(s) changed")


def on_env(env, config: MkDocsConfig, files):
    """Give theme templates (404, overrides) the interface strings of every language."""
    env.globals["catalog_ui"] = {language: ui_strings(language) for language in LANGUAGES}
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    """Fill the live blocks (counts, latest additions) of hand-written pages in the page's language."""
    language = getattr(page.file, "locale", None) or DEFAULT_LANGUAGE
    url = page.url.removeprefix(f"{language}/") if language != DEFAULT_LANGUAGE else page.url
    # The field reference is Markdown (a table), so it is inserted before Markdown is rendered.
    if FIELDS_MARKER in markdown:
        markdown = markdown.replace(FIELDS_MARKER, field_reference(language))
    return expand_markers(markdown, language, url, practices(), {
        "downloads": exports.downloads_block,
        "map": lambda view, page_url: region_map(practices(), view, page_url, full=False),
        "map_page": lambda view, page_url: region_map(practices(), view, page_url, full=True),
    })


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Pages go out without indentation: lighter on slow links, same rendering."""
    return compact_html(output)


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` also rebuilds when a record or a template changes."""
    server.watch(str(_root(config) / "practices"))
    server.watch(str(Path(__file__).parent))
    return server


@event_priority(-200)
def on_post_build(config: MkDocsConfig) -> None:
    """After the last language has been built: the open-data downloads, then the search index
    (Pagefind reads the finished pages of both languages)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a nested per-language build; the outer build finishes the job
    site_dir = Path(config.site_dir)
    # The same SiteContext as the pages: one `git log` per build for the last-change dates.
    exports.write_exports(practices(), site_dir, config, _state["context"])
    search.build_index(site_dir)
