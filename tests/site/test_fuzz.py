"""Fuzzing real records: whatever `catalog validate` accepts, `mkdocs build --strict` publishes safely,
with every figure exactly as written.

Seeded mutants of the reference record (practices/pan/onpar-border-access.yml), each with one or two
mutations of four kinds: numbers (every form YAML 1.1 reads as a number, and plain ones up to the
bounds), Markdown structure (nesting, runs of brackets, emphasis, definitions), characters of every
Unicode general category (raw and as YAML escapes), and link forms (inline, autolink, reference, in
source.url and contact.email). Then:
- validation never raises, and takes well under a second per file;
- every accepted mutant is built, all together, in one strict MkDocs build that must succeed;
- every href of an accepted mutant's pages is https:/mailto: and passes markup.url_problem, or is a
  relative link of the site's own that stays inside it and points at a page that exists;
- each accepted figure is shown on both language pages and in results.csv as exactly the decimal
  written in the file;
- the feeds are well-formed XML;
- no accepted figure has a thousands separator or (the unit counts applications) decimals.

CI runs 240 mutants. A long run, not part of CI: `FUZZ_MUTANTS=10000 scripts/dev test
tests/site/test_fuzz.py -n 0` (FUZZ_SEED picks another sequence); it prints its size and time.
"""

from __future__ import annotations

import csv
import html
import os
import posixpath
import random
import re
import shutil
import time
import unicodedata
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from functools import cache

import pytest

from catalog.records import markup
from catalog.records.validate import validate_paths
from devtools.synthetic import write_synthetic_catalog
from tests.helpers import EXAMPLE_RECORD, build_site

pytestmark = pytest.mark.site

SEED = int(os.environ.get("FUZZ_SEED", "20261129"))
MUTANTS = int(os.environ.get("FUZZ_MUTANTS", "240"))  # the long run sets 10000 (see above)
REFERENCE = EXAMPLE_RECORD.read_text(encoding="utf-8")
VALUE_LINE = "      - {year: 2023, value: 67}"
TITLE_LINE = "  en: ONPAR presence in border areas to ease access to the refugee status procedure"
ITEM_LINE = "    - named two focal points in Darién province to guide and support people in need of protection;"
SOURCE_URL_LINE = next(line for line in REFERENCE.split("\n") if line.startswith("    url: https://"))

NUMBER_FORMS = [
    "0100", "012345", "1:30", "190:20:30", "0x28", "0x7E6", "0b101000", "0o17", "-0.0", "-0", "+5", "1_000", ".5",
    "5.", "1.0e+25", "1.5e3", "1e400", "9" * 40, "9" * 5000, "1.7976931348623157e+308", ".inf", ".nan", "12.3456",
    '"40"', "٤٠", "４０", "40 ", "1,234", "1.234,5", "1000000000000", "1000000000001", "999999999999.999", "2.50",
    "0.001", "0", "00", "0.0", "true", "~",
    # Thousands separators and decimal commas as officials write them (catalog.records.figures): never read as a number.
    "1.250", "12.500", "3,540", '"3,540"', "1 250", '"1 250"', "1.250.000", "1,250,000", "0,5", "12,5", "100.000",
    "1.000", "12.5", "0.250",
]
LINK_TARGETS = [
    "https://www.acnur.org/es/", "https://www.gob.pa/onpar?x=1&y=2#top", "https://a.org:8443/x", "mailto:onpar@example.org",
    "//evil.example/phish", "\\\\evil.example\\phish", "../../../mkdocs.yml", "/etc/passwd", "#top", "",
    "https://www.acnur.org@evil.example/", "https://user:pass@a.org/", "https:///evil.example", "https:", "HTTPS://A.ORG/",
    "http://a.org/", "javascript:alert(1)", "java&#115;cript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
    "vbscript:x", "file:///etc/passwd", "mailto:a@b.org?bcc=spy@evil.example", "mailto:a@b.org?body=hi", "mailto:",
    "mailto:a@b.org,c@d.org", "https://a.org/pa th", "https://a.org/%2e%2e/", "https://xn--migracin-i0a.gob.pe/",
    "https://a.org/ñ", ">//evil.example", "https://a.org\\@evil.example/", "tel:+5071234567",
]
EMAILS = ["onpar@example.org", "onpar?bcc=spy@evil.example", "a@b.org?cc=c@d.org", "first.last+tag@sub.example.gob.pa",
          "a b@c.org", "a%3F@b.org", "a@b", "a@b.org,c@d.org"]


@cache
def code_points_by_category() -> dict[str, list[int]]:
    table: dict[str, list[int]] = {}
    for code in range(0x110000):
        table.setdefault(unicodedata.category(chr(code)), []).append(code)
    return table


