"""Term start: before a grade's term starts it gets no lessons (specials still air)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, course, scenario, solved, span

from constraints import term_start
from scheduler.domain.model import Cohort, Grade, Pace, Scenario, Special
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

TUESDAY = MONDAY + timedelta(days=1)


def at(subject: Scenario, day: int, hour: int, minute: int) -> datetime:
    """An instant on day ``day`` (0 = Monday) in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(days=day, hours=hour, minutes=minute)


def grade2_from_tuesday(subject: Scenario) -> Scenario:
    """The same scenario with grade 1 starting Monday and grade 2 on Tuesday."""
    return subject.replace(
        grades=tuple(Grade(g.number, TUESDAY if g.number == 2 else MONDAY) for g in subject.grades)
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_skips_days_before_term_start(engine: str) -> None:
    """Monday and Tuesday, 60 min each, one 20-min lesson a day for each of g1 and g2. Both
    grades from Monday would give 4 × 20 = 80; with grade 2 starting Tuesday it loses its
    Monday lesson: 3 × 20 = 60 points, and nothing of grade 2 airs on Monday."""
    subject = grade2_from_tuesday(
        scenario(days=2, grades=(1, 2), courses=(course("g1", 1, 5, 20), course("g2", 2, 5, 20)))
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 60
    assert result.schedule is not None
    grade2 = [p for p in result.schedule.of_kind(Kind.LESSON) if p.grades == (2,)]
    assert [p.start.date() for p in grade2] == [TUESDAY]


def test_specials_air_before_term_start() -> None:
    """Only specials before the term: on Monday, before grade 2's term, its special still
    airs its quota (⌈7·1/7⌉ = 1 for a one-day horizon) but no lesson does: 0 points."""
    subject = grade2_from_tuesday(
        scenario(
            grades=(2,),
            courses=(course("g2", 2, 5, 20),),
            specials=(Special("sp", "防疫", "health", 10, 7, grades=(2,)),),
        )
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 0
    assert result.schedule is not None
    assert result.schedule.of_kind(Kind.LESSON) == ()
    assert [p.start.date() for p in result.schedule.of_kind(Kind.SPECIAL)] == [MONDAY]


def test_infeasible_twin() -> None:
    """Term start alone removes lesson airtime but cannot make a scenario infeasible: the
    cohort guarantees apply only from term start. The closest case: a 40-min guarantee on
    Monday and Tuesday with only 30 min of airtime; Monday (before term) is exempt, so the
    conflict named is the first term day, Tuesday."""
    subject = grade2_from_tuesday(
        scenario(
            days=2,
            grades=(2,),
            windows=("08:00-08:30",),
            pace=Pace(per_week=7, per_day=2),
            courses=(course("g2", 2, 5, 20),),
            cohorts=(Cohort("k", "k", 2, 40, span("08:00-09:00"), (0, 1)),),
        )
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation
    text = " ".join(result.explanation)
    assert TUESDAY.isoformat() in text
    assert MONDAY.isoformat() not in text


def test_guarantee_waived_before_term_start() -> None:
    """The same guarantee with enough airtime on Tuesday: feasible, Monday empty."""
    subject = grade2_from_tuesday(
        scenario(
            days=2,
            grades=(2,),
            pace=Pace(per_week=7, per_day=2),
            courses=(course("g2", 2, 5, 20),),
            cohorts=(Cohort("k", "k", 2, 40, span("08:00-09:00"), (0, 1)),),
        )
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40  # two 20-min lessons on Tuesday only
    assert result.schedule is not None
    assert {p.start.date() for p in result.schedule.of_kind(Kind.LESSON)} == {TUESDAY}


def lesson(subject: Scenario, day: int) -> Programme:
    return Programme(
        at(subject, day, 8, 0),
        at(subject, day, 8, 20),
        CHANNEL,
        "g2-l001",
        Kind.LESSON,
        "g2 第1课",
        (2,),
        course="g2",
        lesson=1,
    )


def test_checker_catches_lesson_before_term_start() -> None:
    subject = grade2_from_tuesday(
        scenario(days=2, grades=(1, 2), courses=(course("g2", 2, 5, 20),))
    )
    found = term_start.violations(subject, Schedule((lesson(subject, 0),)))
    assert len(found) == 1
    assert found[0].grade == 2
    assert found[0].day == MONDAY
    assert "before the term starts on 2020-02-18" in found[0].message
    assert term_start.violations(subject, Schedule((lesson(subject, 1),))) == []
