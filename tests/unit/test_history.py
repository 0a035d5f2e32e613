"""The records' history from git (catalog/records/history.py), on small repositories made by each test."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from catalog.build.pages import practice_body
from catalog.present.views import LanguageView
from catalog.records.history import HISTORY_LIMIT, SUBJECT_LENGTH, clean_subject, page_history, read_history
from catalog.records.model import load_practices
from tests.helpers import EXAMPLE_RECORD, site_context

HOSTILE = '<script>alert(1)</script> & <img src=x onerror=alert(2)> \u202eevil\u202c {{ x }}'


def git(repo: Path, *args: str, author: str = "Ana Editor", committer: str = "Ana Editor", day: str = "2024-01-01") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": committer, "GIT_COMMITTER_EMAIL": "c@example.org",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, path: str, text: str, subject: str, **who: str) -> str:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject, **who)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """A repository where one record is added, edited twice (once by the issue form's bot,
    once with a hostile subject), and another record is added in between."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    hashes = [
        commit(root, "practices/pan/a.yml", "v1\n", "Add practice A", day="2024-01-01"),
        commit(root, "practices/col/b.yml", "v1\n", "Add practice B", day="2024-02-01"),
        commit(root, "practices/pan/a.yml", "v2\n", "Add the practice proposed in issue #7",
               author="Maintainer", committer="github-actions[bot]", day="2024-03-01"),
        commit(root, "practices/pan/a.yml", "v3\n", HOSTILE, day="2024-04-01"),
    ]
    commit(root, "README.md", "not a record\n", "Docs only", day="2024-05-01")
    return root, hashes


def test_changes_of_a_record_newest_first_with_dates_bots_and_first_publication(repo):
    root, hashes = repo
    history = read_history(root)
    assert history.available
    changes = history.of("practices/pan/a.yml")
    assert [c.commit for c in changes] == [hashes[3], hashes[2], hashes[0]]
    assert [c.date for c in changes] == ["2024-04-01", "2024-03-01", "2024-01-01"]
    assert [c.bot for c in changes] == [False, True, False]
    assert history.first_publication("practices/pan/a.yml").commit == hashes[0]
    assert history.first_added("practices/pan/a.yml") == "2024-01-01"
    assert history.last_changed("practices/pan/a.yml") == "2024-04-01"
    assert [c.commit for c in history.of("practices/col/b.yml")] == [hashes[1]]
    assert "README.md" not in history.changes


def test_hostile_subject_is_cleaned_but_kept_readable(repo):
    root, _ = repo
    subject = read_history(root).of("practices/pan/a.yml")[0].subject
    assert "\u202e" not in subject and "\u202c" not in subject
    assert subject.startswith("<script>alert(1)</script> &")  # cleaned text; escaping is the template's job


def test_clean_subject_bounds_and_controls():
    assert clean_subject("a\tb\x1bc  \u200bd") == "a b c d"
    long = clean_subject("x" * 1000)
    assert len(long) == SUBJECT_LENGTH and long.endswith("…")


def test_outside_git_there_is_no_history(tmp_path):
    history = read_history(tmp_path)
    assert not history.available and history.of("practices/pan/a.yml") == ()
    assert history.first_added("practices/pan/a.yml") is None


def test_shallow_clone_marks_history_incomplete(repo, tmp_path):
    root, hashes = repo
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)], check=True)
    history = read_history(clone)
    changes = history.of("practices/pan/a.yml")
    # Only the last two commits are there; the older one looks like an addition of every file.
    assert [c.commit for c in changes] == [hashes[3]]
    assert not history.complete("practices/pan/a.yml")
    assert history.first_publication("practices/pan/a.yml") is None
    assert history.first_added("practices/col/b.yml") is None
    full = read_history(root)
    assert full.complete("practices/pan/a.yml") and full.complete("practices/col/b.yml")


def test_practice_page_lists_the_history_escaped_in_order_with_links(tmp_path):
    """The history block of a real practice page, made from a repository built here."""
    root = tmp_path / "catalog"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    record = EXAMPLE_RECORD.read_text(encoding="utf-8")
    path = "practices/pan/onpar-border-access.yml"
    first = commit(root, path, record, "Add the ONPAR practice", day="2024-01-02")
    second = commit(root, path, record + "# reviewed\n", HOSTILE, committer="github-actions[bot]", day="2024-03-04")
    practice = load_practices(root / "practices")[0]
    context = site_context(read_history(root))
    html = practice_body(practice, LanguageView("en"), context)
    block = html[html.index('<section class="catalog-history"'):html.index("</section>", html.index('class="catalog-history"'))]
    links = re.findall(r'href="https://github.com/example/catalog/commit/([0-9a-f]+)"', block)
    assert links == [second[:12], first[:12]]  # newest first
    assert "<script>" not in block and "<img" not in block
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in block  # escaped (and shortened)
    assert "\u202e" not in block
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    assert "March 4, 2024" in items[0] and "January 2, 2024" in items[1]
    assert "first publication" in items[1] and "first publication" not in items[0]
    assert "automated" in items[0] and "automated" not in items[1]
    assert 'href="https://github.com/example/catalog/commits/main/practices/pan/onpar-border-access.yml"' in block

def test_page_shows_the_latest_changes_only(tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for number in range(12):
        commit(root, "practices/pan/a.yml", f"v{number}\n", f"Change {number}", day=f"2024-01-{number + 1:02d}")
    shown = page_history(read_history(root), "practices/pan/a.yml")
    assert [change.subject for change in shown.changes] == [f"Change {n}" for n in range(11, 11 - HISTORY_LIMIT, -1)]
    assert shown.total == 12 and shown.complete and shown.first_publication is not None
    assert len(page_history(read_history(root), "practices/pan/a.yml", limit=10).changes) == 10
