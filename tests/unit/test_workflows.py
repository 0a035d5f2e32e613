"""The GitHub workflows and repository settings keep to the security rules the catalog relies on.

Secretariats publish from CI and member states send pull requests from forks, so a workflow
mistake is a way into the site. These tests read the files as data (and run zizmor offline).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import PRACTICES, REPO

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
# What an attacker controls in an event: never to be expanded into a shell script.
UNTRUSTED = re.compile(r"\$\{\{[^}]*\b(github\.event|github\.head_ref|inputs\.)", re.IGNORECASE)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def zizmor() -> str:
    """The zizmor of this environment (it is in requirements-dev.lock): next to this Python, or on PATH."""
    candidate = Path(sys.executable).parent / "zizmor"
    found = str(candidate) if candidate.exists() else shutil.which("zizmor")
    if not found:
        pytest.fail("zizmor is not installed; install requirements-dev.lock")
    return found


def test_the_expected_workflows_exist():
    assert {path.name for path in WORKFLOWS} >= {"check.yml", "deploy.yml", "issue-to-pr.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    found = 0
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        match = USES_LINE.match(line)
        if not match:
            continue
        found += 1
        reference, rest = match.groups()
        assert PINNED.match(reference), f"{path.name}:{number}: {reference} is not pinned to a 40-hex commit"
        assert re.match(r"\s+# v\d+\.\d+\.\d+\s*$", rest), f"{path.name}:{number}: add the '# vX.Y.Z' comment"
    assert found, f"{path.name} uses no action?"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_pull_request_target(path):
    code = [line for line in path.read_text("utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)
    assert "pull_request_target" not in load(path)["on"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_event_data_expanded_inside_a_script(path):
    for job_id, step in steps(load(path)):
        for key in ("run", "script"):
            script = step.get(key) or step.get("with", {}).get(key) or ""
            assert not UNTRUSTED.search(script), f"{path.name}: job {job_id}, step {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_permissions_are_declared_for_the_workflow_and_each_job(path):
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name}: no top-level permissions"
    assert workflow["permissions"] in ({}, {"contents": "read"}), "the default for every job is read-only or none"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {job_id} has no permissions"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkouts_do_not_keep_the_token(path):
    for _, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False


def test_only_the_deploy_job_may_write_to_pages():
    writers = {
        (path.name, job_id)
        for path in WORKFLOWS
        for job_id, job in load(path)["jobs"].items()
        if {"pages", "id-token"} & {scope for scope, level in (job.get("permissions") or {}).items() if level == "write"}
    }
    assert writers == {("deploy.yml", "deploy")}
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_issue_body_reaches_the_shell_only_through_the_environment():
    workflow = load(GITHUB / "workflows" / "issue-to-pr.yml")
    job = workflow["jobs"]["propose"]
    assert "'accepted'" in job["if"]
    step = next(step for _, step in steps(workflow) if "from-issue" in step.get("run", ""))
    assert step["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    assert '"$ISSUE_BODY"' in step["run"]
    installs = [step["run"] for _, step in steps(workflow) if "pip install" in step.get("run", "")]
    assert installs and all("--require-hashes" in run for run in installs if "requirements.lock" in run)


def test_pull_request_check_validates_with_annotations_in_both_languages():
    runs = [step.get("run", "") for _, step in steps(load(GITHUB / "workflows" / "check.yml"))]
    assert any("catalog validate --format github --lang both" in run for run in runs)
    assert any("pytest" in run for run in runs)
    assert any("mkdocs build --strict" in run for run in runs)
    assert any("apt-get install" in run and "chromium" in run for run in runs)


def test_zizmor_finds_nothing_at_medium_or_above():
    result = subprocess.run(
        [zizmor(), "--offline", "--min-severity", "medium", "--no-progress", ".github"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout
    for path in [*WORKFLOWS, GITHUB / "dependabot.yml"]:  # each file was audited, not skipped
        assert f"completed .github/{path.relative_to(GITHUB).as_posix()}" in result.stderr


def test_zizmor_check_would_catch_a_bad_workflow(tmp_path):
    """The test above is only worth something if zizmor, run the same way, fails on a real problem."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: issues\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    permissions: {}\n"
        "    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n", "utf-8")
    result = subprocess.run(
        [zizmor(), "--offline", "--min-severity", "medium", "--no-progress", ".github"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "template-injection" in result.stdout


def test_dependabot_watches_python_packages_and_actions():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text("utf-8"))
    assert {update["package-ecosystem"] for update in config["updates"]} == {"pip", "github-actions"}


def test_every_country_folder_has_an_owner():
    owned = {line.split()[0] for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    assert "*" in owned
    for folder in sorted(path for path in PRACTICES.iterdir() if path.is_dir()):
        assert f"/practices/{folder.name}/" in owned, f"add /practices/{folder.name}/ to .github/CODEOWNERS"


# --- the proposal check on an issue (issue 26) --------------------------------------------------------


def test_a_proposal_is_checked_when_opened_or_edited_and_a_pull_request_needs_the_label():
    workflow = load(GITHUB / "workflows" / "issue-to-pr.yml")
    assert set(workflow["on"]["issues"]["types"]) >= {"opened", "edited", "labeled"}
    check, propose = workflow["jobs"]["check"], workflow["jobs"]["propose"]
    assert "accepted" not in check["if"] and "'practice-proposal'" in check["if"]
    assert "'accepted'" in propose["if"]
    assert check["permissions"] == {"contents": "read", "issues": "write"}


FAKE_GH = """#!/bin/sh
# Records what the workflow asks of GitHub; answers the list of comments with one earlier check.
printf '%s\\n' "$@" >> "$GH_LOG"
case "$*" in
  *"--jq"*) echo 4242 ;;
  *"body=@"*) file="${*##*body=@}"; cp "$file" "$GH_POSTED" ;;
  *"--body-file"*) cp "$(echo "$*" | sed 's/.*--body-file //')" "$GH_POSTED" ;;
esac
"""


@pytest.mark.parametrize("name, earlier", [("hostile_shell_metacharacters.md", True), ("hostile_script_tag.md", False)])
def test_the_comment_step_posts_a_file_built_by_catalog_with_a_hostile_issue_body(tmp_path, name, earlier):
    """The check job's own scripts, run by a shell with a hostile issue body in ISSUE_BODY and a stand-in
    for gh: nothing in the body runs, and what gh posts is the file `catalog from-issue` wrote."""
    sentinel = Path("/tmp/catalog-issue-pwned")
    sentinel.unlink(missing_ok=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH if earlier else FAKE_GH.replace("echo 4242", "true"), "utf-8")
    (bin_dir / "gh").chmod(0o755)
    env = {"PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin", "RUNNER_TEMP": str(tmp_path),
           "GITHUB_REPOSITORY": "o/r", "GH_LOG": str(tmp_path / "gh.log"), "GH_POSTED": str(tmp_path / "posted.md"),
           "ISSUE_BODY": (REPO / "tests" / "unit" / "issue_bodies" / name).read_text("utf-8"), "ISSUE": "7",
           "GH_TOKEN": "x", "HOME": str(tmp_path)}
    scripts = [step["run"] for job_id, step in steps(load(GITHUB / "workflows" / "issue-to-pr.yml"))
               if job_id == "check" and "run" in step and "pip install" not in step["run"]]
    shutil.copytree(PRACTICES, tmp_path / "checkout" / "practices")  # the job's checkout of main
    assert len(scripts) == 2
    for script in scripts:
        assert not UNTRUSTED.search(script) and "${{" not in script
        subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path / "checkout", env=env, check=True, timeout=120)
    assert not sentinel.exists()
    posted = (tmp_path / "posted.md").read_text("utf-8")
    assert posted == (tmp_path / "comment.md").read_text("utf-8")
    assert posted.startswith("<!-- catalog-proposal-check -->\n") and "Automatic check" in posted
    log = (tmp_path / "gh.log").read_text("utf-8")
    if earlier:  # the comment posted before is updated in place, not a new one added
        assert "repos/o/r/issues/comments/4242" in log and "comment\n" not in log
    else:
        assert "comment\n7\n" in log and "--body-file" in log
