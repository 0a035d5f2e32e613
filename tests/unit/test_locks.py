"""The two hashed locks (made by scripts/lock) and who installs which: the jobs that hold write tokens
(deploy, issue-to-PR) install only what the site needs, never the test and lint tools."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.helpers import REPO

RUNTIME, DEV = REPO / "requirements.lock", REPO / "requirements-dev.lock"
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock) -> dict[str, str]:
    """Package → version, after checking that every requirement is pinned exactly and hashed."""
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", lock.read_text(encoding="utf-8")):
        if block.startswith("#") or not block.strip():
            continue
        match = _PIN.match(block)
        assert match, f"{lock.name}: not an exact pin: {block.splitlines()[0]}"
        assert "--hash=sha256:" in block, f"{lock.name}: {match.group(1)} has no hash"
        found[normalized(match.group(1))] = match.group(2)
    return found


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalized(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]) for requirement in requirements}


PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_both_locks_are_exact_and_hashed_and_say_how_they_are_made():
    for lock in (RUNTIME, DEV):
        assert pins(lock)
        assert "scripts/lock" in lock.read_text(encoding="utf-8").split("\n", 3)[1], lock.name


def test_runtime_lock_holds_the_site_dependencies_and_no_test_tool():
    runtime = pins(RUNTIME)
    assert requirement_names(PROJECT["dependencies"]) <= set(runtime)
    assert "setuptools" in runtime  # to install the package itself without build isolation
    test_tools = requirement_names(PROJECT["optional-dependencies"]["test"])
    assert {"pytest", "playwright", "ruff", "zizmor"} <= test_tools
    assert not test_tools & set(runtime)


def test_dev_lock_adds_the_test_tools_at_the_deployed_versions():
    runtime, dev = pins(RUNTIME), pins(DEV)
    assert requirement_names(PROJECT["optional-dependencies"]["test"]) <= set(dev)
    assert {name: dev.get(name) for name in runtime} == runtime


def installed_locks(workflow: str) -> set[str]:
    jobs = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))["jobs"]
    runs = [step.get("run", "") for job in jobs.values() for step in job.get("steps", [])]
    return {lock for run in runs if "pip install" in run for lock in re.findall(r"-r\s+(\S+)", run)}


def test_jobs_with_write_tokens_install_only_the_runtime_lock():
    assert installed_locks("deploy.yml") == {"requirements.lock"}
    assert installed_locks("issue-to-pr.yml") == {"requirements.lock"}
    assert installed_locks("check.yml") == {"requirements-dev.lock"}
