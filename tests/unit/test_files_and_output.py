"""Files that look like records but are not (links, pipes, .yaml), reading no more than the cap,
the validator's cost on the largest hostile files, and output a record cannot break out of."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest

from catalog.cli.main import main
from catalog.records.loader import MAX_FILE_BYTES, LoadError, load_document
from catalog.records.problems import Problem, format_problem
from catalog.records.validate import validate_paths
from tests.helpers import EXAMPLE_RECORD

TODAY = datetime.date(2026, 11, 23)


def record_text(record_id: str) -> str:
    return EXAMPLE_RECORD.read_text(encoding="utf-8").replace("id: onpar-border-access", f"id: {record_id}")


def messages(report) -> list[tuple[str, str]]:
    return sorted((Path(p.path).name, p.message) for p in report.problems)


def test_files_spelled_like_records_are_reported_not_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "practices" / "pan"
    folder.mkdir(parents=True)
    (folder / "a-practice.yaml").write_text(record_text("a-practice"), encoding="utf-8")
    (folder / "b-practice.YML").write_text(record_text("b-practice"), encoding="utf-8")
    (folder / "README.md").write_text("notes", encoding="utf-8")
    report = validate_paths([tmp_path / "practices"], today=TODAY)
    assert messages(report) == [("a-practice.yaml", "wrong_extension"), ("b-practice.YML", "wrong_extension")]
    assert report.problems[0].params == {"expected": "a-practice.yml"}
    assert main(["validate", str(tmp_path / "practices"), "--lang", "en"]) == 1  # not "0 valid practices", exit 0


def test_links_are_refused_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(record_text("secret"), encoding="utf-8")
    folder = tmp_path / "practices" / "pan"
    folder.mkdir(parents=True)
    (folder / "secret.yml").symlink_to(outside / "secret.yml")
    (tmp_path / "practices" / "linked-folder").symlink_to(outside, target_is_directory=True)
    report = validate_paths([tmp_path / "practices"], today=TODAY)
    assert messages(report) == [("linked-folder", "symlink"), ("secret.yml", "symlink")]
    assert report.documents == [] and report.files_checked == 0
    assert all(str(outside) not in p.path for p in report.problems)  # shown where the link is
    with pytest.raises(LoadError) as caught:  # the loader refuses a link on its own too
        load_document(folder / "secret.yml")
    assert [p.message for p in caught.value.problems] == ["symlink"]


def test_a_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "practices" / "pan"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.yml")  # reading it would wait forever for a writer
    started = time.perf_counter()
    report = validate_paths([tmp_path / "practices"], today=TODAY)
    assert messages(report) == [("pipe.yml", "not_regular_file")]
    with pytest.raises(LoadError) as caught:
        load_document(folder / "pipe.yml")
    assert [p.message for p in caught.value.problems] == ["not_regular_file"]
    assert time.perf_counter() - started < 5


def test_a_huge_file_is_refused_after_reading_at_most_the_cap_plus_one_byte(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as file:
        file.truncate(8 * 1024**3)  # 8 GiB, sparse: read whole, it would exhaust the memory
    reads: list[int] = []
    real_read = os.fdopen

    def recording_fdopen(*args, **kwargs):
        opened = real_read(*args, **kwargs)
        original = opened.read
        opened.read = lambda size=-1: reads.append(size) or original(size)  # type: ignore[method-assign]
        return opened

    monkeypatch.setattr(os, "fdopen", recording_fdopen)
    with pytest.raises(LoadError) as caught:
        load_document(path)
    assert reads == [MAX_FILE_BYTES + 1]
    problem = caught.value.problems[0]
    assert (problem.message, problem.params["size"]) == ("file_too_large", 8 * 1024**3)


# Hostile bodies of n repeated parts; at the largest n each file is just under the 64 KiB cap.
WORST_FILES = {
    "one-item-lists-under-themes": (lambda n: "themes:\n" + "  - [x]\n" * n, 7000),
    "repeated-lists-under-themes": (lambda n: "themes:\n" + "  - [a, [b, {c: d}]]\n" * n, 3000),
    "many-links": (lambda n: "description:\n  en: |\n" + "    [x](//e.example) [y](javascript:z) <https://a@b.c/>\n" * n, 1000),
    "many-invisible-characters": (lambda n: 'title:\n  en: "' + "\\u3164" * n + '"\n', 9000),
    "many-numbers": (lambda n: "results:\n  - values:\n" + "      - {year: 0x7E6, value: 0100}\n" * n, 1700),
    "deep-text": (lambda n: "description:\n  en: |\n    " + "> " * n + "\n", 30000),
    "long-bracket-run": (lambda n: "description:\n  en: |\n    " + "[" * n + "\n", 60000),
}


def validation_seconds(folder: Path, name: str, body: str) -> float:
    path = folder / "pan" / f"{name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"id: {name}\n{body}", encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    timings = []
    for _ in range(2):
        started = time.process_time()
        assert not validate_paths([path], today=TODAY).ok
        timings.append(time.process_time() - started)
    return min(timings)


@pytest.mark.parametrize("name", sorted(WORST_FILES))
def test_validation_cost_grows_linearly_up_to_the_cap(tmp_path: Path, name: str) -> None:
    """jsonschema's uniqueItems compared every pair of unsortable items (a 63 KB record took 100 s), and
    a scan per list item of every malformed path took 43 s on 7,000 bad themes. Four times the input
    must cost about four times as much (a quadratic cost would be sixteen), and the largest file a few
    seconds at most. CPU time, so that other work on a shared machine does not count."""
    make, largest = WORST_FILES[name]
    small = validation_seconds(tmp_path / "small", name, make(largest // 4))
    large = validation_seconds(tmp_path / "large", name, make(largest))
    assert large < 8 * max(small, 0.02), f"{name}: {small:.3f} s for n/4, {large:.3f} s for n"
    assert large < 10.0, f"{name}: {large:.2f} s"


# --- output a record cannot break out of ------------------------------------------------------------

FORGED_KEY = "x\n::error file=practices/pan/other.yml,line=1::forged\n::stop-commands::token"


def test_a_key_cannot_forge_an_annotation_or_stop_workflow_commands() -> None:
    problem = Problem("practices/pan/a,b:c.yml", 3, 4, FORGED_KEY, "unknown_field", {"name": FORGED_KEY})
    line = format_problem(problem, "both", "github")
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=practices/pan/a%2Cb%3Ac.yml,line=3,col=4,title=x\\u000a%3A%3Aerror file=")
    assert line.count("::") == 2 + 2 * line.count("\\u000a::")  # the command's own, and escaped ones inside the data
    data = line.split("::", 2)[2]
    assert "\\u000a::stop-commands::token" in data


def test_a_key_cannot_forge_a_line_of_the_text_output() -> None:
    problem = Problem("practices/pan/x.yml", 3, 4, FORGED_KEY, "unknown_field", {"name": FORGED_KEY})
    text = format_problem(problem, "en")
    assert "\n" not in text
    assert text.startswith("practices/pan/x.yml:3:4: x\\u000a::error file=practices/pan/other.yml,line=1::forged\\u000a")


def test_the_console_prints_one_line_per_problem_for_a_hostile_key(tmp_path: Path, capsys) -> None:
    path = tmp_path / "pan" / "hostile-key.yml"
    path.parent.mkdir()
    key = FORGED_KEY.replace("\n", "\\n")
    path.write_text(record_text("hostile-key") + f'"{key}": 1\n', encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 1 and all(line.startswith("::error file=") for line in lines), lines
