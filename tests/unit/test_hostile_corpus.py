"""The hostile corpus (tests/unit/hostile/): every file is reported with its expected message, line and
field, in one run, in-process and through the real `catalog` console script, without a crash.

tests/unit/hostile/expected.yml holds the expectations. Being a .yml file in the corpus folder, the
validator reads it too (as a record with many problems); its lines are left out of the checks.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml

from catalog.records.loader import Problem
from catalog.records.validate import validate_paths
from tests.helpers import REPO

HOSTILE = Path(__file__).resolve().parent / "hostile"
EXPECTATIONS = "expected.yml"
EXPECTED: dict[str, dict] = yaml.safe_load((HOSTILE / EXPECTATIONS).read_text(encoding="utf-8"))
# Every file spelled like a record (.yml, .yaml, .YML…), links included: the validator reports them all.
CORPUS = sorted(
    p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*")
    if p.suffix.lower() in (".yml", ".yaml") and p.name != EXPECTATIONS and (p.is_file() or p.is_symlink())
)
# Of those, the ones the validator reads as records (a link or a .yaml file is reported without being read).
RECORDS = [name for name in CORPUS if name.endswith(".yml") and not (HOSTILE / name).is_symlink()]
TODAY = datetime.date(2026, 11, 23)
CATALOG = Path(sys.executable).with_name("catalog")  # the console script of the virtualenv
OUTPUT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<text>.*)$")


def corpus_name(shown_path: str) -> str:
    """tests/unit/hostile/pan/x.yml (as the validator shows it, from any folder) -> pan/x.yml"""
    return Path(os.path.abspath(shown_path)).relative_to(HOSTILE).as_posix()  # a link stays where it is


def expected_triple(name: str) -> tuple[str, int, str]:
    entry = EXPECTED[name]
    return entry["message"], entry["line"], entry["field"]


@cache
def english_pattern(message_id: str) -> re.Pattern[str]:
    """The English text of a message as a regular expression, each {placeholder} (and each plural
    choice {count|item|items}) matching anything."""
    messages = yaml.safe_load((REPO / "catalog" / "data" / "messages.yml").read_text(encoding="utf-8"))
    parts = re.split(r"\{\w+(?:\|[^|{}]*\|[^|{}]*)?\}", messages[message_id]["en"])
    return re.compile(".*".join(map(re.escape, parts)), re.DOTALL)


def test_the_corpus_has_at_least_30_files() -> None:
    assert len(CORPUS) >= 30


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    assert sorted(EXPECTED) == CORPUS


def test_the_expected_line_exists_in_its_file() -> None:
    for name in CORPUS:
        lines = (HOSTILE / name).read_bytes().split(b"\n")
        assert 1 <= EXPECTED[name]["line"] <= max(len(lines), 1), name


# --- in-process ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def problems_by_file() -> dict[str, list[Problem]]:
    """One validation run over the whole corpus folder."""
    report = validate_paths([HOSTILE], today=TODAY)
    assert report.files_checked == len(RECORDS) + 1  # the records of the corpus and expected.yml
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in report.problems:
        grouped[corpus_name(problem.path)].append(problem)
    return grouped


@pytest.mark.parametrize("name", CORPUS)
def test_in_process_the_expected_problem_is_reported(problems_by_file: dict[str, list[Problem]], name: str) -> None:
    problems = problems_by_file[name]
    assert expected_triple(name) in [(p.message, p.line, p.field) for p in problems]
    assert {p.message for p in problems} == {EXPECTED[name]["message"], *EXPECTED[name].get("also", [])}


def test_in_process_every_corpus_file_is_reported_in_one_run(problems_by_file: dict[str, list[Problem]]) -> None:
    assert sorted(set(problems_by_file) - {EXPECTATIONS}) == CORPUS


# --- through the console script -------------------------------------------------------------------


@pytest.fixture(scope="module")
def console_run() -> subprocess.CompletedProcess[str]:
    assert CATALOG.exists(), f"no console script at {CATALOG}; install the project into the virtualenv"
    return subprocess.run(
        [str(CATALOG), "validate", "tests/unit/hostile", "--lang", "en"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def console_lines(console_run: subprocess.CompletedProcess[str]) -> dict[str, list[re.Match[str]]]:
    grouped: dict[str, list[re.Match[str]]] = defaultdict(list)
    for text in console_run.stdout.splitlines():
        match = OUTPUT_LINE.match(text)
        assert match, f"not in the PATH:LINE:COL: FIELD: message form: {text!r}"
        grouped[corpus_name(match["path"])].append(match)
    return grouped


def test_console_script_does_not_crash_and_exits_1(console_run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in console_run.stdout + console_run.stderr
    assert console_run.returncode == 1, console_run.stderr


def test_console_script_reports_every_corpus_file_in_one_run(console_lines: dict[str, list[re.Match[str]]]) -> None:
    assert sorted(set(console_lines) - {EXPECTATIONS}) == CORPUS


@pytest.mark.parametrize("name", CORPUS)
def test_console_script_reports_the_expected_message_on_the_expected_line(
    console_lines: dict[str, list[re.Match[str]]], name: str
) -> None:
    message, line, field = expected_triple(name)
    reported = [(int(m["line"]), m["field"], m["text"]) for m in console_lines[name]]
    assert any(
        (at, named) == (line, field) and english_pattern(message).fullmatch(text) for at, named, text in reported
    ), f"{name}: no '{message}' at line {line} ({field}) in {reported}"
