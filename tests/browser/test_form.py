"""The proposal form in real Chromium: it finds the problems `catalog validate` finds, and what it
produces passes `catalog validate` unchanged, in Spanish and in English."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.present.form import form_data_json
from catalog.records.loader import LoadError, load_document
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD, PRACTICES, REPO
from tests.helpers.browser import launch_chromium, serve_directory

pytestmark = pytest.mark.site
ASSETS = REPO / "docs" / "assets"
# What only a file on disk can have wrong (its name, its folder, its YAML spelling, other files):
# the form writes those itself.
FILE_ONLY = {"id_not_file_name", "wrong_folder", "duplicate_id", "duplicate_key", "anchor",
             "explicit_tag", "merge_key", "complex_key"}
# Python knows the raw YAML text of a value and says "put it in quotes"; the browser's record has no
# YAML text, so the same value of the wrong type is "wrong_type" there.
# The form offers vocabularies and countries as choices, so it has no "did you mean …?" to add.
SAME_MESSAGE = {"retyped": "wrong_type", "not_in_vocabulary_suggest": "not_in_vocabulary",
                "country_not_covered_suggest": "country_not_covered", "bad_country_code_suggest": "bad_country_code"}


def _mutations(base: dict) -> list[dict]:
    """Slips an official can make in the form, one per record, on top of a valid record."""
    def changed(**edits):
        record = json.loads(json.dumps(base))
        for dotted, value in edits.items():
            target = record
            parts = dotted.split(".")
            for part in parts[:-1]:
                target = target[int(part)] if part.isdigit() else target[part]
            last = parts[-1]
            if value is ...:
                del target[int(last) if last.isdigit() else last]
            else:
                target[int(last) if last.isdigit() else last] = value
        return record
    return [
        changed(**{"title.en": ...}), changed(**{"summary.en": "Too short"}), changed(status="completed"),
        changed(**{"period.end": "2019"}), changed(**{"period.start": "2021-13"}), changed(themes=[]),
        changed(themes=["border-reception", "border-reception"]), changed(**{"results.0.values.0.year": 1985}),
        changed(**{"results.0.values.0.value": -3}), changed(**{"sources.0.url": "http://example.org"}),
        changed(**{"description.en": "See <b>this</b> and ![x](https://a.example/i.png)"}),
        changed(**{"lead_entity.name": "X"}), changed(**{"lead_entity.acronym": "!!"}), changed(id="Bad Id"),
        changed(country="pan"), changed(host_country="COL"), changed(**{"summary.en": "Zero\u200bwidth space here, long enough"}),
        changed(extra_field="x"), changed(**{"results.0.unit": "apples"}), changed(sources=[{"title": "No link here"}]),
        changed(submitted="2026-1-1"), changed(**{"lead_entity.name": {"fr": "Nom"}}), changed(**{"period.end": "2020-02-30"}),
        changed(**{"description.en": "[x](javascript:alert(1))"}), changed(original_language="pt"),
        changed(provenance={"method": "submitted"}), changed(provenance={"method": "sent"}), changed(provenance=...),
    ]


def _python_problems(record: dict, folder: Path) -> set[tuple[str, str]]:
    target = folder / "pan"  # the file's own name and folder are the form's business (FILE_ONLY)
    shutil.rmtree(folder, ignore_errors=True)
    target.mkdir(parents=True)
    path = target / "record.yml"
    # JSON is YAML: no retyping. A character YAML refuses raw (U+FFFF) is written as an escape, so that it
    # reaches the text checks as it does in the browser.
    text = re.sub(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
                  lambda match: f"\\u{ord(match.group()):04x}", json.dumps(record, ensure_ascii=False))
    path.write_text(text, encoding="utf-8")
    problems = validate_paths([path]).problems
    return {(p.field, SAME_MESSAGE.get(p.message, p.message)) for p in problems if p.message not in FILE_ONLY}


def _has_whole_float(value) -> bool:
    if isinstance(value, dict):
        return any(_has_whole_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_whole_float(v) for v in value)
    return isinstance(value, float) and value.is_integer()


def _has_unsafe_integer(value) -> bool:
    if isinstance(value, dict):
        return any(_has_unsafe_integer(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unsafe_integer(v) for v in value)
    return isinstance(value, int) and abs(value) > 2**53


def _corpus() -> list[dict]:
    records = []
    for path in [*sorted(PRACTICES.rglob("*.yml")), *sorted((REPO / "tests" / "unit" / "hostile").rglob("*.yml"))]:
        try:
            data = load_document(path).data
            json.dumps(data, allow_nan=False)
        except (LoadError, ValueError):
            continue  # unreadable files, or values (NaN) the form cannot produce
        if _has_whole_float(data):
            continue  # 2024.0: JavaScript has one kind of number, and the form writes years as integers
        if _has_unsafe_integer(data):
            continue  # more digits than a JavaScript number holds exactly: the browser sees another number
        if path.name.startswith("coordinates-"):
            continue  # the form offers no coordinates (catalog/present/form.py LEFT_OUT): the map's rules need the shapes
        records.append(data)
    return records + _mutations(yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))


@pytest.fixture
def rules_page(tmp_path_factory):  # one Playwright at a time: not shared with the other tests
    """The form's checking scripts alone on a page, with the form's data."""
    root = tmp_path_factory.mktemp("rules")
    for name in ("practice-validator.js", "propose-rules.js"):
        shutil.copy(ASSETS / name, root / name)
    (root / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><script type="application/json" id="d">{form_data_json("en")}</script>'
        '<script src="practice-validator.js"></script><script src="propose-rules.js"></script>', encoding="utf-8")
    with serve_directory(root) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/index.html")
        yield page


def test_form_rules_find_what_catalog_validate_finds(rules_page, tmp_path):
    """The drift test: every record of the catalog and the hostile corpus, and slips on a valid record,
    checked by the browser (generated schema validator + the rules shared as data) and by Python."""
    corpus = _corpus()
    assert len(corpus) > 60
    in_browser = rules_page.evaluate(
        """(records) => { const d = JSON.parse(document.getElementById('d').textContent);
           return records.map((r) => window.catalogRules.check(d, r).map((p) => [p.field, p.message])); }""",
        corpus)
    differences = []
    for record, found in zip(corpus, in_browser, strict=True):
        expected = _python_problems(record, tmp_path / "practices")
        got = {tuple(p) for p in found}
        if got != expected:
            differences.append((record.get("id"), sorted(expected - got), sorted(got - expected)))
    assert not differences, "\n".join(map(str, differences))
    assert sum(1 for found in in_browser if found) >= 40  # most of the corpus is refused, not waved through


def test_a_wrong_rule_in_the_browser_would_be_caught(rules_page, tmp_path):
    """The comparison can fail: with the year bound shifted in the page's data, the same corpus differs."""
    record = yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8"))
    record["period"]["start"] = 1991
    found = rules_page.evaluate(
        """(r) => { const d = JSON.parse(document.getElementById('d').textContent); d.earliest_year = 1995;
           return window.catalogRules.check(d, r).map((p) => p.message); }""", record)
    assert "implausible_year" in found and not _python_problems(record, tmp_path / "practices")


