"""Timetable regularity: periods, one set of periods a week, a course at its period."""

from __future__ import annotations

from datetime import date

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, aired, course, scenario, solved, span

from constraints import regularity
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import (
    Calendar,
    Cohort,
    Holiday,
    PeriodPlan,
    Pinned,
    Timetable,
    Workday,
)
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Schedule

COURSES = (course("a", 1, 10, 20), course("b", 1, 10, 20, subject="语文"))


def term(**extra):  # type: ignore[no-untyped-def]
    """Two weeks from Monday 2020-02-17, one grade, courses a and b, window 08:00–10:00, in
    template mode with lessons Monday to Friday."""
    extra.setdefault("timetable", Timetable())
    extra.setdefault("calendar", Calendar())
    return scenario(days=14, windows=("08:00-10:00",), courses=COURSES, **extra)


def messages(subject, *items) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{v.day} {v.message}" for v in regularity.violations(subject, Schedule(items))]


def test_same_times_every_day_and_week_hold() -> None:
    """a at 08:00 and b at 08:30 Monday to Friday of both weeks: a perfect timetable."""
    subject = term()
    items = [
        aired(subject, c, t, 20, day=d, number=n)
        for n, d in enumerate((0, 1, 2, 3, 4, 7, 8, 9, 10, 11), start=1)
        for c, t in (("a", "08:00"), ("b", "08:30"))
    ]
    assert messages(subject, *items) == []


def test_start_off_the_weeks_periods() -> None:
    """(b) Monday has 08:00 and 08:30; Tuesday's lesson at 09:00 is off them."""
    subject = term()
    assert messages(
        subject,
        aired(subject, "a", "08:00", 20, day=0),
        aired(subject, "b", "08:30", 20, day=0),
        aired(subject, "a", "09:00", 20, day=1, number=2),
    ) == [
        "2020-02-18 a 第2课 starts at 09:00, off the grade's periods this week "
        "(08:00, 08:30 on 2020-02-17)"
    ]


def test_course_keeps_its_period_week_to_week() -> None:
    """(c) a is at 08:00 on Monday of week 1 and at 08:30 on Monday of week 2 (b moved to
    08:00): each week alone is regular, but a changed its Monday period."""
    subject = term()
    found = messages(
        subject,
        aired(subject, "a", "08:00", 20, day=0),
        aired(subject, "b", "08:30", 20, day=0),
        aired(subject, "b", "08:00", 20, day=7, number=2),
        aired(subject, "a", "08:30", 20, day=7, number=2),
    )
    assert found == [
        "2020-02-24 a 第2课 starts at 08:30; the course's 周一 period is 08:00 (since 2020-02-17)",
        "2020-02-24 b 第2课 starts at 08:00; the course's 周一 period is 08:30 (since 2020-02-17)",
    ]


def test_fixed_periods() -> None:
    """(a) periods 08:00 and 08:40: a lesson at 08:20 breaks them, one at 08:40 keeps them."""
    fixed = Timetable(periods=(PeriodPlan((1,), (span("08:00-08:30"), span("08:40-09:10"))),))
    subject = term(timetable=fixed)
    assert messages(subject, aired(subject, "a", "08:20", 20)) == [
        "2020-02-17 a 第1课 starts at 08:20, not at one of the grade's periods (08:00, 08:40)"
    ]
    assert messages(subject, aired(subject, "a", "08:40", 20)) == []


def test_free_mode_has_no_regularity() -> None:
    subject = term(timetable=Timetable(mode="free"))
    assert (
        messages(
            subject,
            aired(subject, "a", "08:00", 20, day=0),
            aired(subject, "a", "09:00", 20, day=1, number=2),
        )
        == []
    )
    assert regularity.deviations(subject, Schedule(())) == []


@pytest.mark.parametrize(
    ("extra", "day", "reason"),
    [
        (
            {
                "calendar": Calendar(
                    holidays=(Holiday("假日", date(2020, 2, 19), date(2020, 2, 19)),)
                )
            },
            1,
            "假日所在周",
        ),
        (
            {"calendar": Calendar(workdays=(Workday("补课", date(2020, 2, 23), 1),))},
            6,
            "补课（调休，按周二课表）",
        ),
        (
            {"pinned": (Pinned("live", CHANNEL, date(2020, 2, 18), span("09:30-09:50"), "直播"),)},
            1,
            "固定节目：直播",
        ),
        ({"term_start": date(2020, 2, 18)}, 1, "开学周（2020-02-18 开课）"),
    ],
)
def test_calendar_days_are_exempt_and_reported(extra, day: int, reason: str) -> None:  # type: ignore[no-untyped-def]
    """The template is week 2's 08:00 and 08:30; a lesson at 09:00 on an irregular day of
    week 1 is a deviation, reported with its reason, not a violation."""
    subject = term(**extra)
    schedule = Schedule(
        (
            aired(subject, "a", "09:00", 20, day=day),
            aired(subject, "a", "08:00", 20, day=7, number=2),
            aired(subject, "b", "08:30", 20, day=7),
        )
    )
    assert regularity.violations(subject, schedule) == []
    listed = [d for d in regularity.deviations(subject, schedule) if d.grade == 1]
    assert [(d.day, d.reason, d.lessons) for d in listed] == [
        (date(2020, 2, 17 + day), reason, ("09:00 a 第1课",))
    ]


