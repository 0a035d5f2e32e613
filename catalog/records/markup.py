"""Record Markdown: what it renders to, what counts as a link in it, and which links are allowed.

One module for both sides, so that the validator and the site agree on what a link is: the
validator asks `inspect()` for the links and the nesting depth of the very HTML the site
renders, and the site's sanitizer keeps an href only when `url_problem()` finds nothing wrong
with it (after nh3 has done its part), whatever Markdown trick produced it.

The renderer is cmark-gfm's CommonMark parser (the C library PyPI's readme_renderer uses), with
no extensions: its time is linear in the text for every input tested (runs of "[", "![", "*",
nested lists and quotes; 64 KiB of any of them in under 0.1 s of CPU; tests/unit/test_markup.py).
Python-Markdown is quadratic on runs of "[" (5.5 s of CPU for 4,000) and raises RecursionError
at 500 nested list markers; markdown-it-py 4.3 is about linear but 25 times slower than cmark
(1.4 s for 32,000 characters of "![") and silently drops all text past 20 levels of nesting.
Nesting is still bounded (MAX_NESTING), because the sanitizer's time grows with the square of
the depth, and the page around the text and the browser pay for every level.

A shared leaf: it reads the patterns of links from the schema (catalog.records.schema).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from catalog.records.schema import load_schema

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
MAX_NESTING = 6  # lists and quotes inside each other; a record needs two or three

# cmark writes every link as <a href="…"> and every image as <img src="…" …>, attribute values escaped.
URL_ATTRIBUTE = re.compile(r'<(?:a|img)\s[^>]*?\b(?:href|src)="([^"]*)"', re.IGNORECASE)
_NESTING_TAG = re.compile(r"<(/?)(?:ul|ol|blockquote)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Inspection:
    """What the renderer makes of one text: every link and image address, and the deepest nesting
    (up to MAX_NESTING + 1)."""

    urls: tuple[str, ...]
    depth: int


def to_html(text: str) -> str:
    """CommonMark to HTML, unsanitized. UNSAFE only means cmark keeps what it would blank out
    (raw HTML, javascript: hrefs): `sanitize` removes them, and `inspect` needs to see them."""
    return cmarkgfm.markdown_to_html(text, Options.CMARK_OPT_UNSAFE)


class TooDeep(ValueError):
    """A text nests deeper than MAX_NESTING: the validator refuses it, and the renderer will not
    hand it to the sanitizer, whose time grows with the square of the depth (html5ever checks
    the stack of open elements at every tag: 16,000 nested quotes take seconds)."""


# What can make a link or an image ([…], <…>, raw HTML) or a list or quote (a marker at a line's start,
# ">"): a text with none of these is one plain paragraph to cmark, with no address and no nesting.
# "\r" also ends a line for cmark. Most record texts are plain: validation need not render them.
MAY_LINK_OR_NEST = re.compile(r"[\[<>\r]|^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)
_PLAIN = Inspection((), 0)


def inspect(text: str) -> Inspection:
    """The addresses a reader's browser would get from this text, and how deep its blocks nest."""
    if not MAY_LINK_OR_NEST.search(text):
        return _PLAIN
    rendered = to_html(text)
    urls = tuple(html.unescape(match.group(1)) for match in URL_ATTRIBUTE.finditer(rendered))
    return Inspection(urls, nesting_depth(rendered))


def nesting_depth(rendered: str) -> int:
    """How deep lists and quotes nest, counted up to MAX_NESTING + 1 (deeper is refused anyway)."""
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(rendered):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
    return deepest


def sanitize(rendered: str) -> str:
    """Only allowlisted tags, and only hrefs that pass `url_problem` (relative, protocol-relative,
    backslashed, userinfo and empty-host addresses are dropped, not just other schemes)."""
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        attribute_filter=_keep_safe_url,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text: str) -> str:
    """Record Markdown as the sanitized HTML a page shows, in time linear in the text."""
    rendered = to_html(text)
    depth = nesting_depth(rendered)
    if depth > MAX_NESTING:
        raise TooDeep(f"lists or quotes nested more than {MAX_NESTING} levels deep")
    return sanitize(rendered)


def _keep_safe_url(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if url_problem(value) is None else None
    return value


# --- which addresses are allowed --------------------------------------------------------------------


def link_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The https and e-mail patterns of the record schema: one definition for fields and for links
    (re caches the compiled patterns)."""
    definitions = load_schema()["$defs"]
    return re.compile(definitions["https_url"]["pattern"]), re.compile(definitions["email"]["pattern"])


def url_problem(url: str) -> str | None:
    """None for an address a page may link to, else the id of the message that says why not.

    Allowed: https://host/… with a host name (no user name or password before it, no backslash,
    no spaces), and mailto:address with one address and no headers (?cc=, ?bcc=, ?body=…)."""
    https, email = link_patterns()
    if url.startswith("mailto:"):
        return None if email.fullmatch(url[len("mailto:"):]) else "bad_mailto"
    if not url.startswith("https://"):
        return "not_https"
    return None if https.fullmatch(url) else "bad_https_url"


def email_problem(address: str) -> str | None:
    """None for a plain e-mail address (what contact.email must be), else a message id."""
    return None if link_patterns()[1].fullmatch(address) else "bad_mailto"
