"""A grade's periods (第N节): the clock times its lessons start at on every lesson day.

The weekly timetable (课表) puts courses into periods; the periods themselves are chosen once
per solve, before any week, so that every week and every lesson day uses the same times.
Periods a planner fixed (``[[timetable.periods]]``) are taken as they are; the others come
from one small MIP on HiGHS over a lattice of start times:

    maximise  Σ_g Σ_k v(g, k) · z(g, k)                 (k-th daily period of grade g)
    s.t.      Σ_s y(g, ch, s) = Σ_k z(g, k)              (periods of g = its counted periods)
              Σ y over starts covering t on ch ≤ 1       (one period at a time per channel)
              Σ y(g, ·, s) over s ≤ t < s + L + rest ≤ 1 (a grade's periods a rest apart)
              Σ y(g, ·, s) inside the cohort window · L ≥ guaranteed minutes
              Σ_s y(g, ·, s) · lesson days ≥ Σ_c weekly minimum(c)  (in the shortest week)
              Σ_s r(sp, ch, s) = 1                       (a daily block for special sp)

A special whose weekly quota needs lesson days (more airings than the other days can hold at
its daily limit) gets a daily block ``r`` at a fixed time, which no period may overlap.

``v(g, k)`` is what the k-th daily period is worth in a typical week: the grade's best
premieres (per course at most one a day, its weekly cap and the screen-time cap), then reruns
of them at the rerun weight. A period lies inside the grade's band hours and a window on every
lesson weekday, and is as long as the grade's longest lesson. The weekly grid then proves its
week optimal for these periods (:mod:`scheduler.solver.grid`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

from constraints.specials import lesson_day_share
from scheduler.domain.model import Scenario, Special, TimeRange, intersect
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.rooms import Period

#: Start times are multiples of this many minutes unless the scenario's own clock times need
#: a finer lattice (then the finest of 5 minutes).
LATTICE = 10


def choose_periods(
    scenario: Scenario, *, seed: int = 0, budget: float = 5.0
) -> dict[int, tuple[Period, ...]]:
    """Every grade's periods in time order: the planner's where fixed, else the MIP's."""
    chosen: dict[int, tuple[Period, ...]] = {}
    free: list[int] = []
    for number in scenario.grade_numbers:
        plan = scenario.timetable.fixed_for(number)
        if plan is None:
            free.append(number)
            continue
        channel = plan.channel or scenario.channels_of(number)[0].id
        chosen[number] = _numbered([(channel, span) for span in plan.spans])
    if free:
        chosen |= _solve(scenario, free, chosen, seed=seed, budget=budget)
    return chosen


def reference_days(scenario: Scenario) -> tuple[date, ...]:
    """One date for each lesson weekday, for reading the weekly windows: the horizon's first
    occurrence of the weekday that no dated window or outage changes (those are the day's
    deviation, not the timetable's), else the first date after the horizon with that weekday."""
    days: dict[int, date] = {}
    for day in scenario.days:
        weekday = day.weekday()
        lesson = weekday in scenario.calendar.lesson_weekdays
        if lesson and weekday not in days and _plain(scenario, day):
            days[weekday] = day
    after = scenario.horizon.last + timedelta(days=1)
    for weekday in scenario.calendar.lesson_weekdays:
        days.setdefault(weekday, after + timedelta(days=(weekday - after.weekday()) % 7))
    return tuple(days[w] for w in sorted(days))


def _plain(scenario: Scenario, day: date) -> bool:
    """Whether every channel airs its weekly windows on ``day`` (no dated window, no outage)."""
    return not any(
        day in window.dates or any(outage.covers(day) for outage in channel.outages)
        for channel in scenario.channels
        for window in channel.windows
    )


def _length(scenario: Scenario, grade: int) -> int:
    """A period's minutes: the grade's longest lesson (its band's limit if it has none)."""
    longest = max(
        (lesson.minutes for course in scenario.courses_of(grade) for lesson in course.remaining),
        default=0,
    )
    return longest or scenario.band_of(grade).max_lesson_minutes


def _lattice(scenario: Scenario) -> int:
    numbers = [LATTICE, scenario.rules.rest.minutes]
    numbers += [_length(scenario, g) for g in scenario.grade_numbers]
    for channel in scenario.channels:
        for window in channel.windows:
            numbers += [window.span.start, window.span.end]
    for band in scenario.bands:
        numbers += [m for hours in band.hours for m in (hours.start, hours.end)]
    for cohort in scenario.cohorts:
        numbers += [cohort.window.start, cohort.window.end]
    step = math.gcd(*numbers)
    return step if step >= 5 else 5