def number_mutation(text: str, rng: random.Random) -> tuple[str, str | None]:
    """A figure in one of many forms; returns the text and the raw figure (None when it is not the value)."""
    choice = rng.random()
    if choice < 0.45:
        raw = rng.choice(NUMBER_FORMS)
    elif choice < 0.8:
        raw = str(rng.randint(0, 10**rng.randint(1, 12)))
    else:
        raw = f"{rng.randint(0, 10**rng.randint(1, 9))}.{rng.randint(0, 999):0{rng.randint(1, 3)}d}"
    where = rng.choice(["value", "year", "start"])
    if where == "value":
        return text.replace(VALUE_LINE, f"      - {{year: 2023, value: {raw}}}"), raw
    if where == "year":
        return text.replace(VALUE_LINE, f"      - {{year: {raw}, value: 67}}"), None
    return text.replace("  start: 2021", f"  start: {raw}"), None


def markdown_mutation(text: str, rng: random.Random) -> tuple[str, None]:
    kind = rng.randrange(6)
    if kind == 0:  # nesting of lists and quotes, from harmless to far too deep
        markers = [rng.choice(["- ", "* ", "+ ", "1. ", "> "]) for _ in range(rng.randint(1, 12))]
        snippet = "".join(markers) + "nested"
    elif kind == 1:
        snippet = "\n".join("  " * level + "- level" for level in range(rng.randint(1, 10)))
    elif kind == 2:  # runs that make renderers superlinear
        snippet = rng.choice(["[", "![", "*a ", "_a ", "**", "`", "[a](", "[]("]) * rng.randint(1, 1500)
    elif kind == 3:
        snippet = f"[label]: {rng.choice(LINK_TARGETS)}\n\n[label]"
    elif kind == 4:
        snippet = "> " + "\n> ".join(rng.choice(["text", "- item", "1. item", "> deeper"]) for _ in range(rng.randint(1, 8)))
    else:
        snippet = rng.choice(["***x***", "a_b_c", "\\[not a link\\](x)", "`code [x](//evil)`", "[x]\n\n[x]: <//evil>"])
    indented = "\n".join("    " + line if line else "" for line in snippet.split("\n"))
    return text.replace(ITEM_LINE, f"{ITEM_LINE}\n\n{indented}\n", 1), None


def unicode_mutation(text: str, rng: random.Random) -> tuple[str, None]:
    category = rng.choice(sorted(code_points_by_category()))
    code = rng.choice(code_points_by_category()[category])
    if category == "Cs" or rng.random() < 0.5:
        character = f"\\U{code:08X}"  # a YAML escape in a double-quoted text
    else:
        character = chr(code)
    title = TITLE_LINE.replace("border areas", f"border{character} areas").replace("  en: ", '  en: "', 1) + '"'
    if '"' in chr(code) or "\\" in chr(code):
        title = TITLE_LINE.replace("border areas", f"border\\U{code:08X} areas").replace("  en: ", '  en: "', 1) + '"'
    return text.replace(TITLE_LINE, title), None


def link_mutation(text: str, rng: random.Random) -> tuple[str, None]:
    target = rng.choice(LINK_TARGETS)
    form = rng.randrange(5)
    if form == 0:
        return text.replace(ITEM_LINE, f"{ITEM_LINE}\n    - see [the source]({target});", 1), None
    if form == 1:
        return text.replace(ITEM_LINE, f"{ITEM_LINE}\n    - see <{target}>;", 1), None
    if form == 2:
        return text.replace(ITEM_LINE, f"{ITEM_LINE}\n    - see [the source][s].\n\n    [s]: {target}\n", 1), None
    if form == 3:
        return text.replace(SOURCE_URL_LINE, f'    url: "{target}"'), None
    email = rng.choice(EMAILS)
    return text.replace("status: ongoing", f'status: ongoing\ncontact:\n  name: ONPAR\n  email: "{email}"\n  url: "{target}"'), None


MUTATIONS = [number_mutation, markdown_mutation, unicode_mutation, link_mutation]


