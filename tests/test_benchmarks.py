"""The benchmark's modules (`python -m benchmarks`) import one way."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import TEMPLATE

BENCHMARKS = TEMPLATE / "benchmarks"


def _imports_of(module: Path) -> set[str]:
    """The package's own modules that `module` imports, `TYPE_CHECKING` included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.partition(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("benchmarks."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("benchmarks.")
            )
    return found


def test_the_benchmark_modules_import_one_way() -> None:
    """No module imports, even for type checking only, one that imports it back."""
    graph = {path.stem: _imports_of(path) for path in BENCHMARKS.glob("*.py")}
    assert graph["run"] >= {"report", "contenders"}  # the walk sees the imports

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for found in graph.get(todo.pop(), set()) - seen:
                seen.add(found)
                todo.append(found)
        return seen

    cycles = sorted(name for name in graph if name in reachable(name))
    assert not cycles, {name: sorted(graph[name]) for name in cycles}
