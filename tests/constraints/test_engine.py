"""The rules know the engines only through the protocols of constraints/engine.py: no rule
module imports a solver, and loading every rule loads none."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOLVERS = ("ortools", "highspy", "scheduler.solver")


@pytest.mark.parametrize("path", sorted((ROOT / "constraints").glob("*.py")), ids=lambda p: p.name)
def test_no_rule_module_imports_a_solver(path: Path) -> None:
    """Not even inside a function or under TYPE_CHECKING."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert [m for m in imported if m.startswith(SOLVERS)] == []


def test_the_rules_load_without_a_solver() -> None:
    code = f"import sys, constraints\nprint([m for m in sys.modules if m.startswith({SOLVERS})])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
