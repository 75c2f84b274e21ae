"""The quick plan: weeks the search had no time for (the limit, Ctrl-C), planned greedily.

The greedy template planner keeps the rules it places by, not every week-wide one (subject
minimums, guarantees), so a schedule with quick weeks is checked whole before it is given.
"""

from __future__ import annotations

from datetime import date

from constraints import RULES
from constraints.base import Violation
from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Schedule
from scheduler.solver.engine import Periods
from scheduler.solver.solve_types import Carried, WeekAnswer


def quick_plan_breaks(scenario: Scenario, schedule: Schedule) -> tuple[Violation, ...]:
    """The rules a schedule with quickly planned weeks breaks (the greedy planner keeps the
    rules it can place by, not every week-wide one: minimums, guarantees)."""
    return tuple(v for rule in RULES for v in rule.violations(scenario, schedule))


def quick_week(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    carried: Carried,
    periods: Periods | None = None,
    template: frozenset[tuple[str, int, int]] = frozenset(),
    binding: frozenset[tuple[str, int, int]] = frozenset(),
    regular: frozenset[tuple[int, date]] = frozenset(),
) -> WeekAnswer:
    """After Ctrl-C: the rest of the horizon planned the quick way (in the timetable's periods
    when there is one), with no bound."""
    from scheduler.solver.greedy import plan_template_week, plan_week

    if periods is not None:
        placed, _ = plan_template_week(
            scenario, week, progress, periods, template, binding, regular
        )
    else:
        placed, _ = plan_week(scenario, week, progress, carried)
    return WeekAnswer(Status.FEASIBLE, tuple(placed), 0, 0, 0.0)


__all__ = ["quick_plan_breaks", "quick_week"]
