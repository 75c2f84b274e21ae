"""Course order: premieres are numbered in time order, continuing from the course's progress."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, course, scenario, solved, span

from constraints import course_order
from scheduler.domain.model import Cohort, Pace, Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, day: int, hour: int, minute: int) -> datetime:
    """An instant on day ``day`` (0 = Monday) in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(days=day, hours=hour, minutes=minute)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_continues_from_progress_in_time_order(engine: str) -> None:
    """Course a has 5 lessons of 20 min, 2 already aired (progress 2): only lessons 3, 4, 5
    are left. Three days of 60 min with up to 2 a day would hold 6, so the optimum is the 3
    left = 60 points; they must be numbered 3, 4, 5 in time order."""
    subject = scenario(
        days=3, pace=Pace(per_week=7, per_day=2), courses=(course("a", 1, 5, 20, progress=2),)
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 60
    assert result.schedule is not None
    premieres = sorted(result.schedule.of_kind(Kind.LESSON), key=lambda p: p.start)
    assert [p.lesson for p in premieres] == [3, 4, 5]
    assert [p.id for p in premieres] == ["a-l003", "a-l004", "a-l005"]
    assert [p.title for p in premieres] == [f"a 第{n}课" for n in (3, 4, 5)]


def test_two_lessons_a_day_keep_their_order() -> None:
    """Two courses of 20-min lessons, two a day each, in one 80-min window: 4 × 20 = 80 points,
    and each course's two premieres that day are lessons 1 then 2."""
    subject = scenario(
        windows=("08:00-09:20",),
        pace=Pace(per_week=7, per_day=2),
        courses=(course("a", 1, 5, 20), course("b", 1, 5, 20)),
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 80
    assert result.schedule is not None
    for course_id in ("a", "b"):
        mine = sorted(
            (p for p in result.schedule.of_kind(Kind.LESSON) if p.course == course_id),
            key=lambda p: p.start,
        )
        assert [p.lesson for p in mine] == [1, 2]


def test_infeasible_twin() -> None:
    """Order holds by construction (premieres are numbered as they air), so it cannot make a
    scenario infeasible alone. The closest case: each lesson airs once, so a course already
    at its last lesson (progress = 3 of 3) has nothing left, and a 20-min guarantee that only
    it could meet fails."""
    subject = scenario(
        courses=(course("a", 1, 3, 20, progress=3),),
        cohorts=(Cohort("k", "k", 1, 20, span("08:00-09:00"), (0,)),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation


def premiere(subject: Scenario, day: int, hour: int, lesson: int) -> Programme:
    return Programme(
        at(subject, day, hour, 0),
        at(subject, day, hour, 20),
        CHANNEL,
        f"a-l{lesson:03d}",
        Kind.LESSON,
        f"a 第{lesson}课",
        (1,),
        course="a",
        lesson=lesson,
    )


def test_checker_catches_lesson_out_of_order() -> None:
    subject = scenario(days=2, courses=(course("a", 1, 5, 20),))
    wrong = Schedule((premiere(subject, 0, 8, 2), premiere(subject, 1, 8, 1)))
    found = course_order.violations(subject, wrong)
    assert len(found) == 1
    assert "lesson 2 airs where lesson 1 is due" in found[0].message
    right = Schedule((premiere(subject, 0, 8, 1), premiere(subject, 1, 8, 2)))
    assert course_order.violations(subject, right) == []


def test_checker_catches_restart_ignoring_progress() -> None:
    """With 2 lessons aired before the horizon, lesson 1 again is out of order."""
    subject = scenario(courses=(course("a", 1, 5, 20, progress=2),))
    found = course_order.violations(subject, Schedule((premiere(subject, 0, 8, 1),)))
    assert len(found) == 1
    assert "lesson 3 is due" in found[0].message
    assert course_order.violations(subject, Schedule((premiere(subject, 0, 8, 3),))) == []


def test_checker_catches_unknown_lesson() -> None:
    subject = scenario(courses=(course("a", 1, 5, 20),))
    found = course_order.violations(subject, Schedule((premiere(subject, 0, 8, 6),)))
    assert len(found) == 1
    assert "has no lesson 6" in found[0].message
