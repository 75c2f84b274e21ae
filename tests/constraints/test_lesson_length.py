"""Lesson length per band: a lesson airs for its catalog length, at most the band's maximum."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, band, course, scenario, solved

from constraints import lesson_length
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Course, Lesson, Scenario, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, clock: str, day: int = 0) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(CHANNEL).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def lesson(
    subject: Scenario,
    course_id: str,
    grade: int,
    number: int,
    start: str,
    end: str,
    *,
    kind: Kind = Kind.LESSON,
) -> Programme:
    """A hand-made airing of ``course_id`` lesson ``number``."""
    suffix = "-r" if kind is Kind.RERUN else ""
    return Programme(
        at(subject, start),
        at(subject, end),
        CHANNEL,
        f"{course_id}-l{number:03d}{suffix}",
        kind,
        f"{course_id} 第{number}课",
        (grade,),
        course=course_id,
        lesson=number,
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_lessons_are_not_cut_to_fit(engine: str) -> None:
    """A 25-min window, a 30-min course at weight 3 and a 20-min course at weight 1. Cut to
    the window, the heavy course would give 25·3 = 75 points; but a lesson airs for its full
    catalog length, so only the 20-min lesson fits: 20 points."""
    subject = scenario(
        windows=("08:00-08:25",),
        grades=(1, 2),
        courses=(course("long", 1, 5, 30, weight=3), course("short", 2, 5, 20)),
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20
    assert result.schedule is not None
    assert [(p.course, p.minutes) for p in result.schedule.of_kind(Kind.LESSON)] == [("short", 20)]


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_with_lessons_of_different_lengths(engine: str) -> None:
    """Two days with a 25-min window; course m has lessons of 20, 30 and 20 min. Day 1 airs
    m1 (20 min). m2 needs 30 min and fits on no day, and m3 may not air before m2 (course
    order): 20 points."""
    mixed = Course(
        "m", 1, "数学", "Maths", (Lesson(1, "m1", 20), Lesson(2, "m2", 30), Lesson(3, "m3", 20))
    )
    subject = scenario(days=2, windows=("08:00-08:25",), courses=(mixed,))
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20


def test_too_long_lesson_is_rejected() -> None:
    """Lesson length cannot make a solve infeasible: a catalog lesson longer than its band
    allows is rejected when the scenario is built (ScenarioError naming course, lesson and
    minutes), and every lesson activity is given its catalog length."""
    primary = band("primary", (1,), max_lesson=20)
    with pytest.raises(
        ScenarioError,
        match=("course 'c' lesson 1 lasts 25 min, longer than the 20 min band 'primary' allows"),
    ):
        scenario(bands=(primary,), courses=(course("c", 1, 5, 25),))
    scenario(bands=(primary,), courses=(course("c", 1, 5, 20),))


def test_checker_catches_overlong_and_wrong_length() -> None:
    subject = scenario(
        windows=("08:00-10:00",),
        grades=(1, 7),
        bands=(band("primary", (1,), max_lesson=20), band("junior", (7,), max_lesson=30)),
        courses=(course("p", 1, 5, 20), course("j", 7, 5, 30)),
    )
    edited = Schedule(
        (
            lesson(subject, "p", 1, 1, "08:00", "08:25"),
            lesson(subject, "j", 7, 1, "08:30", "08:55"),
            lesson(subject, "j", 7, 1, "09:00", "09:30", kind=Kind.RERUN),
        )
    )
    assert lesson_length.violations(subject, edited) == [
        Violation(
            "lesson_length",
            CHANNEL,
            MONDAY,
            "08:00–08:25",
            1,
            "p",
            "lesson 1 runs 25 min, longer than the 20 min allowed for primary",
        ),
        Violation(
            "lesson_length",
            CHANNEL,
            MONDAY,
            "08:30–08:55",
            7,
            "j",
            "lesson 1 runs 25 min; the catalog says 30 min",
        ),
    ]
    right = Schedule(
        (
            lesson(subject, "p", 1, 1, "08:00", "08:20"),
            lesson(subject, "j", 7, 1, "08:30", "09:00"),
            lesson(subject, "j", 7, 1, "09:00", "09:30", kind=Kind.RERUN),
        )
    )
    assert lesson_length.violations(subject, right) == []