def _starts(
    scenario: Scenario, grade: int, channel_id: str, length: int, step: int, days: tuple[date, ...]
) -> list[int]:
    """Lattice starts at which a period of ``length`` fits the grade's hours on the channel on
    every reference lesson day (on any of them when no start fits all)."""
    channel = scenario.channel(channel_id)
    fits: dict[int, int] = defaultdict(int)
    for day in days:
        for piece in scenario.lesson_hours(grade, channel, day):
            first = -(-piece.start // step) * step
            for start in range(first, piece.end - length + 1, step):
                fits[start] += 1
    everywhere = sorted(s for s, count in fits.items() if count == len(days))
    return everywhere or sorted(fits)


def _minimum_periods(scenario: Scenario, grade: int) -> int:
    """Daily periods the grade's weekly subject minimums need in its shortest week (a holiday
    week has fewer lesson days to hold them)."""
    on_air = scenario.grade(grade).on_air
    courses = scenario.courses_of(grade)
    needed = 0
    for week in scenario.weeks():
        days = sum(1 for day in week if on_air(day) and scenario.is_lesson_day(day))
        if days:
            due = sum(min(scenario.min_per_week(course), days) for course in courses)
            needed = max(needed, math.ceil(due / days))
    return needed


def _needs_lesson_days(scenario: Scenario, special: Special, days: tuple[date, ...]) -> bool:
    """Whether a special's weekly quota needs lesson days in a typical week."""
    week = tuple(date.fromordinal(days[0].toordinal() - days[0].weekday() + i) for i in range(7))
    return lesson_day_share(scenario, special, week) > 0


def _audience_channels(scenario: Scenario, special: Special) -> list[str]:
    audience = special.grades or scenario.grade_numbers
    return [c.id for c in scenario.channels if any(c in scenario.channels_of(g) for g in audience)]


def _special_starts(
    scenario: Scenario, special: Special, channel_id: str, step: int, days: tuple[date, ...]
) -> list[int]:
    """Lattice starts of a daily block for the special on the channel, on every lesson day."""
    channel = scenario.channel(channel_id)
    fits: dict[int, int] = defaultdict(int)
    for day in days:
        spans = channel.spans_on(day)
        for piece in intersect(spans, special.hours) if special.hours else spans:
            first = -(-piece.start // step) * step
            for start in range(first, piece.end - special.minutes + 1, step):
                fits[start] += 1
    return sorted(s for s, count in fits.items() if count == len(days))


def _values(scenario: Scenario, grade: int, length: int, lesson_days: int) -> list[int]:
    """The worth of a grade's 1st, 2nd … daily period in a typical week, non-increasing."""
    premieres: list[int] = []
    per_day = scenario.rules.pace.per_day
    for course in scenario.courses_of(grade):
        count = min(scenario.per_week(course), per_day * lesson_days, len(course.remaining))
        lessons = course.remaining[:count]
        premieres += [premiere_rate(scenario, course) * lesson.minutes for lesson in lessons]
    premieres.sort(reverse=True)
    cap = scenario.band_of(grade).daily_cap_minutes // length
    slots = min(cap * lesson_days, len(premieres))
    kept = premieres[:slots]
    values = [sum(kept[i : i + lesson_days]) for i in range(0, len(kept), lesson_days)]
    if scenario.rules.reruns.mode != "off":
        rate = {c.id: rerun_rate(scenario, c) for c in scenario.courses_of(grade)}
        best = max(rate.values(), default=0) * length * lesson_days
        values += [best] * len(values)  # each premiere period may have a rerun period
    return sorted((v for v in values if v > 0), reverse=True)


def _solve(
    scenario: Scenario,
    grades: list[int],
    fixed: Mapping[int, tuple[Period, ...]],
    *,
    seed: int,
    budget: float,
) -> dict[int, tuple[Period, ...]]:
    step = _lattice(scenario)
    days = reference_days(scenario)
    rest = scenario.rules.rest.minutes
    columns: list[tuple[int, str, int, int]] = []  # grade, channel, start, length
    costs: list[float] = []
    counted: dict[int, list[int]] = {}
    for grade in grades:
        length = _length(scenario, grade)
        for option in scenario.channels_of(grade):
            for start in _starts(scenario, grade, option.id, length, step, days):
                columns.append((grade, option.id, start, length))
                # a whisker of preference for earlier periods makes the choice unique
                costs.append(-start / 10_000)
    periods = len(columns)
    reserved: dict[str, list[int]] = {}
    for special in scenario.specials:
        if not _needs_lesson_days(scenario, special, days):
            continue
        reserved[special.id] = []
        for channel_id in _audience_channels(scenario, special):
            for start in _special_starts(scenario, special, channel_id, step, days):
                reserved[special.id].append(len(columns))
                columns.append((0, channel_id, start, special.minutes))
                costs.append(0.0)
    unit = max(
        (v for g in grades for v in _values(scenario, g, _length(scenario, g), len(days))),
        default=1,
    )
    for grade in grades:
        values = _values(scenario, grade, _length(scenario, grade), len(days))
        counted[grade] = list(range(len(costs), len(costs) + len(values)))
        costs += [v / unit * 1000 for v in values]
    rows: list[tuple[float, float, list[int], list[float]]] = []
    wants: list[tuple[float, float, list[int], list[float]]] = []  # guarantees and minimums
    by_channel: dict[str, list[int]] = defaultdict(list)
    by_grade: dict[int, list[int]] = defaultdict(list)
    for index, (grade, channel, _, _) in enumerate(columns):
        by_channel[channel].append(index)
        if grade:
            by_grade[grade].append(index)
    for ids in reserved.values():
        rows.append((1, 1, ids, [1.0] * len(ids)))
    for channel, ids in by_channel.items():
        taken = [
            p.span for periods_of in fixed.values() for p in periods_of if p.channel == channel
        ]
        points = sorted({columns[i][2] for i in ids})
        for t in points:
            covering = [i for i in ids if columns[i][2] <= t < columns[i][2] + columns[i][3]]
            busy = 1 if any(span.start <= t < span.end for span in taken) else 0
            rows.append((-math.inf, 1 - busy, covering, [1.0] * len(covering)))
    for grade, ids in by_grade.items():
        for t in sorted({columns[i][2] for i in ids}):
            near = [i for i in ids if columns[i][2] <= t < columns[i][2] + columns[i][3] + rest]
            if len(near) > 1:
                rows.append((-math.inf, 1, near, [1.0] * len(near)))
        count = counted[grade]
        rows.append((0, 0, ids + count, [1.0] * len(ids) + [-1.0] * len(count)))
        needed = _minimum_periods(scenario, grade)
        if needed:
            wants.append((needed, math.inf, ids, [1.0] * len(ids)))
        for cohort in scenario.cohorts:
            if cohort.grade != grade or not cohort.guaranteed_minutes:
                continue
            inside = [
                i for i in ids if cohort.window.covers(columns[i][2], columns[i][2] + columns[i][3])
            ]
            length = _length(scenario, grade)
            wants.append(
                (
                    math.ceil(cohort.guaranteed_minutes / length),
                    math.inf,
                    inside,
                    [1.0] * len(inside),
                )
            )
    chosen = _run(rows + wants, costs, seed=seed, budget=budget)
    if chosen is None:
        # a guarantee or minimum no periods can hold: periods for the rest, and the week's
        # explanation names the conflict
        chosen = _run(rows, costs, seed=seed, budget=budget)
    if chosen is None:
        return {grade: () for grade in grades}
    result: dict[int, list[tuple[str, TimeRange]]] = defaultdict(list)
    for index in range(periods):
        if chosen[index] > 0.5:
            grade, channel, start, length = columns[index]
            result[grade].append((channel, TimeRange(start, start + length)))
    return {grade: _numbered(result.get(grade, [])) for grade in grades}


def _numbered(spans: list[tuple[str, TimeRange]]) -> tuple[Period, ...]:
    """Periods in time order, numbered 第1节, 第2节 …"""
    ordered = sorted(spans, key=lambda item: item[1].start)
    return tuple(
        Period(channel, span, number) for number, (channel, span) in enumerate(ordered, start=1)
    )


def _run(
    rows: list[tuple[float, float, list[int], list[float]]],
    costs: list[float],
    *,
    seed: int,
    budget: float,
) -> list[float] | None:
    """Solve the period MIP; the column values, or None when it has no solution."""
    import highspy
    import numpy as np

    from scheduler.solver.engine import NODES_PER_SECOND
    from scheduler.solver.highs import new_highs

    h = new_highs()
    # deterministic: a node budget ends the search; the clock is only a safety net
    h.setOptionValue("time_limit", float(max(budget, 1.0)) * 3)
    h.setOptionValue("mip_max_nodes", max(int(budget * NODES_PER_SECOND), 100))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-4)
    n = len(costs)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(costs, dtype=float))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    for low, high, ids, coefficients in rows:
        h.addRow(
            low, high, len(ids), np.array(ids, dtype=np.int32), np.array(coefficients, dtype=float)
        )
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    return list(h.getSolution().col_value)


__all__ = ["LATTICE", "choose_periods", "reference_days"]
