"""Rest between two lessons of one grade, across all channels."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import ALL_DAYS, CHANNEL, EXACT_ENGINES, MONDAY, Draft, course, scenario, solved, span

from constraints import rest
from constraints.base import Violation
from scheduler.domain.model import Channel, Cohort, Scenario, Window, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

TWO = (course("a", 1, 5, 20), course("b", 1, 5, 20, subject="语文"))


def at(subject: Scenario, clock: str, day: int = 0, channel: str = CHANNEL) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(channel).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def lesson(
    subject: Scenario,
    course_id: str,
    start: str,
    end: str,
    *,
    grade: int = 1,
    kind: Kind = Kind.LESSON,
    channel: str = CHANNEL,
) -> Programme:
    """A hand-made airing of lesson 1 of ``course_id``."""
    suffix = "-r" if kind is Kind.RERUN else ""
    return Programme(
        at(subject, start, channel=channel),
        at(subject, end, channel=channel),
        channel,
        f"{course_id}-l001{suffix}",
        kind,
        f"{course_id} 第1课",
        (grade,),
        course=course_id,
        lesson=1,
    )


def two_channels() -> tuple[Channel, ...]:
    """Channels tv.a and tv.b, each on air 08:00–08:50 every day."""
    return tuple(
        Channel(c, c, c, "Asia/Shanghai", (Window(span("08:00-08:50"), weekdays=ALL_DAYS),))
        for c in ("tv.a", "tv.b")
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
@pytest.mark.parametrize(("minutes", "objective"), [(10, 40), (15, 20)])
def test_optimum_depends_on_rest(minutes: int, objective: int, engine: str) -> None:
    """A 50-min window and two 20-min courses of grade 1. With 10 min rest both fit exactly
    (20 + 10 + 20 = 50): 40 points. With 15 min they need 55 > 50, so only one airs: 20."""
    result = solved(scenario(windows=("08:00-08:50",), rest=minutes, courses=TWO), engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == objective
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.LESSON)) == objective // 20


def test_rest_is_per_grade() -> None:
    """Rest 15 binds lessons of one grade only: a grade-1 and a grade-2 lesson may air back to
    back, so both fit in the 50-min window: 40 points."""
    result = solved(
        scenario(
            windows=("08:00-08:50",),
            rest=15,
            grades=(1, 2),
            courses=(course("a", 1, 5, 20), course("b", 2, 5, 20)),
        )
    )
    assert result.status is Status.OPTIMAL
    assert result.objective == 40


def test_rest_across_channels_is_kept() -> None:
    """Two channels on air 08:00–08:50, rest 15, two 20-min grade-1 courses: one pupil cannot
    watch both channels, so the rest holds across them and only one lesson fits (20 points)."""
    result = solved(scenario(channels=two_channels(), rest=15, courses=TWO))
    assert result.status.has_schedule
    assert result.objective == 20


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_rest_across_channels_proven_optimal(engine: str) -> None:
    """As above, but the optimum (20) must be proven."""
    result = solved(scenario(channels=two_channels(), rest=15, courses=TWO), engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20


def test_infeasible_twin() -> None:
    """Grade 9 guaranteed 40 min in a 50-min window with 20-min lessons and 15 min rest:
    20 + 15 + 20 = 55 min do not fit."""
    subject = scenario(
        windows=("08:00-08:50",),
        rest=15,
        grades=(9,),
        courses=(course("z1", 9, 5, 20), course("z2", 9, 5, 20, subject="语文")),
        cohorts=(Cohort("zhongkao", "中考", 9, 40, span("08:00-08:50")),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "zhongkao guarantee 40 min on 2020-02-17" in text
    assert "rest 15 min between lessons" in text


def test_checker_catches_short_rest() -> None:
    subject = scenario(
        windows=("08:00-09:00",), rest=10, grades=(1, 2), courses=(*TWO, course("c", 2, 5, 20))
    )
    tired = Schedule(
        (
            lesson(subject, "a", "08:00", "08:20"),
            lesson(subject, "c", "08:20", "08:40", grade=2),  # another grade: no rest needed
            lesson(subject, "b", "08:25", "08:45", kind=Kind.RERUN),  # reruns count too
        )
    )
    assert rest.violations(subject, tired) == [
        Violation(
            "rest",
            CHANNEL,
            MONDAY,
            "08:25–08:45",
            1,
            "b",
            "b 第1课 starts 5 min after a 第1课 ends (08:00–08:20); needs 10 min rest",
        )
    ]
    rested = Schedule(
        (
            lesson(subject, "a", "08:00", "08:20"),
            lesson(subject, "c", "08:20", "08:40", grade=2),
            lesson(subject, "b", "08:30", "08:50", kind=Kind.RERUN),
        )
    )
    assert rest.violations(subject, rested) == []


def test_checker_sees_past_a_short_lesson_inside_a_long_one() -> None:
    """Grade 1 watches x 08:00–08:40 on tv.a; y (08:05–08:15) and z (08:25–08:35) on tv.b
    both clash with x, although z is well rested after y."""
    subject = scenario(
        channels=two_channels(),
        rest=10,
        courses=(course("x", 1, 5, 40), course("y", 1, 5, 10), course("z", 1, 5, 10)),
    )
    schedule = Schedule(
        (
            lesson(subject, "x", "08:00", "08:40", channel="tv.a"),
            lesson(subject, "y", "08:05", "08:15", channel="tv.b"),
            lesson(subject, "z", "08:25", "08:35", channel="tv.b"),
        )
    )
    found = rest.violations(subject, schedule)
    assert [(v.channel, v.time, v.course) for v in found] == [
        ("tv.b", "08:05–08:15", "y"),
        ("tv.b", "08:25–08:35", "z"),
    ]
    assert found[1].message == (
        "z 第1课 starts -15 min after x 第1课 ends (08:00–08:40); needs 10 min rest"
    )


def test_greedy_asks_for_the_rest() -> None:
    """The greedy planner's question: after grade 1's lesson 08:00–08:20 (real minutes on the
    day's line), a lesson at 08:25 breaks the 10-min rest, one at 08:30 keeps it; another
    grade is not bound."""
    subject = scenario(windows=("08:00-09:00",), rest=10, grades=(1, 2), courses=TWO)
    d = Draft(subject)
    d.lessons[1] = [d.real(CHANNEL, 480, 500)]
    assert not rest.allows(d, 1, CHANNEL, 505, 525)
    assert rest.allows(d, 1, CHANNEL, 510, 530)
    assert rest.allows(d, 2, CHANNEL, 500, 520)


def test_a_week_keeps_the_rest_after_the_lessons_carried_into_it() -> None:
    """The interval model plans a week without the day before; its first day is checked
    against the lessons carried in, on Monday's real (UTC-based) line: grade 1's lesson of the
    night before ending at 00:10 Monday (Asia/Shanghai, UTC+8: −490..−470) leaves a lesson at
    00:15 too close for a 10-min rest, one at 00:20 rested; another grade is free."""
    subject = scenario(windows=("00:00-01:00",), rest=10, grades=(1, 2), courses=TWO)
    carried = ((1, -490, -470),)
    assert not rest.keeps_carried(subject, MONDAY, [(1, CHANNEL, 15, 35)], carried)
    assert rest.keeps_carried(subject, MONDAY, [(1, CHANNEL, 20, 40)], carried)
    assert rest.keeps_carried(subject, MONDAY, [(2, CHANNEL, 10, 30)], carried)
