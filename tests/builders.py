"""Tiny hand-built scenarios for solver and rule tests, small enough to reason about by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from scheduler.domain.model import (
    Balance,
    Band,
    Calendar,
    Channel,
    Cohort,
    Course,
    Filler,
    Grade,
    Horizon,
    Lesson,
    Pace,
    Pinned,
    Reruns,
    Rest,
    Rules,
    Scenario,
    SolverSettings,
    Special,
    TimeRange,
    Timetable,
    Window,
    parse_clock,
)
from scheduler.domain.result import Result, Status
from scheduler.domain.schedule import Kind, Programme

MONDAY = date(2020, 2, 17)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
CHANNEL = "tv.test"
DAILY_PACE = Pace(per_week=7, per_day=1)
NO_RERUNS = Reruns(mode="off")


def span(text: str) -> TimeRange:
    """``"08:00-09:00"`` → TimeRange."""
    start, end = text.split("-")
    return TimeRange(parse_clock(start), parse_clock(end))


def course(
    course_id: str,
    grade: int,
    lessons: int,
    minutes: int,
    *,
    weight: float = 1.0,
    per_week: int | None = None,
    progress: int = 0,
    subject: str = "数学",
) -> Course:
    return Course(
        id=course_id,
        grade=grade,
        subject=subject,
        subject_en="Subject",
        lessons=tuple(Lesson(n, f"{course_id} 第{n}课", minutes) for n in range(1, lessons + 1)),
        weight=weight,
        per_week=per_week,
        progress=progress,
    )


def band(
    band_id: str,
    grades: tuple[int, ...],
    *,
    max_lesson: int = 40,
    cap: int = 240,
    hours: tuple[str, ...] = ("00:00-24:00",),
    weight: float = 1.0,
) -> Band:
    return Band(
        band_id, band_id, band_id, grades, max_lesson, cap, tuple(span(h) for h in hours), weight
    )


def scenario(
    *,
    windows: tuple[str, ...] = ("08:00-09:00",),
    days: int = 1,
    bands: tuple[Band, ...] | None = None,
    grades: tuple[int, ...] = (1,),
    courses: tuple[Course, ...] = (),
    cohorts: tuple[Cohort, ...] = (),
    specials: tuple[Special, ...] = (),
    pinned: tuple[Pinned, ...] = (),
    rest: int = 0,
    pace: Pace = DAILY_PACE,
    reruns: Reruns = NO_RERUNS,
    balance: float = 0.0,
    term_start: date = MONDAY,
    channels: tuple[Channel, ...] | None = None,
    grade_channels: dict[int, tuple[str, ...]] | None = None,
    first: date = MONDAY,
    **extra: Any,
) -> Scenario:
    """One channel ``tv.test`` (Asia/Shanghai) with the given windows every day, from Monday
    2020-02-17 for ``days`` days; one band ``b`` holding every grade unless bands are given.

    Every day is a lesson day and lessons are placed freely (``timetable.mode = "free"``)
    unless ``calendar`` or ``timetable`` say otherwise: the rule tests reason about one rule at
    a time; tests/test_timetable.py covers periods and lesson days."""
    extra.setdefault("calendar", Calendar(lesson_weekdays=ALL_DAYS))
    extra.setdefault("timetable", Timetable(mode="free"))
    if channels is None:
        channels = (
            Channel(
                CHANNEL,
                "测试台",
                "Test TV",
                "Asia/Shanghai",
                tuple(Window(span(w), weekdays=ALL_DAYS) for w in windows),
            ),
        )
    return Scenario(
        name="tiny",
        title="tiny",
        horizon=Horizon(first, first + timedelta(days=days - 1)),
        channels=channels,
        bands=bands if bands is not None else (band("b", grades),),
        grades=tuple(Grade(g, term_start, (grade_channels or {}).get(g, ())) for g in grades),
        cohorts=cohorts,
        courses=courses,
        specials=specials,
        fillers=(
            Filler("eye", "眼保健操", "eye_exercise", 5),
            Filler("promo", "节目预告", "promo", 1, 30),
        ),
        pinned=pinned,
        rules=Rules(rest=Rest(rest), pace=pace, reruns=reruns, balance=Balance(balance)),
        solver=SolverSettings(time_limit=10, workers=1, seed=0),
        **extra,
    )


def school(**parts: Any) -> Scenario:
    """:func:`scenario` with the model's own defaults: lessons Monday to Friday, in periods."""
    parts.setdefault("calendar", Calendar())
    parts.setdefault("timetable", Timetable())
    return scenario(**parts)


