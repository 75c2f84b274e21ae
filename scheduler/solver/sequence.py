"""Stage two of a week: give every airing the grid chose its minute, day by day.

Per broadcast day, one small CP-SAT model: each chosen airing gets a start inside its room;
channels never overlap (pinned items fixed), a grade's lessons keep their rest across
channels, a rerun follows a premiere of another daypart within the allowed time (which
premiere it repeats is chosen here and kept in its slot). Specials and the cohort
guarantees are hard; lessons may be dropped, at the cost of their value, if the grid's choice
cannot be sequenced. When nothing is dropped the week keeps the grid's (optimal) value.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from scheduler.domain.facts import guarantee_days
from scheduler.domain.model import Scenario
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.schedule import Kind
from scheduler.solver.grid import Cell, Grid
from scheduler.solver.solve_types import Carried, Placed, carry

DAY_SECONDS = 2.0
#: Preferred wall-clock starts by (kind, ref, broadcast day, channel).
Prefer = Mapping[tuple[Kind, str, date, str], Collection[int]]


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
    rest = scenario.rules.rest.minutes
    reruns = scenario.rules.reruns
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
    channels: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    grades: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    for item in items:
        cell = item.cell
        channels[cell.room.channel].append(_interval(model, item, cell.length))
        if cell.grade is not None:
            grades[cell.grade].append(_interval(model, item, cell.length + rest))
    for grade, first, last in carried:
        if grade in grades:
            grades[grade].append(
                model.new_fixed_size_interval_var(first, last - first + rest, "carried")
            )
    for pinned in grid.pinned:
        if pinned.day == day:
            shift = scenario.channel(pinned.channel).utc_shift(day, pinned.span.start)
            channels[pinned.channel].append(
                model.new_fixed_size_interval_var(
                    pinned.span.start - shift, pinned.span.minutes, f"pin/{pinned.id}"
                )
            )
    for intervals in channels.values():
        model.add_no_overlap(intervals)
    for intervals in grades.values():
        model.add_no_overlap(intervals)
    premieres: dict[str, list[_Item]] = defaultdict(list)
    repeats: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        if item.cell.kind is Kind.LESSON:
            premieres[item.cell.ref].append(item)
        elif item.cell.kind is Kind.RERUN:
            repeats[item.cell.ref].append(item)
    partners: dict[int, list[tuple[_Item, cp_model.IntVar]]] = defaultdict(list)
    for course_id, firsts in premieres.items():
        firsts.sort(key=lambda i: (i.cell.order or 0, i.cell.room.start))
        for before, after in itertools.pairwise(firsts):
            if before.cell.order is not None:  # lessons of different lengths: in order
                assert not isinstance(after.present, int)
                model.add(after.present <= before.present)
                model.add(after.start >= before.start + before.cell.length).only_enforce_if(
                    after.present
                )
            elif before.cell.room == after.cell.room:  # symmetry breaking only
                model.add(after.start >= before.start + before.cell.length)
        # each rerun repeats one premiere of another daypart; the pairing is chosen here and
        # kept in the slots, so the published repeat_of is the pairing these rules hold for
        paired: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for rerun in repeats.get(course_id, []):
            assert not isinstance(rerun.present, int)
            options = []
            for premiere in firsts:
                if premiere.cell.room.daypart == rerun.cell.room.daypart or (
                    premiere.cell.order != rerun.cell.order
                ):
                    continue
                pair = model.new_bool_var("")
                end = premiere.start + premiere.cell.length
                model.add(rerun.start >= end).only_enforce_if(pair)
                model.add(rerun.start <= end + reruns.within_minutes).only_enforce_if(pair)
                options.append((premiere, pair))
                paired[id(premiere)].append(pair)
            model.add(sum(pair for _, pair in options) == rerun.present)
            partners[id(rerun)] = options
        for premiere in firsts:
            assert not isinstance(premiere.present, int)
            if reruns.mode == "required":
                model.add(sum(paired[id(premiere)]) == premiere.present)
            else:
                model.add(sum(paired[id(premiere)]) <= premiere.present)
    for cohort in scenario.cohorts:
        if day in guarantee_days(scenario, cohort.id):
            model.add(
                sum(
                    item.cell.length * item.present
                    for item in items
                    if item.cell.kind is Kind.LESSON
                    and item.cell.grade == cohort.grade
                    and cohort.id in item.cell.room.cohorts
                )
                >= cohort.guaranteed_minutes
            )
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


def _interval(model: cp_model.CpModel, item: _Item, size: int) -> cp_model.IntervalVar:
    if isinstance(item.present, int):
        return model.new_fixed_size_interval_var(item.start, size, "")
    return model.new_optional_fixed_size_interval_var(item.start, size, item.present, "")
