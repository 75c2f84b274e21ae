"""Where things may air: the pieces of airtime ("rooms") open to a grade, a special or a rerun.

A room is a stretch of one channel's broadcast window on one day, cut to the band's suitable
hours and split at cohort-window and daypart boundaries, so that whether an airing counts
toward a guarantee, and which daypart it is in, is a property of its room. Pure Python; the
solver, the greedy baseline and the MIP peer all place airings into the same rooms.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from scheduler.domain.model import Channel, Course, Lesson, Scenario, Special, TimeRange, intersect

WEEK_MINUTES = 7 * 1440


@dataclass(frozen=True, slots=True)
class Room:
    """A piece of airtime ``[start, end)`` in wall-clock minutes of a channel's broadcast day.

    ``shift`` is the channel's UTC offset in minutes that day (constant inside a window, which
    may not cross a daylight-saving change), so ``axis`` places every channel on one time line.
    """

    channel: str
    day: date
    start: int
    end: int
    shift: int
    daypart: int
    cohorts: frozenset[str]
    period: int = 0  # the grade's period number (第N节) when the room is one; airs at its start

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def axis(self, minute: int, week_start: date) -> int:
        """Minutes on the week's common UTC-based line for a wall-clock minute of this room."""
        return (self.day - week_start).days * 1440 + minute - self.shift

    @property
    def label(self) -> str:
        return f"{self.channel} {self.day} {TimeRange(self.start, self.end).label}"


@dataclass(frozen=True, slots=True)
class Period:
    """A grade's numbered period (第N节): lessons of the grade start at ``span.start`` on
    ``channel`` on every lesson day."""

    channel: str
    span: TimeRange
    number: int


def _split(piece: TimeRange, cuts: list[int]) -> list[TimeRange]:
    points = sorted({piece.start, piece.end, *(c for c in cuts if piece.start < c < piece.end)})
    return [TimeRange(a, b) for a, b in itertools.pairwise(points)]


def _cuts(scenario: Scenario, grade: int | None) -> list[int]:
    cuts = [p.start for p in scenario.rules.reruns.dayparts]
    cuts += [p.end for p in scenario.rules.reruns.dayparts]
    for cohort in scenario.cohorts:
        if grade is None or cohort.grade == grade:
            cuts += [cohort.window.start, cohort.window.end]
    return cuts


def _rooms(
    scenario: Scenario,
    channel: Channel,
    day: date,
    pieces: tuple[TimeRange, ...],
    grade: int | None,
) -> list[Room]:
    rooms = []
    cohorts = [c for c in scenario.cohorts if grade is not None and c.grade == grade]
    for piece in pieces:
        for part in _split(piece, _cuts(scenario, grade)):
            rooms.append(
                Room(
                    channel=channel.id,
                    day=day,
                    start=part.start,
                    end=part.end,
                    shift=channel.utc_shift(day, part.start),
                    daypart=scenario.rules.reruns.daypart(part.start),
                    cohorts=frozenset(
                        c.id for c in cohorts if c.window.covers(part.start, part.end)
                    ),
                )
            )
    return rooms


def lesson_rooms(
    scenario: Scenario, grade: int, day: date, periods: tuple[Period, ...] | None = None
) -> list[Room]:
    """Rooms where a lesson (premiere or rerun) of ``grade`` may air on ``day``: pieces of its
    lesson hours, or with ``periods`` those of its periods that lie inside them that day."""
    if not scenario.grade(grade).on_air(day) or not scenario.is_lesson_day(day):
        return []
    rooms: list[Room] = []
    for channel in scenario.channels_of(grade):
        hours = scenario.lesson_hours(grade, channel, day)
        if periods is None:
            rooms += _rooms(scenario, channel, day, hours, grade)
            continue
        cohorts = [c for c in scenario.cohorts if c.grade == grade]
        for period in periods:
            span = period.span
            if period.channel != channel.id or not any(
                h.covers(span.start, span.end) for h in hours
            ):
                continue
            rooms.append(
                Room(
                    channel=channel.id,
                    day=day,
                    start=span.start,
                    end=span.end,
                    shift=channel.utc_shift(day, span.start),
                    daypart=scenario.rules.reruns.daypart(span.start),
                    cohorts=frozenset(
                        c.id for c in cohorts if c.window.covers(span.start, span.end)
                    ),
                    period=period.number,
                )
            )
    return rooms


