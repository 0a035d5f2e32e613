"""Commit metadata is untrusted input (issue 27): a whole build from a repository whose commits
are dated in the year 10000, after the build and before the record, with hostile names and
subjects. The build goes on, says so in its log, and shows none of those dates anywhere."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.synthetic import write_synthetic_catalog
from tests.helpers import PRACTICES

pytestmark = pytest.mark.site

BUILD_EPOCH = "1798761600"  # 2027-01-01T00:00:00Z
YEAR_10000 = "@253402300800 +0000"
UNCLEAN = "\u061c\u180e\u00ad\U000e0041\U000e007f\u3164"
# record → (its folder, the commit that last changes it, the date its pages must show)
RECORDS = {
    "onpar-border-access": ("pan", YEAR_10000, "2026-11-23"),  # year 10000 → its `submitted`
    "conare-remote-asylum-application": ("arg", "2030-01-01T00:00:00+00:00", "2026-11-23"),  # after the build
    # before it: its `updated` (2026-11-29) stands in, and gives way to its latest change note (2026-12-05)
    "dgme-backlog-clearance-plan-2025": ("cri", "2000-01-01T00:00:00+00:00", "2026-12-05"),
    "dgme-complementary-protection-category": ("cri", "2026-12-01T10:00:00-05:00", "2026-12-01"),  # a date to show
}
NEVER_SHOWN = ("10000-", "2030-01-01", "2000-01-01", "1970-01-0")


def _commit(project: Path, message: str, date: str, author: str = "Ana Editor") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "Someone [bot]", "GIT_COMMITTER_EMAIL": "bot@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "add", "practices"], cwd=project, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=project, env=env, check=True)


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    project = write_synthetic_catalog(tmp_path_factory.mktemp("history") / "project", 0)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    for record, (folder, _, _) in RECORDS.items():
        (project / "practices" / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy2(PRACTICES / folder / f"{record}.yml", project / "practices" / folder)
    _commit(project, "Add the practices in 1970", "1970-01-02T00:00:00+00:00")  # their first publication
    for record, (folder, date, _) in RECORDS.items():
        path = project / "practices" / folder / f"{record}.yml"
        path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
        _commit(project, f"Edit{UNCLEAN} {record}\x1fx", date, author="Eve\x1f2099-01-01\x1fname")
    site = project / "site-out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                           cwd=project, env=env, capture_output=True, text=True)
    return site, built


def test_the_build_survives_and_says_which_dates_it_did_not_show(hostile_history):
    _, built = hostile_history
    assert built.returncode == 0, built.stderr[-3000:]
    log = built.stdout + built.stderr
    assert "WARNING" not in log
    for record, (folder, _, _) in RECORDS.items():
        notes = [line for line in log.splitlines() if f"practices/{folder}/{record}.yml:1:1: (git): " in line]
        assert notes and all("the record's own dates" in line for line in notes), record
    assert "is dated after the build (2030-01-01)" in log and "10000-01-01" in log
    assert "is dated before the record was submitted (2000-01-01, before 2026-11-23)" in log


def test_pages_feeds_and_sitemap_show_the_records_own_dates(hostile_history):
    site, _ = hostile_history
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for record, (_, _, shown) in RECORDS.items():
        for root in ("", "en/"):
            html = (site / root / "practices" / record / "index.html").read_text("utf-8")
            ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
            assert ld["dateModified"] == shown, (record, root)
            assert f'<time datetime="{shown}">' in html
        assert re.search(rf"practices/{record}/</loc>\s*<lastmod>{shown}</lastmod>", sitemap), record
    for feed in ("feed.xml", "en/feed.xml"):
        text = (site / feed).read_text("utf-8")
        assert sorted(re.findall(r"<updated>([^<T]+)", text))[-1] <= "2027-01-01"
        assert "<published>1970" not in text


def test_no_unshowable_date_or_hidden_character_reaches_the_site(hostile_history):
    site, _ = hostile_history
    files = [path for path in sorted(site.rglob("*")) if path.suffix in (".html", ".xml", ".json", ".csv", ".geojson")]
    assert site / "practices" / "onpar-border-access" / "index.html" in files
    for path in files:
        text = path.read_text("utf-8")
        assert not any(date in text for date in NEVER_SHOWN), path
        assert not any(character in text for character in UNCLEAN + "\x1f"), path
