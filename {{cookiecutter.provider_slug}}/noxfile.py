"""Tasks: `nox` runs them all; `nox -s lint` (or `typecheck`, `tests`, `build`) one.

Each session installs what it needs into its own environment, with uv when it
is installed (`pip install nox uv`), else with virtualenv. `nox -s live` runs
the tests marked `live` against the real API (see the README).
"""

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"

PYPROJECT = nox.project.load_toml("pyproject.toml")
DEV = nox.project.dependency_groups(PYPROJECT, "dev")
MIRASCOPE = {
    # The oldest versions `pyproject.toml` allows: they must keep working.
    "oldest": [
        "mirascope==1.25.0",
        "httpx==0.27.0",
        "pydantic==2.7.4; python_version < '3.13'",
        # The first pydantic with wheels for Python 3.13.
        "pydantic==2.8.2; python_version >= '3.13'",
    ],
    # The newest Mirascope 1.x: what a fresh install gets.
    "newest": ["mirascope>=1.25,<2"],
}


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff's lint and format checks (fix with `ruff check --fix . && ruff format .`)."""
    session.install(*(requirement for requirement in DEV if "ruff" in requirement))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Pyright: the package strictly, the tests in standard mode."""
    session.install("-e", ".", *DEV)
    session.run("pyright")


@nox.session
@nox.parametrize("mirascope", list(MIRASCOPE), ids=list(MIRASCOPE))
def tests(session: nox.Session, mirascope: str) -> None:
    """The test suite against the fake API, with branch coverage, on both ends of Mirascope 1.x."""
    session.install("-e", ".", *DEV, *MIRASCOPE[mirascope])
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "report")


@nox.session
def build(session: nox.Session) -> None:
    """The sdist and the wheel, into `dist/`, checked by twine."""
    session.install("build", "twine")
    dist = Path("dist")
    for old in dist.glob("*"):
        old.unlink()
    session.run("python", "-m", "build", "--outdir", str(dist))
    session.run("twine", "check", "--strict", *(str(path) for path in dist.glob("*")))


@nox.session(default=False)
def live(session: nox.Session) -> None:
    """The tests marked `live`, against the real API: needs the API key.

    Extra arguments go to pytest, e.g. `nox -s live -- --record-mode=once`.
    """
    session.install("-e", ".", *DEV)
    session.run("pytest", "--live", *session.posargs)
