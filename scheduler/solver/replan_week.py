"""One re-solved week of a re-plan: the week's grid with what aired fixed, the frozen days'
valid airings kept, and a lexicographic change objective before coverage
(:mod:`scheduler.solver.replan`)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from constraints.engine import INF
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind
from scheduler.solver.engine import CLOCK_SAFETY, NODES_PER_SECOND
from scheduler.solver.grid import Grid
from scheduler.solver.highs import solve_grid_highs
from scheduler.solver.replan_edition import Aired, Edition
from scheduler.solver.sequence import sequence_week
from scheduler.solver.solve_types import Carried, Placed, WeekAnswer


def resolve_week(
    edition: Edition,
    week: tuple[date, ...],
    progress: dict[str, int],
    aired: list[Aired],
    carried: Carried,
    *,
    frozen_until: date,
    budget: float,
    seed: int,
    frozen: bool,
) -> WeekAnswer | None:
    """Re-solve one week on its grid with the change-minimising objective of
    :mod:`scheduler.solver.replan` (``frozen``: the frozen days' valid airings fixed); None when
    no plan is found."""
    scenario = edition.scenario
    began = time.monotonic()
    grid = Grid(scenario, week, progress, periods=edition.periods)
    fixed_until = frozen_until if frozen else edition.today
    where = _cells_of(grid)
    fixed: Counter[int] = Counter()
    wanted: list[tuple[Aired, int | None]] = []
    frozen_kept: list[Placed] = []
    for a in aired:
        if a.placed.kind is Kind.PINNED:
            continue
        cell = where(a)
        if a.day < edition.today:
            if cell is not None:
                fixed[cell] += 1
        elif a.day < fixed_until and cell is not None and edition.holds(a):
            fixed[cell] += 1
            frozen_kept.append(a.placed)
        else:
            wanted.append((a, cell))
    past_days = {d for d in week if d < edition.today}
    frozen_days = {d for d in week if edition.today <= d < fixed_until}
    for i, column in enumerate(grid.cells):
        day = column.room.day
        if day in past_days:
            grid.rows.append((fixed[i], fixed[i], [i], [1], f"aired {i}"))
        elif day in frozen_days and fixed[i]:
            grid.rows.append((fixed[i], INF, [i], [1], f"frozen {i}"))
    for i, column in enumerate(grid.cells):
        if column.kind is not Kind.LESSON or column.grade is None:
            continue
        day = column.room.day
        weekday = scenario.calendar.timetable_weekday(day)
        starts = edition.course_periods.get((column.ref, weekday or 0))
        if (
            starts
            and weekday is not None
            and day >= edition.today
            and day in edition.regular.get(column.grade, set())
            and column.room.start not in starts
        ):
            grid.rows.append((-INF, 0, [i], [1], f"course period {i}"))
    # a quota is a floor for the checker: a published special beyond a quota an outage lowered
    # stays (the grid's equality would drop it), and no special is added beyond either
    published = Counter(a.placed.ref for a in aired if a.placed.kind is Kind.SPECIAL)
    grid.rows = [
        (row[0], max(row[1], published[row[4][len("quota ") :]]), row[2], row[3], row[4])
        if row[4].startswith("quota ")
        else row
        for row in grid.rows
    ]
    weights = _prefer(grid, wanted, fixed_until, week)
    hint = [min(fixed[i], c.upper) for i, c in enumerate(grid.cells)]
    for _, cell in wanted:
        if cell is not None and hint[cell] < grid.cells[cell].upper:
            hint[cell] += 1
    nodes = max(int(budget * NODES_PER_SECOND), 100)
    coverage, extras = grid.cost, grid.extras
    change_costs = [0] * len(grid.cells) + [
        weights.get(len(grid.cells) + j, 0) for j in range(len(grid.extras))
    ]
    grid.cost = [0] * len(grid.cells)
    grid.extras = [
        (low, high, change_costs[len(grid.cells) + j]) for j, (low, high, _) in enumerate(extras)
    ]
    step_a = solve_grid_highs(
        grid,
        budget=budget * CLOCK_SAFETY,
        seed=seed,
        hint=hint,
        nodes=max(nodes // 2, 50),
        symmetry=False,
    )
    if not step_a.values:
        grid.cost, grid.extras = coverage, extras
        return None
    ids = [i for i, cost in enumerate(change_costs) if cost]
    grid.rows.append((step_a.objective, INF, ids, [change_costs[i] for i in ids], "changes kept"))
    for i, column in enumerate(grid.cells):
        if column.room.day in frozen_days:
            grid.rows.append((-INF, step_a.values[i], [i], [1], f"frozen no more {i}"))
    grid.cost = coverage
    grid.extras = [
        (low, high, 0 if (len(grid.cells) + j) in weights else cost)
        for j, (low, high, cost) in enumerate(extras)
    ]
    step_b = solve_grid_highs(
        grid,
        budget=budget * CLOCK_SAFETY,
        seed=seed,
        hint=step_a.values,
        nodes=max(nodes // 2, 50),
        symmetry=False,
    )
    sequenced = None
    prefer: dict[tuple[Kind, str, date, str], set[int]] = defaultdict(set)
    for a in aired:
        if a.day >= edition.today:
            prefer[(a.placed.kind, a.placed.ref, a.day, a.placed.channel)].add(a.placed.start)
    if step_b.values:
        sequenced = sequence_week(grid, step_b.values, seed, carried, prefer)
    if sequenced is None or sequenced[1]:
        # the sequencer could not time all of step B's additions: step A's choice (the
        # published airings, what the disruption forced, nothing more) when it times
        fallback = sequence_week(grid, step_a.values, seed, carried, prefer)
        if fallback is not None and (sequenced is None or fallback[1] <= sequenced[1]):
            sequenced = fallback
    if sequenced is None:
        return None
    placed, _lost = sequenced
    kept = [a.placed for a in aired if a.day < edition.today and a.placed.kind is Kind.LESSON]
    kept += frozen_kept
    fresh = [
        p
        for p in placed
        if week[p.day_index] >= fixed_until
        or (p.kind is Kind.PINNED and week[p.day_index] >= edition.today)
    ]
    additions = _additions(week, placed, frozen_kept, edition.today, fixed_until)
    objective = step_b.objective if step_b.values else 0
    return WeekAnswer(
        Status.FEASIBLE,
        tuple([*kept, *fresh, *additions]),
        objective,
        None,
        time.monotonic() - began,
    )


def _additions(
    week: tuple[date, ...],
    placed: list[Placed],
    frozen_kept: list[Placed],
    today: date,
    fixed_until: date,
) -> list[Placed]:
    """Airings the re-plan had to add on frozen days, beyond the published ones it kept."""
    kept: Counter[tuple[Kind, str, int, str]] = Counter(
        (p.kind, p.ref, p.day_index, p.channel) for p in frozen_kept
    )
    starts = {(p.kind, p.ref, p.day_index, p.channel, p.start) for p in frozen_kept}
    candidates = [
        p for p in placed if today <= week[p.day_index] < fixed_until and p.kind is not Kind.PINNED
    ]
    # the sequencer's copies of kept airings first, so what is left over is new
    candidates.sort(key=lambda p: (p.kind, p.ref, p.day_index, p.channel, p.start) not in starts)
    found = []
    for p in candidates:
        key = (p.kind, p.ref, p.day_index, p.channel)
        if kept[key]:
            kept[key] -= 1
        else:
            found.append(p)
    return found


def _cells_of(grid: Grid) -> Callable[[Aired], int | None]:
    """The grid cell a published airing takes, if the grid has one."""
    by_key: dict[tuple[Kind, str, date, str], list[int]] = defaultdict(list)
    for i, cell in enumerate(grid.cells):
        by_key[(cell.kind, cell.ref, cell.room.day, cell.room.channel)].append(i)

    def find(a: Aired) -> int | None:
        """A free room holding the airing, else the period starting at its start (the grade's
        own before another's)."""
        item = a.placed
        found: list[tuple[int, int]] = []
        for i in by_key.get((item.kind, item.ref, a.day, item.channel), []):
            cell = grid.cells[i]
            room = cell.room
            if cell.length != item.end - item.start:
                continue
            if not room.period and room.start <= item.start and item.end <= room.end:
                found.append((0, i))
            elif room.period and room.start == item.start:
                found.append((1 if room.period > 0 else 2, i))
        return min(found)[1] if found else None

    return find


def _prefer(
    grid: Grid,
    wanted: list[tuple[Aired, int | None]],
    fixed_until: date,
    week: tuple[date, ...],
) -> dict[int, int]:
    """Add the change-minimising columns to ``grid``; returns their weights by column.

    Levels, each worth more than all below it together: (1) a published airing of a series
    (course premieres, its reruns, a special) kept on air in the week; (2) on its day; (3) at
    its time; (4) on its channel; (5) a grade's day left whole. (2)–(5) weigh ``1 + days to the
    week's end``: the sooner the day, the more a change costs.
    """
    free = [i for i, c in enumerate(grid.cells) if c.room.day >= fixed_until]
    series: dict[tuple[Kind, str], list[int]] = defaultdict(list)
    daily: dict[tuple[Kind, str, date], list[int]] = defaultdict(list)
    channel: dict[tuple[Kind, str, date, str], list[int]] = defaultdict(list)
    timely: dict[tuple[Kind, str, date, int], list[int]] = defaultdict(list)
    for i in free:
        cell = grid.cells[i]
        room = cell.room
        series[(cell.kind, cell.ref)].append(i)
        daily[(cell.kind, cell.ref, room.day)].append(i)
        channel[(cell.kind, cell.ref, room.day, room.channel)].append(i)
        if room.period:
            timely[(cell.kind, cell.ref, room.day, room.start)].append(i)
    want_series: Counter[tuple[Kind, str]] = Counter()
    want_day: Counter[tuple[Kind, str, date]] = Counter()
    want_channel: Counter[tuple[Kind, str, date, str]] = Counter()
    want_time: Counter[tuple[Kind, str, date, int]] = Counter()
    grade_groups: dict[tuple[int, date], list[tuple[Kind, str, date, int]]] = defaultdict(list)
    for a, _cell in wanted:
        item = a.placed
        want_series[(item.kind, item.ref)] += 1
        if a.day < fixed_until:
            continue  # forced off a frozen day: only kept on air counts
        want_day[(item.kind, item.ref, a.day)] += 1
        want_channel[(item.kind, item.ref, a.day, item.channel)] += 1
        key = (item.kind, item.ref, a.day, item.start)
        want_time[key] += 1
        for grade in a.programme.grades:
            grade_groups[(grade, a.day)].append(key)

    def soon(day: date) -> int:
        return 1 + (week[-1] - day).days

    levels: list[list[tuple[int, int, list[int], int]]] = []  # (upper, soon, ids, row kind)
    levels.append([(n, 1, series.get(k, []), 0) for k, n in sorted(want_series.items())])
    levels.append([(n, soon(k[2]), daily.get(k, []), 0) for k, n in sorted(want_day.items())])
    times = sorted(want_time.items())
    if grid.periods is None:  # free rooms: the time is the sequencer's; kept at room level
        for key, _n in times:
            kind, ref, day, start = key
            timely[key] = [
                i
                for i in daily.get((kind, ref, day), [])
                if grid.cells[i].room.start <= start < grid.cells[i].room.end
            ]
    levels.append([(n, soon(k[2]), timely.get(k, []), 0) for k, n in times])
    levels.append([(n, soon(k[2]), channel.get(k, []), 0) for k, n in sorted(want_channel.items())])
    weights: dict[int, int] = {}
    # lowest level first: each level's unit is worth more than everything below it
    unit = 1
    total = 0
    plan: list[tuple[int, list[tuple[int, int, list[int], int]]]] = []
    grades = sorted(grade_groups.items())
    grade_total = sum(soon(day) for (_, day), _ in grades)
    total += grade_total
    for level in reversed(levels):
        unit = total + 1
        plan.append((unit, level))
        total += unit * sum(n * s for n, s, _, _ in level)
    for unit, level in plan:
        for n, s, ids, _ in level:
            if not ids:
                continue
            column = grid.extra(0, n, 0)
            weights[column] = unit * s
            grid.rows.append(
                (-INF, 0, [column, *ids], [1] + [-1] * len(ids), f"replan keeps {column}")
            )
            _remember(grid, column, ids, n)
    for (_grade, day), keys in grades:
        groups = [(timely.get(k, []), want_time[k]) for k in keys]
        if any(not ids for ids, _ in groups):
            continue
        column = grid.extra(0, 1, 0)
        weights[column] = soon(day)
        for ids, n in groups:
            grid.rows.append(
                (-INF, 0, [column, *ids], [n] + [-1] * len(ids), f"replan grade day {column}")
            )
        _remember(grid, column, [i for ids, _ in groups for i in ids], 0, groups)
    return weights


def _remember(
    grid: Grid,
    column: int,
    ids: list[int],
    upper: int,
    groups: list[tuple[list[int], int]] | None = None,
) -> None:
    """How a hint gives the column its value (for :func:`scheduler.solver.grid.extras_for`)."""
    derived = grid.derived
    if groups is None:
        derived.append((column, lambda values: min(upper, sum(values[i] for i in ids))))
    else:
        derived.append(
            (
                column,
                lambda values: int(all(sum(values[i] for i in g) >= n for g, n in groups)),
            )
        )


__all__ = ["resolve_week"]
