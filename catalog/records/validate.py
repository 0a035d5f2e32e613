"""Validation of practice records: the JSON Schema first (catalog.records.schema_errors), then the rules a
schema cannot say (catalog.records.rules), for each file on its own and for all files together (unique ids).

Every problem in every file is collected (nothing stops at the first error) and carries the
line and column of the offending key or value, so that a contributor can fix them all at once.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.core.parallel import run_all, worth_forking
from catalog.core.vocabularies import Vocabularies, load_vocabularies
from catalog.records.findings import Findings
from catalog.records.loader import Document, LoadError, load_document
from catalog.records.problems import Problem
from catalog.records.rules import check_figures, run_rules
from catalog.records.schema_errors import check_schema
from catalog.records.structure import explain_structure
from catalog.records.suggest import with_suggestions


@dataclass
class Report:
    """The outcome of validating a set of files."""

    problems: list[Problem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # the files that are valid
    pending: list[Problem] = field(default_factory=list)  # missing translations: reported, not errors
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def record_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their .yml files (recursively, sorted); report paths that are not records,
    and files that look like records but would not be published (.yaml, .YML, links, pipes)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for found in _walk(path):
                _sort_candidate(found, files, problems)
        elif path.is_symlink() or path.exists():
            _sort_candidate(path, files, problems, named=True)
        else:
            problems.append(Problem(str(path), 0, 0, "(file)", "no_such_path"))
    # A file named twice (itself and its folder) is checked once, else it "duplicates" its own id.
    # Files are never links (_sort_candidate), so resolving their folder resolves them.
    folders = functools.cache(os.path.realpath)
    unique = {os.path.join(folders(os.path.dirname(file) or "."), file.name): file for file in reversed(files)}
    return list(reversed(unique.values())), problems


def _walk(folder: Path) -> Iterator[Path]:
    """Every file and linked folder under `folder`, sorted, without following links."""
    for root, folders, names in os.walk(folder):
        base = Path(root)
        linked = [name for name in folders if (base / name).is_symlink()]
        folders[:] = sorted(name for name in folders if name not in linked)
        yield from sorted([*(base / name for name in names), *(base / name for name in linked)])


def _sort_candidate(path: Path, files: list[Path], problems: list[Problem], named: bool = False) -> None:
    """A .yml regular file is a record; a file spelled like one but not one is a problem; anything
    else found in a folder is ignored (a README), and anything else named explicitly is reported."""
    looks_like_record = path.suffix.lower() in (".yml", ".yaml")
    if not (looks_like_record or named or path.is_symlink()):
        return
    if path.is_symlink():
        problems.append(Problem(display(path), 1, 1, "(file)", "symlink"))
    elif not path.is_file():
        problems.append(Problem(display(path), 1, 1, "(file)", "not_regular_file" if looks_like_record else "not_a_record"))
    elif path.suffix == ".yml":
        files.append(path)
    elif looks_like_record:
        problems.append(Problem(display(path), 1, 1, "(file)", "wrong_extension", {"expected": path.with_suffix(".yml").name}))
    else:
        problems.append(Problem(str(path), 0, 0, "(file)", "not_a_record"))


@dataclass
class FileResult:
    """What checking one file found: its problems, and its document and pending translations if valid."""

    shown: str
    problems: list[Problem]
    document: Document | None = None
    pending: list[Problem] = field(default_factory=list)
    record_id: str | None = None


def validate_paths(paths: Iterable[Path], today: datetime.date | None = None, workers: int = 1,
                   unchanged: dict[Path, tuple[bytes, FileResult]] | None = None) -> Report:
    """Validate every record under the given files or folders, each file on its own and all together.
    With workers > 1 and many files, they are shared among that many processes (catalog.core.parallel): the
    results, and so the report, are the same as in one process."""
    today = today or datetime.date.today()
    files, path_problems = record_files(paths)
    report = Report(problems=path_problems, files_checked=len(files))
    seen_ids: dict[str, str] = {}
    for result in (_check_files(files, today, workers) if unchanged is None else _check_again(files, today, unchanged)):
        if result.record_id is not None:
            if result.record_id in seen_ids:
                duplicate = Problem(result.shown, *_id_position(result), "id", "duplicate_id",
                                    {"value": result.record_id, "other": seen_ids[result.record_id]})
                result.problems.append(duplicate)
                result.document = None
            else:
                seen_ids[result.record_id] = result.shown
        report.problems.extend(result.problems)
        if result.document is not None and not result.problems:
            report.documents.append(result.document)
            report.pending.extend(result.pending)
    return report


def _check_files(files: list[Path], today: datetime.date, workers: int) -> list[FileResult]:
    if not worth_forking(workers, len(files)):
        return [check_file(path, today) for path in files]
    chunk = -(-len(files) // workers)
    parts = run_all([functools.partial(_check_chunk, files[start:start + chunk], today) for start in range(0, len(files), chunk)])
    return [result for part in parts for result in part]


def _check_again(files: list[Path], today: datetime.date, unchanged: dict[Path, tuple[bytes, FileResult]]) -> list[FileResult]:
    """The live preview's validation: a file whose bytes are those of the last check keeps its result
    (copied: the duplicate-id pass adds to it); `unchanged` is updated with the new results."""
    results = []
    for path in files:
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        kept = unchanged.get(path)
        if content is None or kept is None or kept[0] != content:
            result = check_file(path, today)
            if content is not None:
                unchanged[path] = (content, dataclasses.replace(result, problems=list(result.problems)))
        else:
            result = dataclasses.replace(kept[1], problems=list(kept[1].problems))
        results.append(result)
    return results


def _check_chunk(files: list[Path], today: datetime.date) -> list[FileResult]:
    return [_sent_back(check_file(path, today)) for path in files]


def _sent_back(result: FileResult) -> FileResult:
    """A checker process's result without what only the checks needed (the file's lines and the
    place of every field): pickling that back cost a third of the checking. What is left: the data,
    and where the id stands (for a duplicate id, found once all files are back)."""
    document = result.document
    if document is not None:
        kept = {("id",)}
        result.document = Document(
            document.path, document.data,
            {path: place for path, place in document.value_positions.items() if path in kept},
            {path: place for path, place in document.key_positions.items() if path in kept},
            {},
        )
    return result


def check_file(path: Path, today: datetime.date) -> FileResult:
    """Load and check one file on its own (everything but what needs the other files)."""
    shown = display(path)
    try:
        document = load_document(path, shown)
    except LoadError as error:
        return FileResult(shown, list(error.problems))
    except OSError as error:
        return FileResult(shown, [Problem(shown, 0, 0, "(file)", "yaml_syntax", {"detail": error.strerror})])
    findings = check_record(document, shown, load_vocabularies(), today)
    record_id = document.data.get("id") if isinstance(document.data, dict) else None
    return FileResult(shown, findings.problems, document, findings.pending, record_id if isinstance(record_id, str) else None)


def _id_position(result: FileResult) -> tuple[int, int]:
    return result.document.position(("id",)) if result.document is not None else (1, 1)


def display(path: Path) -> str:
    """The path as a contributor sees it: relative to the current folder where possible."""
    inside, absolute = os.path.join(os.getcwd(), ""), os.path.abspath(path)
    if absolute.startswith(inside) and len(absolute) > len(inside):  # the usual case, without Path's cost
        return absolute[len(inside):]
    here = Path.cwd()
    # Without following links: a linked record is shown where it is, not where it points.
    for candidate, base in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            continue
    return str(path)


def check_record(document: Document, shown: str, vocabularies: Vocabularies, today: datetime.date) -> Findings:
    """Every check of one loaded record: what the loader found, the schema pass, then the rules."""
    findings = Findings(document, shown, vocabularies, today)
    findings.problems.extend(document.problems)
    check_schema(findings)
    check_figures(findings)
    run_rules(findings)
    explain_structure(findings)  # a field moved left or a list item joined: the cause, not its effects
    findings.problems = with_suggestions(findings.problems)  # "did you mean border-reception?"
    # The same problem can be found twice (e.g. by the schema and a rule), each time with its
    # parameters worded a little differently (a hint, a shortened link): report it once, as
    # first found. Different problems differ in place, field or message.
    unique: dict[tuple[int, int, str, str], Problem] = {}
    for problem in findings.problems:
        unique.setdefault((problem.line, problem.column, problem.field, problem.message), problem)
    findings.problems = sorted(unique.values(), key=lambda p: (p.line, p.column, p.field, p.message))
    return findings
