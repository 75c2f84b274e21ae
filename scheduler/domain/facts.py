"""Facts derived from a schedule, each defined once: what the rules check, the coverage tables
count, the reports print and the solver's bookkeeping reports.

Pure domain code (no solver, no pandas), so it holds for hand-edited schedules too. An airing
is placed on its broadcast day by :func:`scheduler.domain.schedule.broadcast_day`; the other facts
take airings so placed.

``cohort minutes``
    per cohort and guarantee day, the minutes of its grade's premieres lying wholly inside the
    cohort window (an airing only partly inside counts nothing, as the guarantee rule says).
``pace allowance`` of a course
    ``min(remaining, Σ_weeks min(per_week, per_day × lesson days of the week))``.
``aired lessons`` of a course
    the distinct lesson numbers premiered in the horizon (a lesson aired twice counts once).
``unmet lessons``
    the lessons the pace allowed but that did not air: the next ones after the aired ones;
    :func:`unplaced` gives them per course with the rule that kept them out (``Result.unplaced``).
``dead air``
    window stretches of a channel's broadcast day that no airing covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scheduler.domain.model import Cohort, Course, Lesson, Scenario, TimeRange
from scheduler.domain.result import Unplaced
from scheduler.domain.rooms import lesson_days, paced_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day


def guarantee_days(scenario: Scenario, cohort_id: str) -> tuple[date, ...]:
    """Broadcast days on which a cohort's guarantee applies: lesson days following one of its
    weekdays' timetable (so not holidays, and make-up days too), from term start, on days when
    one of its grade's channels broadcasts."""
    cohort = next(c for c in scenario.cohorts if c.id == cohort_id)
    grade = scenario.grade(cohort.grade)
    return tuple(
        day
        for day in scenario.days
        if scenario.calendar.timetable_weekday(day) in cohort.weekdays
        and grade.on_air(day)
        and any(channel.spans_on(day) for channel in scenario.channels_of(cohort.grade))
    )


class OnDay(Protocol):
    """An airing placed on its broadcast day, with wall-clock minutes ``[start, end)``."""

    @property
    def programme(self) -> Programme: ...

    @property
    def day(self) -> date: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Placed:
    """An airing on its broadcast day, with wall-clock minutes ``[start, end)`` of that day."""

    programme: Programme
    day: date
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


def placed(scenario: Scenario, schedule: Schedule) -> list[Placed]:
    """The airings of ``schedule`` on their broadcast days inside the horizon (airings on
    unknown channels or other days are left out)."""
    horizon = set(scenario.days)
    found = []
    for programme in schedule:
        where = broadcast_day(scenario, programme)
        if where is not None and where[0] in horizon:
            found.append(Placed(programme, *where))
    return found


def counts_for_cohort(cohort: Cohort, airing: OnDay) -> bool:
    """Whether an airing counts toward a cohort's guarantee: a premiere of its grade lying
    wholly inside its window."""
    return (
        airing.programme.kind is Kind.LESSON
        and cohort.grade in airing.programme.grades
        and cohort.window.covers(airing.start, airing.end)
    )


def cohort_minutes(scenario: Scenario, airings: Iterable[OnDay]) -> dict[tuple[str, date], int]:
    """Per cohort and guarantee day: the minutes counting toward its guarantee."""
    airings = list(airings)
    minutes: dict[tuple[str, date], int] = {}
    for cohort in scenario.cohorts:
        inside: dict[date, int] = defaultdict(int)
        for airing in airings:
            if counts_for_cohort(cohort, airing):
                inside[airing.day] += airing.programme.minutes
        for day in guarantee_days(scenario, cohort.id):
            minutes[(cohort.id, day)] = inside[day]
    return minutes


def pace_allowance(scenario: Scenario, course: Course) -> int:
    """Lessons of a course the pace rule lets air in the horizon, airtime aside."""
    return min(len(course.remaining), paced_lessons(scenario, course))


def aired_lessons(airings: Iterable[OnDay]) -> dict[str, dict[int, int]]:
    """Per course: the lesson numbers premiered, with the minutes of their first airing."""
    aired: dict[str, dict[int, int]] = defaultdict(dict)
    for airing in airings:
        programme = airing.programme
        if programme.kind is Kind.LESSON and programme.course and programme.lesson:
            aired[programme.course].setdefault(programme.lesson, programme.minutes)
    return aired


def unmet_lessons(scenario: Scenario, course: Course, aired: int) -> tuple[Lesson, ...]:
    """The lessons the pace allowed in the horizon that did not air, given ``aired`` lessons
    of the course premiered: the ones that would have aired next."""
    allowed = pace_allowance(scenario, course)
    return course.remaining[aired:allowed] if aired < allowed else ()


def dead_air(scenario: Scenario, airings: Iterable[OnDay]) -> list[tuple[str, date, TimeRange]]:
    """Window stretches no airing covers, per channel and broadcast day of the horizon."""
    covered: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for airing in airings:
        covered[(airing.programme.channel, airing.day)].append((airing.start, airing.end))
    found = []
    for channel in scenario.channels:
        for day in scenario.days:
            pieces = sorted(covered.get((channel.id, day), []))
            for span in channel.spans_on(day):
                cursor = span.start
                for start, end in pieces:
                    if end <= cursor or start >= span.end:
                        continue
                    if start > cursor:
                        found.append((channel.id, day, TimeRange(cursor, start)))
                    cursor = max(cursor, end)
                if cursor < span.end:
                    found.append((channel.id, day, TimeRange(cursor, span.end)))
    return found


def unplaced(scenario: Scenario, schedule: Schedule) -> tuple[Unplaced, ...]:
    """Per course: lessons its pace allowed in the horizon that did not air
    (:func:`scheduler.domain.facts.unmet_lessons`, as in the course table), with the rule that kept
    them out (no room before term start, the screen-time cap, or airtime taken by programmes
    worth more)."""
    airings = placed(scenario, schedule)
    aired = aired_lessons(airings)
    grade_minutes: dict[tuple[int, date], int] = defaultdict(int)
    for airing in airings:
        if airing.programme.kind is Kind.LESSON:
            for grade in airing.programme.grades:
                grade_minutes[(grade, airing.day)] += airing.programme.minutes
    found = []
    for course in scenario.courses:
        missing = unmet_lessons(scenario, course, len(aired.get(course.id, {})))
        if not missing:
            continue
        days = lesson_days(scenario, course.grade)
        open_days = len(days)
        cap = scenario.band_of(course.grade).daily_cap_minutes
        length = missing[0].minutes
        capped_days = sum(1 for d in days if grade_minutes[(course.grade, d)] + length > cap)
        if open_days == 0:
            reason = "term start / time of day: no airtime open to the grade in the horizon"
        elif capped_days >= open_days:
            reason = "screen-time cap: the grade's days are full"
        else:
            reason = "airtime: the band's hours went to programmes worth more"
        found.append(
            Unplaced(
                course.grade,
                course.id,
                len(missing),
                sum(lesson.minutes for lesson in missing),
                reason,
            )
        )
    return tuple(found)


__all__ = [
    "OnDay",
    "Placed",
    "aired_lessons",
    "cohort_minutes",
    "counts_for_cohort",
    "dead_air",
    "guarantee_days",
    "pace_allowance",
    "placed",
    "unmet_lessons",
    "unplaced",
]
