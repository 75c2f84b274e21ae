"""Subject minimums: each course at least its minimum premieres a week, what the week allows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import EXACT_ENGINES, MONDAY, aired, course, school, solved, span

from constraints import subject_minimums
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Calendar, Cohort, Course, Holiday, Lesson, Pace
from scheduler.domain.schedule import Kind, Schedule

PHYSICS = course("phys", 12, 10, 40, subject="物理")
GAOKAO = Cohort("gaokao", "高考", 12, 0, span("08:00-09:00"), subjects=("物理",), min_per_week=2)


def week(**extra):  # type: ignore[no-untyped-def]
    """Two weeks from Monday 2020-02-17, grade 12 with physics; gaokao asks 2 a week."""
    extra.setdefault("cohorts", (GAOKAO,))
    return school(days=14, grades=(12,), courses=(PHYSICS,), **extra)


def weeks(subject):  # type: ignore[no-untyped-def]
    return subject.weeks()


def test_due_is_the_cohort_minimum_in_a_full_week() -> None:
    subject = week()
    assert subject_minimums.due(subject, PHYSICS, weeks(subject)[0]) == 2


def test_due_is_reduced_by_holidays_term_start_and_lessons_left() -> None:
    """Holidays Monday–Thursday leave one lesson day: 1 due. A term start on Friday: 1 due.
    A course with one lesson left (progress 9 of 10): 1 due. No minimum: 0 due."""
    off = Calendar(holidays=(Holiday("假", MONDAY, MONDAY + timedelta(days=3)),))
    assert subject_minimums.due(week(calendar=off), PHYSICS, weeks(week())[0]) == 1
    late = week(term_start=date(2020, 2, 21))
    assert subject_minimums.due(late, PHYSICS, weeks(late)[0]) == 1
    assert subject_minimums.due(week(), PHYSICS, weeks(week())[0], {"phys": 9}) == 1
    assert subject_minimums.due(week(cohorts=()), PHYSICS, weeks(week())[0]) == 0


def test_due_follows_the_pace() -> None:
    """per_week 1 caps the lessons a course may premiere, so at most 1 is due."""
    capped = week(pace=Pace(per_week=1, per_day=1))
    assert subject_minimums.due(capped, PHYSICS, weeks(capped)[0]) == 1


def test_course_minimum_without_cohort() -> None:
    own = Course(
        "art",
        12,
        "美术",
        "Art",
        tuple(Lesson(n, f"art {n}", 40) for n in (1, 2, 3)),
        min_per_week=1,
    )
    subject = school(days=7, grades=(12,), courses=(PHYSICS, own))
    assert subject.min_per_week(own) == 1
    assert subject_minimums.due(subject, own, subject.weeks()[0]) == 1


def test_checker_counts_premieres_per_week() -> None:
    """Week 1 has 2 physics lessons (met); week 2 has 1 (short by one)."""
    subject = week()
    schedule = Schedule(
        (
            aired(subject, "phys", "08:00", 40, day=0, grade=12),
            aired(subject, "phys", "08:00", 40, day=2, number=2, grade=12),
            aired(subject, "phys", "08:00", 40, day=8, number=3, grade=12),
        )
    )
    assert subject_minimums.violations(subject, schedule) == [
        Violation(
            "subject_minimums",
            None,
            date(2020, 2, 24),
            None,
            12,
            "phys",
            "物理 got 1 new lesson(s) in the week of 2020-02-24, at least 2 due",
        )
    ]


def test_checker_counts_progress_through_the_weeks() -> None:
    """Physics with 3 lessons left: 2 in week 1 leave 1, so week 2 owes only 1."""
    subject = school(
        days=14,
        grades=(12,),
        cohorts=(GAOKAO,),
        courses=(course("phys", 12, 3, 40, subject="物理"),),
    )
    schedule = Schedule(
        (
            aired(subject, "phys", "08:00", 40, day=0, grade=12),
            aired(subject, "phys", "08:00", 40, day=1, number=2, grade=12),
            aired(subject, "phys", "08:00", 40, day=7, number=3, grade=12),
        )
    )
    assert subject_minimums.violations(subject, schedule) == []
    assert len(subject_minimums.violations(subject, Schedule(schedule.programmes[:2]))) == 1


def test_invalid_parameters() -> None:
    with pytest.raises(ScenarioError, match="min_per_week must not be negative"):
        Cohort("k", "k", 12, 0, span("08:00-09:00"), min_per_week=-1)
    with pytest.raises(ScenarioError, match="min_per_week must not be negative"):
        course("x", 1, 1, 20).__class__(
            "x", 1, "数学", "Maths", (Lesson(1, "x", 20),), min_per_week=-1
        )
    with pytest.raises(ScenarioError, match="names subject '化学'"):
        week(cohorts=(Cohort("k", "k", 12, 0, span("08:00-09:00"), subjects=("化学",)),))


def test_interval_model_optimum_meets_the_minimum() -> None:
    """One 20-min slot a weekday; course a (weight 2) against b (weight 1). Free, a takes all
    five days (200 weighted min); b's minimum of 2 gives it two days: 3 × 40 + 2 × 20 = 160.
    Minimums of 3 each need 6 lessons in 5 slots: infeasible."""
    from dataclasses import replace

    from scheduler.domain.result import Status
    from scheduler.solver.cpsat_week import solve_interval_week

    def interval(minimum_a: int, minimum_b: int):  # type: ignore[no-untyped-def]
        courses = (
            replace(course("a", 1, 9, 20, weight=2.0), min_per_week=minimum_a),
            replace(course("b", 1, 9, 20, subject="语文"), min_per_week=minimum_b),
        )
        subject = school(days=7, windows=("08:00-08:20",), courses=courses)
        return solve_interval_week(subject, subject.weeks()[0], {}, budget=10, workers=1, seed=0)

    assert interval(0, 0).objective == 200 * 1_000_000
    answer = interval(0, 2)
    assert answer.status is Status.OPTIMAL
    assert answer.objective == 160 * 1_000_000
    assert sum(1 for p in answer.placed if p.ref == "b") == 2
    assert interval(3, 3).status is Status.INFEASIBLE


def minimums(minimum_a: int, minimum_b: int):  # type: ignore[no-untyped-def]
    """One 20-min slot a day for a school week; course a (weight 2) against b (weight 1),
    with the given weekly minimums."""
    from dataclasses import replace

    courses = (
        replace(course("a", 1, 9, 20, weight=2.0), min_per_week=minimum_a),
        replace(course("b", 1, 9, 20, subject="语文"), min_per_week=minimum_b),
    )
    return school(days=7, windows=("08:00-08:20",), courses=courses)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
@pytest.mark.parametrize(("minimum_b", "objective", "lessons_b"), [(0, 200, 0), (2, 160, 2)])
def test_optimum_meets_the_minimum(
    minimum_b: int, objective: int, lessons_b: int, engine: str
) -> None:
    """The whole solve: free, a takes all five lesson days (5 × 40 = 200 points); b's minimum
    of 2 gives it two of them (3 × 40 + 2 × 20 = 160)."""
    from scheduler.domain.result import Status

    result = solved(minimums(0, minimum_b), engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == objective
    assert result.schedule is not None
    assert sum(1 for p in result.schedule.of_kind(Kind.LESSON) if p.course == "b") == lessons_b


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_infeasible_twin(engine: str) -> None:
    """Minimums of 3 each need 6 lessons in the week's 5 slots: infeasible, and the
    explanation names both minimums."""
    from scheduler.domain.result import Status

    result = solved(minimums(3, 3), engine=engine)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "a at least 3 lesson(s)" in text and "b at least 3 lesson(s)" in text
