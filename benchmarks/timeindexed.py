"""The benchmark's plain peer: a time-indexed MIP of one week, solved by HiGHS.

Every candidate airing (a premiere of a course on a day, its rerun, a special) gets one binary
per start time on the week's grid, in each room it may use; the grid step is the greatest
common divisor of every length, boundary and rest. Overlaps are clique rows at candidate starts
(per channel, and per grade with the rest added to each lesson). This is the textbook
formulation of the same rules; skyclass's own engine (scheduler/solver/engine.py) is measured
against it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from constraints.specials import daily_limit, quota
from scheduler.domain.model import Course, Scenario, Special
from scheduler.domain.objective import balance_days, balance_rate, premiere_rate, rerun_rate
from scheduler.domain.rooms import Room, lesson_rooms, special_rooms
from scheduler.domain.schedule import Kind

INF = math.inf


@dataclass(frozen=True, slots=True)
class Candidate:
    """One binary: an airing of ``ref`` starting at wall minute ``start`` in ``room``."""

    kind: Kind
    ref: str
    room: Room
    start: int
    length: int
    grade: int | None

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass
class SlotModel:
    """Columns, rows and objective of one week, ready for HiGHS."""

    scenario: Scenario
    week: tuple[date, ...]
    progress: dict[str, int]
    columns: list[Candidate] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    rows: list[tuple[float, float, list[int], list[float]]] = field(default_factory=list)
    extra_cost: list[float] = field(default_factory=list)  # continuous balance high/low columns

    def __post_init__(self) -> None:
        self.week_start = self.week[0]
        self.step = grid_step(self.scenario, self.week)
        self.pinned = [p for p in self.scenario.pinned if p.day in self.week]
        self.premieres: dict[tuple[str, date], list[int]] = defaultdict(list)
        self.reruns: dict[tuple[str, date], list[int]] = defaultdict(list)
        self.specials: dict[str, list[int]] = defaultdict(list)
        for course in self.scenario.courses:
            self._add_course(course)
        for special in self.scenario.specials:
            self._add_special(special)
        self._post_rows()

    # -- columns ----------------------------------------------------------------------------------
    def remaining(self, course: Course) -> int:
        return len(course.lessons) - self.progress.get(course.id, course.progress)

    def axis(self, room: Room, minute: int) -> int:
        return room.axis(minute, self.week_start)

    def _starts(self, room: Room, length: int) -> Iterable[int]:
        first = room.start + (-room.start) % self.step
        for start in range(first, room.end - length + 1, self.step):
            if not self._hits_pinned(room, start, start + length):
                yield start

    def _hits_pinned(self, room: Room, start: int, end: int) -> bool:
        return any(
            p.channel == room.channel
            and p.day == room.day
            and p.span.start < end
            and start < p.span.end
            for p in self.pinned
        )

    def _column(self, candidate: Candidate, cost: float) -> int:
        self.columns.append(candidate)
        self.cost.append(cost)
        return len(self.columns) - 1

    def _add_course(self, course: Course) -> None:
        remaining = self.remaining(course)
        if min(self.scenario.per_week(course), remaining) <= 0:
            return
        length = course.lessons[len(course.lessons) - remaining].minutes
        rate = premiere_rate(self.scenario, course)
        repeat = rerun_rate(self.scenario, course)
        mode = self.scenario.rules.reruns.mode
        for day in self.week:
            rooms = [
                r for r in lesson_rooms(self.scenario, course.grade, day) if r.minutes >= length
            ]
            for room in rooms:
                for start in self._starts(room, length):
                    candidate = Candidate(Kind.LESSON, course.id, room, start, length, course.grade)
                    self.premieres[(course.id, day)].append(self._column(candidate, rate * length))
            dayparts = {r.daypart for r in rooms}
            if mode != "off" and (len(dayparts) > 1 or mode == "required"):
                for room in rooms:
                    for start in self._starts(room, length):
                        candidate = Candidate(
                            Kind.RERUN, course.id, room, start, length, course.grade
                        )
                        self.reruns[(course.id, day)].append(
                            self._column(candidate, repeat * length)
                        )

    def _add_special(self, special: Special) -> None:
        for day in self.week:
            for room in special_rooms(self.scenario, special, day):
                for start in self._starts(room, special.minutes):
                    candidate = Candidate(
                        Kind.SPECIAL, special.id, room, start, special.minutes, None
                    )
                    self.specials[special.id].append(self._column(candidate, 0.0))

    # -- rows -------------------------------------------------------------------------------------
    def _row(self, low: float, high: float, columns: list[int], values: list[float]) -> None:
        if columns:
            self.rows.append((low, high, columns, values))

    def _post_rows(self) -> None:
        scenario = self.scenario
        rest = scenario.rules.rest.minutes
        self._cliques(lambda c: c.room.channel, lambda c: 0)
        self._cliques(lambda c: c.grade if c.kind is not Kind.SPECIAL else None, lambda c: rest)
        per_day = scenario.rules.pace.per_day
        for course in scenario.courses:
            columns = [i for day in self.week for i in self.premieres.get((course.id, day), [])]
            cap = min(scenario.per_week(course), self.remaining(course))
            self._row(-INF, cap, columns, [1.0] * len(columns))
            for day in self.week:
                ids = self.premieres.get((course.id, day), [])
                self._row(-INF, per_day, ids, [1.0] * len(ids))
        self._caps()
        self._cohorts()
        self._special_quotas()
        self._reruns()
        self._balance()

    def _cliques(self, group_of: Any, tail_of: Any) -> None:
        """At each candidate start, the candidates of a group covering it: at most one."""
        groups: dict[Any, list[tuple[int, int, int]]] = defaultdict(list)
        for index, c in enumerate(self.columns):
            key = group_of(c)
            if key is None:
                continue
            first = self.axis(c.room, c.start)
            groups[key].append((first, first + c.length + tail_of(c), index))
        for items in groups.values():
            items.sort()
            starts = sorted({first for first, _, _ in items})
            active: list[tuple[int, int, int]] = []
            position = 0
            previous: frozenset[int] | None = None
            for point in starts:
                while position < len(items) and items[position][0] <= point:
                    active.append(items[position])
                    position += 1
                active = [item for item in active if item[1] > point]
                members = frozenset(index for _, _, index in active)
                if (
                    len(members) > 1
                    and members != previous
                    and not (previous is not None and members <= previous)
                ):
                    ids = sorted(members)
                    self._row(-INF, 1.0, ids, [1.0] * len(ids))
                previous = members

    def _caps(self) -> None:
        by_grade_day: dict[tuple[int, date], list[int]] = defaultdict(list)
        for (_, day), ids in self.premieres.items():
            for i in ids:
                grade = self.columns[i].grade
                assert grade is not None
                by_grade_day[(grade, day)].append(i)
        for special_id, ids in self.specials.items():
            special = self.scenario.special(special_id)
            for grade in special.grades:
                for i in ids:
                    by_grade_day[(grade, self.columns[i].room.day)].append(i)
        for (grade, _), ids in by_grade_day.items():
            cap = self.scenario.band_of(grade).daily_cap_minutes
            self._row(-INF, cap, ids, [float(self.columns[i].length) for i in ids])

    def _cohorts(self) -> None:
        from scheduler.analysis.summary import guarantee_days

        for cohort in self.scenario.cohorts:
            for day in guarantee_days(self.scenario, cohort.id):
                if day not in self.week:
                    continue
                ids = [
                    i
                    for (course_id, d), columns in self.premieres.items()
                    if d == day
                    for i in columns
                    if self.columns[i].grade == cohort.grade
                    and cohort.id in self.columns[i].room.cohorts
                ]
                self.rows.append(
                    (
                        cohort.guaranteed_minutes,
                        INF,
                        ids,
                        [float(self.columns[i].length) for i in ids],
                    )
                )

    def _special_quotas(self) -> None:
        for special in self.scenario.specials:
            ids = self.specials.get(special.id, [])
            due = quota(special, self.week)
            self.rows.append((due, due, ids, [1.0] * len(ids)))
            limit = daily_limit(special, self.week)
            for day in self.week:
                daily = [i for i in ids if self.columns[i].room.day == day]
                self._row(-INF, limit, daily, [1.0] * len(daily))

    def _reruns(self) -> None:
        reruns = self.scenario.rules.reruns
        for key, rerun_ids in self.reruns.items():
            premiere_ids = self.premieres.get(key, [])
            required = reruns.mode == "required"
            self.rows.append(
                (
                    0.0 if required else -INF,
                    0.0,
                    rerun_ids + premiere_ids,
                    [1.0] * len(rerun_ids) + [-1.0] * len(premiere_ids),
                )
            )
            dayparts = sorted({self.columns[i].room.daypart for i in premiere_ids + rerun_ids})
            for part in dayparts:
                ids = [i for i in premiere_ids + rerun_ids if self.columns[i].room.daypart == part]
                self._row(-INF, 1.0, ids, [1.0] * len(ids))
            spread = max(self.columns[i].end for i in premiere_ids + rerun_ids) - min(
                self.columns[i].start for i in premiere_ids + rerun_ids
            )
            if reruns.within_minutes >= spread:
                # any premiere in an earlier daypart may precede a rerun: one row per daypart
                for part in dayparts:
                    later = [i for i in rerun_ids if self.columns[i].room.daypart == part]
                    earlier = [i for i in premiere_ids if self.columns[i].room.daypart < part]
                    self._row(
                        -INF, 0.0, later + earlier, [1.0] * len(later) + [-1.0] * len(earlier)
                    )
            else:
                for i in rerun_ids:
                    rerun = self.columns[i]
                    valid = [
                        j
                        for j in premiere_ids
                        if self.columns[j].room.daypart < rerun.room.daypart
                        and self.columns[j].end
                        <= rerun.start
                        <= self.columns[j].end + reruns.within_minutes
                    ]
                    self.rows.append((-INF, 0.0, [i, *valid], [1.0] + [-1.0] * len(valid)))

    def _balance(self) -> None:
        rate = balance_rate(self.scenario)
        if not rate:
            return
        for grade in self.scenario.grade_numbers:
            days = balance_days(self.scenario, grade, self.week)
            if not days:
                continue
            high = self._extra(-rate)
            low = self._extra(rate)
            for day in days:
                ids = [
                    i
                    for (course_id, d), columns in self.premieres.items()
                    if d == day
                    for i in columns
                    if self.columns[i].grade == grade
                ]
                lengths = [float(self.columns[i].length) for i in ids]
                self.rows.append((0.0, INF, [high, *ids], [1.0] + [-x for x in lengths]))
                self.rows.append((-INF, 0.0, [low, *ids], [1.0] + [-x for x in lengths]))

    def _extra(self, cost: float) -> int:
        """A continuous column after the candidates (balance high/low)."""
        self.extra_cost.append(cost)
        return len(self.columns) + len(self.extra_cost) - 1

    # -- HiGHS ------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.columns) + len(self.extra_cost)

    def highs(self, time_limit: float, seed: int, threads: int = 1) -> Any:
        import highspy

        from scheduler.solver.highs import new_highs

        h = new_highs()
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("random_seed", int(seed))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("threads", int(threads))
        n = self.size
        costs = np.array(self.cost + self.extra_cost, dtype=float)
        lower = np.zeros(n)
        upper = np.array([1.0] * len(self.columns) + [np.inf] * len(self.extra_cost))
        h.addVars(n, lower, upper)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        integer = np.arange(len(self.columns), dtype=np.int32)
        h.changeColsIntegrality(
            len(integer), integer, np.array([highspy.HighsVarType.kInteger] * len(integer))
        )
        starts, indices, values = [], [], []
        for _, _, columns, coefficients in self.rows:
            starts.append(len(indices))
            indices += columns
            values += coefficients
        h.addRows(
            len(self.rows),
            np.array([r[0] for r in self.rows], dtype=float),
            np.array([r[1] for r in self.rows], dtype=float),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=float),
        )
        return h


def grid_step(scenario: Scenario, week: tuple[date, ...]) -> int:
    """The largest step on which every start of a left-justified schedule lies."""
    numbers = [scenario.rules.rest.minutes]
    numbers += [lesson.minutes for course in scenario.courses for lesson in course.lessons]
    numbers += [special.minutes for special in scenario.specials]
    for day in week:
        for channel in scenario.channels:
            for span in channel.spans_on(day):
                numbers += [span.start, span.end]
    for band in scenario.bands:
        numbers += [h.start for h in band.hours] + [h.end for h in band.hours]
    for cohort in scenario.cohorts:
        numbers += [cohort.window.start, cohort.window.end]
    for special in scenario.specials:
        numbers += [h.start for h in special.hours] + [h.end for h in special.hours]
    numbers += [p.start for p in scenario.rules.reruns.dayparts]
    numbers += [p.span.start for p in scenario.pinned] + [p.span.end for p in scenario.pinned]
    step = 0
    for number in numbers:
        step = math.gcd(step, number)
    return max(step, 1)
