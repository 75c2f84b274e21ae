"""Stage two of a week: give every airing the grid chose its minute, day by day.

Per broadcast day, one small CP-SAT model: each chosen airing gets a start inside its room;
channels never overlap (pinned items fixed), a grade's lessons keep their rest across
channels, a rerun follows a premiere of another daypart within the allowed time (which
premiere it repeats is chosen here and kept in its slot). Specials and the cohort
guarantees are hard; lessons may be dropped, at the cost of their value, if the grid's choice
cannot be sequenced. When nothing is dropped the week keeps the grid's (optimal) value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any

from ortools.sat.python import cp_model

from constraints import airtime, cohorts, course_order, reruns, rest
from constraints.engine import DayModel
from scheduler.domain.model import Pinned, Scenario
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.schedule import Kind
from scheduler.solver.grid import Cell, Grid
from scheduler.solver.solve_types import Carried, Placed, carry

DAY_SECONDS = 2.0
#: Preferred wall-clock starts by (kind, ref, broadcast day, channel).
Prefer = Mapping[tuple[Kind, str, date, str], Collection[int]]
#: The rules a day's sequencing posts, in order (each module's ``post_day``): channels never
#: overlap, a grade rests between lessons, a course's lessons in order, reruns paired with a
#: premiere, cohort guarantees.
DAY_RULES: tuple[ModuleType, ...] = (airtime, rest, course_order, reruns, cohorts)


@dataclass(eq=False)
class _Item:
    cell: Cell
    start: cp_model.IntVar
    present: cp_model.IntVar | int
    value: int


def sequence_week(
    grid: Grid,
    values: list[int],
    seed: int,
    carried: Carried = (),
    prefer: Prefer | None = None,
) -> tuple[list[Placed], int] | None:
    """Airings with minutes for the grid's choice and the value lost (0 when every airing
    kept its place), or None when a day's specials or guarantees cannot be sequenced.
    ``carried``: the lessons of the day before the week that its first day must rest after.
    ``prefer``: wall-clock starts per (kind, ref, day, channel) to keep where the value allows
    (a re-plan's published times); among the schedules keeping the most value, the one keeping
    most of them."""
    scenario = grid.scenario
    by_day: dict[date, list[Cell]] = defaultdict(list)
    for cell, count in zip(grid.cells, values, strict=True):
        by_day[cell.room.day] += [cell] * count
    placed: list[Placed] = []
    lost = 0
    # lessons of different lengths air in order: once one is dropped, the later ones go too
    # (else they would be numbered, and timed, as the dropped one)
    gone: dict[str, int] = {}
    for index, day in enumerate(grid.week):
        for item in grid.pinned:
            if item.day == day:
                placed.append(
                    Placed(
                        Kind.PINNED, item.id, index, 0, item.channel, item.span.start, item.span.end
                    )
                )
        cells: list[Cell] = []
        dropped: list[Cell] = []
        for cell in by_day[day]:
            late = cell.order is not None and cell.order >= gone.get(cell.ref, cell.order + 1)
            (dropped if late else cells).append(cell)
        lost += sum(_value(scenario, cell) for cell in dropped)
        answer = _sequence_day(scenario, grid, day, index, cells, seed, carried, prefer)
        if answer is None:
            return None
        day_placed, day_lost = answer
        # a window past midnight can end within a rest of the next day's first window
        carried = carry(scenario, day, day_placed)
        placed += day_placed
        lost += day_lost
        orders: dict[str, list[int]] = defaultdict(list)
        for cell in cells:
            if cell.kind is Kind.LESSON and cell.order is not None:
                orders[cell.ref].append(cell.order)
        for ref, mine in orders.items():
            aired = sum(1 for p in day_placed if p.kind is Kind.LESSON and p.ref == ref)
            if aired < len(mine):  # the day keeps a prefix of its lessons (_sequence_day)
                gone[ref] = min(gone.get(ref, len(grid.cells)), sorted(mine)[aired])
    return placed, lost


def _value(scenario: Scenario, cell: Cell) -> int:
    if cell.kind is Kind.SPECIAL:
        return 0
    course = scenario.course(cell.ref)
    rate = (
        premiere_rate(scenario, course)
        if cell.kind is Kind.LESSON
        else rerun_rate(scenario, course)
    )
    return rate * cell.length


@dataclass(eq=False)
class _Day:
    """One day's model: the :class:`constraints.engine.DayModel` the rules post onto."""

    scenario: Scenario
    day: date
    model: cp_model.CpModel
    items: list[_Item]
    pinned: list[Pinned]
    carried: Carried
    premieres: dict[str, list[_Item]] = field(default_factory=lambda: defaultdict(list))
    repeats: dict[str, list[_Item]] = field(default_factory=lambda: defaultdict(list))
    partners: dict[int, list[tuple[Any, cp_model.IntVar]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in self.items:
            if item.cell.kind is Kind.LESSON:
                self.premieres[item.cell.ref].append(item)
            elif item.cell.kind is Kind.RERUN:
                self.repeats[item.cell.ref].append(item)
        for firsts in self.premieres.values():
            firsts.sort(key=lambda i: (i.cell.order or 0, i.cell.room.start))

    def interval(self, item: Any, size: int) -> cp_model.IntervalVar:
        if isinstance(item.present, int):
            return self.model.new_fixed_size_interval_var(item.start, size, "")
        return self.model.new_optional_fixed_size_interval_var(item.start, size, item.present, "")

    def fixed(self, start: int, size: int, name: str) -> cp_model.IntervalVar:
        return self.model.new_fixed_size_interval_var(start, size, name)


def _sequence_day(
    scenario: Scenario,
    grid: Grid,
    day: date,
    index: int,
    cells: list[Cell],
    seed: int,
    carried: Carried,
    prefer: Prefer | None = None,
) -> tuple[list[Placed], int] | None:
    model = cp_model.CpModel()
    items: list[_Item] = []
    for number, cell in enumerate(sorted(cells, key=lambda c: (c.room.start, c.kind, c.ref))):
        room = cell.room
        # a period's airing starts at the period (a timetable's fixed clock time)
        latest = room.start if room.period else room.end - cell.length
        start = model.new_int_var(room.start - room.shift, latest - room.shift, f"s{number}")
        if cell.kind is Kind.SPECIAL:
            items.append(_Item(cell, start, 1, 0))
            continue
        items.append(_Item(cell, start, model.new_bool_var(f"p{number}"), _value(scenario, cell)))
    pinned = [item for item in grid.pinned if item.day == day]
    d = _Day(scenario, day, model, items, pinned, carried)
    for rule in DAY_RULES:
        rule.post_day(d)
    partners = d.partners
    total = sum(item.value for item in items)
    kept_value = sum(item.value * item.present for item in items)
    wishes: list[cp_model.IntVar] = []
    for item in items if prefer else ():
        assert prefer is not None
        key = (item.cell.kind, item.cell.ref, day, item.cell.room.channel)
        for wanted in prefer.get(key, ()):
            at = model.new_bool_var("")
            model.add(item.start == wanted - item.cell.room.shift).only_enforce_if(at)
            if not isinstance(item.present, int):
                model.add_implication(at, item.present)
            wishes.append(at)
    if wishes:  # value first: one unit of value outweighs every wish
        model.maximize(kept_value * (len(wishes) + 1) + sum(wishes))
    else:
        model.maximize(kept_value)
    for item in items:
        if not isinstance(item.present, int):
            model.add_hint(item.present, 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = DAY_SECONDS
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    placed = []
    slots: dict[tuple[Kind, str], int] = defaultdict(int)
    slot_of: dict[int, int] = {}
    for item in sorted(items, key=lambda i: solver.value(i.start)):
        if not solver.value(item.present):
            continue
        cell = item.cell
        begin = int(solver.value(item.start)) + cell.room.shift
        if cell.kind is Kind.RERUN:  # its premiere's slot (the premiere airs earlier)
            slot = next(
                slot_of[id(premiere)] for premiere, pair in partners[id(item)] if solver.value(pair)
            )
        else:
            slot = slots[(cell.kind, cell.ref)]
            slots[(cell.kind, cell.ref)] += 1
            slot_of[id(item)] = slot
        placed.append(
            Placed(cell.kind, cell.ref, index, slot, cell.room.channel, begin, begin + cell.length)
        )
    kept = sum(item.value for item in items if solver.value(item.present))
    return placed, total - kept


def _conforms(d: _Day) -> DayModel:
    """The day model is the one the rules post onto (checked by mypy)."""
    return d
