"""Weeks the grid cannot place: the explainer's proof, else the fallback planners.

INFEASIBLE is said only with the explainer's conflict set (:mod:`scheduler.solver.explain`).
Otherwise a week goes to the interval model on CP-SAT and then the greedy planner (free
placement), or in template mode to the greedy template planner alone, which keeps the periods
and the learned template; the answer says what was tried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from constraints import rest
from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind
from scheduler.solver.assemble import week_objective
from scheduler.solver.solve_types import Carried, Periods, Placed, WeekAnswer
from scheduler.solver.template import Held


def infeasible(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    budget: float,
    workers: int,
    seed: int,
    began: float,
    carried: Carried,
    timetable: KeptTimetable,
) -> WeekAnswer:
    """INFEASIBLE with the explainer's conflict set; without one, the fallback engines."""
    from scheduler.solver.explain import prove_week

    proof = prove_week(scenario, week, progress, seed)
    if proof is not None:
        return WeekAnswer(Status.INFEASIBLE, (), 0, 0, time.monotonic() - began, proof)
    return fallback(
        scenario,
        week,
        progress,
        budget,
        workers,
        seed,
        began,
        None,
        "the grid model has no placement and no conflict between rules was proven",
        carried,
        timetable,
    )


@dataclass(frozen=True, slots=True)
class KeptTimetable:
    """What a fallback week keeps of the timetable: periods and the learned template."""

    periods: Periods | None
    template: frozenset[tuple[str, int, int]]
    binding: frozenset[tuple[str, int, int]]
    regular: frozenset[tuple[int, date]]


def fallback(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    budget: float,
    workers: int,
    seed: int,
    began: float,
    bound: int | None,
    why: str,
    carried: Carried,
    timetable: KeptTimetable,
) -> WeekAnswer:
    """The interval model on CP-SAT, then the greedy planner, for weeks the grid cannot place.

    Never INFEASIBLE without a proof: CP-SAT's verdict on the interval model (explained) is one
    (in template mode too: the model knows no periods, so it is a relaxation of the week);
    otherwise the answer is a plan (FEASIBLE) or UNKNOWN, and its explanation says what was
    tried. In template mode the interval model's week is taken only when its premieres keep the
    periods and the template; else the greedy template planner plans the week. The caller
    checks a schedule with such weeks whole.
    """
    from scheduler.solver.cpsat_week import solve_interval_week
    from scheduler.solver.greedy import plan_week

    answer = solve_interval_week(
        scenario, week, progress, budget=budget, workers=workers, seed=seed
    )
    if answer.status is Status.INFEASIBLE:
        return answer
    if timetable.periods is not None and not (
        answer.status.has_schedule and _keeps_timetable(scenario, week, answer, timetable)
    ):
        return _template_plan(scenario, week, progress, began, why, timetable)
    first_day = [
        (scenario.course(p.ref).grade, p.channel, p.start, p.end)
        for p in answer.placed
        if p.day_index == 0 and p.kind in (Kind.LESSON, Kind.RERUN)
    ]
    # the interval model does not see the lessons carried into the week
    if answer.status.has_schedule and rest.keeps_carried(scenario, week[0], first_day, carried):
        bounds = [b for b in (answer.bound, bound) if b is not None]
        best = max(min(bounds), answer.objective) if bounds else answer.objective
        status = Status.OPTIMAL if answer.objective >= best else Status.FEASIBLE
        return WeekAnswer(
            status,
            answer.placed,
            answer.objective,
            best,
            time.monotonic() - began,
            (f"week of {week[0]}: {why}; planned by the interval model (CP-SAT)",),
        )
    if timetable.periods is not None:
        why += "; the interval model (CP-SAT) broke the rest after the previous week"
        return _template_plan(scenario, week, progress, began, why, timetable)
    placed, failures = plan_week(scenario, week, progress, carried)
    tried = f"week of {week[0]}: {why}; the interval model (CP-SAT) " + (
        "broke the rest after the previous week's last lessons"
        if answer.status.has_schedule
        else "found no schedule within its budget"
    )
    return _planned(
        scenario,
        week,
        progress,
        began,
        placed,
        failures,
        f"{tried}; the greedy planner could not meet every rule:",
        f"{tried}; planned by the greedy planner",
    )


def _keeps_timetable(
    scenario: Scenario, week: tuple[date, ...], answer: WeekAnswer, timetable: KeptTimetable
) -> bool:
    """Whether every premiere of the interval model's week starts at one of its grade's
    periods, and on the grade's regular days keeps the template as the grid would."""
    assert timetable.periods is not None
    held = Held.of(scenario, timetable.binding, timetable.regular)
    for item in answer.placed:
        if item.kind is not Kind.LESSON:
            continue
        grade = scenario.course(item.ref).grade
        day = week[item.day_index]
        periods = timetable.periods.get(grade, ())
        if not any(p.channel == item.channel and p.span.start == item.start for p in periods):
            return False
        weekday = scenario.calendar.timetable_weekday(day)
        if not held.allows(item.ref, grade, day, weekday, item.start):
            return False
    return True


def _template_plan(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    began: float,
    why: str,
    timetable: KeptTimetable,
) -> WeekAnswer:
    """The greedy template planner's week: the periods and the learned template kept."""
    from scheduler.solver.greedy import plan_template_week

    assert timetable.periods is not None
    placed, failures = plan_template_week(
        scenario,
        week,
        progress,
        timetable.periods,
        timetable.template,
        timetable.binding,
        timetable.regular,
    )
    tried = f"week of {week[0]}: {why}; the greedy template planner"
    return _planned(
        scenario,
        week,
        progress,
        began,
        placed,
        failures,
        f"{tried} could not meet every rule:",
        f"{tried} planned it",
    )


def _planned(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    began: float,
    placed: list[Placed],
    failures: list[str],
    failed: str,
    planned: str,
) -> WeekAnswer:
    """A greedy planner's week: FEASIBLE without a bound (explained by ``planned``), or
    UNKNOWN with the quotas it failed (after ``failed``)."""
    if failures:
        return WeekAnswer(
            Status.UNKNOWN,
            (),
            0,
            0,
            time.monotonic() - began,
            (failed, *failures),
        )
    return WeekAnswer(
        Status.FEASIBLE,
        tuple(placed),
        week_objective(scenario, week, progress, placed),
        None,
        time.monotonic() - began,
        (planned,),
    )


__all__ = ["KeptTimetable", "fallback", "infeasible"]
