"""What a scenario asks for, in figures a planner checks at a glance, and quick pre-checks.

The pre-checks find impossibilities that need no solver (a guarantee larger than its window);
the solver's explanation finds the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from constraints.specials import quota
from scheduler.analysis.minimums import shortfalls
from scheduler.domain.airtime import Stretch, unusable
from scheduler.domain.facts import guarantee_days, pace_allowance
from scheduler.domain.model import Course, Lesson, Scenario
from scheduler.domain.rooms import cohort_room, lesson_days, special_rooms


@dataclass(frozen=True, slots=True)
class ChannelAirtime:
    """A channel's broadcast minutes on each day of the horizon."""

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
    """A grade's lesson demand.

    ``weekly_pace_minutes``: one full week at the pace cap (per course: its longest remaining
    lesson × its weekly cap). ``lesson_days``: days from the grade's term start on which it has
    lesson hours on one of its channels. ``pace_minutes``: the remaining lessons the pace caps
    allow over those days, in minutes: what the grade could use if airtime were unlimited.
    """

    grade: int
    name_zh: str
    band: str
    courses: int
    lessons_left: int
    minutes_left: int
    weekly_pace_minutes: int
    daily_cap_minutes: int
    lesson_days: int
    pace_minutes: int = 0


@dataclass(frozen=True, slots=True)
class CohortNeed:
    """An exam cohort's guarantee: minutes a day, on ``days`` days of the horizon."""

    cohort: str
    name_zh: str
    grade: int
    guaranteed_minutes: int
    days: int
    window: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures ``skyclass validate`` prints, and the pre-check problems."""

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
    unusable: tuple[Stretch, ...] = ()

    @property
    def airtime_total(self) -> int:
        return sum(channel.total for channel in self.airtime)

    @property
    def demand_total(self) -> int:
        """Lesson minutes the grades could use at their pace over the horizon."""
        return sum(d.pace_minutes for d in self.demand)


def summarise(scenario: Scenario) -> Summary:
    """Airtime, demand and guarantees of a scenario, with the pre-check problems."""
    days = scenario.days
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
        open_days = lesson_days(scenario, grade.number)
        demand.append(
            GradeDemand(
                grade=grade.number,
                name_zh=grade.name_zh,
                band=band.id,
                courses=len(courses),
                lessons_left=sum(len(c.remaining) for c in courses),
                minutes_left=sum(lesson.minutes for c in courses for lesson in c.remaining),
                weekly_pace_minutes=sum(
                    _longest(c.remaining) * min(scenario.per_week(c), len(c.remaining))
                    for c in courses
                ),
                daily_cap_minutes=band.daily_cap_minutes,
                lesson_days=len(open_days),
                pace_minutes=sum(_pace_minutes(scenario, c) for c in courses),
            )
        )
    cohorts = tuple(
        CohortNeed(
            cohort=c.id,
            name_zh=c.name_zh,
            grade=c.grade,
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
        weeks=len(scenario.weeks()),
        airtime=airtime,
        demand=tuple(demand),
        cohorts=cohorts,
        special_minutes_per_week=sum(s.minutes * s.per_week for s in scenario.specials),
        problems=tuple(precheck(scenario)),
        unusable=unusable(scenario),
    )


def _longest(lessons: tuple[Lesson, ...]) -> int:
    return max((lesson.minutes for lesson in lessons), default=0)


def _pace_minutes(scenario: Scenario, course: Course) -> int:
    """Minutes of the course's next lessons its pace allows in the horizon."""
    return sum(lesson.minutes for lesson in course.remaining[: pace_allowance(scenario, course)])


def precheck(scenario: Scenario) -> list[str]:
    """Impossibilities found by arithmetic alone, one sentence each."""
    problems: list[str] = []
    for cohort in scenario.cohorts:
        name = f"cohort {cohort.id} ({cohort.name_zh})"
        band = scenario.band_of(cohort.grade)
        if cohort.guaranteed_minutes > band.daily_cap_minutes:
            problems.append(
                f"{name}: guarantee {cohort.guaranteed_minutes} min a day exceeds the "
                f"{band.daily_cap_minutes} min screen-time cap of band {band.id}"
            )
        reachable = sum(
            scenario.rules.pace.per_day * _longest(c.remaining)
            for c in scenario.courses_of(cohort.grade)
        )
        if cohort.guaranteed_minutes > reachable:
            problems.append(
                f"{name}: guarantee {cohort.guaranteed_minutes} min a day exceeds the "
                f"{reachable} min its courses can supply at {scenario.rules.pace.per_day} "
                "lesson(s) per course per day"
            )
        for day in guarantee_days(scenario, cohort.id):
            pieces = cohort_room(scenario, cohort.id, day)
            minutes = sum(piece.minutes for _, piece in pieces)
            if cohort.guaranteed_minutes > minutes:
                where = ", ".join(f"{ch} {piece.label}" for ch, piece in pieces) or "no window"
                problems.append(
                    f"{name}: guarantee {cohort.guaranteed_minutes} min on {day} cannot fit: "
                    f"its window {cohort.window.label} has {minutes} min of lesson airtime "
                    f"({where})"
                )
    for special in scenario.specials:
        for week in scenario.weeks():
            room = sum(r.minutes for day in week for r in special_rooms(scenario, special, day))
            need = quota(special, week, scenario) * special.minutes
            if need > room:
                problems.append(
                    f"special {special.id} needs {need} min in the week of {week[0]} but its "
                    f"hours offer {room} min on air"
                )
    for grade in scenario.grades:
        open_days = lesson_days(scenario, grade.number)
        longest = max(
            (
                piece.minutes
                for day in open_days
                for channel in scenario.channels_of(grade.number)
                for piece in scenario.lesson_hours(grade.number, channel, day)
            ),
            default=0,
        )
        courses = scenario.courses_of(grade.number)
        term_days = [day for day in scenario.days if day >= grade.term_start]
        if term_days and not open_days and any(c.remaining for c in courses):
            problems.append(
                f"grade {grade.number} ({grade.name_zh}): its band's hours never meet a "
                "broadcast window of its channels, so none of its lessons can air"
            )
        for course in courses:
            shortest = min((lesson.minutes for lesson in course.remaining), default=0)
            if open_days and shortest > longest:
                problems.append(
                    f"course {course.id}: no window of its grade's hours is long enough for "
                    f"a {shortest} min lesson (the longest is {longest} min)"
                )
    problems += [str(shortfall) for shortfall in shortfalls(scenario)]
    return problems
