"""The notebook API of the package docstring and the README, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TINY = Path(__file__).parent / "analysis" / "tiny" / "scenario.toml"


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_solve_and_check_can_be_called_again_and_again() -> None:
    # scheduler.solve is imported lazily; importing its module must not replace the function
    out = _python(f"""
import scheduler
scenario = scheduler.load({str(TINY)!r})
first = scheduler.solve(scenario, time_limit=2)
second = scheduler.solve(scenario, time_limit=2)
assert first.schedule.to_json() == second.schedule.to_json()
assert scheduler.check(scenario, first.schedule) == []
assert scheduler.check(scenario, second.schedule) == []
assert isinstance(first.status, scheduler.Status) and isinstance(first, scheduler.Result)
print(len(first.schedule.dataframe()), first.status.name)
""")
    rows, status = out.split()
    assert int(rows) > 0 and status == "OPTIMAL"


def test_loading_checking_and_publishing_need_no_ortools() -> None:
    out = _python("""
import sys
import scheduler, constraints, exports.publish, scheduler.analysis.checking, scheduler.cli
scheduler.check
print(sorted({m.split('.')[0] for m in sys.modules} & {'ortools', 'highspy'}))
""")
    assert out.strip() == "[]"
