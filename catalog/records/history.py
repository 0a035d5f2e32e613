"""The records' history from git: every change of every record file, from ONE `git log` per build.

It gives the pages and exports the dates they need: the last change of a record and the day it
was first added. No commit subject or author reaches a reader (pages link to the record's full
history in the repository instead); they are still read, and cleaned, so that nothing read from
git is ever left unchecked.

Commit metadata is untrusted input, like a record (anyone can open a pull request, with any
commit in it):
- git's output is read as NUL-separated fields (`-z`, `%x00`), each checked for its form (a hash,
  a timestamp, a day, a status), so no name or subject can shift a field;
- subjects pass the catalog's own character rule (characters.showable) and are shortened;
- the "automatic" label goes only to the identities listed in data/automation.yml;
- a commit's date is shown only if the site can show it: a real day from EARLIEST_DATE on, not
  after the build (SOURCE_DATE_EPOCH, else now) and, for a record, not before its `submitted`.
  Any other date is never shown and never stops the build: the record's own dates stand in
  (`date_notes` says so in the build log).

A shallow clone (CI's default `fetch-depth: 1`) holds only the latest commits: its oldest
commits look as if they had added every file. Those boundary commits are read from git's
`shallow` file; a record whose oldest visible change is one of them has an incomplete history,
which the page says, and its first-publication date falls back to the record's own.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog.core.datafiles import from_data, read_yaml
from catalog.records.characters import showable
from catalog.records.problems import Problem

SUBJECT_LENGTH = 44  # characters of a commit subject shown on a page (a page stays under 30 KB)
HISTORY_LIMIT = 2  # changes listed on a practice page (its 30 KB budget); the rest are behind "full history"
EARLIEST_DATE = "1990-01-01"  # before any record of the catalog, and before the web
_FIELDS = ("%H", "%ct", "%cs", "%an", "%ae", "%cn", "%ce", "%s")
_LOG_FORMAT = "%x00".join(_FIELDS)
_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,20}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STATUS = re.compile(r"[ACDMRTUXB][0-9]{0,3}")


@dataclass(frozen=True)
class Change:
    """One commit that touched a record file."""

    commit: str  # full hash
    date: str | None  # YYYY-MM-DD, the commit's day; None when the site may not show it (see day_problem)
    subject: str  # the first line of its message, cleaned (still to be escaped)
    bot: bool  # made by a listed automation account (the issue form's pull requests)
    added: bool  # the commit added the file at this path
    given_date: str = ""  # the day as git gave it (cleaned, one line), for the build log
    refused: str | None = None  # why `date` is None: "commit_date_unreadable" or "commit_date_after_build"


@dataclass(frozen=True)
class RecordHistory:
    """Every record file's changes, newest first, and the boundary commits of a shallow clone."""

    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    shallow_roots: frozenset[str] = frozenset()
    available: bool = False  # False outside git (a downloaded archive) or when git failed

    def of(self, path: str) -> tuple[Change, ...]:
        return self.changes.get(path, ())

    def last_change(self, path: str) -> Change | None:
        changes = self.of(path)
        return changes[0] if changes else None

    def last_changed(self, path: str, not_before: str = EARLIEST_DATE) -> str | None:
        """The day of the record's last change, if the site may show it (else the caller's fallback)."""
        return shown_date(self.last_change(path), not_before)

    def complete(self, path: str) -> bool:
        """Whether the oldest change of the record is really in this clone (not a shallow boundary)."""
        changes = self.of(path)
        return bool(changes) and changes[-1].commit not in self.shallow_roots

    def first_publication(self, path: str) -> Change | None:
        """The commit that first added the record at this path; None when that is not in this clone."""
        if not self.complete(path):
            return None
        return next((change for change in reversed(self.of(path)) if change.added), None)

    def first_added(self, path: str, not_before: str = EARLIEST_DATE) -> str | None:
        return shown_date(self.first_publication(path), not_before)


def shown_date(change: Change | None, not_before: str = EARLIEST_DATE) -> str | None:
    """The change's day if the site may show it: readable, not after the build, not before `not_before`."""
    if change is None or change.date is None or change.date < max(not_before, EARLIEST_DATE):
        return None
    return change.date


def date_problem(change: Change | None, not_before: str) -> str | None:
    """Why the change's day is not shown (a message id), or None when it is shown or there is no change."""
    if change is None or shown_date(change, not_before):
        return None
    return change.refused or "commit_date_before_record"


def date_notes(history: RecordHistory, records: Iterable[tuple[str, str]]) -> list[Problem]:
    """For the build log: each record (its source path and `submitted`) whose last change or first
    publication has a day the site does not show, with why; its own dates stand in."""
    notes = []
    for path, submitted in records:
        for change in {history.last_change(path), history.first_publication(path)}:
            problem = date_problem(change, submitted)
            if problem:
                notes.append(Problem(path, 1, 1, "(git)", problem,
                                     {"commit": change.commit[:12], "date": change.given_date, "submitted": submitted}))
    return sorted(notes, key=lambda note: (note.path, note.params["commit"]))


