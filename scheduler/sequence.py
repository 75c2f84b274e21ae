"""Stage two of a week: give every airing the grid chose its minute, day by day.

Per broadcast day, one small CP-SAT model: each chosen airing gets a start inside its room;
channels never overlap (pinned items fixed), a grade's lessons keep their rest across
channels, a rerun follows its premiere within the allowed time. Specials and the cohort
guarantees are hard; lessons may be dropped, at the cost of their value, if the grid's choice
cannot be sequenced. When nothing is dropped the week keeps the grid's (optimal) value.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from scheduler.grid import Cell, Grid
from scheduler.model import Scenario
from scheduler.objective import premiere_rate, rerun_rate
from scheduler.schedule import Kind
from scheduler.solve_types import Placed
from scheduler.summary import guarantee_days

DAY_SECONDS = 2.0


@dataclass(eq=False)
class _Item:
    cell: Cell
    start: cp_model.IntVar
    present: cp_model.IntVar | int
    value: int


def sequence_week(
    grid: Grid, values: list[int], seed: int
) -> tuple[list[Placed], int, bool] | None:
    """Airings with minutes for the grid's choice: (placed, value lost, all kept), or None
    when a day's specials or guarantees cannot be sequenced."""
    scenario = grid.scenario
    by_day: dict[date, list[tuple[Cell, int]]] = defaultdict(list)
    for cell, count in zip(grid.cells, values, strict=True):
        for _ in range(count):
            by_day[cell.room.day].append((cell, 1))
    placed: list[Placed] = []
    lost = 0
    for index, day in enumerate(grid.week):
        for item in grid.pinned:
            if item.day == day:
                placed.append(Placed(Kind.PINNED, item.id, index, 0, item.channel,
                                     item.span.start, item.span.end))
        answer = _sequence_day(scenario, grid, day, index, [c for c, _ in by_day[day]], seed)
        if answer is None:
            return None
        day_placed, day_lost = answer
        placed += day_placed
        lost += day_lost
    return placed, lost, lost == 0


def _sequence_day(
    scenario: Scenario, grid: Grid, day: date, index: int, cells: list[Cell], seed: int
) -> tuple[list[Placed], int] | None:
    model = cp_model.CpModel()
    rest = scenario.rules.rest.minutes
    reruns = scenario.rules.reruns
    items: list[_Item] = []
    for number, cell in enumerate(sorted(cells, key=lambda c: (c.room.start, c.kind, c.ref))):
        room = cell.room
        start = model.NewIntVar(room.start - room.shift, room.end - cell.length - room.shift,
                                f"s{number}")
        if cell.kind is Kind.SPECIAL:
            items.append(_Item(cell, start, 1, 0))
            continue
        course = scenario.course(cell.ref)
        rate = premiere_rate(scenario, course) if cell.kind is Kind.LESSON else rerun_rate(
            scenario, course)
        items.append(_Item(cell, start, model.NewBoolVar(f"p{number}"), rate * cell.length))
    channels: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    grades: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    for item in items:
        cell = item.cell
        channels[cell.room.channel].append(_interval(model, item, cell.length))
        if cell.grade is not None:
            grades[cell.grade].append(_interval(model, item, cell.length + rest))
    for pinned in grid.pinned:
        if pinned.day == day:
            offset = scenario.channel(pinned.channel).instant(day, pinned.span.start).utcoffset()
            shift = int(offset.total_seconds() // 60) if offset else 0
            channels[pinned.channel].append(model.NewFixedSizeIntervalVar(
                pinned.span.start - shift, pinned.span.minutes, f"pin/{pinned.id}"))
    for intervals in channels.values():
        model.AddNoOverlap(intervals)
    for intervals in grades.values():
        model.AddNoOverlap(intervals)
    premieres: dict[str, list[_Item]] = defaultdict(list)
    repeats: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        if item.cell.kind is Kind.LESSON:
            premieres[item.cell.ref].append(item)
        elif item.cell.kind is Kind.RERUN:
            repeats[item.cell.ref].append(item)
    for course_id, firsts in premieres.items():
        firsts.sort(key=lambda i: i.cell.room.start)
        for before, after in itertools.pairwise(firsts):
            model.Add(after.start >= before.start + before.cell.length)
        for premiere, rerun in zip(firsts, repeats.get(course_id, []), strict=False):
            assert not isinstance(rerun.present, int)
            model.Add(rerun.present <= premiere.present)
            end = premiere.start + premiere.cell.length
            model.Add(rerun.start >= end).OnlyEnforceIf(rerun.present)
            model.Add(rerun.start <= end + reruns.within_minutes).OnlyEnforceIf(rerun.present)
            if reruns.mode == "required":
                model.Add(rerun.present == premiere.present)
    for cohort in scenario.cohorts:
        if day in guarantee_days(scenario, cohort.id):
            model.Add(sum(
                item.cell.length * item.present for item in items
                if item.cell.kind is Kind.LESSON and item.cell.grade == cohort.grade
                and cohort.id in item.cell.room.cohorts
            ) >= cohort.guaranteed_minutes)
    total = sum(item.value for item in items)
    model.Maximize(sum(item.value * item.present for item in items))
    for item in items:
        if not isinstance(item.present, int):
            model.AddHint(item.present, 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = DAY_SECONDS
    code = solver.Solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    placed = []
    slots: dict[tuple[Kind, str], int] = defaultdict(int)
    for item in sorted(items, key=lambda i: solver.Value(i.start)):
        if not solver.Value(item.present):
            continue
        cell = item.cell
        start = solver.Value(item.start) + cell.room.shift
        slot = slots[(cell.kind, cell.ref)]
        slots[(cell.kind, cell.ref)] += 1
        placed.append(Placed(cell.kind, cell.ref, index, slot, cell.room.channel, start,
                             start + cell.length))
    kept = round(solver.ObjectiveValue())
    return placed, total - kept


def _interval(model: cp_model.CpModel, item: _Item, size: int) -> cp_model.IntervalVar:
    if isinstance(item.present, int):
        return model.NewFixedSizeIntervalVar(item.start, size, "")
    return model.NewOptionalFixedSizeIntervalVar(item.start, size, item.present, "")
