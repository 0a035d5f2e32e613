"""Hostile submissions in a real browser: every payload of tests/browser/xss/payloads.txt goes into every
text field of a copy of the reference record, in both languages. The validator must either
reject the record (with a line number) or, when it accepts it, the built site must render it
inert: no dialog, no request to a sentinel or any other host, no event-handler attribute, no
javascript:/data:/vbscript: address, no script that is not the site's own.

All accepted records go into one synthetic project, built once and opened in one browser.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml

from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD, build_site

pytestmark = [pytest.mark.browser, pytest.mark.site]

PAYLOADS_FILE = Path(__file__).resolve().parent / "xss" / "payloads.txt"
SENTINELS = ("sentinel.invalid", "/xss-sentinel")
# Plain-string fields that hold free text; every string in an es/en block is free text too.
PLAIN_TEXT_KEYS = {"name", "title", "publisher"}
MIN_SUMMARY = "Resumen: "  # summaries need 20 characters: this goes before the payload there
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "ping"}
DISALLOWED_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements a record's text must never become, anywhere in the page content (JSON-LD excepted).
FORBIDDEN_IN_CONTENT = {"script", "iframe", "frame", "object", "embed", "style", "base", "meta", "link", "math", "img",
                        "image", "video", "audio", "source", "template", "applet", "portal", "foreignobject", "animate"}
# The catalog's own drawings (charts, the maps of catalog/templates/map*.svg): record text never becomes one,
# since the sanitizer keeps no <svg> at all.
CATALOG_SVG_CLASSES = ("catalog-chart", "catalog-map")
PAYLOAD_MARKERS = ("alert(", "xssFired", "sentinel", "msgbox")
# Queries for the catalog page's address: hostile ones (the search UI reads ?q=, the language switch
# copies the #fragment), and words that make the search show the hostile records as results.
HOSTILE_QUERIES = ["<img src=x onerror=alert(1)>", "\"><script>alert(1)</script>", "javascript:alert(1)", "alert", "sentinel"]


def read_payloads(path: Path = PAYLOADS_FILE) -> list[str]:
    def unescape(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("\\u{"):
            return chr(int(token[3:-1], 16))
        return {"\\n": "\n", "\\t": "\t", "\\\\": "\\"}[token]

    lines = path.read_text(encoding="utf-8").splitlines()
    return [re.sub(r"\\u\{[0-9A-Fa-f]+\}|\\[nt\\]", unescape, line) for line in lines
            if line.strip() and not line.startswith("# ")]


def with_optional_text_fields(record: dict) -> dict:
    """The reference record plus the optional text fields it lacks, so that every kind of field is hit."""
    record = copy.deepcopy(record)
    filler = {"es": "Texto", "en": "Text"}
    record.setdefault("challenges", dict(filler))
    record["period"].setdefault("note", dict(filler))
    record["results"][0].setdefault("note", dict(filler))
    record["results"][0]["values"][0].setdefault("note", dict(filler))
    record.setdefault("contact", {"name": dict(filler), "email": "onpar@example.org"})
    return record


def replace_text(value: object, payload: str, key: str | None = None, in_block: bool = False) -> object:
    """Every free-text string of a record replaced by the payload; ids, codes, dates and urls kept."""
    if isinstance(value, dict):
        block = bool(value) and set(value) <= {"es", "en"}
        return {k: replace_text(v, payload, k, block) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_text(item, payload, key) for item in value]
    if isinstance(value, str) and (in_block or key in PLAIN_TEXT_KEYS):
        return payload
    return value


def hostile_record(base: dict, payload: str, record_id: str) -> dict:
    record = replace_text(base, payload)
    record["id"] = record_id
    record["summary"] = {language: MIN_SUMMARY + payload for language in ("es", "en")}
    return record


class _Audit(HTMLParser):
    """What the built page holds that a payload could have smuggled in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.titles = 0  # <title> of the document (not of an SVG chart)
        self._svg = 0
        self.h1 = ""
        self._depth = 0  # > 0 inside the page content (Material's .md-content)
        self._stack: list[str] = []
        self._script: tuple[str, str] | None = None  # (type, text) of an inline script being read
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if name in URL_ATTRIBUTES and value:
                address = re.sub(r"[\x00-\x20]", "", value).lower()
                if address.startswith(DISALLOWED_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> disallowed scheme")
        if tag == "svg":
            self._svg += 1
        if tag == "title" and not self._svg:
            self.titles += 1
        if tag == "script" and "src" not in attributes:
            self._script = (attributes.get("type") or "", "")
        elif tag == "script" and urlsplit(attributes["src"]).netloc:
            self.problems.append(f"<script src={attributes['src']!r}> from another host")
        if self._depth or "md-content" in (attributes.get("class") or "").split():
            # Data (JSON-LD, the proposal form's JSON) and same-site script files (the form's), never inline code.
            structured_data = tag == "script" and (attributes.get("type") in ("application/ld+json", "application/json")
                                                   or ("src" in attributes and not urlsplit(attributes["src"]).netloc))
            map_style = tag == "style" and self._svg  # inside one of the catalog's own drawings (checked below)
            form_rows = tag == "template" and "data-pf-template" in attributes  # the proposal form's row model
            if tag in FORBIDDEN_IN_CONTENT and not (structured_data or map_style or form_rows):
                self.problems.append(f"<{tag}> in the page content")
            if tag == "svg" and not any(name in (attributes.get("class") or "") for name in CATALOG_SVG_CLASSES):
                self.problems.append("<svg> that is not a catalog chart in the page content")
            if tag == "h1":
                self._in_h1 = True
            if tag not in ("br", "input", "meta", "link", "img", "hr", "rect", "path", "source"):
                self._depth += 1
                self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if tag == "svg":
            self._svg -= 1
        if tag == "script" and self._script is not None:
            kind, text = self._script
            if "json" in kind:
                try:
                    json.loads(text)
                except ValueError:
                    self.problems.append(f"<script type={kind}> whose JSON does not parse: {text[:60]!r}")
            elif any(marker in text for marker in PAYLOAD_MARKERS):
                self.problems.append(f"inline <script> with payload text: {text[:60]!r}")
            self._script = None
        if self._depth and tag in self._stack:
            while self._stack:
                self._depth -= 1
                if self._stack.pop() == tag:
                    break

    def handle_data(self, data):
        if self._script is not None:
            self._script = (self._script[0], self._script[1] + data)
        if self._in_h1:
            self.h1 += data


def audit(html: str) -> _Audit:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    if parser.titles != 1:
        parser.problems.append(f"{parser.titles} <title> elements")
    return parser


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The payloads sorted by the validator: rejected ones with their problems, accepted ones built."""
    payloads = read_payloads()
    base = with_optional_text_fields(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    staging = tmp_path_factory.mktemp("hostile-records") / "pan"
    staging.mkdir()
    ids = {}
    for number, payload in enumerate(payloads):
        record_id = f"hostile-{number:03d}"
        ids[record_id] = payload
        text = yaml.safe_dump(hostile_record(base, payload, record_id), allow_unicode=True, sort_keys=False, width=1000)
        (staging / f"{record_id}.yml").write_text(text, encoding="utf-8")
    report = validate_paths([staging])
    problems: dict[str, list] = {}
    for problem in report.problems:
        problems.setdefault(Path(problem.path).stem, []).append(problem)
    accepted = [record_id for record_id in ids if record_id not in problems]

    from devtools.synthetic import write_synthetic_catalog

    project = write_synthetic_catalog(tmp_path_factory.mktemp("hostile-project"), 0)
    target = project / "practices" / "pan"
    target.mkdir(parents=True, exist_ok=True)
    for record_id in accepted:
        (target / f"{record_id}.yml").write_bytes((staging / f"{record_id}.yml").read_bytes())
    site = project / "site"
    if accepted:
        build_site(project, site)
    print(f"\nXSS corpus: {len(payloads)} payloads, {len(problems)} rejected by the validator, "
          f"{len(accepted)} accepted and built")
    return {"payloads": ids, "problems": problems, "accepted": accepted, "site": site}


@pytest.fixture(scope="module")
def chromium():
    from devtools.browser import launch_chromium

    with launch_chromium() as browser:
        yield browser


def test_the_corpus_is_large_and_varied():
    payloads = read_payloads()
    assert len(payloads) >= 60
    assert len(set(payloads)) == len(payloads), "duplicate payloads"
    assert any("\x00" in p for p in payloads) and any("\n" in p for p in payloads)


def test_every_field_of_the_reference_record_carries_the_payload():
    base = with_optional_text_fields(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    record = hostile_record(base, "PAYLOAD", "hostile-x")
    dumped = yaml.safe_dump(record, allow_unicode=True)
    original_texts = [base["title"]["es"], base["lead_entity"]["name"]["en"], base["locations"][0]["name"],
                      base["sources"][0]["title"], base["sources"][1]["publisher"], base["commitments"][0]["text"]["es"]]
    assert not any(text in dumped for text in original_texts)
    assert record["country"] == base["country"] and record["sources"][1]["url"] == base["sources"][1]["url"]
    assert record["lead_entity"]["acronym"] == base["lead_entity"]["acronym"]
    assert dumped.count("PAYLOAD") >= 30


def test_the_record_with_harmless_text_in_every_field_is_valid(tmp_path):
    """A control: rejections come from the payloads, not from how they are put into the record."""
    base = with_optional_text_fields(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    folder = tmp_path / "pan"
    folder.mkdir()
    record = hostile_record(base, "Plain words, nothing hostile", "harmless-text")
    (folder / "harmless-text.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert validate_paths([folder]).problems == []


def test_rejected_payloads_are_reported_with_a_line_number(corpus):
    assert corpus["problems"], "the validator rejected no payload at all"
    for record_id, problems in corpus["problems"].items():
        assert all(problem.line >= 1 for problem in problems), (corpus["payloads"][record_id], problems)


def test_accepted_payloads_leave_no_handler_scheme_or_script_in_the_html(corpus):
    assert corpus["accepted"], "the validator accepted no payload: nothing reached the browser"
    site = corpus["site"]
    failures = []
    for html_file in sorted(site.rglob("*.html")):
        result = audit(html_file.read_text(encoding="utf-8"))
        failures += [f"{html_file.relative_to(site)}: {problem}" for problem in result.problems]
    assert failures == []


def test_accepted_payloads_show_as_literal_text_in_the_title(corpus):
    """No template evaluated ({{7*7}} stays, not 49), nothing decoded or dropped."""
    for record_id in corpus["accepted"]:
        payload = corpus["payloads"][record_id]
        for prefix in ("", "en/"):
            html = (corpus["site"] / prefix / "practices" / record_id / "index.html").read_text(encoding="utf-8")
            assert " ".join(audit(html).h1.split()) == " ".join(payload.split()), record_id


def test_accepted_payloads_stay_inert_in_chromium(corpus, chromium):
    """Every page an accepted payload reaches, in both languages, plus hostile ?q= and #fragment
    addresses of the catalog page (the search UI reads the query; the language switch copies
    the fragment). No request may leave the local server: none to a sentinel, none elsewhere."""
    from devtools.browser import serve_directory

    assert corpus["accepted"]
    site = corpus["site"]
    pages = [f"{prefix}practices/{record_id}/" for record_id in corpus["accepted"] for prefix in ("", "en/")]
    pages += [f"{prefix}{page}" for prefix in ("", "en/")
              for page in ("", "catalog/", "countries/pan/", "themes/access-to-procedure/", "mechanisms/mirps/")]
    pages += [f"catalog/?q={quote(query)}" for query in HOSTILE_QUERIES]
    pages += [f"en/catalog/#{quote(query)}" for query in HOSTILE_QUERIES[:2]]
    dialogs, foreign, fired = [], [], []
    with serve_directory(site) as base:
        context = chromium.new_context()
        local_host = urlsplit(base).netloc

        def on_request(route):
            url = route.request.url
            if urlsplit(url).netloc == local_host and not any(sentinel in url for sentinel in SENTINELS):
                return route.continue_()
            foreign.append((tab.url, url))
            return route.abort()  # nothing leaves this machine

        context.route("**/*", on_request)
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append((tab.url, dialog.message)), dialog.dismiss()))
        for page in pages:
            tab.goto(f"{base}/{page}", wait_until="networkidle" if "catalog/" in page else "load")
            # Fire what a smuggled handler would wait for: pointer, focus and click-free events.
            tab.evaluate("""() => { for (const e of document.querySelectorAll('.md-content *'))
                for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart'])
                    e.dispatchEvent(new Event(type, {bubbles: true})); }""")
            if tab.evaluate("() => window.xssFired !== undefined"):
                fired.append(tab.url)
        context.close()
    print(f"browser: {len(pages)} pages opened, {len(dialogs)} dialogs, {len(foreign)} requests to a sentinel "
          f"or another host, {len(fired)} pages where window.xssFired was set")
    assert dialogs == []
    assert foreign == []
    assert fired == []


def test_the_checks_catch_what_they_look_for(corpus, chromium):
    """The static audit and the browser traps do fire on a page where a payload got through."""
    from devtools.browser import serve_directory

    leaked = ('<html><head><title>x</title><script type="application/ld+json">{"a": "</script>'
              '<script>alert(1)</script>"}</script></head><body><div class="md-content">'
              '<a href=" JaVa&#x09;script:alert(1)">x</a><img src=x onerror="xssFired=1">'
              '<iframe src="https://sentinel.invalid/f"></iframe></div></body></html>')
    problems = " | ".join(audit(leaked).problems)
    for expected in ("event handler", "disallowed scheme", "does not parse", "<img> in the page content",
                     "<iframe> in the page content", "inline <script> with payload text"):
        assert expected in problems, problems
    folder = corpus["site"].parent / "leaked"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(leaked, encoding="utf-8")
    requests, dialogs = [], []
    with serve_directory(folder) as base:
        context = chromium.new_context()

        def on_request(route):
            requests.append(route.request.url)
            return route.continue_() if urlsplit(route.request.url).netloc == urlsplit(base).netloc else route.abort()

        context.route("**/*", on_request)
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(f"{base}/", wait_until="load")
        fired = tab.evaluate("() => window.xssFired")
        context.close()
    assert dialogs and fired == 1
    assert any("sentinel.invalid" in url for url in requests)
