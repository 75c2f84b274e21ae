"""Stage one of a week: the grid. Which premieres, reruns and specials go into which room.

A column (:class:`Cell`) is "this course premieres on this day in this room" (likewise reruns
and specials); the grid is the :class:`constraints.engine.LinearModel` the rules add their rows
to (each rule module's ``post_grid``): capacities, rests, periods, minimums, pace, order, caps,
cohort guarantees, quotas, rerun dayparts and delays, balance. Every real schedule satisfies
these rows, so the grid's optimum bounds the week's; HiGHS solves it
(:mod:`scheduler.solver.highs`) and stage two (:mod:`scheduler.solver.sequence`) gives each
airing its minute: when it keeps everything the week is proven optimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType

from constraints import (
    airtime,
    availability,
    balance,
    cohorts,
    course_order,
    pace,
    regularity,
    reruns,
    rest,
    screen_time,
    specials,
    subject_minimums,
)
from constraints.engine import LinearModel, Row
from constraints.specials import daily_limit
from scheduler.domain.model import Course, Scenario, Special, TimeRange
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.rooms import (
    Period,
    Room,
    lesson_rooms,
    period_spans,
    special_rooms,
    stand_in_rooms,
    week_lessons,
)
from scheduler.domain.schedule import Kind
from scheduler.solver.template import Held

#: The rules with rows of their own, in the order they are posted (after the capacities of
#: :meth:`Grid._rows`); each module's ``post_grid`` adds them.
GRID_RULES: tuple[ModuleType, ...] = (
    regularity,
    subject_minimums,
    pace,
    course_order,
    screen_time,
    cohorts,
    specials,
    reruns,
    balance,
    availability,
)
#: A premiere that keeps the weekly template counts this much in the template step, which runs
#: with the week's objective held at its optimum (so it only chooses among optimal weeks).
TEMPLATE_BONUS = 1


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
    rows: list[Row] = field(default_factory=list)
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
    #: premieres only in them, another only in a period the grade's template leaves empty
    #: (a 课表: each weekday's periods keep their course).
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
        #: extra columns added from outside (a re-plan's), with how a hint gives their value
        self.derived: list[tuple[int, Callable[[list[int]], int]]] = []
        self.held = Held.of(self.scenario, self.binding, self.regular)
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

    def extra(self, low: int, high: int, cost: int) -> int:
        self.extras.append((low, high, cost))
        return len(self.cells) + len(self.extras) - 1

    def row(
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
                for room in rooms:
                    if not self.held.allows(course.id, course.grade, day, weekday, room.start):
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

    # -- rows: each rule's posting for the grid, in a fixed order ------------------------------
    def _rows(self) -> None:
        rest.post_grid(self)
        for stretch in airtime.stretches(self):
            airtime.post_grid(self, stretch)
            rest.post_grid_stretch(self, stretch)
        for rule in GRID_RULES:
            rule.post_grid(self)


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
    for column, value in grid.derived:
        extras[column - len(grid.cells)] = value(values)
    return extras


def _conforms(grid: Grid) -> LinearModel:
    """The grid is the linear model the rules post onto (checked by mypy)."""
    return grid
