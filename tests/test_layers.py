"""The package's layers: imports run one way only, without cycles, and `validate` stays light.

    domain  →  io  →  constraints  →  solver, exports  →  analysis  →  cli  →  scheduler (API)

A module may import its own layer and the layers before it. Imports under ``TYPE_CHECKING``
(annotations only) are not counted.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANKS = {
    "scheduler.domain": 0,
    "scheduler.io": 1,
    "constraints": 2,
    "scheduler.solver": 3,
    "exports": 3,
    "scheduler.analysis": 4,
    "scheduler.cli": 5,
    "scheduler": 6,
}
MAX_LINES = 400
#: Modules longer than MAX_LINES (none today; a new one fails).
LONG: set[str] = set()
#: Imports against the layers that stand today, each to go with a refactor of its own. New ones
#: fail the test.
KNOWN: set[str] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("scheduler", "constraints", "exports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _layer(module: str) -> str:
    return max(
        (layer for layer in RANKS if module == layer or module.startswith(layer + ".")), key=len
    )


def _imports(path: Path, *, top_level: bool) -> set[str]:
    """Project modules a file imports (outside ``if TYPE_CHECKING``), at module level only
    when ``top_level``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()

    def visit(node: ast.AST, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            inner = depth + isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if not top_level or depth == 0:
                    names.add(child.module)
                    names.update(f"{child.module}.{alias.name}" for alias in child.names)
            elif isinstance(child, ast.Import) and (not top_level or depth == 0):
                names.update(alias.name for alias in child.names)
            visit(child, inner)

    visit(tree, 0)
    return names


def test_layers_import_only_the_layers_before_them() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        mine = RANKS[_layer(name)]
        for target in _imports(path, top_level=False):
            if target in modules and RANKS[_layer(target)] > mine:
                wrong.append(f"{name} imports {target}")
    assert sorted(set(wrong) - KNOWN) == []


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        name: {t for t in _imports(path, top_level=True) if t in modules and t != name}
        for name, path in modules.items()
    }
    seen: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[str] = []

    def walk(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for target in sorted(graph[node]):
            if seen.get(target) == 1:
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in seen:
                walk(target, [*trail, target])
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            walk(node, [node])
    # a package's __init__ importing its own modules is not a cycle of the design
    cycles = [
        c for c in cycles if not all(part.startswith(c.split(" → ")[0]) for part in c.split(" → "))
    ]
    assert cycles == []


def test_no_module_is_too_long() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if name not in LONG
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("heavy", ["pandas", "ortools", "highspy", "icalendar", "lxml"])
def test_validate_imports_neither_pandas_nor_the_solvers(heavy: str) -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom scheduler.cli import main\n"
        "result = CliRunner().invoke(main, ['validate'])\n"
        f"print(result.exit_code, {heavy!r} in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "False"]
