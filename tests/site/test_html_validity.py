"""Valid HTML: the W3C Nu HTML Checker (npm package vnu-jar, run with Java) on one page of each
type in both languages. No errors; warnings are printed (run with -s to see them).

Two errors come from Material's own base templates, which the catalog does not override (each
would mean copying a large Material template for a one-word change). They are allowed only in
exactly that form, on exactly those elements, and listed in the output:
- base.html puts autocomplete="off" on its two hidden checkboxes (#__drawer, #__search) on purpose,
  so that Firefox does not restore an open drawer or search on "back" (squidfunk/mkdocs-material#1513);
- partials/nav-item.html writes tabindex="" on the label of the active navigation section.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.site

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = [
    "index.html", "catalog/index.html", "countries/pan/index.html", "themes/access-to-procedure/index.html",
    "mechanisms/mirps/index.html", "practices/onpar-border-access/index.html", "contribute/index.html", "propose/index.html",
    "open-data/index.html", "about/index.html", "countries/index.html", "themes/index.html", "map/index.html",
]
ONE_PAGE_FOR_BOTH_LANGUAGES = ["404.html"]
# (message, the start of the offending element): Material's markup, explained in the docstring.
MATERIAL_ERRORS = [
    (re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
     re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">')),
    (re.compile(r"^Bad value “” for attribute “tabindex” on element “label”"),
     re.compile(r'<label class="md-nav__link" for="__nav_\d+" id="__nav_\d+_label" tabindex="">')),
]


def is_material_error(message: dict) -> bool:
    return any(text.search(message["message"]) and element.search(message.get("extract", ""))
               for text, element in MATERIAL_ERRORS)


@pytest.fixture(scope="module")
def nu_messages(built_site: Path) -> list[dict]:
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (apt-get install default-jre-headless; scripts/dev test does it as root)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` (scripts/dev test does it)"
    files = [built_site / page for page in PAGES] + [built_site / "en" / page for page in PAGES]
    files += [built_site / page for page in ONE_PAGE_FOR_BOTH_LANGUAGES]
    missing = [str(f.relative_to(built_site)) for f in files if not f.is_file()]
    assert not missing, f"pages not built: {missing}"
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr)["messages"]
    for message in messages:
        message["page"] = Path(message.get("url", "").removeprefix("file:")).relative_to(built_site).as_posix()
    return messages


def line(message: dict) -> str:
    extract = " ".join(message.get("extract", "").split())[:120]
    return f"{message['page']}:{message.get('lastLine', '?')}: {message['message']} [{extract}]"


def test_pages_have_no_html_errors(nu_messages):
    errors = [m for m in nu_messages if m["type"] in ("error", "non-document-error")]
    allowed = [m for m in errors if is_material_error(m)]
    warnings = [m for m in nu_messages if m["type"] == "info" and m.get("subType") == "warning"]
    print(f"\nNu HTML Checker: {len(errors) - len(allowed)} error(s), {len(allowed)} known Material error(s), "
          f"{len(warnings)} warning(s)")
    for (text, element), count in Counter((m["message"][:70], " ".join(m["extract"].split())[:70]) for m in allowed).items():
        print(f"  known Material error on {count} page(s): {text}… [{element}]")
    for message in warnings:
        print("  warning:", line(message))
    assert [line(m) for m in errors if not is_material_error(m)] == []


def test_the_checker_reports_errors_it_should(tmp_path):
    """The checker as run here does report a broken page (guards against a blind run)."""
    java = shutil.which("java")
    assert java and VNU_JAR.is_file()
    broken = tmp_path / "broken.html"
    broken.write_text('<!doctype html><html lang="en"><title>x</title><p><div id="a" id="a"></div>', encoding="utf-8")
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert any(m["type"] == "error" for m in json.loads(result.stderr)["messages"])
