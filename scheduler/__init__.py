"""skyclass: broadcast scheduling for the CETV-4 air classroom.

The notebook API::

    import scheduler
    scenario = scheduler.load()                 # the default CETV-4 week, or a path
    result = scheduler.solve(scenario)          # Result: status, schedule, objective, bound, gap
    result.schedule.dataframe()                 # one row per airing
    scheduler.check(scenario, result.schedule)  # [] when every rule holds
    again = scheduler.replan(scenario, result.schedule, today=date(2020, 2, 19))
    again.changes                               # what moved, against the published edition

Only :func:`solve` and :func:`replan` need OR-Tools; it is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.io.loading import load

if TYPE_CHECKING:
    from scheduler.analysis.checking import check
    from scheduler.domain.result import Result, Status
    from scheduler.solver.replan import replan
    from scheduler.solver.solving import solve

__all__ = [
    "Kind",
    "Programme",
    "Result",
    "Scenario",
    "ScenarioError",
    "Schedule",
    "Status",
    "check",
    "load",
    "replan",
    "solve",
]


_LAZY = {
    "solve": "scheduler.solver.solving",
    "replan": "scheduler.solver.replan",
    "check": "scheduler.analysis.checking",
    "Result": "scheduler.domain.result",
    "Status": "scheduler.domain.result",
}


def __getattr__(name: str) -> Any:
    """Import the solver (and OR-Tools) only when it is first used."""
    if name not in _LAZY:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)
