"""Airtime: programmes only inside the channel's windows, none overlapping (half-open)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, Draft, course, scenario, solved, span

from constraints import airtime
from constraints.base import Violation
from scheduler.domain.model import Cohort, Scenario, parse_clock
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
    channel: str = CHANNEL,
) -> Programme:
    """A hand-made premiere of ``course_id`` lesson ``number``."""
    return Programme(
        at(subject, start),
        at(subject, end),
        channel,
        f"{course_id}-l{number:03d}",
        Kind.LESSON,
        f"{course_id} 第{number}课",
        (grade,),
        course=course_id,
        lesson=number,
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_one_lesson_per_window(engine: str) -> None:
    """Windows 08:00–08:50 (50 min) and 09:00–09:20 (20 min): 70 min of airtime, room for two
    30-min lessons if they could overlap or straddle the break. They cannot: the 50-min window
    holds one 30-min lesson, the 20-min window none. So exactly one lesson airs, and the
    heavier course c1 (weight 2) is the one: 30 min · 2 = 60 points (c2 would give 30)."""
    subject = scenario(
        windows=("08:00-08:50", "09:00-09:20"),
        grades=(1, 2),
        courses=(course("c1", 1, 5, 30, weight=2), course("c2", 2, 5, 30)),
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 60
    assert result.schedule is not None
    aired = result.schedule.of_kind(Kind.LESSON)
    assert [p.course for p in aired] == ["c1"]
    assert aired[0].end <= at(subject, "08:50")


def test_infeasible_twin() -> None:
    """Two cohorts each guaranteed 30 min in the same 50-min window: each alone fits, but
    programmes may not overlap, so together they need 60 min."""
    window = span("08:00-08:50")
    subject = scenario(
        windows=("08:00-08:50",),
        grades=(1, 2),
        courses=(course("c1", 1, 5, 30), course("c2", 2, 5, 30)),
        cohorts=(
            Cohort("k1", "一年级保障", 1, 30, window),
            Cohort("k2", "二年级保障", 2, 30, window),
        ),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "k1 guarantee 30 min on 2020-02-17" in text
    assert "k2 guarantee 30 min on 2020-02-17" in text
    assert "has 50 min on air" in text


def test_checker_catches_overlap() -> None:
    subject = scenario(grades=(1, 2), courses=(course("a", 1, 5, 20), course("b", 2, 5, 30)))
    overlapping = Schedule(
        (
            lesson(subject, "a", 1, 1, "08:00", "08:20"),
            lesson(subject, "b", 2, 1, "08:10", "08:40"),
        )
    )
    assert airtime.violations(subject, overlapping) == [
        Violation(
            "airtime",
            CHANNEL,
            MONDAY,
            "08:10–08:40",
            2,
            "b",
            "b 第1课 (b-l001) overlaps a 第1课 (a-l001), which runs until 08:20",
        )
    ]
    # half-open: back to back is not an overlap
    back_to_back = Schedule(
        (
            lesson(subject, "a", 1, 1, "08:00", "08:20"),
            lesson(subject, "b", 2, 1, "08:20", "08:50"),
        )
    )
    assert airtime.violations(subject, back_to_back) == []


def test_checker_catches_airing_outside_the_windows() -> None:
    subject = scenario(windows=("08:00-09:00",), courses=(course("a", 1, 5, 20),))
    late = Schedule((lesson(subject, "a", 1, 1, "08:50", "09:10"),))
    assert airtime.violations(subject, late) == [
        Violation(
            "airtime",
            CHANNEL,
            MONDAY,
            "08:50–09:10",
            1,
            "a",
            "a 第1课 (a-l001) lies outside the broadcast windows (that day: 08:00–09:00)",
        )
    ]
    inside = Schedule((lesson(subject, "a", 1, 1, "08:40", "09:00"),))
    assert airtime.violations(subject, inside) == []


def test_checker_catches_unknown_channel() -> None:
    subject = scenario(courses=(course("a", 1, 5, 20),))
    elsewhere = Schedule((lesson(subject, "a", 1, 1, "08:00", "08:20", channel="tv.other"),))
    assert airtime.violations(subject, elsewhere) == [
        Violation("airtime", "tv.other", None, None, 1, "a", "a-l001: unknown channel")
    ]


def test_greedy_asks_for_a_free_channel() -> None:
    """A channel busy 08:00–08:20 takes nothing overlapping it; back to back is fine."""
    from constraints import airtime

    subject = scenario(windows=("08:00-09:00",))
    d = Draft(subject, busy={CHANNEL: [(480, 500)]})
    assert not airtime.allows(d, CHANNEL, 490, 510)
    assert airtime.allows(d, CHANNEL, 500, 520)
    assert airtime.allows(d, "other.tv", 490, 510)
