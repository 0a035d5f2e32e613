"""Dates of the records from git: when each one was first added (the `published` date of the feeds)
and when it last changed (the pages' "last updated"). One `git log` for the whole folder serves
each, never one call per file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def commit_dates(repository_root: Path, folder: str, *options: str) -> dict[str, str]:
    """File path → day (YYYY-MM-DD) of the first commit that `git log *options` lists for it; {} outside git."""
    try:
        output = subprocess.run(
            ["git", "log", *options, "--format=%x00%cs", "--name-only", "--", folder],
            cwd=repository_root, capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    for chunk in output.split("\x00")[1:]:
        date, *names = chunk.strip().splitlines()
        for name in names:
            dates.setdefault(name.strip(), date)
    return dates


def git_first_added(repository_root: Path, folder: str = "practices") -> dict[str, str]:
    """Day of the commit that added each record, oldest first so that a re-added file keeps its first date.

    `--no-renames` makes a record moved to another country folder count as added at its new
    path, which is where the model's source_path points. In a shallow clone the oldest commit
    present stands in for the real one: CI that publishes should fetch the whole history.
    """
    return commit_dates(repository_root, folder, "--reverse", "--diff-filter=A", "--no-renames")


def git_last_changed(repository_root: Path, folder: str = "practices") -> dict[str, str]:
    """Day of the last commit touching each record (one `git log` for all of them)."""
    return commit_dates(repository_root, folder)
