"""The quick plan: weeks the search had no time for (the limit, Ctrl-C), planned greedily.

The greedy template planner keeps the rules it places by, not every week-wide one (subject
minimums, guarantees), so a schedule with quick weeks is checked whole before it is given.
"""

from __future__ import annotations

from datetime import date

from constraints import RULES
from constraints.base import Violation
from scheduler.domain.model import Scenario
from scheduler.domain.result import Result, Status
from scheduler.domain.schedule import Schedule
from scheduler.solver.solve_types import Carried, Periods, WeekAnswer


def quick_plan_breaks(scenario: Scenario, schedule: Schedule) -> tuple[Violation, ...]:
    """The rules a schedule with quickly planned weeks breaks (the greedy planner keeps the
    rules it can place by, not every week-wide one: minimums, guarantees)."""
    return tuple(v for rule in RULES for v in rule.violations(scenario, schedule))


def refuse_broken(
    scenario: Scenario, schedule: Schedule, quick: list[date], notes: tuple[str, ...]
) -> Result | None:
    """UNKNOWN, with what was tried and the first violations, when a schedule with quick or
    fallback weeks breaks a rule: such a schedule is never given as FEASIBLE."""
    broken = quick_plan_breaks(scenario, schedule)
    if not broken:
        return None
    stopped = (
        f"the search stopped (time limit or Ctrl-C) before the week(s) of "
        f"{', '.join(str(day) for day in quick)} and planned them the quick way; "
        if quick
        else ""
    )
    return Result(
        status=Status.UNKNOWN,
        schedule=None,
        objective=None,
        bound=None,
        runtime=0.0,
        seed=0,
        explanation=(
            *notes,
            f"{stopped}the schedule so planned has {len(broken)} violation(s), so none is given"
            " — allow more time (--time-limit) or see what did not fit:",
            *(str(violation) for violation in broken[:5]),
        ),
    )


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


__all__ = ["quick_plan_breaks", "quick_week", "refuse_broken"]
