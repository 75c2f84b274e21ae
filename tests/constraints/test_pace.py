"""Pace cap: at most N new lessons per course per week and one per day."""

from __future__ import annotations

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, Draft, course, scenario, solved

from constraints import pace
from scheduler.domain.model import Pace
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_respects_weekly_cap(engine: str) -> None:
    """3 days with room for 3 lessons a day, but per_week=2 and per_day=1: the optimum is
    2 lessons of 20 min = 40 points; without the cap it would be 3 (one per day)."""
    subject = scenario(
        days=3, courses=(course("c", 1, 10, 20, per_week=2),), windows=("08:00-09:00",)
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.LESSON)) == 2


def test_infeasible_twin() -> None:
    """A cohort guarantee of 40 min a day with per_day=1 and 20-min lessons of one course
    cannot hold: the pace forbids the second lesson."""
    from builders import span

    from scheduler.domain.model import Cohort

    subject = scenario(
        courses=(course("c", 1, 10, 20),),
        pace=Pace(per_week=7, per_day=1),
        cohorts=(Cohort("k", "k", 1, 40, span("08:00-09:00"), (0,)),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation


def test_checker_catches_two_lessons_a_day() -> None:
    subject = scenario(courses=(course("c", 1, 10, 20),))
    tz = subject.channel(CHANNEL).zone
    from datetime import datetime

    def at(h: int, m: int) -> datetime:
        return datetime(MONDAY.year, MONDAY.month, MONDAY.day, h, m, tzinfo=tz)

    schedule = Schedule(
        (
            Programme(
                at(8, 0),
                at(8, 20),
                CHANNEL,
                "c-l001",
                Kind.LESSON,
                "c 第1课",
                (1,),
                course="c",
                lesson=1,
            ),
            Programme(
                at(8, 30),
                at(8, 50),
                CHANNEL,
                "c-l002",
                Kind.LESSON,
                "c 第2课",
                (1,),
                course="c",
                lesson=2,
            ),
        )
    )
    found = pace.violations(subject, schedule)
    assert len(found) == 1
    assert "more than 1 new lesson" in found[0].message


def test_checker_catches_too_many_lessons_a_week() -> None:
    """per_week=2: premieres on Monday, Tuesday and Wednesday are one too many for ISO week 8
    (2020-02-17 is a Monday of week 8); Monday and Tuesday alone are fine."""
    subject = scenario(days=3, courses=(course("c", 1, 10, 20, per_week=2),))
    tz = subject.channel(CHANNEL).zone
    from datetime import datetime, timedelta

    def premiere(day: int) -> Programme:
        start = datetime(MONDAY.year, MONDAY.month, MONDAY.day, 8, tzinfo=tz) + timedelta(days=day)
        return Programme(
            start,
            start + timedelta(minutes=20),
            CHANNEL,
            f"c-l00{day + 1}",
            Kind.LESSON,
            f"c 第{day + 1}课",
            (1,),
            course="c",
            lesson=day + 1,
        )

    found = pace.violations(subject, Schedule(tuple(premiere(d) for d in range(3))))
    assert [v.message for v in found] == [
        "3 new lessons of c in ISO week 8, over the pace of 2 a week"
    ]
    assert pace.violations(subject, Schedule((premiere(0), premiere(1)))) == []


def test_greedy_asks_for_the_pace() -> None:
    """Two a week and one a day: a course with one premiere this week may air once more,
    but not on a day it already aired, nor after its second."""
    from builders import DAILY_PACE

    subject = scenario(courses=(course("a", 1, 5, 20, per_week=2),), pace=DAILY_PACE)
    a = subject.course("a")
    assert pace.allows(Draft(subject, aired={"a": 1}), a)
    assert not pace.allows(Draft(subject, aired={"a": 1}, premieres={"a": ["today"]}), a)
    assert not pace.allows(Draft(subject, aired={"a": 2}), a)
