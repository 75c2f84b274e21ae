"""Exam cohorts: grade 9 and 12 get their guaranteed lesson minutes per day in their window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, course, scenario, solved, span

from constraints import cohorts
from constraints.base import Violation
from scheduler.domain.model import Cohort, Scenario, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

ZHONGKAO = Cohort("zhongkao", "中考", 9, 30, span("08:30-09:00"))


def at(subject: Scenario, clock: str, day: int = 0) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(CHANNEL).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def lesson(
    subject: Scenario,
    course_id: str,
    grade: int,
    start: str,
    end: str,
    *,
    kind: Kind = Kind.LESSON,
    day: int = 0,
) -> Programme:
    """A hand-made airing of lesson 1 of ``course_id``."""
    suffix = "-r" if kind is Kind.RERUN else ""
    return Programme(
        at(subject, start, day),
        at(subject, end, day),
        CHANNEL,
        f"{course_id}-l001{suffix}-{day}",
        kind,
        f"{course_id} 第1课",
        (grade,),
        course=course_id,
        lesson=1,
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_gives_way_to_the_guarantee(engine: str) -> None:
    """Window 08:00–09:00; three grade-1 courses of 20 min at weight 2 and one grade-9 course
    of 30 min at weight 1. Unguarded, the three primary lessons fill the hour: 3·20·2 = 120.
    The zhongkao guarantee (30 min in 08:30–09:00) forces the grade-9 lesson into the last half
    hour, leaving 08:00–08:30 for one 20-min primary lesson: 30 + 20·2 = 70 points."""
    courses = (
        course("p1", 1, 5, 20, weight=2),
        course("p2", 1, 5, 20, weight=2, subject="语文"),
        course("p3", 1, 5, 20, weight=2, subject="英语"),
        course("z", 9, 5, 30),
    )
    free = solved(scenario(grades=(1, 9), courses=courses), engine=engine)
    assert (free.status, free.objective) == (Status.OPTIMAL, 120)
    subject = scenario(grades=(1, 9), courses=courses, cohorts=(ZHONGKAO,))
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 70
    assert result.schedule is not None
    [z] = [p for p in result.schedule.of_kind(Kind.LESSON) if p.course == "z"]
    assert (z.start, z.end) == (at(subject, "08:30"), at(subject, "09:00"))


def test_infeasible_twin() -> None:
    """Grade 9 guaranteed 40 min in 08:30–09:00: two 20-min courses could give 40 min a day,
    but the cohort window has only 30 min on air."""
    subject = scenario(
        grades=(1, 9),
        courses=(course("z1", 9, 5, 20), course("z2", 9, 5, 20, subject="语文")),
        cohorts=(Cohort("zhongkao", "中考", 9, 40, span("08:30-09:00")),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "zhongkao" in text
    assert "2020-02-17" in text
    assert "08:30–09:00 has 30 min on air" in text


def test_checker_catches_short_day() -> None:
    """Only premieres inside the cohort window count: a rerun in it and a premiere before it
    do not, so grade 9 got 20 of its 30 min."""
    subject = scenario(
        grades=(9,), courses=(course("z", 9, 5, 20), course("y", 9, 5, 10)), cohorts=(ZHONGKAO,)
    )
    short = Schedule(
        (
            lesson(subject, "y", 9, "08:00", "08:10"),
            lesson(subject, "z", 9, "08:30", "08:50"),
            lesson(subject, "y", 9, "08:50", "09:00", kind=Kind.RERUN),
        )
    )
    assert cohorts.violations(subject, short) == [
        Violation(
            "cohorts",
            None,
            MONDAY,
            "08:30–09:00",
            9,
            None,
            "中考 got 20 min of lessons in 08:30–09:00, guaranteed 30 min",
        )
    ]
    enough = Schedule(
        (
            lesson(subject, "z", 9, "08:30", "08:50"),
            lesson(subject, "y", 9, "08:50", "09:00"),
        )
    )
    assert cohorts.violations(subject, enough) == []


def test_checker_only_on_guarantee_days() -> None:
    """The guarantee holds Monday to Friday by default: an empty Saturday is fine, an empty
    Friday is not."""
    subject = scenario(
        first=MONDAY + timedelta(days=4),
        days=2,
        grades=(9,),
        courses=(course("z", 9, 5, 30),),
        cohorts=(ZHONGKAO,),
    )
    found = cohorts.violations(subject, Schedule(()))
    assert [(v.day, v.message) for v in found] == [
        (MONDAY + timedelta(days=4), "中考 got 0 min of lessons in 08:30–09:00, guaranteed 30 min")
    ]