def build_moment() -> datetime.datetime:
    """The build's moment: SOURCE_DATE_EPOCH when set (reproducible builds), else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch
            else datetime.datetime.now(datetime.UTC))


def day_problem(timestamp: str, day: str, build: datetime.datetime) -> str | None:
    """None when a commit's day (git's %cs, at its timestamp %ct) may be shown; else why not:
    "commit_date_unreadable" (not a day from EARLIEST_DATE to 9999, which Python's dates cannot pass)
    or "commit_date_after_build" (later than the build: it would stay at the top of every feed)."""
    if not _DAY.fullmatch(day) or day < EARLIEST_DATE or not _TIMESTAMP.fullmatch(timestamp):
        return "commit_date_unreadable"
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return "commit_date_unreadable"
    return "commit_date_after_build" if int(timestamp) > build.timestamp() else None


def clean_subject(subject: str) -> str:
    """A commit subject safe to show: the catalog's character rule (characters.showable), bounded."""
    text = showable(subject)
    return text if len(text) <= SUBJECT_LENGTH else text[:SUBJECT_LENGTH - 1].rstrip() + "…"


@from_data
def automation_identities() -> frozenset[tuple[str, str]]:
    """(name, e-mail) of each automation account listed in data/automation.yml."""
    entries = read_yaml("data/automation.yml")["identities"]
    return frozenset((entry["name"], entry["email"].lower()) for entry in entries)


def is_bot(*identities: tuple[str, str]) -> bool:
    """Whether any (name, e-mail) is a listed automation account, exactly: the issue form's pull
    requests are authored by the maintainer who accepted the proposal and committed by the bot."""
    listed = automation_identities()
    return any((name, email.lower()) in listed for name, email in identities)


def parse_log(output: str, build: datetime.datetime | None = None) -> dict[str, tuple[Change, ...]]:
    """Parse `git log -z --name-status --format=<_LOG_FORMAT>` (newest first) into changes per file.

    The output is a run of NUL-separated fields: the commit's eight fields, then status and path
    pairs. A commit starts where a field has the form of a hash and a status has its own form,
    so a header that is not as expected is skipped, never read shifted."""
    build = build or build_moment()
    fields = output.split("\x00")
    changes: dict[str, list[Change]] = {}
    index = 0
    while index < len(fields):
        header = [fields[index].lstrip("\n"), *fields[index + 1:index + len(_FIELDS)]]
        if not _HASH.fullmatch(header[0]) or len(header) < len(_FIELDS):
            index += 1
            continue
        index += len(_FIELDS)
        while index + 1 < len(fields) and _STATUS.fullmatch(fields[index].lstrip("\n")):
            status, path = fields[index].lstrip("\n"), fields[index + 1]
            changes.setdefault(path, []).append(_change(header, status, build))
            index += 2
    return {path: tuple(items) for path, items in changes.items()}


def _change(header: list[str], status: str, build: datetime.datetime) -> Change:
    commit, timestamp, day, author, author_email, committer, committer_email, subject = header
    problem = day_problem(timestamp, day, build)
    return Change(commit, None if problem else day, clean_subject(subject),
                  is_bot((author, author_email), (committer, committer_email)), status.startswith("A"),
                  showable(day)[:24], problem)


def _git(repository_root: Path, *arguments: str) -> str | None:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *arguments], cwd=repository_root,
            capture_output=True, text=True, encoding="utf-8", errors="replace", check=True, timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _shallow_roots(repository_root: Path) -> frozenset[str]:
    """The commits a shallow clone was cut at (git's `shallow` file); empty in a full clone."""
    location = _git(repository_root, "rev-parse", "--git-path", "shallow")
    shallow_file = repository_root / location.strip() if location else None
    if not shallow_file or not shallow_file.is_file():
        return frozenset()
    return frozenset(shallow_file.read_text(encoding="ascii", errors="replace").split())


def read_history(repository_root: Path, folder: str = "practices",
                 build: datetime.datetime | None = None) -> RecordHistory:
    """The history of every file under folder, from one `git log`; empty (available=False) outside git.

    `--no-renames`: a record moved to another country folder counts as added at its new path,
    which is where the model's source_path points. Merge commits list no files (git log shows
    no diff for them), so a merged pull request shows as its own commits.
    """
    output = _git(repository_root, "log", "-z", "--no-renames", "--name-status", f"--format={_LOG_FORMAT}",
                  "--", folder)
    if output is None:
        return RecordHistory()
    return RecordHistory(parse_log(output, build), _shallow_roots(repository_root), available=True)


@dataclass(frozen=True)
class PageHistory:
    """What a practice page shows of its record's history."""

    changes: tuple[Change, ...]  # the latest HISTORY_LIMIT changes, newest first
    total: int  # how many changes this clone knows of
    first_publication: str | None  # hash of the commit that added the record, when known
    complete: bool  # False in a shallow clone that lacks the record's older changes
    available: bool  # False outside git


def page_history(history: RecordHistory, path: str, limit: int = HISTORY_LIMIT) -> PageHistory:
    """The latest changes whose days the site may show (a commit dated after the build or in no
    readable year is left out), and what is known of the rest."""
    changes = history.of(path)
    first = history.first_publication(path)
    shown = tuple(change for change in changes if change.date)
    return PageHistory(shown[:limit], len(changes), first.commit if first else None,
                       history.complete(path), history.available)
