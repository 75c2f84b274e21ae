"""A week on the interval model with CP-SAT: the fallback engine, hinted with the greedy plan.

Used when the grid's choice cannot be sequenced with every required special and guarantee
(rare). Its search is interleaved (deterministic for any number of workers) and limited by
CP-SAT's deterministic time.
"""

from __future__ import annotations

import math
import time
from datetime import date

from ortools.sat.python import cp_model

from constraints import RULES
from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.solver.cpmodel import Activity, WeekModel, hint_week
from scheduler.solver.greedy import plan_week
from scheduler.solver.solve_types import Placed, WeekAnswer


def solve_interval_week(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    *,
    budget: float,
    workers: int,
    seed: int,
) -> WeekAnswer:
    from scheduler.solver.explain import explain_week

    began = time.monotonic()
    week_model = WeekModel(scenario, week, progress)
    for rule in RULES:
        rule.post(week_model)
    model = week_model.model
    model.maximize(sum(week_model.objective_terms))
    greedy, failures = plan_week(scenario, week, progress)
    if not failures:
        hint_week(week_model, greedy)
    solver = cp_model.CpSolver()
    configure(solver, budget, workers, seed)
    code = solver.solve(model)
    wall = time.monotonic() - began
    if code == cp_model.INFEASIBLE:
        return WeekAnswer(
            Status.INFEASIBLE, (), 0, 0, wall, explain_week(scenario, week, progress, seed)
        )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return WeekAnswer(Status.UNKNOWN, (), 0, 0, wall)
    objective = round(solver.objective_value)
    bound = math.floor(solver.best_objective_bound + 1e-6)
    status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
    return WeekAnswer(
        status, tuple(read(week_model, solver)), objective, max(bound, objective), wall
    )


def configure(solver: cp_model.CpSolver, budget: float, workers: int, seed: int) -> None:
    parameters = solver.parameters
    parameters.num_workers = max(1, workers)
    parameters.random_seed = seed
    parameters.max_deterministic_time = max(budget, 0.1)
    parameters.max_time_in_seconds = max(budget, 0.1) * 6 + 10
    if workers > 1:
        parameters.interleave_search = True


def read(week_model: WeekModel, solver: cp_model.CpSolver) -> list[Placed]:
    placed = []
    start_of_week = week_model.week_start
    for activity in week_model.activities():
        if not solver.boolean_value(activity.present):
            continue
        placement = next(p for p in activity.placements if solver.boolean_value(p.present))
        room = placement.room
        axis = solver.value(activity.start)
        wall = axis - (room.day - start_of_week).days * 1440 + room.shift
        size = solver.value(activity.size) if activity.size_value is None else activity.size_value
        placed.append(
            Placed(
                kind=activity.kind,
                ref=_ref(activity),
                day_index=(room.day - start_of_week).days,
                slot=activity.slot,
                channel=room.channel,
                start=wall,
                end=wall + size,
            )
        )
    return sorted(placed, key=lambda p: (p.day_index, p.start, p.channel, p.kind, p.ref, p.slot))


def _ref(activity: Activity) -> str:
    if activity.course is not None:
        return activity.course.id
    if activity.special is not None:
        return activity.special.id
    assert activity.pinned is not None
    return activity.pinned.id
