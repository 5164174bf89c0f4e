"""Template updates reach generated packages through cruft.

The round trip: a git copy of the template; `cruft create` from it, with the
answers of an answers file; the author edits the package; the template
changes; `cruft update` brings the change in, keeps the author's edit, and the
package still passes its own tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CACHES, TEMPLATE_PARTS, render

BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}
ANSWERS = {
    "provider_name": "Orbit Labs",
    "api_key_env_var": "ORBIT_TOKEN",
    "license": "Apache-2.0",
    "author_name": "Ada Lovelace",
}


def sh(args: list[str], cwd: Path, timeout: float = 600) -> str:
    """Runs a command; returns its output, or fails the test with it."""
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]]),
    }
    result = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def commit(repo: Path, message: str) -> str:
    """Commits everything in `repo`; returns the commit's hash."""
    sh(["git", "add", "-A"], repo)
    sh(["git", "commit", "-q", "-m", message], repo)
    return sh(["git", "rev-parse", "HEAD"], repo).strip()


@pytest.fixture
def template_repo(template: Path, tmp_path: Path) -> Path:
    """A git repository of the template, at its first commit."""
    repo = tmp_path / "template-repo"
    shutil.copytree(template, repo, ignore=shutil.ignore_patterns(*CACHES))
    assert sorted(p.name for p in repo.iterdir()) == sorted(TEMPLATE_PARTS)
    sh(["git", "-c", "init.defaultBranch=main", "init", "-q"], repo)
    commit(repo, "Template v1")
    return repo


def improve_the_template(repo: Path) -> str:
    """Adds a test and a README section to the template; returns the commit."""
    package = repo / "{{cookiecutter.provider_slug}}"
    (package / "tests" / "test_added_by_the_template.py").write_text(
        '"""A test the template added after the package was generated."""\n\n'
        "from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}\n\n\n"
        "def test_added_by_the_template() -> None:\n"
        '    """The update brought this test in."""\n'
        "    assert callable({{ cookiecutter.__call_fn }})\n"
    )
    readme = package / "README.md"
    readme.write_text(readme.read_text() + "\n## Added by the template\n")
    return commit(repo, "Template v2")


def assert_updated(project: Path, commit: str) -> None:
    """The project has the template's improvements, is up to date, and passes."""
    package, call = f"mirascope_{project.name}", f"{project.name}_call"
    added = project / "tests" / "test_added_by_the_template.py"
    assert f"from {package} import {call}" in added.read_text()
    assert (project / "README.md").read_text().endswith("\n## Added by the template\n")
    assert json.loads((project / ".cruft.json").read_text())["commit"] == commit
    sh([str(BIN / "cruft"), "check"], project)
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    assert " passed" in sh(pytest, project)
    assert "1 passed" in sh([*pytest, "tests/test_added_by_the_template.py"], project)


def test_cruft_round_trip(template_repo: Path, tmp_path: Path) -> None:
    """`cruft create` from an answers file; `cruft update` brings a template change
    in, keeps the author's edits, and the package still passes its tests."""
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(ANSWERS))
    out = tmp_path / "out"
    out.mkdir()

    created = sh(
        [
            str(BIN / "cruft"),
            "create",
            str(template_repo),
            "--no-input",
            "--extra-context-file",
            str(answers_file),
            "--output-dir",
            str(out),
        ],
        out,
    )
    project = out / "orbit_labs"
    assert "Smoke test of orbit_labs: 5 passed" in created
    answers = json.loads((project / ".cookiecutter.json").read_text())
    assert {key: answers[key] for key in ANSWERS} == ANSWERS
    cruft_state = json.loads((project / ".cruft.json").read_text())
    assert cruft_state["template"] == str(template_repo)

    # The author commits the package, then edits a price.
    sh(["git", "-c", "init.defaultBranch=main", "init", "-q"], project)
    commit(project, "Generated")
    costs = project / "src" / "mirascope_orbit_labs" / "_wire.py"
    edited = costs.read_text().replace("input=0.15,", "input=0.5,")
    assert edited != costs.read_text()
    costs.write_text(edited)
    commit(project, "Our prices")
    v2 = improve_the_template(template_repo)

    sh([str(BIN / "cruft"), "update", "--skip-apply-ask"], project)

    assert costs.read_text() == edited
    assert_updated(project, v2)


def test_a_cookiecutter_project_linked_with_its_answers_file(
    template_repo: Path, tmp_path: Path
) -> None:
    """A package generated by plain Cookiecutter is linked to the template with its
    `.cookiecutter.json`, as its README says, and then takes updates."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MIRASCOPE_TEMPLATE_SKIP_SMOKE", "1")
        project = render(template_repo, tmp_path / "out", accept_hooks=True, **ANSWERS)
    sh(["git", "-c", "init.defaultBranch=main", "init", "-q"], project)
    commit(project, "Generated")
    answers = (project / ".cookiecutter.json").read_text()

    link = [str(BIN / "cruft"), "link", str(template_repo), "--no-input"]
    sh([*link, "--extra-context", answers], project)
    commit(project, "Linked")
    sh([str(BIN / "cruft"), "diff", "--exit-code"], project)
    v2 = improve_the_template(template_repo)
    sh([str(BIN / "cruft"), "update", "--skip-apply-ask"], project)

    assert_updated(project, v2)
