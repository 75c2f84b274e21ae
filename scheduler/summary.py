"""What a scenario asks for, in figures a planner checks at a glance, and quick pre-checks.

The pre-checks find impossibilities that need no solver (a guarantee larger than its window);
the solver's explanation finds the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.model import Scenario, TimeRange, intersect


@dataclass(frozen=True, slots=True)
class ChannelAirtime:
    channel: str
    name_zh: str
    minutes_by_day: tuple[tuple[date, int], ...]

    @property
    def total(self) -> int:
        return sum(minutes for _, minutes in self.minutes_by_day)

    def per_week(self, weeks: int) -> float:
        return self.total / weeks if weeks else 0.0


@dataclass(frozen=True, slots=True)
class GradeDemand:
    grade: int
    name_zh: str
    band: str
    courses: int
    lessons_left: int
    minutes_left: int
    weekly_pace_minutes: int
    daily_cap_minutes: int
    lesson_days: int


@dataclass(frozen=True, slots=True)
class CohortNeed:
    cohort: str
    name_zh: str
    grade: int
    guaranteed_minutes: int
    days: int
    window: str


@dataclass(frozen=True, slots=True)
class Summary:
    scenario: str
    title: str
    first: date
    last: date
    weeks: int
    airtime: tuple[ChannelAirtime, ...]
    demand: tuple[GradeDemand, ...]
    cohorts: tuple[CohortNeed, ...]
    special_minutes_per_week: int
    problems: tuple[str, ...]

    @property
    def airtime_total(self) -> int:
        return sum(channel.total for channel in self.airtime)

    @property
    def demand_total(self) -> int:
        """Lesson minutes the grades could use at their pace over the horizon."""
        return sum(d.weekly_pace_minutes for d in self.demand) * self.weeks


def summarise(scenario: Scenario) -> Summary:
    days = scenario.days
    weeks = len(scenario.weeks())
    airtime = tuple(
        ChannelAirtime(
            channel=c.id,
            name_zh=c.name_zh,
            minutes_by_day=tuple((day, sum(s.minutes for s in c.spans_on(day))) for day in days),
        )
        for c in scenario.channels
    )
    demand = []
    for grade in scenario.grades:
        courses = scenario.courses_of(grade.number)
        band = scenario.band_of(grade.number)
        demand.append(GradeDemand(
            grade=grade.number,
            name_zh=grade.name_zh,
            band=band.id,
            courses=len(courses),
            lessons_left=sum(len(c.remaining) for c in courses),
            minutes_left=sum(lesson.minutes for c in courses for lesson in c.remaining),
            weekly_pace_minutes=sum(
                _typical_minutes(c.remaining) * min(scenario.per_week(c), len(c.remaining))
                for c in courses
            ),
            daily_cap_minutes=band.daily_cap_minutes,
            lesson_days=sum(1 for day in days if day >= grade.term_start),
        ))
    cohorts = tuple(
        CohortNeed(
            cohort=c.id, name_zh=c.name_zh, grade=c.grade,
            guaranteed_minutes=c.guaranteed_minutes,
            days=len(guarantee_days(scenario, c.id)),
            window=c.window.label,
        )
        for c in scenario.cohorts
    )
    return Summary(
        scenario=scenario.name,
        title=scenario.title,
        first=scenario.horizon.first,
        last=scenario.horizon.last,
        weeks=weeks,
        airtime=airtime,
        demand=tuple(demand),
        cohorts=cohorts,
        special_minutes_per_week=sum(s.minutes * s.per_week for s in scenario.specials),
        problems=tuple(precheck(scenario)),
    )


def _typical_minutes(lessons: tuple[object, ...]) -> int:
    lengths = [getattr(lesson, "minutes", 0) for lesson in lessons]
    return max(lengths, default=0)


def guarantee_days(scenario: Scenario, cohort_id: str) -> tuple[date, ...]:
    """Broadcast days on which a cohort's guarantee applies: its weekdays, from term start,
    on days when one of its grade's channels broadcasts."""
    cohort = next(c for c in scenario.cohorts if c.id == cohort_id)
    grade = scenario.grade(cohort.grade)
    return tuple(
        day for day in scenario.days
        if day.weekday() in cohort.weekdays and day >= grade.term_start
        and any(channel.spans_on(day) for channel in scenario.channels_of(cohort.grade))
    )


def cohort_room(scenario: Scenario, cohort_id: str, day: date) -> tuple[tuple[str, TimeRange], ...]:
    """Where the cohort's lessons may air on a day: channel windows ∩ band hours ∩ its window."""
    cohort = next(c for c in scenario.cohorts if c.id == cohort_id)
    room = []
    for channel in scenario.channels_of(cohort.grade):
        for piece in intersect(scenario.lesson_hours(cohort.grade, channel, day), (cohort.window,)):
            room.append((channel.id, piece))
    return tuple(room)


def precheck(scenario: Scenario) -> list[str]:
    """Impossibilities found by arithmetic alone, one sentence each."""
    problems: list[str] = []
    for cohort in scenario.cohorts:
        band = scenario.band_of(cohort.grade)
        if cohort.guaranteed_minutes > band.daily_cap_minutes:
            problems.append(
                f"{cohort.name_zh} guarantee {cohort.guaranteed_minutes} min a day exceeds the "
                f"{band.daily_cap_minutes} min screen-time cap of band {band.id}"
            )
        courses = scenario.courses_of(cohort.grade)
        reachable = sum(
            scenario.rules.pace.per_day * max((lesson.minutes for lesson in c.remaining), default=0)
            for c in courses
        )
        if cohort.guaranteed_minutes > reachable:
            problems.append(
                f"{cohort.name_zh} guarantee {cohort.guaranteed_minutes} min a day exceeds the "
                f"{reachable} min its courses can supply at {scenario.rules.pace.per_day} "
                "lesson(s) per course per day"
            )
        for day in guarantee_days(scenario, cohort.id):
            room = cohort_room(scenario, cohort.id, day)
            minutes = sum(piece.minutes for _, piece in room)
            if cohort.guaranteed_minutes > minutes:
                where = ", ".join(f"{ch} {piece.label}" for ch, piece in room) or "no window"
                problems.append(
                    f"{cohort.name_zh} guarantee {cohort.guaranteed_minutes} min on {day} cannot "
                    f"fit: its window {cohort.window.label} has {minutes} min on air ({where})"
                )
    for special in scenario.specials:
        for week in scenario.weeks():
            room = sum(
                piece.minutes
                for day in week
                for channel in scenario.channels
                for piece in intersect(channel.spans_on(day), special.hours or (
                    TimeRange(0, 2880),))
            )
            need = special.per_week * special.minutes
            if need > room:
                problems.append(
                    f"special {special.id} needs {need} min in the week of {week[0]} but its "
                    f"hours offer {room} min on air"
                )
    for grade in scenario.grades:
        for course in scenario.courses_of(grade.number):
            if course.remaining and min(l.minutes for l in course.remaining) > max(
                (p.minutes for c in scenario.channels_of(grade.number) for day in scenario.days
                 for p in scenario.lesson_hours(grade.number, c, day)), default=0
            ) and any(day >= grade.term_start for day in scenario.days):
                problems.append(
                    f"course {course.id}: no window of its grade's hours is long enough for "
                    f"a {min(l.minutes for l in course.remaining)} min lesson"
                )
    return problems