def mutants() -> list[tuple[str, str, str | None]]:
    """(id, text, raw figure of results[0].values[1].value or None) for every mutant."""
    rng = random.Random(SEED)
    made = []
    for index in range(MUTANTS):
        record_id = f"fuzz-{index:04d}"
        text = REFERENCE.replace("id: onpar-border-access", f"id: {record_id}")
        figure = "67"
        for mutate in rng.sample(MUTATIONS, rng.choice([1, 1, 2])):
            text, raw = mutate(text, rng)
            if raw is not None:
                figure = raw
        made.append((record_id, text, figure))
    return made


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("fuzz")
    candidates = base / "candidates" / "pan"
    candidates.mkdir(parents=True)
    slowest, accepted = 0.0, []
    for record_id, text, figure in mutants():
        path = candidates / f"{record_id}.yml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        started = time.process_time()  # CPU time: other work on a shared machine does not count
        report = validate_paths([path])
        slowest = max(slowest, time.process_time() - started)
        if report.ok:
            accepted.append((record_id, figure))
    project = write_synthetic_catalog(base / "project", 0)
    folder = project / "practices" / "pan"
    folder.mkdir(parents=True, exist_ok=True)
    for record_id, _ in accepted:
        shutil.copy2(candidates / f"{record_id}.yml", folder / f"{record_id}.yml")
    started = time.perf_counter()
    result = build_site(project, base / "site", check=False)
    print(f"fuzz: {MUTANTS} mutants (seed {SEED}), {len(accepted)} accepted, slowest validation {slowest:.3f} s CPU, "
          f"build {time.perf_counter() - started:.0f} s")
    return {"accepted": accepted, "slowest_validation": slowest, "build": result, "site": base / "site",
            "build_seconds": time.perf_counter() - started}


def test_the_fuzz_covers_both_outcomes(fuzzed: dict) -> None:
    """Enough mutants are accepted and enough refused for the other checks to mean something."""
    assert 40 <= len(fuzzed["accepted"]) <= MUTANTS - 40, len(fuzzed["accepted"])


def test_validation_is_fast_for_every_mutant(fuzzed: dict) -> None:
    assert fuzzed["slowest_validation"] < 1.0, fuzzed["slowest_validation"]


def test_every_accepted_mutant_builds(fuzzed: dict) -> None:
    build = fuzzed["build"]
    assert build.returncode == 0, build.stderr[-3000:]
    assert "Traceback" not in build.stderr
    for record_id, _ in fuzzed["accepted"]:
        for prefix in ("", "en/"):
            assert (fuzzed["site"] / prefix / "practices" / record_id / "index.html").is_file(), record_id


def parse_figure(shown: str, language: str) -> Decimal:
    """A figure as the page shows it, read back with the language's separators (not with Babel)."""
    group, point = (".", ",") if language == "es" else (",", ".")
    return Decimal(shown.replace("\u00a0", "").replace(group, "").replace(point, "."))


def test_every_accepted_figure_is_published_exactly_as_written(fuzzed: dict) -> None:
    rows = {}
    with (fuzzed["site"] / "data" / "results.csv").open(encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file):
            if row["year"] == "2023":
                rows[row["practice_id"]] = Decimal(row["value"])
    checked = 0
    for record_id, figure in fuzzed["accepted"]:
        written = Decimal(figure)
        assert rows[record_id] == written, (record_id, figure)
        for language, prefix in (("es", ""), ("en", "en/")):
            page = (fuzzed["site"] / prefix / "practices" / record_id / "index.html").read_text(encoding="utf-8")
            shown = re.search(r'<tr><th scope="row">2023</th><td[^>]*>([^<]*)</td>', page).group(1)
            assert parse_figure(html.unescape(shown), language) == written, (record_id, figure, shown)
        checked += 1
    assert checked == len(fuzzed["accepted"])


HREF = re.compile(r'\bhref="([^"]*)"')


def test_every_link_of_a_fuzzed_page_is_https_mailto_or_an_existing_page_of_the_site(fuzzed: dict) -> None:
    site = fuzzed["site"]
    pages = [site / prefix / "practices" / record_id / "index.html" for record_id, _ in fuzzed["accepted"] for prefix in ("", "en/")]
    for page in pages:
        folder = page.parent.relative_to(site).as_posix()
        for href in map(html.unescape, HREF.findall(page.read_text(encoding="utf-8"))):
            if markup.url_problem(href) is None:
                continue
            assert not href.startswith(("//", "\\", "/")) and "\\" not in href and ":" not in href.split("/")[0], (page, href)
            target = posixpath.normpath(posixpath.join(folder, href.split("#")[0].split("?")[0]))
            assert not target.startswith(".."), (page, href)
            resolved = site / target
            assert resolved.exists() or (resolved / "index.html").exists(), (page, href)


def test_no_accepted_figure_was_written_with_a_separator_or_decimals(fuzzed: dict) -> None:
    """The value's unit counts applications: a figure that reads two ways, or is not whole, never passes."""
    for record_id, figure in fuzzed["accepted"]:
        assert re.fullmatch(r"(0|[1-9][0-9]*)", figure.strip()), (record_id, figure)


def test_the_feeds_are_well_formed_xml(fuzzed: dict) -> None:
    feeds = list(fuzzed["site"].rglob("*.xml"))
    assert feeds
    for feed in feeds:
        ElementTree.parse(feed)
