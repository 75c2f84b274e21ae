"""Continuity: no dead air; every window minute is covered, gaps filled with fillers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, MONDAY, course, scenario, solved

from constraints import continuity
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Filler, Scenario, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, clock: str, day: int = 0) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(CHANNEL).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def filler(subject: Scenario, item: str, start: str, end: str) -> Programme:
    """A hand-made filler airing of scenario filler ``item``."""
    return Programme(
        at(subject, start),
        at(subject, end),
        CHANNEL,
        f"{CHANNEL}-{item}-{start.replace(':', '')}",
        Kind.FILLER,
        item,
        item=item,
    )


def test_solved_schedule_has_no_dead_air() -> None:
    """Two days, windows 08:00–09:00 and 19:00–19:45, one course of 20-min lessons, one a day
    (pace): the optimum is 2 × 20 min = 40 points, leaving 85 of 105 daily window minutes to
    fillers. Every window minute must be covered, exactly once, and the gap after a lesson
    opens with eye exercises."""
    subject = scenario(
        days=2, rest=10, windows=("08:00-09:00", "19:00-19:45"), courses=(course("c", 1, 5, 20),)
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    schedule = result.schedule
    assert schedule is not None
    assert continuity.violations(subject, schedule) == []
    assert sum(p.minutes for p in schedule) == 2 * (60 + 45)  # covered, and nothing twice
    assert len(schedule.of_kind(Kind.LESSON)) == 2
    known = {f.id for f in subject.fillers} | {subject.station_filler.id}
    assert all(p.item in known for p in schedule.of_kind(Kind.FILLER))
    for lesson in schedule.of_kind(Kind.LESSON):
        after = next((p for p in schedule if p.start == lesson.end), None)
        if after is not None and after.kind is Kind.FILLER:
            assert after.item == "eye"


def test_scenario_without_gap_filler_is_rejected() -> None:
    """Continuity cannot make a solve infeasible: any gap is fillable by construction. What
    would break it, fillers that cannot cover an arbitrary gap, is rejected when the scenario
    is built (a ScenarioError), so there is no infeasible twin to solve."""
    subject = scenario(courses=(course("c", 1, 5, 20),))
    eye_only = (Filler("eye", "眼保健操", "eye_exercise", 5),)
    with pytest.raises(ScenarioError, match="variable-length filler starting at 1 minute"):
        subject.replace(fillers=eye_only)
    no_eye = (Filler("promo", "节目预告", "promo", 1, 30),)
    with pytest.raises(ScenarioError, match="eye_exercise filler"):
        subject.replace(fillers=no_eye)


def test_checker_reports_gap_with_its_times() -> None:
    subject = scenario(windows=("08:00-09:00",), courses=(course("c", 1, 5, 20),))
    lesson = Programme(
        at(subject, "08:00"),
        at(subject, "08:20"),
        CHANNEL,
        "c-l001",
        Kind.LESSON,
        "c 第1课",
        (1,),
        course="c",
        lesson=1,
    )
    with_gap = Schedule(
        (
            lesson,
            filler(subject, "eye", "08:20", "08:25"),
            filler(subject, "promo", "08:32", "09:00"),
        )
    )
    assert continuity.violations(subject, with_gap) == [
        Violation("continuity", CHANNEL, MONDAY, "08:25–08:32", None, None, "dead air for 7 min")
    ]
    mended = Schedule((*with_gap, filler(subject, "promo", "08:25", "08:32")))
    assert continuity.violations(subject, mended) == []


def test_checker_reports_empty_window_and_unknown_filler() -> None:
    subject = scenario(days=2, windows=("08:00-09:00",))
    schedule = Schedule((filler(subject, "jingle", "08:00", "09:00"),))
    assert continuity.violations(subject, schedule) == [
        Violation(
            "continuity",
            CHANNEL,
            MONDAY,
            "08:00–09:00",
            None,
            None,
            "filler 'jingle' is not in the scenario",
        ),
        Violation(
            "continuity",
            CHANNEL,
            MONDAY + timedelta(days=1),
            "08:00–09:00",
            None,
            None,
            "dead air for 60 min",
        ),
    ]
