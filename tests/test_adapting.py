"""The generated README's "Adapting to your API" order works, step by step.

The README promises that a user adapting the package to another API changes
the files of its table one at a time, and that after each step the suite still
collects and runs, its failures pointing at what is left. Here each step's
file is replaced by a stub of it, as a user starting that file would have it:
every function raises `NotImplementedError`, every class declares no field,
every table is empty. The suite must still collect and run (pytest's exit
status 1: tests failed, none errored at collection), and its first failure
must name that file: the suite stops there (`-x`), as a user following the
steps would run it.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_render import adapting_table_files


class _Stub(ast.NodeTransformer):
    """Turns a module into its stub (see the module docstring)."""

    def __init__(self) -> None:
        self.depth = 0

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.body = [*_docstring(node.body), _raise_not_implemented()]
        return node

    def visit_AsyncFunctionDef(
        self, node: ast.AsyncFunctionDef
    ) -> ast.AsyncFunctionDef:
        node.body = [*_docstring(node.body), _raise_not_implemented()]
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        body = [item for item in node.body if not isinstance(item, ast.AnnAssign)]
        node.body = body or [ast.Pass()]
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.Assign:
        names = [target.id for target in node.targets if isinstance(target, ast.Name)]
        if self.depth == 0 and names and all(_is_table(n) for n in names):
            node.value = _emptied(node.value)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AnnAssign:
        target = node.target
        if (
            self.depth == 0
            and node.value is not None
            and isinstance(target, ast.Name)
            and _is_table(target.id)
        ):
            node.value = _emptied(node.value)
        return node


def _is_table(name: str) -> bool:
    return name.isupper()


def _emptied(value: ast.expr) -> ast.expr:
    """An empty list or dict for a list or dict display; anything else as is."""
    if isinstance(value, ast.List):
        return ast.List(elts=[], ctx=ast.Load())
    if isinstance(value, ast.Dict):
        return ast.Dict(keys=[], values=[])
    return value


def _docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    is_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    return [first] if is_docstring and first is not None else []


def _raise_not_implemented() -> ast.stmt:
    return ast.parse("raise NotImplementedError('not written yet')").body[0]


def stub(source: str) -> str:
    """The stub of a module's source."""
    tree = _Stub().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


@pytest.fixture(scope="module")
def steps(default_project: Path) -> list[str]:
    """The files of the README's table, in the order of its steps."""
    readme = (default_project / "README.md").read_text()
    section = readme.split("\n## Adapting to your API\n", 1)[1].split("\n## ", 1)[0]
    ordered = re.findall(r"^\| \d+ \| `([^`]+)` \|", section, re.MULTILINE)
    assert sorted(ordered) == adapting_table_files(default_project)
    return ordered


def test_the_stub_of_a_module() -> None:
    """Functions raise, classes lose their fields, tables are emptied."""
    source = '''
ROWS = [1, 2]
NAMES: dict[str, int] = {"a": 1}
LIMIT = 3


class Model:
    """A model."""

    field: int = 0
    config = "kept"

    def method(self) -> int:
        """Returns one."""
        return 1


def helper() -> int:
    return 2
'''
    namespace: dict[str, object] = {}
    exec(
        compile(stub(source), "<stub>", "exec"), namespace
    )  # the stub of a trusted literal
    assert (namespace["ROWS"], namespace["NAMES"], namespace["LIMIT"]) == ([], {}, 3)
    model = namespace["Model"]
    assert isinstance(model, type)
    assert (model.__doc__, vars(model).get("config")) == ("A model.", "kept")
    assert "field" not in getattr(model, "__annotations__", {})
    with pytest.raises(NotImplementedError):
        model().method()


@pytest.mark.parametrize("step", range(6))
def test_each_step_leaves_a_suite_that_runs_and_names_it(
    default_project: Path, steps: list[str], tmp_path: Path, step: int
) -> None:
    """With one step's file a stub, the suite collects, runs, and names that file.

    The suite stops at its first failure (`-x`). Its checks of the adapter's
    files run first, in any order (pytest-randomly, if installed, is left on),
    and each names its step's file, so the first failure is the step's own.
    """
    if step >= len(steps):
        pytest.skip(f"the table has {len(steps)} steps")
    name = steps[step]
    project = tmp_path / "acme"
    shutil.copytree(default_project, project)
    module = project / name
    module.write_text(stub(module.read_text()))

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1, (name, result.stdout[-3000:])
    assert "ERROR collecting" not in result.stdout, (name, result.stdout[-3000:])
    assert name in result.stdout, (name, result.stdout[-3000:])
