"""catalog.records.markup: record Markdown renders in linear time, links are judged after sanitizing, and the
validator's view of a text (inspect) is the renderer's own output."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest

from catalog.present.render import RenderError, markdown_to_html
from catalog.records import markup
from catalog.records.loader import LoadError, load_document

# Inputs that make Markdown renderers superlinear or crash, each repeated up to 64 KiB (the file cap).
# Python-Markdown takes 5.5 s of CPU for 4,000 "[" (quadratic) and raises RecursionError on ~1 KB
# of "* "; markdown-it-py 4.3 takes 1.4 s for 32,000 characters of "![" and drops text past 20 levels.
PATHOLOGICAL = {
    "open brackets": "[",
    "image openers": "![",
    "unclosed links": "[a](",
    "empty links": "[](",
    "references": "[a]",
    "emphasis": "*a ",
    "underscores": "_a ",
    "strong": "**",
    "backticks": "`",
    "angle brackets": "<",
    "nested lists": "* ",
    "nested quotes": "> ",
    "nested ordered lists": "1. ",
    "list items with brackets": "1. [",
    "reference definitions": "[x]: ",
    "mixed nesting": "- > ",
}
CAP = 64 * 1024
LINEAR_BOUND_SECONDS = 2.0  # of CPU time; measured: at most 0.25 s (quadratic renderers take minutes)


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_text_of_the_whole_file_cap_renders_and_inspects_in_bounded_time(name: str) -> None:
    unit = PATHOLOGICAL[name]
    text = unit * (CAP // len(unit))
    started = time.process_time()
    depth = markup.inspect(text).depth
    if depth <= markup.MAX_NESTING:
        assert isinstance(markdown_to_html(text), str)
    else:  # refused by the validator; the renderer will not hand it to the (quadratic) sanitizer either
        with pytest.raises(RenderError):
            markdown_to_html(text)
    elapsed = time.process_time() - started
    assert elapsed < LINEAR_BOUND_SECONDS, f"{name}: {elapsed:.2f} s for {len(text)} characters"


def test_the_renderer_keeps_working_after_a_hostile_text() -> None:
    """Python-Markdown's cached converter stayed broken after one RecursionError: every later page
    lost its paragraphs. cmark keeps no state between texts."""
    with pytest.raises(RenderError):
        markdown_to_html("- " * 20_000 + "x")
    assert markdown_to_html("first\n\nsecond") == "<p>first</p>\n<p>second</p>\n"


def test_inspect_measures_nesting_of_lists_and_quotes() -> None:
    assert markup.inspect("plain").depth == 0
    assert markup.inspect("- a\n  - b").depth == 2
    assert markup.inspect("> - > x").depth == 3
    assert markup.inspect("- " * 5 + "x").depth == 5
    assert markup.inspect("- " * 40 + "x").depth == markup.MAX_NESTING + 1  # counted up to the bound only
    assert markup.inspect("> " * 40 + "x").depth == markup.MAX_NESTING + 1


def test_nesting_up_to_the_bound_renders() -> None:
    deepest = "\n".join("  " * level + "- item" for level in range(markup.MAX_NESTING))
    assert markdown_to_html(deepest).count("<ul>") == markup.MAX_NESTING
    with pytest.raises(RenderError):
        markdown_to_html(deepest + "\n" + "  " * markup.MAX_NESTING + "- one more")


@pytest.mark.parametrize("source, expected", [
    ("[a](https://www.acnur.org/es/)", ("https://www.acnur.org/es/",)),
    ("[a][r]\n\n[r]: https://a.org/x", ("https://a.org/x",)),
    ("<https://a.org>", ("https://a.org",)),
    ("[a](<javascript:x>)", ("javascript:x",)),
    ("> [a]\n>\n> [a]: java&#115;cript:alert(1)", ("javascript:alert(1)",)),
    ("![i](https://a.org/x.png)", ("https://a.org/x.png",)),
    ("[a](//evil.example/p)", ("//evil.example/p",)),
])
def test_inspect_reports_every_address_the_renderer_makes(source: str, expected: tuple[str, ...]) -> None:
    assert markup.inspect(source).urls == expected


def test_a_definition_behind_a_ten_digit_list_marker_is_no_link_for_the_renderer_either() -> None:
    text = "1234567890. [x]: javascript:alert(1)\n\n[x]"
    assert markup.inspect(text).urls == ()
    assert "href" not in markdown_to_html(text)


@pytest.mark.parametrize("url", [
    "https://www.acnur.org/es/",
    "https://www.gob.pa/onpar?id=1&x=2#top",
    "https://a.org",
    "https://a.org:8443/x",
    "https://a.org/%C3%B1",
    "mailto:oficina@ejemplo.org",
    "mailto:first.last+tag@sub.example.gob.pa",
])
def test_safe_addresses(url: str) -> None:
    assert markup.url_problem(url) is None
    assert f'href="{url.replace("&", "&amp;")}"' in markdown_to_html(f"[x]({url})")


@pytest.mark.parametrize("url, problem", [
    ("//evil.example/phish", "not_https"),
    ("\\\\evil.example\\phish", "not_https"),
    ("../../../mkdocs.yml", "not_https"),
    ("/absolute/path", "not_https"),
    ("#fragment", "not_https"),
    ("", "not_https"),
    ("http://a.org/", "not_https"),
    ("HTTPS://A.ORG/", "not_https"),
    ("javascript:alert(1)", "not_https"),
    ("data:text/html,x", "not_https"),
    ("https://www.acnur.org@evil.example/", "bad_https_url"),
    ("https://user:pass@a.org/", "bad_https_url"),
    ("https:///evil.example", "bad_https_url"),
    ("https://", "bad_https_url"),
    ("https://a.org\\@evil.example/", "bad_https_url"),
    ("https://a.org/pa th", "bad_https_url"),
    ("https://localhost/", "bad_https_url"),
    ("https://-a.org/", "bad_https_url"),
    ("https://a.org/\n", "bad_https_url"),
    ("mailto:a@b.org?cc=c@d.org", "bad_mailto"),
    ("mailto:a@b.org?bcc=c@d.org", "bad_mailto"),
    ("mailto:a@b.org?body=hi", "bad_mailto"),
    ("mailto:a@b.org,c@d.org", "bad_mailto"),
    ("mailto:office?bcc=x@example.org", "bad_mailto"),
    ("mailto:", "bad_mailto"),
])
def test_unsafe_addresses_are_named_and_never_published(url: str, problem: str) -> None:
    assert markup.url_problem(url) == problem
    html = markdown_to_html(f"[x](<{url}>) and [y][r]\n\n[r]: <{url}>")
    published = re.findall(r'href="([^"]*)"', html)
    # cmark percent-encodes a space into a safe address; everything else loses its href.
    assert all(markup.url_problem(href) is None and "evil" not in href for href in published), html
    assert published == [] or " " in url, html


def test_sanitizer_drops_unsafe_hrefs_however_they_reach_it() -> None:
    """Raw HTML is refused by the validator; the sanitizer still holds on its own."""
    hostile = ('<a href="//evil.example/x">a</a><a href="\\\\evil.example\\x">b</a>'
               '<a href="../../mkdocs.yml">c</a><a href="https://u@evil.example/">d</a>'
               '<a href="https:///x">e</a><a href="mailto:a@b.org?bcc=c@d.org">f</a>'
               '<a href="HtTpS://ok.example/">g</a><script>alert(1)</script><img src="https://a.org/i.png">')
    clean = markup.sanitize(hostile)
    assert "href" not in clean and "<script" not in clean and "<img" not in clean, clean
    assert markup.sanitize('<a href="https://a.org/">ok</a>').count('href="https://a.org/"') == 1


def test_email_rule_is_the_schema_pattern() -> None:
    assert markup.email_problem("oficina@ejemplo.org") is None
    for bad in ("office?bcc=x@example.org", "a@b", "a@b.org?cc=c@d.org", "a b@c.org", "a@b.org\n", "a%3F@b.org"):
        assert markup.email_problem(bad) == "bad_mailto", bad


def _texts_of(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts_of(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts_of(item)]
    return [value] if isinstance(value, str) else []


def _corpus() -> list[str]:
    """Every text of the real records and of the hostile corpus, the pathological inputs, and variants
    of them that put list and quote markers, brackets and line breaks where the shortcut looks."""
    repo = Path(__file__).resolve().parents[2]
    texts = []
    for path in sorted([*(repo / "practices").rglob("*.yml"), *(repo / "tests/unit/hostile").rglob("*.yml")]):
        try:  # the catalog's own loader: the hostile files hold aliases that expand without end
            texts += _texts_of(load_document(path).data)
        except LoadError:
            continue
    texts += [seed * 40 for seed in PATHOLOGICAL.values()]
    markers = ["- ", "* ", "+ ", "1. ", "1) ", "> ", "  - ", "\t- ", "- - - - - - - - ", "1.", "-", "\r- ", "\r\n> "]
    for marker in markers:
        texts += [marker + "texto", "línea\n" + marker + "otra", "a " + marker + "b", "x\n\n" + marker * 8 + "y"]
    texts += ["https://example.org/a", "javascript:alert(1)", "[a](https://x.org)", "<https://x.org>", "a <b> c",
              "2021-2023: 40 → 67", "ACNUR (UNHCR)", "#1 en la lista", "1999. Año", "-5 grados", "+ 3"]
    return texts


def test_the_plain_text_shortcut_gives_what_the_renderer_finds() -> None:
    """inspect() skips cmark for texts that cannot hold a link, an image or a list or quote; on every
    text of the records, the hostile corpus and marker variants, it answers what cmark's output says."""
    texts = _corpus()
    assert len(texts) > 1000, "the corpus was not read"
    shortcut_taken = 0
    for text in texts:
        rendered = markup.to_html(text)
        full = markup.Inspection(
            tuple(html.unescape(m.group(1)) for m in markup.URL_ATTRIBUTE.finditer(rendered)), markup.nesting_depth(rendered)
        )
        assert markup.inspect(text) == full, repr(text[:80])
        shortcut_taken += not markup.MAY_LINK_OR_NEST.search(text)
    assert shortcut_taken > len(texts) / 3, "the shortcut is never taken: it saves nothing"
