"""The records' history from git (catalog/records/history.py), on small repositories made by each test."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest

from catalog.build.pages import practice_body
from catalog.present.views import LanguageView
from catalog.records.characters import first_refused
from catalog.records.history import (
    HISTORY_LIMIT,
    SUBJECT_LENGTH,
    clean_subject,
    date_notes,
    is_bot,
    page_history,
    parse_log,
    read_history,
)
from catalog.records.model import load_practices
from tests.helpers import EXAMPLE_RECORD, site_context

HOSTILE = '<script>alert(1)</script> & <img src=x onerror=alert(2)> \u202eevil\u202c {{ x }}'


# The automation account listed in catalog/data/automation.yml (the issue form's pull requests).
BOT = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


def git(repo: Path, *args: str, author: str = "Ana Editor", committer: str = "Ana Editor", day: str = "2024-01-01",
        committer_email: str | None = None, date: str | None = None) -> str:
    """Run git as the given people on the given day (`date`: any date git takes, such as "@253402300800 +0000")."""
    when = date or f"{day}T12:00:00+00:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": committer,
        "GIT_COMMITTER_EMAIL": committer_email or (BOT_EMAIL if committer == BOT else "c@example.org"),
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
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


def test_practice_page_dates_come_from_git_but_no_commit_subject_reaches_it(tmp_path):
    """Commits are the audit trail, not notes for readers (issue 25): a real practice page takes its
    first-publication and last-update dates from git, shows no commit subject nor link to a commit,
    and links the record's full history in the repository. (It used to list the latest subjects.)"""
    root = tmp_path / "catalog"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    # Submitted before the commits: git dates before a record's `submitted` are not shown (test_untrusted_history).
    record, submitted = re.subn(r'^submitted: .*$', 'submitted: "2024-01-01"', EXAMPLE_RECORD.read_text(encoding="utf-8"), flags=re.M)
    assert submitted == 1
    path = "practices/pan/onpar-border-access.yml"
    commit(root, path, record, "Add the ONPAR practice", day="2024-01-02")
    commit(root, path, record + "# reviewed\n", HOSTILE, committer="github-actions[bot]", day="2024-03-04")
    practice = load_practices(root / "practices")[0]
    context = site_context(read_history(root))
    html = practice_body(practice, LanguageView("en"), context)
    block = html[html.index('<section class="catalog-changes"'):html.index("</section>", html.index('class="catalog-changes"'))]
    assert "January 2, 2024" in block and "March 4, 2024" in block  # first publication, last update
    for leaked in ("Add the ONPAR practice", "alert", "onerror", "evil", "automated", "/commit/"):
        assert leaked not in html, leaked
    assert 'href="https://github.com/example/catalog/commits/main/practices/pan/onpar-border-access.yml"' in html


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


# --- commit metadata is untrusted input (issue 27) ---------------------------------------------

YEAR_10000 = "@253402300800 +0000"  # 10000-01-01T00:00:00Z: git takes it, `git fsck` finds nothing wrong
BUILD = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
UNCLEAN = "\u061c\u180e\u00ad\U000e0041\U000e007f\u3164\u0085\u2028\x1b"
HIDDEN = ["\u061c", "\u180e", "\u00ad", "\U000e0041", "\U000e007f", "\u3164", "\u0085", "\u2028", "\x1b"]


@pytest.fixture
def untrusted(tmp_path: Path) -> Path:
    """Records whose commits carry dates the site cannot show, and hostile names and subjects."""
    root = tmp_path / "untrusted"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, "practices/pan/a.yml", "v1\n", "Add A", day="2024-01-01")
    commit(root, "practices/pan/a.yml", "v2\n", "Edit A in the year 10000", date=YEAR_10000)
    commit(root, "practices/pan/b.yml", "v1\n", "Add B", day="2024-01-02")
    commit(root, "practices/pan/b.yml", "v2\n", "Edit B in the future", day="2030-06-01")
    commit(root, "practices/pan/c.yml", "v1\n", "Add C in 1970", day="1970-01-02")
    commit(root, "practices/pan/c.yml", "v2\n", "Edit C before its submission", day="2000-01-01")
    commit(root, "practices/pan/d.yml", "v1\n", f"Sub{UNCLEAN}ject\x1fshifted", day="2024-01-03",
           author="Evil\x1f2099-01-01\x1fname", committer="Someone [bot]")
    return root


def test_dates_the_site_cannot_show_are_never_shown(untrusted):
    history = read_history(untrusted, build=BUILD)
    a, b, c = (f"practices/pan/{name}.yml" for name in "abc")
    assert history.last_change(a).date is None and history.last_change(a).given_date == "10000-01-01"
    assert history.last_changed(a) is None and history.first_added(a) == "2024-01-01"
    assert history.last_change(b).refused == "commit_date_after_build" and history.last_changed(b) is None
    assert history.first_added(b) == "2024-01-02"
    assert history.first_added(c) is None  # 1970: before any record of the catalog
    assert history.last_changed(c) == "2000-01-01"
    assert history.last_changed(c, not_before="2024-06-01") is None  # before the record's submission
    assert [change.date for change in page_history(history, a).changes] == ["2024-01-01"]


