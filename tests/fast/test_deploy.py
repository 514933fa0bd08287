"""The deploy workflow cannot run here, so check that it runs what the README says."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def readme_commands(section: str = "Deploying") -> list[str]:
    """The commands in the first ``sh`` block under ``## {section}``, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README.md has no '## {section}' section"
    block = re.search(r"```sh\n(.*?)```", match.group(1), flags=re.S)
    assert block, f"README.md's '## {section}' has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.split("#", 1)[0].strip()]


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [" ".join(step["run"].split()) for step in job["steps"] if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_the_readme_names_the_test_and_build_commands() -> None:
    commands = readme_commands()
    assert commands == ["scripts/test.sh", ".venv/bin/mkdocs build --strict --site-dir site"]
    # The same commands the README's "Two commands" section and scripts/serve.sh use.
    assert "scripts/test.sh" in readme_commands("Two commands")
    assert commands[1] in (ROOT / "scripts" / "serve.sh").read_text(encoding="utf-8")
    assert os.access(ROOT / "scripts" / "test.sh", os.X_OK)


def test_the_workflow_runs_the_readmes_commands_in_order(workflow: dict) -> None:
    assert runs(workflow["jobs"]["build"]) == readme_commands()


def test_the_workflow_publishes_the_built_site_to_pages(workflow: dict) -> None:
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    site_dir = readme_commands()[-1].split("--site-dir", 1)[1].split()[0]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == site_dir == "site"
    assert deploy["needs"] == "build"
    assert any(u.startswith("actions/deploy-pages@") for u in uses(deploy))
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_the_workflow_runs_on_pushes_to_main_with_ci_set(workflow: dict) -> None:
    # PyYAML reads the bare key `on` as True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["jobs"]["build"]["env"]["CI"] == "true"  # 10,000 fuzz examples, as in CI


def test_every_action_is_pinned_to_a_release(workflow: dict) -> None:
    for name, job in workflow["jobs"].items():
        for action in uses(job):
            assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), f"{name}: {action}"