# --- filling the real form ------------------------------------------------------------------------

def _fill(page, language: str) -> None:
    """Fill the form as an official would, in the page's language, leaving the other language pending
    in some texts."""
    es = language == "es"
    page.select_option("#pf-country", "PAN")
    page.fill("#pf-title-" + language, "Atención en Darién para solicitantes" if es else "Reception in Darién for applicants")
    page.fill("#pf-summary-" + language, ("La oficina atiende a quienes llegan por la frontera en Darién." if es
                                          else "The office serves people who arrive across the Darién border."))
    if not es:
        page.fill("#pf-summary-es", "La oficina atiende a quienes llegan por la frontera de Darién.")
    page.fill("#pf-description-" + language, ("Primera línea.\n\n- un punto\n- otro punto: con dos puntos" if es
                                              else "First line.\n\n- one point\n- another: with a colon"))
    page.fill("#pf-lead_entity-name-" + language, "Oficina Nacional para la Atención de Refugiados")
    page.fill("#pf-lead_entity-acronym-" + language, "ONPAR")  # one language only: the same in both
    page.fill("#pf-period-start", "2021")
    page.select_option("#pf-status", "ongoing")
    page.check("input[type=checkbox][value=border-reception]")
    page.click("[data-key=results] > [data-pf-add]")
    page.fill("#pf-results-0-indicator-" + language, "Solicitudes recibidas" if es else "Applications received")
    page.select_option("#pf-results-0-unit", "applications")
    page.fill("#pf-results-0-values-0-year", "2024")
    page.fill("#pf-results-0-values-0-value", "1250")
    page.fill("#pf-sources-0-title", "Informe anual 2024" if es else "Annual report 2024")
    page.fill("#pf-sources-0-url", "https://example.org/informe")
    page.select_option("#pf-provenance-method", "submitted")
    page.fill("#pf-provenance-by-" + language, "Oficina Nacional para la Atención de Refugiados")
    page.fill("#pf-provenance-date", "2026-03")


