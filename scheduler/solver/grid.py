"""Stage one of a week: the grid. Which premieres, reruns and specials go into which room.

A column is "this course premieres on this day in this room" (likewise reruns and specials);
rows are the rules that do not need exact times: pace, caps, cohort guarantees, quotas,
rerun dayparts and delays, balance, and capacities. Capacities are Hall-type conditions: for
every stretch ``[a, b)`` between room boundaries of a window, the airings whose rooms lie
inside it fit in ``b − a`` minutes (per channel), and a grade's lessons there fit with their
rests. Every real schedule satisfies these rows, so the grid's optimum bounds the week's;
stage two (:mod:`scheduler.solver.sequence`) then gives each airing its minute, and when it keeps
everything the week is proven optimal.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from constraints.specials import daily_limit, quota
from constraints.subject_minimums import due
from scheduler.domain.facts import guarantee_days
from scheduler.domain.model import Course, Scenario, Special, TimeRange
from scheduler.domain.objective import balance_days, balance_rate, premiere_rate, rerun_rate
from scheduler.domain.rooms import (
    Period,
    Room,
    lesson_rooms,
    period_spans,
    special_rooms,
    stand_in_rooms,
    week_lessons,
    window_of,
)
from scheduler.domain.schedule import Kind

INF = math.inf
#: A premiere that keeps the weekly template counts this much in the template step, which runs
#: with the week's objective held at its optimum (so it only chooses among optimal weeks).
TEMPLATE_BONUS = 1

#: HiGHS search settings, chosen by measurement on the default week (docs/solver.md): over ten
#: seeds its two grid solves took 13.3 s on average (8.9–20.6 s) with HiGHS's defaults and
#: 8.6 s (6.5–11.9 s) without RENS, whose sub-MIPs at the root cost more than they find on
#: these grids, with cuts kept in the LP for 20 rounds instead of 10 and pseudocosts trusted
#: after 2 branchings instead of 8.
SEARCH_OPTIONS: dict[str, bool | int] = {
    "mip_heuristic_run_rens": False,
    "mip_lp_age_limit": 20,
    "mip_pscost_minreliable": 2,
}


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid column: up to ``upper`` airings of ``ref`` of ``length`` min in ``room``.

    ``order`` is set for a course whose lessons this week differ in length: the cell is then
    the course's ``order``-th premiere of the week (0 = its next lesson), or its rerun.
    """

    kind: Kind
    ref: str
    room: Room
    length: int
    grade: int | None
    upper: int
    order: int | None = None