def test_the_build_log_says_which_dates_were_not_shown(untrusted):
    history = read_history(untrusted, build=BUILD)
    records = [(f"practices/pan/{name}.yml", "2024-01-01") for name in "abcd"]
    notes = [(note.path, note.message, note.params["date"]) for note in date_notes(history, records)]
    assert sorted(notes) == [
        ("practices/pan/a.yml", "commit_date_unreadable", "10000-01-01"),
        ("practices/pan/b.yml", "commit_date_after_build", "2030-06-01"),
        ("practices/pan/c.yml", "commit_date_before_record", "2000-01-01"),
        ("practices/pan/c.yml", "commit_date_unreadable", "1970-01-02"),
    ]


def test_names_and_subjects_cannot_shift_fields_or_hide_characters(untrusted):
    change = read_history(untrusted, build=BUILD).last_change("practices/pan/d.yml")
    assert change.date == "2024-01-03" and change.added
    assert change.subject == "Sub ject shifted"
    assert not change.bot  # a name ending in [bot] is not a listed automation account


@pytest.mark.parametrize("character", HIDDEN)
def test_clean_subject_follows_the_records_character_rule(character):
    assert first_refused(clean_subject(f"Fix{character}typo")) is None
    assert clean_subject(f"Fix{character}typo") in ("Fixtypo", "Fix typo")


def test_only_listed_identities_are_automatic():
    assert is_bot(("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"))
    assert not is_bot(("github-actions[bot]", "mallory@example.org"))
    assert not is_bot(("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"))
    assert not is_bot(("Mallory [bot]", "mallory@example.org"))


def test_a_header_out_of_form_is_skipped_not_read_shifted():
    good = "\x00".join(["a" * 40, "1704067200", "2024-01-01", "Ana", "a@x", "Ana", "a@x", "Fine"])
    bad = "\x00".join(["b" * 40, "not-a-time", "2024-01-01", "Eve", "e@x", "Eve", "e@x", "Bad"])
    output = f"{bad}\x00\nM\x00practices/pan/b.yml\x00{good}\x00\nA\x00practices/pan/a.yml\x00"
    changes = parse_log(output, BUILD)
    assert changes["practices/pan/a.yml"][0].date == "2024-01-01"
    assert changes["practices/pan/b.yml"][0].date is None
    assert changes["practices/pan/b.yml"][0].refused == "commit_date_unreadable"


def test_the_last_update_is_never_older_than_a_public_change_note(tmp_path, monkeypatch):
    """A reviewer saw «Última actualización: 23 de noviembre de 2026» above a change note dated
    5 December 2026: a change note is a change, so the last update every output shows (the page,
    its JSON-LD, the feeds, the sitemap, the open data) is at least the latest note's day, also
    when the build's SOURCE_DATE_EPOCH refuses git's date (notes are validated not to be after today)."""
    from catalog.build.exports import atom_feed, exports_for, practices_json
    from catalog.build.pages import last_updated

    root = tmp_path / "noted"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    record = re.sub(r'^submitted: .*$', 'submitted: "2024-01-01"', EXAMPLE_RECORD.read_text(encoding="utf-8"), flags=re.M)
    assert "\nchanges:" not in record
    record += ('changes:\n  - date: "2024-02-10"\n    note:\n'
               '      es: "Se corrigió la cifra de 2023."\n      en: "The 2023 figure was corrected."\n')
    path = "practices/pan/onpar-border-access.yml"
    commit(root, path, record, "Add the ONPAR practice with a note", day="2024-01-02")  # the note is dated later
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    practice = load_practices(root / "practices")[0]
    assert practice.changes and practice.changes[0].date == "2024-02-10"
    context = site_context(read_history(root))
    assert last_updated(practice, context) == "2024-02-10"
    html = practice_body(practice, LanguageView("en"), context)
    block = html[html.index('<section class="catalog-changes"'):html.index("</section>", html.index('class="catalog-changes"'))]
    assert "February 10, 2024" in block and "January 2, 2024" in block  # last update, first publication
    assert '"dateModified": "2024-02-10"' in html or '"dateModified":"2024-02-10"' in html
    spanish = practice_body(practice, LanguageView("es"), context)
    assert "10 de febrero de 2024" in spanish
    exports = exports_for([practice], "https://example.org/", context)
    assert exports.updated(practice) == "2024-02-10"
    assert '"last_changed":"2024-02-10"' in practices_json(exports).decode()
    assert b"<updated>2024-02-10T00:00:00Z</updated>" in atom_feed(exports, "es")
    # Outside git, the record's own `submitted` gives way to the note as well.
    assert last_updated(practice, site_context(read_history(tmp_path / "nowhere"))) == "2024-02-10"
    # A build dated before the commit (SOURCE_DATE_EPOCH, as the tests' builds are) refuses git's date;
    # the record's `submitted` stands in, and the note still wins: the page shows it above that date.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC).timestamp())))
    assert last_updated(practice, site_context(read_history(root))) == "2024-02-10"