#: The weekly engines a test can force: the grid (HiGHS, then the day sequencer; the normal
#: path), the interval model (CP-SAT; the fallback when the grid finds no placement) and the
#: greedy planner (the last resort when the interval model finds nothing either).
ENGINES = ("grid", "interval", "greedy")
#: The engines that prove a week's optimum (the greedy planner only plans one).
EXACT_ENGINES = ("grid", "interval")


@contextmanager
def forced(engine: str) -> Iterator[None]:
    """Solve weeks with ``engine``: the grid is made to find no placement (so the week falls
    back to the interval model), and for ``greedy`` the interval model too."""
    from unittest import mock

    from scheduler.solver.highs import GridAnswer
    from scheduler.solver.solve_types import WeekAnswer

    if engine == "grid":
        yield
        return
    nothing = GridAnswer("Time limit reached", [], 0, 0, 0)
    with mock.patch("scheduler.solver.engine.solve_grid_highs", return_value=nothing):
        if engine == "interval":
            yield
            return
        unknown = WeekAnswer(Status.UNKNOWN, (), 0, 0, 0.0)
        with mock.patch("scheduler.solver.cpsat_week.solve_interval_week", return_value=unknown):
            yield


def solved(subject: Scenario, time_limit: float = 10, engine: str = "grid") -> Result:
    """Solve (with the given weekly ``engine``, see :data:`ENGINES`) and insist on the
    independent checker agreeing with the solver."""
    from scheduler.analysis.checking import check
    from scheduler.solver.solving import solve

    with forced(engine):
        result = solve(subject, time_limit=time_limit, workers=1, seed=0)
    if result.status in (Status.OPTIMAL, Status.FEASIBLE):
        assert result.schedule is not None
        violations = check(subject, result.schedule)
        assert violations == [], violations
        assert result.objective is not None
        assert abs(result.schedule.objective(subject) - result.objective) < 1e-6
    return result


@dataclass
class Draft:
    """A hand-made greedy day (:class:`constraints.engine.Draft`) for asking a rule's
    ``allows``: what airs on each channel, each grade's lessons (real minutes), minutes,
    the day's and week's premieres and specials."""

    scenario: Scenario
    day: date = MONDAY
    busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    lessons: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    minutes: dict[int, int] = field(default_factory=dict)
    premieres: dict[str, list[Any]] = field(default_factory=dict)
    aired: dict[str, int] = field(default_factory=dict)
    specials: dict[str, int] = field(default_factory=dict)
    specials_aired: dict[str, int] = field(default_factory=dict)

    def real(self, channel: str, start: int, end: int) -> tuple[int, int]:
        shift = self.scenario.channel(channel).utc_shift(self.day, start)
        return start - shift, end - shift


def points(minutes: int, band_weight: float = 1.0, course_weight: float = 1.0) -> float:
    """Objective points of ``minutes`` of premieres."""
    return minutes * band_weight * course_weight


def at(subject: Scenario, clock: str, day: int = 0, channel: str = CHANNEL) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` (0 = Monday 2020-02-17)."""
    return subject.channel(channel).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def aired(
    subject: Scenario,
    course_id: str,
    start: str,
    minutes: int,
    *,
    day: int = 0,
    number: int = 1,
    grade: int = 1,
    kind: Kind = Kind.LESSON,
    channel: str = CHANNEL,
) -> Programme:
    """A hand-made premiere (or rerun) of lesson ``number`` of ``course_id`` on day ``day``."""
    first = at(subject, start, day, channel)
    suffix = "-r" if kind is Kind.RERUN else ""
    return Programme(
        first,
        first + timedelta(minutes=minutes),
        channel,
        f"{course_id}-{day}-l{number:03d}{suffix}",
        kind,
        f"{course_id} 第{number}课",
        (grade,),
        course=course_id,
        lesson=number,
    )


def filler_airing(
    subject: Scenario,
    item: str,
    start: str,
    minutes: int,
    *,
    day: int = 0,
    title: str | None = None,
    channel: str = CHANNEL,
) -> Programme:
    """A hand-made airing of filler ``item``."""
    first = at(subject, start, day, channel)
    return Programme(
        first,
        first + timedelta(minutes=minutes),
        channel,
        f"{channel}-{item}-{day}-{start.replace(':', '')}",
        Kind.FILLER,
        title or item,
        item=item,
    )