def stand_in_rooms(
    scenario: Scenario, grade: int, day: date, periods: Mapping[int, tuple[Period, ...]]
) -> list[Room]:
    """Where a grade's lesson may move for a day the calendar takes one of its periods: the
    other grades' periods inside its hours, alone or two back to back (``period`` -1: not its
    own, starting at the period), then the free pieces of its hours outside every period of
    the day (a lesson there does not cut into the fixed times around it)."""
    rooms: list[Room] = []
    others = [p for other, of_other in sorted(periods.items()) if other != grade for p in of_other]
    for room in lesson_rooms(scenario, grade, day, tuple(others)):
        rooms.append(replace(room, period=-1))
    # two back-to-back periods of other grades hold a longer lesson (an exam grade's 30 min)
    by_start = {(room.channel, room.start): room for room in rooms}
    for room in list(rooms):
        after = by_start.get((room.channel, room.end))
        if after is not None:
            rooms.append(replace(room, end=after.end))
    if not rooms and not lesson_rooms(scenario, grade, day):
        return []
    for channel in scenario.channels_of(grade):
        pieces = _outside(
            scenario.lesson_hours(grade, channel, day),
            period_spans(scenario, periods, channel.id, day),
        )
        rooms += _rooms(scenario, channel, day, pieces, grade)
    return rooms


def special_rooms(
    scenario: Scenario,
    special: Special,
    day: date,
    periods: Mapping[int, tuple[Period, ...]] | None = None,
) -> list[Room]:
    """Rooms where a special may air: any channel of its audience, inside its hours; with a
    timetable's ``periods``, outside the periods of the day's lessons."""
    rooms: list[Room] = []
    audience = special.grades or scenario.grade_numbers
    for channel in scenario.channels:
        if not any(channel in scenario.channels_of(g) for g in audience):
            continue
        spans = channel.spans_on(day)
        pieces = intersect(spans, special.hours) if special.hours else spans
        if periods is not None:
            pieces = _outside(pieces, period_spans(scenario, periods, channel.id, day))
        rooms += _rooms(scenario, channel, day, pieces, None)
    return rooms


def period_spans(
    scenario: Scenario, periods: Mapping[int, tuple[Period, ...]], channel: str, day: date
) -> tuple[TimeRange, ...]:
    """The periods that may hold a lesson on ``channel`` that day (lesson days, grades whose
    term has started), in time order."""
    if not scenario.is_lesson_day(day):
        return ()
    spans = {
        period.span
        for number, of_grade in periods.items()
        if scenario.grade(number).on_air(day)
        for period in of_grade
        if period.channel == channel
    }
    return tuple(sorted(spans, key=lambda span: span.start))


def _outside(pieces: tuple[TimeRange, ...], taken: tuple[TimeRange, ...]) -> tuple[TimeRange, ...]:
    """The parts of ``pieces`` that no range of ``taken`` covers."""
    result: list[TimeRange] = []
    for piece in pieces:
        cursor = piece.start
        for span in taken:
            if span.end <= cursor or span.start >= piece.end:
                continue
            if span.start > cursor:
                result.append(TimeRange(cursor, span.start))
            cursor = max(cursor, span.end)
        if cursor < piece.end:
            result.append(TimeRange(cursor, piece.end))
    return tuple(result)


def window_of(scenario: Scenario, room: Room) -> TimeRange:
    """The channel window a room lies in (rooms are cut from windows, so there is one)."""
    for span in scenario.channel(room.channel).spans_on(room.day):
        if span.covers(room.start, room.end):
            return span
    raise AssertionError(f"room {room.label} lies in no window")


def channel_spans(scenario: Scenario, day: date) -> list[tuple[Channel, TimeRange]]:
    """Every broadcast window of every channel on a day."""
    return [(c, span) for c in scenario.channels for span in c.spans_on(day)]


def cohort_room(scenario: Scenario, cohort_id: str, day: date) -> tuple[tuple[str, TimeRange], ...]:
    """Where the cohort's lessons may air on a day: channel windows ∩ band hours ∩ its window."""
    cohort = next(c for c in scenario.cohorts if c.id == cohort_id)
    room = []
    for channel in scenario.channels_of(cohort.grade):
        for piece in intersect(scenario.lesson_hours(cohort.grade, channel, day), (cohort.window,)):
            room.append((channel.id, piece))
    return tuple(room)


def lesson_days(scenario: Scenario, grade: int) -> tuple[date, ...]:
    """Lesson days of the calendar from the grade's term start on which a lesson of it could
    air on some channel."""
    on_air = scenario.grade(grade).on_air
    return tuple(
        day
        for day in scenario.days
        if on_air(day)
        and scenario.is_lesson_day(day)
        and any(scenario.lesson_hours(grade, c, day) for c in scenario.channels_of(grade))
    )


def week_lessons(
    scenario: Scenario, course: Course, progress: dict[str, int]
) -> tuple[Lesson, ...]:
    """The lessons a course may premiere in a week: the next ones after its ``progress``
    (lessons aired before the week), as many as its weekly pace allows."""
    done = progress.get(course.id, course.progress)
    return course.lessons[done : done + scenario.per_week(course)]


def paced_lessons(scenario: Scenario, course: Course) -> int:
    """How many premieres the pace rule lets the course have in the horizon, lessons left
    aside: per ISO week at most its weekly cap and ``per_day`` × the week's lesson days."""
    days = set(lesson_days(scenario, course.grade))
    per_week, per_day = scenario.per_week(course), scenario.rules.pace.per_day
    return sum(
        min(per_week, per_day * sum(1 for day in week if day in days)) for week in scenario.weeks()
    )
