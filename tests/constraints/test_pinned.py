"""Pinned programmes air exactly where they are pinned."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, course, scenario, solved, span

from constraints import pinned
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Cohort, Pinned, Scenario, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

CEREMONY = Pinned("ceremony", CHANNEL, MONDAY, span("08:25-08:45"), "开学典礼")


def at(subject: Scenario, clock: str, day: int = 0) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(CHANNEL).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def pinned_airing(subject: Scenario, start: str, end: str, day: int = 0) -> Programme:
    """The ceremony as a hand-made airing."""
    return Programme(
        at(subject, start, day),
        at(subject, end, day),
        CHANNEL,
        "ceremony",
        Kind.PINNED,
        "开学典礼",
        item="ceremony",
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_works_around_the_pinned_item(engine: str) -> None:
    """Window 08:00–09:00 with the ceremony pinned at 08:25–08:45 leaves 25 min before it and
    15 min after. Without the pin a 30-min and a 20-min lesson both fit (50 points); with it
    the 30-min lesson fits in neither stretch, the 20-min one only in the first: 20 points."""
    courses = (course("c20", 1, 5, 20), course("c30", 2, 5, 30))
    free = solved(scenario(grades=(1, 2), courses=courses), engine=engine)
    assert (free.status, free.objective) == (Status.OPTIMAL, 50)
    subject = scenario(grades=(1, 2), courses=courses, pinned=(CEREMONY,))
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20
    assert result.schedule is not None
    aired = result.schedule.of_kind(Kind.LESSON)
    assert [(p.course, p.end <= at(subject, "08:25")) for p in aired] == [("c20", True)]
    [ceremony] = result.schedule.of_kind(Kind.PINNED)
    assert (ceremony.item, ceremony.start, ceremony.end) == (
        "ceremony",
        at(subject, "08:25"),
        at(subject, "08:45"),
    )


def test_infeasible_twin() -> None:
    """A guarantee of 30 min for grade 1, whose only course has 30-min lessons: the pinned
    ceremony leaves no 30-min stretch in the window."""
    subject = scenario(
        courses=(course("c30", 1, 5, 30),),
        pinned=(CEREMONY,),
        cohorts=(Cohort("k", "保障", 1, 30, span("08:00-09:00")),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "pinned 'ceremony'" in text
    assert "2020-02-17 08:25–08:45" in text
    assert "k guarantee 30 min on 2020-02-17" in text


def test_overlapping_or_outside_pins_are_rejected() -> None:
    """Two pins cannot both hold when they overlap, and a pin outside every window cannot air;
    both are caught when the scenario is built (ScenarioError), before any solve."""
    clash = Pinned("relay", CHANNEL, MONDAY, span("08:40-08:55"), "新闻发布会")
    with pytest.raises(ScenarioError, match="'ceremony' and 'relay' overlap on 2020-02-17"):
        scenario(pinned=(CEREMONY, clash))
    late = Pinned("late", CHANNEL, MONDAY, span("08:50-09:10"), "晚到")
    with pytest.raises(ScenarioError, match="outside the broadcast windows"):
        scenario(pinned=(late,))


def test_checker_catches_moved_pin() -> None:
    subject = scenario(days=2, pinned=(CEREMONY,))
    moved = Schedule((pinned_airing(subject, "08:30", "08:50"),))
    assert pinned.violations(subject, moved) == [
        Violation(
            "pinned",
            CHANNEL,
            MONDAY,
            "08:30–08:50",
            None,
            None,
            "pinned '开学典礼' must air on tv.test 2020-02-17 08:25–08:45",
        )
    ]
    other_day = Schedule((pinned_airing(subject, "08:25", "08:45", day=1),))
    assert len(pinned.violations(subject, other_day)) == 1
    exact = Schedule((pinned_airing(subject, "08:25", "08:45"),))
    assert pinned.violations(subject, exact) == []


def test_checker_catches_missing_pin() -> None:
    subject = scenario(pinned=(CEREMONY,))
    assert pinned.violations(subject, Schedule(())) == [
        Violation(
            "pinned",
            CHANNEL,
            MONDAY,
            "08:25–08:45",
            None,
            None,
            "pinned '开学典礼' (ceremony) is missing",
        )
    ]