@dataclass
class Grid:
    """The rows and columns of a week's grid model, ready for HiGHS."""

    scenario: Scenario
    week: tuple[date, ...]
    progress: dict[str, int]
    cells: list[Cell] = field(default_factory=list)
    cost: list[int] = field(default_factory=list)
    rows: list[tuple[float, float, list[int], list[int], str]] = field(default_factory=list)
    extras: list[tuple[int, int, int]] = field(default_factory=list)  # low, high, cost
    balance: bool = True  # False: without the balance columns and rows (coverage alone)
    #: The timetable's periods per grade: lessons go into them (template mode), or None for
    #: free placement anywhere in the lesson hours.
    periods: Mapping[int, tuple[Period, ...]] | None = None
    #: The weekly template to keep: (course, timetable weekday, period start) of premieres;
    #: a cell that keeps it earns ``bonus`` on top of its cost (a tie-breaker, not coverage).
    template: frozenset[tuple[str, int, int]] = frozenset()
    #: The part of the template learned on regular days, which binds on the ``regular``
    #: (grade, day) pairs as the regularity rule asks: a course with periods on that weekday
    #: premieres only in them.
    binding: frozenset[tuple[str, int, int]] = frozenset()
    regular: frozenset[tuple[int, date]] = frozenset()

    def __post_init__(self) -> None:
        self.premieres: dict[tuple[str, date], list[int]] = defaultdict(list)
        self.reruns: dict[tuple[str, date, int | None], list[int]] = defaultdict(list)
        self.ordered: dict[tuple[str, date, int | None], list[int]] = defaultdict(list)
        self.specials: dict[str, list[int]] = defaultdict(list)
        self.pinned = [p for p in self.scenario.pinned if p.day in self.week]
        self.balance_pairs: list[tuple[int, tuple[date, ...], int, int, int]] = []
        self.bonus: list[int] = []
        self.usage: list[tuple[int, list[int]]] = []  # a period-use column and its cells
        self.kept: dict[tuple[str, int], set[int]] = defaultdict(set)
        for ref, weekday, start in self.binding:
            self.kept[(ref, weekday)].add(start)
        for course in self.scenario.courses:
            self._course(course)
        for special in self.scenario.specials:
            self._special(special)
        self._rows()

    @property
    def size(self) -> int:
        return len(self.cells) + len(self.extras)

    def _cell(self, cell: Cell, cost: int) -> int:
        self.cells.append(cell)
        self.cost.append(cost)
        self.bonus.append(0)
        return len(self.cells) - 1

    def _extra(self, low: int, high: int, cost: int) -> int:
        self.extras.append((low, high, cost))
        return len(self.cells) + len(self.extras) - 1

    def _row(
        self, low: float, high: float, ids: list[int], coefficients: list[int], label: str
    ) -> None:
        if ids:
            self.rows.append((low, high, ids, coefficients, label))

    # -- columns ------------------------------------------------------------------------------
    def _course(self, course: Course) -> None:
        lengths = [lesson.minutes for lesson in week_lessons(self.scenario, course, self.progress)]
        budget = len(lengths)
        if not budget:
            return
        # equal lengths: any premiere may be any lesson (numbered in time order later);
        # else one set of cells per lesson, kept in order by the rows of :meth:`_order`
        orders: list[int | None] = [None] if len(set(lengths)) == 1 else list(range(budget))
        per_day = min(self.scenario.rules.pace.per_day, budget)
        mode = self.scenario.rules.reruns.mode
        for order in orders:
            length = lengths[order or 0]
            upper = per_day if order is None else 1
            for day in self.week:
                rooms = self._lesson_rooms(course.grade, day, length)
                weekday = self.scenario.calendar.timetable_weekday(day)
                allowed = self._bound_starts(course, day, weekday)
                for room in rooms:
                    if allowed is not None and room.start not in allowed:
                        continue
                    cell = Cell(
                        Kind.LESSON,
                        course.id,
                        room,
                        length,
                        course.grade,
                        1 if room.period else min(upper, room.minutes // length),
                        order,
                    )
                    index = self._cell(cell, premiere_rate(self.scenario, course) * length)
                    if (course.id, weekday, room.start) in self.template:
                        self.bonus[index] = TEMPLATE_BONUS
                    self.premieres[(course.id, day)].append(index)
                    self.ordered[(course.id, day, order)].append(index)
                if mode != "off" and (len({r.daypart for r in rooms}) > 1 or mode == "required"):
                    for room in rooms:
                        cell = Cell(
                            Kind.RERUN,
                            course.id,
                            room,
                            length,
                            course.grade,
                            1 if room.period else min(upper, room.minutes // length),
                            order,
                        )
                        self.reruns[(course.id, day, order)].append(
                            self._cell(cell, rerun_rate(self.scenario, course) * length)
                        )

    def _bound_starts(self, course: Course, day: date, weekday: int | None) -> set[int] | None:
        """The template periods a premiere of ``course`` must take on ``day``, or None when the
        template does not bind there (an exempt day, or no period learned yet)."""
        if weekday is None or (course.grade, day) not in self.regular:
            return None
        return self.kept.get((course.id, weekday))

    def _period_slots(self, special: Special, day: date) -> list[Room]:
        """A lesson day's periods a special may take for the day (a week with few days off
        has room for its quota there), inside its hours: one airing per period still holds."""
        spans = special_rooms(self.scenario, special, day)  # its hours in the day's windows
        assert self.periods is not None
        slots = {}
        for room in spans:
            for span in period_spans(self.scenario, self.periods, room.channel, day):
                if room.start <= span.start and span.end <= room.end:
                    slots[(room.channel, span.start)] = Room(
                        room.channel,
                        day,
                        span.start,
                        span.end,
                        room.shift,
                        self.scenario.rules.reruns.daypart(span.start),
                        frozenset(),
                        period=-1,
                    )
        return [slots[key] for key in sorted(slots)]

    def _lesson_rooms(self, grade: int, day: date, length: int) -> list[Room]:
        """Where a lesson of ``length`` of the grade may go that day: pieces of its lesson
        hours (free placement), or its periods; when the calendar takes one of its periods
        that day (a pin, a dated window), also the rooms it may move to for the day
        (:func:`scheduler.domain.rooms.stand_in_rooms`), a deviation the report shows."""
        if self.periods is None:
            return [
                r
                for r in lesson_rooms(self.scenario, grade, day)
                if r.minutes >= length and self._open(r, length)
            ]
        own = self.periods.get(grade, ())
        rooms = [
            r
            for r in lesson_rooms(self.scenario, grade, day, own)
            if r.minutes >= length and self._open(r, length)
        ]
        if len(rooms) == len(own):
            return rooms
        return rooms + [
            r
            for r in stand_in_rooms(self.scenario, grade, day, self.periods)
            if r.minutes >= length and self._open(r, length)
        ]

    def _open(self, room: Room, length: int) -> bool:
        """Whether some stretch of the room of ``length`` minutes is free of pinned items (a
        period's: the stretch at its start)."""
        if room.period:
            return not any(
                item.channel == room.channel
                and item.day == room.day
                and item.span.overlaps(TimeRange(room.start, room.start + length))
                for item in self.pinned
            )
        cursor = room.start
        for item in sorted(self.pinned, key=lambda p: p.span.start):
            if item.channel != room.channel or item.day != room.day:
                continue
            if item.span.start - cursor >= length and item.span.start <= room.end:
                return True
            if item.span.end > cursor:
                cursor = max(cursor, item.span.end)
        return room.end - cursor >= length

    def _special(self, special: Special) -> None:
        limit = daily_limit(special, self.week)
        for day in self.week:
            rooms = special_rooms(self.scenario, special, day, self.periods)
            if self.periods is not None:
                rooms += self._period_slots(special, day)
            for room in rooms:
                if room.minutes >= special.minutes and self._open(room, special.minutes):
                    cell = Cell(
                        Kind.SPECIAL,
                        special.id,
                        room,
                        special.minutes,
                        None,
                        min(limit, room.minutes // special.minutes),
                    )
                    self.specials[special.id].append(self._cell(cell, 0))

    # -- rows -------------------------------------------------------------------------------------
    def _rows(self) -> None:
        self._capacities()
        self._periods()
        self._minimums()
        self._pace()
        self._order()
        self._caps()
        self._cohorts()
        self._quotas()
        self._reruns()
        self._balance()

    def _capacities(self) -> None:
        self._rest_across_channels()
        self._window_capacities()

    def _window_capacities(self) -> None:
        """Hall-type capacity per channel window, and per grade with rests."""
        rest = self.scenario.rules.rest.minutes
        by_window: dict[tuple[str, date, int, int], list[int]] = defaultdict(list)
        for index, cell in enumerate(self.cells):
            window = window_of(self.scenario, cell.room)
            by_window[(cell.room.channel, cell.room.day, window.start, window.end)].append(index)
        for (channel, day, w_start, w_end), ids in by_window.items():
            blocked = [
                (p.span.start, p.span.end)
                for p in self.pinned
                if p.channel == channel and p.day == day and w_start <= p.span.start < w_end
            ]
            points = sorted(
                {
                    w_start,
                    w_end,
                    *(c for i in ids for c in (self.cells[i].room.start, self.cells[i].room.end)),
                }
            )
            # with periods, rooms that do not overlap need no common row: periods keep their
            # grade's rests, and a row across disjoint rooms is the sum of theirs
            cluster = _clusters(self.cells, ids) if self.periods is not None else None
            for a_index, a in enumerate(points):
                for b in points[a_index + 1 :]:
                    if cluster is not None and cluster(a) != cluster(b - 1):
                        break
                    inside = [
                        i
                        for i in ids
                        if a <= self.cells[i].room.start and self.cells[i].room.end <= b
                    ]
                    if not inside:
                        continue
                    free = (b - a) - sum(
                        min(e, b) - max(s, a) for s, e in blocked if s < b and a < e
                    )
                    self._row(
                        -INF,
                        free,
                        inside,
                        [self.cells[i].length for i in inside],
                        f"capacity {channel} {day} {a}-{b}",
                    )
                    self._rest_rows(inside, a, b, free, blocked, rest, channel, day)

    def _rest_across_channels(self) -> None:
        """A grade watching several channels needs its rests between them too: for every
        stretch ``[a, b)`` of the common time line between the grade's room boundaries that day,
        ``Σ (L + rest) ≤ (b − a) + rest`` over its lessons in rooms inside the stretch."""
        rest = self.scenario.rules.rest.minutes
        by_grade_day: dict[tuple[int, date], list[int]] = defaultdict(list)
        for index, cell in enumerate(self.cells):
            if cell.grade is not None:
                by_grade_day[(cell.grade, cell.room.day)].append(index)
        for (grade, day), ids in by_grade_day.items():
            if len({self.cells[i].room.channel for i in ids}) < 2:
                continue

            def line(minute: int, cell: Cell) -> int:
                return minute - cell.room.shift

            points = sorted(
                {
                    line(m, self.cells[i])
                    for i in ids
                    for m in (self.cells[i].room.start, self.cells[i].room.end)
                }
            )
            for a_index, a in enumerate(points):
                for b in points[a_index + 1 :]:
                    inside = [
                        i
                        for i in ids
                        if a <= line(self.cells[i].room.start, self.cells[i])
                        and line(self.cells[i].room.end, self.cells[i]) <= b
                    ]
                    if len(inside) > 1:
                        self._row(
                            -INF,
                            (b - a) + rest,
                            inside,
                            [self.cells[i].length + rest for i in inside],
                            f"rest across channels grade {grade} {day} {a}-{b}",
                        )

    def _rest_rows(
        self,
        inside: list[int],
        a: int,
        b: int,
        free: int,
        blocked: list[tuple[int, int]],
        rest: int,
        channel: str,
        day: date,
    ) -> None:
        """A grade's lessons in ``[a, b)`` need a gap of ``rest`` between each two; a gap is
        idle time unless another airing fills it, and one airing fills one gap:

            Σ_g (L + rest) + Σ_others (L − rest) ≤ (b − a) − pinned + rest · (1 + #pinned)

        Valid when every airing is at least ``rest`` long (else only the grade's own rests
        are counted)."""
        lengths_ok = all(self.cells[i].length >= rest for i in inside)
        pinned = [(s, e) for s, e in blocked if a <= s and e <= b]
        for grade in sorted({self.cells[i].grade for i in inside} - {None}):  # type: ignore[type-var]
            mine = [i for i in inside if self.cells[i].grade == grade]
            if len(mine) == 1 and self.cells[mine[0]].upper == 1:
                continue
            others = [i for i in inside if self.cells[i].grade != grade] if lengths_ok else []
            separators = sum(1 for s, e in pinned if e - s >= rest) if lengths_ok else 0
            self._row(
                -INF,
                free + rest * (1 + separators),
                mine + others,
                [self.cells[i].length + rest for i in mine]
                + [self.cells[i].length - rest for i in others],
                f"rest grade {grade} {channel} {day} {a}-{b}",
            )

    def _periods(self) -> None:
        """Template mode: one airing per period and day, and each course's premieres (and
        its reruns) at one period all week, so a course keeps its clock time."""
        if self.periods is None:
            return
        by_room: dict[tuple[str, date, int], list[int]] = defaultdict(list)
        by_course: dict[tuple[Kind, str, int], list[int]] = defaultdict(list)
        moved: dict[tuple[int | None, date], list[int]] = defaultdict(list)
        starts: dict[str, set[int]] = defaultdict(set)
        for of_grade in self.periods.values():
            for period in of_grade:
                starts[period.channel].add(period.span.start)
        for index, cell in enumerate(self.cells):
            room = cell.room
            if room.period > 0:
                by_room[(room.channel, room.day, room.start)].append(index)
                by_course[(cell.kind, cell.ref, room.start)].append(index)
            elif room.period < 0:  # another grade's period, or two back to back
                for start in starts[room.channel]:
                    if room.start <= start < room.end:
                        by_room[(room.channel, room.day, start)].append(index)
                moved[(cell.grade, room.day)].append(index)
        for (channel, day, start), ids in by_room.items():
            self._row(-INF, 1, ids, [1] * len(ids), f"period {channel} {day} {start}")
        self._stand_in_rests(moved)
        chosen: dict[tuple[Kind, str], list[int]] = defaultdict(list)
        for (kind, ref, _), ids in sorted(by_course.items()):
            column = self._extra(0, 1, 0)
            self.usage.append((column, ids))
            chosen[(kind, ref)].append(column)
            for i in ids:
                self._row(-INF, 0, [i, column], [1, -1], f"keeps period {ref} {i}")
        for (kind, ref), columns in chosen.items():
            self._row(-INF, 1, columns, [1] * len(columns), f"one period {kind} {ref}")

    def _stand_in_rests(self, moved: dict[tuple[int | None, date], list[int]]) -> None:
        """A lesson moved into another grade's period keeps its rest to the grade's others
        (fixed times, so pairwise by room): of two of its rooms closer than the rest, at most
        one holds an airing of the grade."""
        rest = self.scenario.rules.rest.minutes
        for (grade, day), ids in moved.items():
            if grade is None:  # specials in a period: no rest between them
                continue
            rooms: dict[tuple[str, int, int], list[int]] = defaultdict(list)
            for index, cell in enumerate(self.cells):
                if cell.grade == grade and cell.room.day == day and cell.room.period:
                    rooms[(cell.room.channel, cell.room.start, cell.room.end)].append(index)
            stand_ins = {
                (self.cells[i].room.channel, self.cells[i].room.start, self.cells[i].room.end)
                for i in ids
            }
            for a, b in itertools.combinations(sorted(rooms), 2):
                if a[0] != b[0] or not {a, b} & stand_ins:
                    continue
                longest = max(self.cells[i].length for i in rooms[a])
                if b[1] - (a[1] + longest) < rest:
                    both = rooms[a] + rooms[b]
                    self._row(-INF, 1, both, [1] * len(both), f"moved rest {grade} {day}")

    def _minimums(self) -> None:
        """Subject minimums: at least the week's due premieres of each course (the rule's own
        :func:`constraints.subject_minimums.due`)."""
        for course in self.scenario.courses:
            owed = due(self.scenario, course, self.week, self.progress)
            if owed > 0:
                ids = [i for day in self.week for i in self.premieres.get((course.id, day), [])]
                self.rows.append((owed, INF, ids, [1] * len(ids), f"minimum {course.id}"))

    def _pace(self) -> None:
        per_day = self.scenario.rules.pace.per_day
        for course in self.scenario.courses:
            ids = [i for day in self.week for i in self.premieres.get((course.id, day), [])]
            cap = len(week_lessons(self.scenario, course, self.progress))
            self._row(-INF, cap, ids, [1] * len(ids), f"pace {course.id}")
            for day in self.week:
                daily = self.premieres.get((course.id, day), [])
                self._row(-INF, per_day, daily, [1] * len(daily), f"per day {course.id} {day}")

    def _order(self) -> None:
        """Lessons of different lengths: each at most once, and lesson j+1 not before the
        day of lesson j (by day t, no more of j+1 aired than of j)."""
        orders = sorted({(ref, order) for ref, _, order in self.ordered if order is not None})
        for ref, order in orders:
            ids = [i for day in self.week for i in self.ordered.get((ref, day, order), [])]
            self._row(-INF, 1, ids, [1] * len(ids), f"once {ref} #{order}")
            if order == 0:
                continue
            later: list[int] = []
            earlier: list[int] = []
            for day in self.week:
                later += self.ordered.get((ref, day, order), [])
                earlier += self.ordered.get((ref, day, order - 1), [])
                self._row(
                    -INF,
                    0,
                    later + earlier,
                    [1] * len(later) + [-1] * len(earlier),
                    f"order {ref} #{order} by {day}",
                )

    def _caps(self) -> None:
        by_grade_day: dict[tuple[int, date], list[int]] = defaultdict(list)
        for (_, day), ids in self.premieres.items():
            for i in ids:
                grade = self.cells[i].grade
                assert grade is not None
                by_grade_day[(grade, day)].append(i)
        for special_id, ids in self.specials.items():
            for grade in self.scenario.special(special_id).grades:
                for i in ids:
                    by_grade_day[(grade, self.cells[i].room.day)].append(i)
        for (grade, day), ids in by_grade_day.items():
            cap = self.scenario.band_of(grade).daily_cap_minutes
            self._row(
                -INF, cap, ids, [self.cells[i].length for i in ids], f"cap grade {grade} {day}"
            )

    def _cohorts(self) -> None:
        for cohort in self.scenario.cohorts:
            for day in guarantee_days(self.scenario, cohort.id):
                if day not in self.week:
                    continue
                ids = [
                    i
                    for (_, d), cells in self.premieres.items()
                    if d == day
                    for i in cells
                    if self.cells[i].grade == cohort.grade
                    and cohort.id in self.cells[i].room.cohorts
                ]
                self.rows.append(
                    (
                        cohort.guaranteed_minutes,
                        INF,
                        ids,
                        [self.cells[i].length for i in ids],
                        f"cohort {cohort.id} {day}",
                    )
                )

    def _quotas(self) -> None:
        for special in self.scenario.specials:
            ids = self.specials.get(special.id, [])
            due = quota(special, self.week)
            self.rows.append((due, due, ids, [1] * len(ids), f"quota {special.id}"))
            limit = daily_limit(special, self.week)
            for day in self.week:
                daily = [i for i in ids if self.cells[i].room.day == day]
                self._row(-INF, limit, daily, [1] * len(daily), f"daily {special.id} {day}")

    def _reruns(self) -> None:
        required = self.scenario.rules.reruns.mode == "required"
        for key, rerun_ids in self.reruns.items():
            premiere_ids = self.ordered.get(key, [])
            self.rows.append(
                (
                    0 if required else -INF,
                    0,
                    rerun_ids + premiere_ids,
                    [1] * len(rerun_ids) + [-1] * len(premiere_ids),
                    f"rerun {key}",
                )
            )
            for i in rerun_ids:
                # each rerun in room i repeats its own premiere, from a room it can follow
                # (implied by the daypart rows below when it can follow every earlier one)
                sources = [p for p in premiere_ids if self._follows(p, i)]
                earlier = [
                    p
                    for p in premiere_ids
                    if self.cells[p].room.daypart < self.cells[i].room.daypart
                ]
                if len(sources) < len(earlier):
                    self._row(
                        -INF,
                        0,
                        [i, *sources],
                        [1] + [-1] * len(sources),
                        f"rerun source {key} {self.cells[i].room.label}",
                    )
            parts = sorted({self.cells[i].room.daypart for i in premiere_ids})
            for part in parts:
                later = [i for i in rerun_ids if self.cells[i].room.daypart == part]
                earlier = [
                    i
                    for i in premiere_ids
                    if self.cells[i].room.daypart < part and any(self._follows(i, j) for j in later)
                ]
                self._row(
                    -INF,
                    0,
                    later + earlier,
                    [1] * len(later) + [-1] * len(earlier),
                    f"rerun order {key} {part}",
                )
                same = [i for i in premiere_ids + rerun_ids if self.cells[i].room.daypart == part]
                self._row(
                    -INF,
                    self.scenario.rules.pace.per_day,
                    same,
                    [1] * len(same),
                    f"rerun daypart {key} {part}",
                )

    def _follows(self, premiere: int, rerun: int) -> bool:
        """Whether a rerun in cell ``rerun``'s room can follow a premiere in ``premiere``'s:
        a later daypart, starting 0..within minutes after the premiere ends (on the UTC line)."""
        first, then = self.cells[premiere].room, self.cells[rerun].room
        length = self.cells[premiere].length
        gap_min = (then.start - then.shift) - (first.end - first.shift)
        gap_max = (then.end - then.shift - length) - (first.start - first.shift + length)
        within = self.scenario.rules.reruns.within_minutes
        return first.daypart < then.daypart and gap_min <= within and gap_max >= 0

    def _balance(self) -> None:
        rate = balance_rate(self.scenario)
        if not rate or not self.balance:
            return
        for grade in self.scenario.grade_numbers:
            days = balance_days(self.scenario, grade, self.week)
            if not days:
                continue
            lengths_of_grade = [
                c.length for c in self.cells if c.kind is Kind.LESSON and c.grade == grade
            ]
            # a grade's daily minutes are multiples of its lessons' common step, and so are
            # the busiest and quietest day: counting them in steps lets branching on them cut
            # the relaxation (measured: the balance step proves in far fewer nodes)
            step = math.gcd(*lengths_of_grade) if lengths_of_grade else 1
            top = self.scenario.band_of(grade).daily_cap_minutes // step
            high = self._extra(0, top, -rate * step)
            low = self._extra(0, top, rate * step)
            self.balance_pairs.append((grade, days, high, low, step))
            for day in days:
                ids = [
                    i
                    for (_, d), cells in self.premieres.items()
                    if d == day
                    for i in cells
                    if self.cells[i].grade == grade
                ]
                lengths = [self.cells[i].length for i in ids]
                self.rows.append(
                    (
                        0,
                        INF,
                        [high, *ids],
                        [step, *(-x for x in lengths)],
                        f"balance high {grade} {day}",
                    )
                )
                self.rows.append(
                    (
                        -INF,
                        0,
                        [low, *ids],
                        [step, *(-x for x in lengths)],
                        f"balance low {grade} {day}",
                    )
                )


def _clusters(cells: list[Cell], ids: list[int]) -> Callable[[int], int]:
    """A minute's cluster of overlapping rooms (-1 between clusters): the label of a point."""
    spans = sorted({(cells[i].room.start, cells[i].room.end) for i in ids})
    bounds: list[tuple[int, int]] = []
    for start, end in spans:
        if bounds and start < bounds[-1][1]:
            bounds[-1] = (bounds[-1][0], max(bounds[-1][1], end))
        else:
            bounds.append((start, end))

    def label(minute: int) -> int:
        return next((k for k, (a, b) in enumerate(bounds) if a <= minute < b), -1)

    return label


def extras_for(grid: Grid, values: list[int]) -> list[int]:
    """Values of the extra columns for ``values``: each grade's busiest and quietest day
    (balance) and which periods each course uses (template mode)."""
    extras = [0] * len(grid.extras)
    for column, ids in grid.usage:
        extras[column - len(grid.cells)] = int(any(values[i] for i in ids))
    for grade, days, high, low, step in grid.balance_pairs:
        daily = {day: 0 for day in days}
        for cell, count in zip(grid.cells, values, strict=True):
            if cell.kind is Kind.LESSON and cell.grade == grade and cell.room.day in daily:
                daily[cell.room.day] += cell.length * count
        extras[high - len(grid.cells)] = max(daily.values()) // step
        extras[low - len(grid.cells)] = min(daily.values()) // step
    return extras


class GridAnswer(NamedTuple):
    """What HiGHS made of a grid: its status, a value per cell (empty without a solution), the
    objective and proven bound in objective units, and the branch-and-bound nodes it used."""

    status: str
    values: list[int]
    objective: int
    bound: int
    nodes: int


def solve_grid_highs(
    grid: Grid,
    *,
    budget: float,
    seed: int,
    hint: list[int] | None = None,
    nodes: int | None = None,
    on_solution: Any = None,
    stop: Any = None,
    symmetry: bool = True,
) -> GridAnswer:
    """Solve the grid with HiGHS.

    Single-threaded, so the search is deterministic; ``nodes`` caps it deterministically,
    the time limit is the safety net.
    """
    import highspy
    import numpy as np

    if not grid.size:  # nothing to choose; HiGHS would only say "Empty"
        feasible = all(low <= 0 <= high for low, high, _, _, _ in grid.rows)
        return GridAnswer("Optimal" if feasible else "Infeasible", [], 0, 0, 0)
    h = new_highs()
    h.setOptionValue("time_limit", float(max(budget, 0.1)))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_detect_symmetry", symmetry)
    for option, value in SEARCH_OPTIONS.items():
        h.setOptionValue(option, value)
    if nodes is not None:
        h.setOptionValue("mip_max_nodes", int(nodes))
    n = grid.size
    lower = np.array([0.0] * len(grid.cells) + [float(low) for low, _, _ in grid.extras])
    upper = np.array(
        [float(c.upper) for c in grid.cells] + [float(high) for _, high, _ in grid.extras]
    )
    h.addVars(n, lower, upper)
    # Integer objective units reach 1e10; dividing by their common divisor keeps HiGHS well
    # scaled (badly scaled, it was seen to stall past its time limit).
    raw_costs = grid.cost + [cost for _, _, cost in grid.extras]
    unit = math.gcd(*raw_costs) or 1
    costs = np.array([cost // unit for cost in raw_costs], dtype=float)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for low, high, ids, coefficients, _ in grid.rows:
        low, high, coefficients = _reduced(low, high, coefficients)
        starts.append(len(indices))
        indices += ids
        values += coefficients
        lows.append(low)
        highs.append(high)
    h.addRows(
        len(grid.rows),
        np.array(lows, dtype=float),
        np.array(highs, dtype=float),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=float),
    )
    if hint is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in hint] + [float(v) for v in extras_for(grid, hint)]
        h.setSolution(solution)
    if on_solution is not None:
        h.cbMipImprovingSolution.subscribe(
            lambda event: on_solution(
                event.data_out.objective_function_value * unit, event.data_out.mip_dual_bound * unit
            )
        )
    if stop is not None:

        def interrupt(event: Any) -> None:
            if stop():
                event.data_in.user_interrupt = True

        h.cbMipInterrupt.subscribe(interrupt)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return GridAnswer(status, [], 0, 0, info.mip_node_count)
    column_values = h.getSolution().col_value
    cells = [round(v) for v in column_values[: len(grid.cells)]]
    bound = info.mip_dual_bound
    if math.isfinite(bound):
        proven = math.floor(bound + 1e-6) * unit
    else:  # stopped before any bound (e.g. Ctrl-C): the trivial one, every gain taken
        proven = sum(
            cost * upper
            for cost, upper in zip(
                raw_costs,
                [c.upper for c in grid.cells] + [high for _, high, _ in grid.extras],
                strict=True,
            )
            if cost > 0
        )
    return GridAnswer(
        status, cells, round(info.objective_function_value) * unit, proven, info.mip_node_count
    )


def _reduced(low: float, high: float, coefficients: list[int]) -> tuple[float, float, list[int]]:
    """A row of integer terms divided by their common divisor, bounds rounded inwards (exact
    for integer columns)."""
    divisor = math.gcd(*coefficients) if coefficients else 1
    if divisor <= 1 or (low == high and low % divisor):
        return low, high, coefficients
    return (
        low if low == -INF else math.ceil(low / divisor),
        high if high == INF else math.floor(high / divisor),
        [c // divisor for c in coefficients],
    )


def new_highs() -> Any:
    """A silent HiGHS instance (its first construction prints a banner on the C stdout)."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h