def test_template_starts_are_the_most_common_times() -> None:
    subject = term()
    schedule = Schedule(
        (
            aired(subject, "a", "08:00", 20, day=0),
            aired(subject, "b", "08:30", 20, day=0),
            aired(subject, "a", "08:00", 20, day=1, number=2),
            aired(subject, "b", "09:00", 20, day=1, number=2),
            aired(subject, "b", "08:30", 20, day=2, number=3),
        )
    )
    starts = [(a.day, a.start) for a in regularity._premieres(subject, schedule)[1]]
    assert regularity.template_starts(subject, 1, starts) == (480, 510)


def test_invalid_parameters() -> None:
    with pytest.raises(ScenarioError, match="timetable mode 'loose'"):
        Timetable(mode="loose")
    with pytest.raises(ScenarioError, match="overlap"):
        PeriodPlan((1,), (span("08:00-08:30"), span("08:20-08:50")))
    with pytest.raises(ScenarioError, match="the rest rule needs 10"):
        term(
            rest=10,
            timetable=Timetable(
                periods=(PeriodPlan((1,), (span("08:00-08:20"), span("08:25-08:45"))),)
            ),
        )
    with pytest.raises(ScenarioError, match="unknown grade 7"):
        term(timetable=Timetable(periods=(PeriodPlan((7,), (span("08:00-08:30"),)),)))
    assert MONDAY.weekday() == 0


def test_interval_model_starts_at_the_fixed_period() -> None:
    """Period 08:30–08:50 in a 08:00–09:00 window: the lesson starts at 08:30. A cohort asking
    40 min a day gets at most one lesson per period: infeasible, although two lessons would
    fit the window without the periods."""
    from builders import MONDAY as FIRST

    from scheduler.domain.model import Cohort
    from scheduler.domain.result import Status
    from scheduler.solver.cpsat_week import solve_interval_week

    fixed = Timetable(periods=(PeriodPlan((1,), (span("08:30-08:50"),)),))
    subject = scenario(windows=("08:00-09:00",), courses=COURSES, timetable=fixed)
    answer = solve_interval_week(subject, (FIRST,), {}, budget=10, workers=1, seed=0)
    assert answer.status is Status.OPTIMAL
    assert [p.start for p in answer.placed] == [510]  # one period: one lesson, at 08:30
    cohort = (Cohort("k", "k", 1, 40, span("08:00-09:00")),)
    free = scenario(windows=("08:00-09:00",), courses=COURSES, cohorts=cohort)
    assert (
        solve_interval_week(free, (FIRST,), {}, budget=10, workers=1, seed=0).status
        is Status.OPTIMAL
    )
    tight = scenario(windows=("08:00-09:00",), courses=COURSES, cohorts=cohort, timetable=fixed)
    assert (
        solve_interval_week(tight, (FIRST,), {}, budget=10, workers=1, seed=0).status
        is Status.INFEASIBLE
    )


FIXED = Timetable(periods=(PeriodPlan((1,), (span("08:30-08:50"),)),))
GUARANTEE_40 = (Cohort("k", "k", 1, 40, span("08:00-09:00")),)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_at_the_fixed_period(engine: str) -> None:
    """The whole solve with a planner's period 08:30–08:50 in a 08:00–09:00 window: one
    lesson (20 points) at 08:30, where freely both courses air (40)."""
    subject = scenario(windows=("08:00-09:00",), courses=COURSES, timetable=FIXED)
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20
    assert result.schedule is not None
    assert [f"{p.start:%H:%M}" for p in result.schedule.of_kind(Kind.LESSON)] == ["08:30"]
    free = scenario(windows=("08:00-09:00",), courses=COURSES)
    assert solved(free, engine=engine).objective == 40


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_infeasible_twin(engine: str) -> None:
    """A cohort asking 40 min a day gets at most one 20-min lesson in the one period:
    infeasible, although two lessons fit the window without the periods; the explanation
    names the guarantee."""
    tight = scenario(
        windows=("08:00-09:00",), courses=COURSES, cohorts=GUARANTEE_40, timetable=FIXED
    )
    result = solved(tight, engine=engine)
    assert result.status is Status.INFEASIBLE
    assert any("k guarantee 40 min on 2020-02-17" in line for line in result.explanation)
    loose = scenario(windows=("08:00-09:00",), courses=COURSES, cohorts=GUARANTEE_40)
    assert solved(loose, engine=engine).status is Status.OPTIMAL


def test_optimum_keeps_one_timetable() -> None:
    """Two school weeks, periods chosen by the solver: each course once a lesson day (pace
    one a day), 20 lessons of 20 min = 400 points, every course at one start time all
    fortnight (the checker's regularity holds: builders.solved)."""
    result = solved(term())
    assert result.status is Status.OPTIMAL
    assert result.objective == 400
    assert result.schedule is not None
    starts: dict[str, set[str]] = {}
    for lesson in result.schedule.of_kind(Kind.LESSON):
        starts.setdefault(lesson.course or "", set()).add(f"{lesson.start:%H:%M}")
    assert all(len(times) == 1 for times in starts.values()), starts