@pytest.mark.parametrize("language", ["es", "en"])
def test_fill_the_form_download_and_catalog_validate_accepts_it(built_site, language, tmp_path):
    url = "/propose/" if language == "es" else "/en/propose/"
    with serve_directory(built_site) as base, launch_chromium() as browser:
        page = browser.new_page(accept_downloads=True)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + url)
        _fill(page, language)
        page.locator("#pf-sources-0-url").blur()
        status = page.locator("[data-pf-status]")
        status.filter(has_text="catalog validate").wait_for()
        assert page.locator("#pf-id").input_value().startswith(("atencion-en-darien", "reception-in-darien"))
        with page.expect_download() as download_info:
            page.click("[data-pf-download]")
        download = download_info.value
        github = page.locator("[data-pf-github]").get_attribute("href")
        assert not errors
        folder = tmp_path / "practices" / "pan"
        folder.mkdir(parents=True)
        saved = folder / download.suggested_filename
        download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "catalog"), "validate", "--lang", "en", "--pending", str(saved)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr + text
    assert "pending" in result.stderr  # the other language is left for translation, and said so
    record = yaml.safe_load(text)
    assert record["original_language"] == language and record["results"][0]["values"][0]["value"] == 1250
    assert record["lead_entity"]["acronym"] == "ONPAR"
    assert record["provenance"] == {"method": "submitted", "date": "2026-03",
                                    "by": "Oficina Nacional para la Atención de Refugiados"}
    assert github.startswith("https://github.com/conare-catalog/catalog/new/main/practices/pan?filename=")
    assert yaml.safe_load(_query_value(github)) == record
    assert all(r.startswith(base) or r.startswith(("blob:", "data:")) for r in requests)


def _query_value(href: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(href).query)["value"][0]


def test_problems_show_at_the_field_in_the_page_language(built_site):
    with serve_directory(built_site) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/propose/")
        page.fill("#pf-period-start", "1985")
        page.locator("#pf-period-start").blur()
        error = page.locator("#pf-period-start-error")
        error.wait_for()
        assert "1985" in error.inner_text() and "año" in error.inner_text()
        assert page.locator("#pf-period-start").get_attribute("aria-invalid") == "true"
        assert "pf-period-start-error" in page.locator("#pf-period-start").get_attribute("aria-describedby")
        assert not math.isnan(page.evaluate("() => document.querySelectorAll('[data-pf-problems] a').length"))


def test_rows_are_added_and_removed_with_the_keyboard(built_site):
    with serve_directory(built_site) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 800})  # a phone
        page.goto(base + "/en/propose/")
        add = page.locator("[data-key=results] > [data-pf-add]")
        add.focus()
        page.keyboard.press("Enter")
        focused = page.evaluate("() => document.activeElement.id")
        assert focused == "pf-results-0-indicator-es"  # the new row's first box has the focus
        label = page.evaluate("() => document.querySelector(`label[for='${document.activeElement.id}']`).textContent")
        assert label.startswith("Spanish")
        assert page.locator("#pf-results-0-values-0-year").count() == 1  # a row of yearly values comes with it
        page.locator("[data-key=results] [data-pf-remove]").last.focus()
        page.keyboard.press("Enter")
        assert page.locator("#pf-results-0-indicator-es").count() == 0
        assert page.evaluate("() => document.activeElement.closest('[data-key=results]') !== null")
