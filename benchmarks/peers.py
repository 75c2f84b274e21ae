"""The two peers the engine is measured against, with the same interface as ``solve``.

- greedy-template: the planner's way with a timetable: the same periods as skyclass, filled day
  by day in priority order (the most valuable course that may still air), specials first-fit
  into the time between periods;
- greedy: the planner's way by hand (scheduler/solver/greedy.py), week after week;
- highs-ti: the plain time-indexed MIP (benchmarks/timeindexed.py) on HiGHS, week after week
  with earlier weeks fixed, the time budget split evenly over the weeks.
Both schedules are completed with fillers and scored by the same objective as skyclass's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from scheduler.domain.fill import fill
from scheduler.domain.model import Scenario
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Schedule
from scheduler.solver.assemble import week_airings
from scheduler.solver.greedy import plan_template_week, plan_week
from scheduler.solver.periods import choose_periods
from scheduler.solver.solve_types import Placed, WeekAnswer


@dataclass
class PeerResult:
    name: str
    schedule: Schedule | None
    objective: float | None
    bound: float | None
    runtime: float
    variables: int
    trace: list[tuple[float, float, float]] = field(default_factory=list)  # t, obj, bound
    notes: list[str] = field(default_factory=list)


def _assemble(
    scenario: Scenario, weeks: list[tuple[tuple[date, ...], dict[str, int], list[Placed]]]
) -> Schedule:
    answers = [
        (week, progress, WeekAnswer(Status.FEASIBLE, tuple(placed), 0, 0, 0.0))
        for week, progress, placed in weeks
    ]
    programmes = week_airings(scenario, answers)
    programmes += fill(scenario, programmes)
    return Schedule(tuple(programmes), scenario=scenario.source or None)


def greedy(scenario: Scenario) -> PeerResult:
    began = time.monotonic()
    progress = {c.id: c.progress for c in scenario.courses}
    weeks = []
    notes: list[str] = []
    for week in scenario.weeks():
        placed, failures = plan_week(scenario, week, progress)
        notes += failures
        weeks.append((week, dict(progress), placed))
        for item in placed:
            if item.kind is Kind.LESSON:
                progress[item.ref] += 1
    schedule = _assemble(scenario, weeks)
    objective = evaluate(scenario, schedule).total
    return PeerResult("greedy", schedule, objective, None, time.monotonic() - began, 0, notes=notes)


def greedy_template(scenario: Scenario) -> PeerResult:
    """Fill the period grid by priority, week after week (no search, no reruns)."""
    began = time.monotonic()
    periods = choose_periods(scenario)
    progress = {c.id: c.progress for c in scenario.courses}
    weeks = []
    notes: list[str] = []
    for week in scenario.weeks():
        placed, failures = plan_template_week(scenario, week, progress, periods)
        notes += failures
        weeks.append((week, dict(progress), placed))
        for item in placed:
            if item.kind is Kind.LESSON:
                progress[item.ref] += 1
    schedule = _assemble(scenario, weeks)
    objective = evaluate(scenario, schedule).total
    return PeerResult(
        "greedy-template", schedule, objective, None, time.monotonic() - began, 0, notes=notes
    )


def highs_time_indexed(scenario: Scenario, time_limit: float, seed: int = 0) -> PeerResult:
    from benchmarks.timeindexed import SlotModel

    began = time.monotonic()
    progress = {c.id: c.progress for c in scenario.courses}
    weeks = []
    bound_units = 0.0
    variables = 0
    trace: list[tuple[float, float, float]] = []
    notes: list[str] = []
    all_weeks = scenario.weeks()
    done_units = 0.0
    for index, week in enumerate(all_weeks):
        left = time_limit - (time.monotonic() - began)
        budget = max(left / (len(all_weeks) - index), 0.5)
        model = SlotModel(scenario, week, progress)
        variables += model.size
        h = model.highs(budget, seed)

        def improving(
            event: object,
            base: float = done_units,
            bound_base: float = bound_units,
        ) -> None:
            out = event.data_out  # type: ignore[attr-defined]
            trace.append(
                (
                    time.monotonic() - began,
                    (base + out.objective_function_value) / SCALE,
                    (bound_base + out.mip_dual_bound) / SCALE,
                )
            )

        h.cbMipImprovingSolution.subscribe(improving)
        h.run()
        info = h.getInfo()
        if info.primal_solution_status != 2:
            notes.append(f"no solution for the week of {week[0]} within {budget:.1f} s")
            return PeerResult(
                "highs-ti", None, None, None, time.monotonic() - began, variables, trace, notes
            )
        values = h.getSolution().col_value
        placed: list[Placed] = []
        counts: dict[tuple[str, int], int] = {}
        for value, column in zip(values, model.columns, strict=False):
            if value < 0.5:
                continue
            day_index = (column.room.day - week[0]).days
            slot = 0
            if column.kind is Kind.SPECIAL:
                slot = counts.get((column.ref, day_index), 0)
                counts[(column.ref, day_index)] = slot + 1
            placed.append(
                Placed(
                    column.kind,
                    column.ref,
                    day_index,
                    slot,
                    column.room.channel,
                    column.start,
                    column.end,
                )
            )
        for item in scenario.pinned:
            if item.day in week:
                placed.append(
                    Placed(
                        Kind.PINNED,
                        item.id,
                        (item.day - week[0]).days,
                        0,
                        item.channel,
                        item.span.start,
                        item.span.end,
                    )
                )
        weeks.append((week, dict(progress), placed))
        done_units += info.objective_function_value
        bound_units += info.mip_dual_bound
        for item in placed:
            if item.kind is Kind.LESSON:
                progress[item.ref] += 1
    schedule = _assemble(scenario, weeks)
    objective = evaluate(scenario, schedule).total
    return PeerResult(
        "highs-ti",
        schedule,
        objective,
        max(bound_units / SCALE, objective),
        time.monotonic() - began,
        variables,
        trace,
        notes,
    )
