"""Lesson days: new lessons only on the calendar's school days."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ALL_DAYS, CHANNEL, EXACT_ENGINES, aired, course, scenario, school, solved, span

from constraints import lesson_days
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Calendar, Cohort, Holiday, Scenario, Timetable, Workday
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Schedule

COURSES = (course("c", 1, 10, 20),)
HOLIDAY = Holiday("假日", date(2020, 2, 19), date(2020, 2, 19))  # the Wednesday
MAKE_UP = Workday("补课", date(2020, 2, 23), 4)  # the Sunday follows Friday's timetable


def subject(calendar: Calendar | None = None) -> Scenario:
    """The week from Monday 2020-02-17, one grade-1 course, the given school calendar."""
    return scenario(days=7, courses=COURSES, calendar=calendar or Calendar())


def test_weekend_lesson_is_a_violation() -> None:
    """Monday to Friday are lesson days by default; Saturday (day 5) is not."""
    week = subject()
    found = lesson_days.violations(
        week,
        Schedule(
            (
                aired(week, "c", "08:00", 20, day=0),
                aired(week, "c", "08:00", 20, day=5, number=2),
            )
        ),
    )
    assert found == [
        Violation(
            "lesson_days",
            CHANNEL,
            date(2020, 2, 22),
            "08:00–08:20",
            1,
            "c",
            "new lesson c 第2课 on 2020-02-22: 周六 is not a lesson day",
        )
    ]


def test_rerun_on_weekend_is_no_violation() -> None:
    week = subject()
    assert (
        lesson_days.violations(
            week, Schedule((aired(week, "c", "08:00", 20, day=6, kind=Kind.RERUN),))
        )
        == []
    )


def test_holiday_and_make_up_day() -> None:
    """A lesson on the Wednesday holiday breaks the rule and names the holiday; one on the
    make-up Sunday keeps it, as does one on a Saturday made a lesson weekday."""
    week = subject(Calendar(holidays=(HOLIDAY,), workdays=(MAKE_UP,)))
    found = lesson_days.violations(
        week,
        Schedule(
            (
                aired(week, "c", "08:00", 20, day=2),
                aired(week, "c", "08:00", 20, day=6, number=2),
            )
        ),
    )
    assert [(v.day, v.message) for v in found] == [
        (date(2020, 2, 19), "new lesson c 第1课 on 2020-02-19: a holiday (假日)")
    ]
    six_days = subject(Calendar(lesson_weekdays=(0, 1, 2, 3, 4, 5)))
    assert (
        lesson_days.violations(six_days, Schedule((aired(six_days, "c", "08:00", 20, day=5),)))
        == []
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Calendar(lesson_weekdays=(7,)), "lesson_days are weekdays"),
        (lambda: Calendar(workdays=(Workday("x", date(2020, 2, 22), 5),)), "not a lesson day"),
        (
            lambda: Calendar(holidays=(HOLIDAY,), workdays=(Workday("x", date(2020, 2, 19), 0),)),
            "is a holiday",
        ),
        (lambda: Holiday("x", date(2020, 2, 20), date(2020, 2, 19)), "ends before it starts"),
        (lambda: Workday("x", date(2020, 2, 22), 9), "follows must be a weekday"),
    ],
)
def test_invalid_parameters(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError, match=message):
        make()


def interval_week(subject: Scenario):  # type: ignore[no-untyped-def]
    """The week solved by the CP-SAT interval model with every rule posted."""
    from scheduler.solver.cpsat_week import solve_interval_week

    return solve_interval_week(subject, subject.weeks()[0], {}, budget=10, workers=1, seed=0)


def test_interval_model_optimum_follows_the_calendar() -> None:
    """A 30-min window every day, one lesson a day: 7 lessons (140 min) when every day is a
    lesson day, 5 (100 min) Monday to Friday, 4 with the Wednesday holiday."""
    from builders import ALL_DAYS

    from scheduler.domain.result import Status

    for calendar, minutes in (
        (Calendar(lesson_weekdays=ALL_DAYS), 140),
        (Calendar(), 100),
        (Calendar(holidays=(HOLIDAY,)), 80),
    ):
        week = scenario(days=7, windows=("08:00-08:30",), courses=COURSES, calendar=calendar)
        answer = interval_week(week)
        assert answer.status is Status.OPTIMAL
        assert answer.objective == minutes * 1_000_000
        assert all(week.is_lesson_day(week.days[p.day_index]) for p in answer.placed)


def test_a_guarantee_on_a_day_without_lessons_is_waived() -> None:
    """A cohort guaranteed 20 min of lessons on Saturday: Saturday is no lesson day (school
    week), so the guarantee does not apply there and the week stays feasible, with no lesson
    on Saturday. (Guarantees follow the calendar, so lesson days alone make nothing
    infeasible.)"""
    from builders import school, span

    from scheduler.domain.model import Cohort
    from scheduler.domain.result import Status

    week = school(
        days=7,
        windows=("08:00-08:30",),
        courses=COURSES,
        timetable=Timetable("free"),
        cohorts=(Cohort("k", "k", 1, 20, span("08:00-08:30"), (5,)),),
    )
    answer = interval_week(week)
    assert answer.status is Status.OPTIMAL
    assert all(p.day_index < 5 for p in answer.placed if p.kind.value == "lesson")


@pytest.mark.parametrize("engine", EXACT_ENGINES)
@pytest.mark.parametrize(
    ("calendar", "minutes"),
    [
        (Calendar(lesson_weekdays=ALL_DAYS), 140),
        (Calendar(), 100),
        (Calendar(holidays=(HOLIDAY,)), 80),
        (Calendar(workdays=(MAKE_UP,)), 120),
    ],
)
def test_optimum_follows_the_calendar(calendar: Calendar, minutes: int, engine: str) -> None:
    """The whole solve (grid or interval model) on a 30-min window every day, one 20-min
    lesson a day: a lesson on each lesson day and none on another day: 7 every day, 5 Monday
    to Friday, 4 with the Wednesday holiday, 6 with the make-up Sunday."""
    week = scenario(days=7, windows=("08:00-08:30",), courses=COURSES, calendar=calendar)
    result = solved(week, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == minutes
    assert result.schedule is not None
    lessons = result.schedule.of_kind(Kind.LESSON)
    assert all(week.is_lesson_day(p.start.date()) for p in lessons)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_no_infeasible_twin_a_guarantee_follows_the_calendar(engine: str) -> None:
    """The rule's twin is feasible by design: a cohort guaranteed 20 min on Saturday, which is
    no lesson day, is waived there, so lesson days alone never make a week infeasible."""
    week = school(
        days=7,
        windows=("08:00-08:30",),
        courses=COURSES,
        timetable=Timetable("free"),
        cohorts=(Cohort("k", "k", 1, 20, span("08:00-08:30"), (5,)),),
    )
    result = solved(week, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 100
