"""The records' history from git: every change of every record file, from ONE `git log` per build.

It gives each practice page its list of changes (date, summary, link to the commit), and the
dates the pages and exports need: the last change of a record and the day it was first added.

Commit subjects are untrusted text (anyone can open a pull request): they are cleaned here of
control, invisible and bidi characters and shortened; templates escape them like record text.

A shallow clone (CI's default `fetch-depth: 1`) holds only the latest commits: its oldest
commits look as if they had added every file. Those boundary commits are read from git's
`shallow` file; a record whose oldest visible change is one of them has an incomplete history,
which the page says, and its first-publication date falls back to the record's own.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SUBJECT_LENGTH = 44  # characters of a commit subject shown on a page (a page stays under 30 KB)
HISTORY_LIMIT = 2  # changes listed on a practice page (its 30 KB budget); the rest are behind "full history"
_FIELD = "\x1f"
_LOG_FORMAT = _FIELD.join(["%x00%H", "%cs", "%an", "%cn", "%s"])
# Bidi controls, zero-width characters and the BOM: invisible, and able to reorder what a reader sees.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


@dataclass(frozen=True)
class Change:
    """One commit that touched a record file."""

    commit: str  # full hash
    date: str  # YYYY-MM-DD, the commit's date
    subject: str  # the first line of its message, cleaned (still to be escaped)
    bot: bool  # made by an automation account (the issue form's pull requests)
    added: bool  # the commit added the file at this path


@dataclass(frozen=True)
class RecordHistory:
    """Every record file's changes, newest first, and the boundary commits of a shallow clone."""

    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    shallow_roots: frozenset[str] = frozenset()
    available: bool = False  # False outside git (a downloaded archive) or when git failed

    def of(self, path: str) -> tuple[Change, ...]:
        return self.changes.get(path, ())

    def last_changed(self, path: str) -> str | None:
        changes = self.of(path)
        return changes[0].date if changes else None

    def complete(self, path: str) -> bool:
        """Whether the oldest change of the record is really in this clone (not a shallow boundary)."""
        changes = self.of(path)
        return bool(changes) and changes[-1].commit not in self.shallow_roots

    def first_publication(self, path: str) -> Change | None:
        """The commit that first added the record at this path; None when that is not in this clone."""
        if not self.complete(path):
            return None
        return next((change for change in reversed(self.of(path)) if change.added), None)

    def first_added(self, path: str) -> str | None:
        first = self.first_publication(path)
        return first.date if first else None


def clean_subject(subject: str) -> str:
    """A commit subject safe to show: no control or invisible characters, NFC, one line, bounded."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", subject))
    text = "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text)
    text = " ".join(text.split())
    return text if len(text) <= SUBJECT_LENGTH else text[:SUBJECT_LENGTH - 1].rstrip() + "…"


def is_bot(*names: str) -> bool:
    """Automation accounts are named like `github-actions[bot]`. The issue form's pull requests
    are authored by the maintainer who accepted the proposal and committed by the bot."""
    return any(name.strip().lower().endswith("[bot]") for name in names)


def parse_log(output: str) -> dict[str, tuple[Change, ...]]:
    """Parse `git log --name-status --format=<_LOG_FORMAT>` (newest first) into changes per file."""
    changes: dict[str, list[Change]] = {}
    for chunk in output.split("\x00")[1:]:
        header, _, files = chunk.partition("\n")
        commit, date, author, committer, subject = header.split(_FIELD, 4)
        for line in files.splitlines():
            status, _, path = line.partition("\t")
            if not path:
                continue
            change = Change(commit, date, clean_subject(subject), is_bot(author, committer), status.startswith("A"))
            changes.setdefault(path, []).append(change)
    return {path: tuple(items) for path, items in changes.items()}


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


def read_history(repository_root: Path, folder: str = "practices") -> RecordHistory:
    """The history of every file under folder, from one `git log`; empty (available=False) outside git.

    `--no-renames`: a record moved to another country folder counts as added at its new path,
    which is where the model's source_path points. Merge commits list no files (git log shows
    no diff for them), so a merged pull request shows as its own commits.
    """
    output = _git(repository_root, "log", "--no-renames", "--name-status", f"--format={_LOG_FORMAT}", "--", folder)
    if output is None:
        return RecordHistory()
    return RecordHistory(parse_log(output), _shallow_roots(repository_root), available=True)


@dataclass(frozen=True)
class PageHistory:
    """What a practice page shows of its record's history."""

    changes: tuple[Change, ...]  # the latest HISTORY_LIMIT changes, newest first
    total: int  # how many changes this clone knows of
    first_publication: str | None  # hash of the commit that added the record, when known
    complete: bool  # False in a shallow clone that lacks the record's older changes
    available: bool  # False outside git


def page_history(history: RecordHistory, path: str, limit: int = HISTORY_LIMIT) -> PageHistory:
    changes = history.of(path)
    first = history.first_publication(path)
    return PageHistory(changes[:limit], len(changes), first.commit if first else None,
                       history.complete(path), history.available)
