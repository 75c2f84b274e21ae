"""Special-topic quotas: each special airs its weekly quota, at most its share a day."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, Draft, course, scenario, solved

from constraints import specials
from scheduler.domain.model import Pace, Scenario, Special
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, day: int, hour: int, minute: int) -> datetime:
    """An instant on day ``day`` (0 = Monday) in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(days=day, hours=hour, minutes=minute)


def prevention(minutes: int, per_week: int) -> Special:
    return Special("sp", "疫情防护", "health", minutes, per_week)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_quota_takes_airtime_from_lessons(engine: str) -> None:
    """One day, 60 min, up to 3 lessons of 20 min: 60 points without specials. A daily special
    (7 a week → ⌈7·1/7⌉ = 1 in a one-day horizon) of 20 min takes a third of the window, so
    only 2 lessons fit: 40 points."""
    subject = scenario(
        pace=Pace(per_week=7, per_day=3),
        courses=(course("a", 1, 5, 20),),
        specials=(prevention(20, 7),),
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.SPECIAL)) == 1
    assert len(result.schedule.of_kind(Kind.LESSON)) == 2


def test_quota_over_a_full_week() -> None:
    """A full week, 30 min a day, one 20-min lesson a day: 7 × 20 = 140 without specials.
    A 15-min special 3× a week leaves 15 min on 3 days, too short for a lesson: 4 × 20 = 80,
    and the special is spread at most once a day (⌈3/7⌉ = 1)."""
    subject = scenario(
        days=7,
        windows=("08:00-08:30",),
        courses=(course("a", 1, 20, 20),),
        specials=(prevention(15, 3),),
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 80
    assert result.schedule is not None
    days = [p.start.date() for p in result.schedule.of_kind(Kind.SPECIAL)]
    assert len(days) == 3 and len(set(days)) == 3


def test_infeasible_twin() -> None:
    """A quota larger than the airtime: 14 a week in a one-day horizon is ⌈14/7⌉ = 2 airings
    of 40 min = 80 min, but the window has 60."""
    subject = scenario(courses=(course("a", 1, 5, 20),), specials=(prevention(40, 14),))
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation
    assert any("special sp" in line for line in result.explanation)


def airing(subject: Scenario, day: int, hour: int, minutes: int = 20) -> Programme:
    return Programme(
        at(subject, day, hour, 0),
        at(subject, day, hour, minutes),
        CHANNEL,
        f"sp-{day}-{hour}",
        Kind.SPECIAL,
        "疫情防护",
        (),
        subject="health",
        item="sp",
    )


def test_checker_catches_missed_quota() -> None:
    """Two days with a daily special (quota 2): airing it only on Monday misses one."""
    subject = scenario(days=2, specials=(prevention(20, 7),))
    found = specials.violations(subject, Schedule((airing(subject, 0, 8),)))
    assert len(found) == 1
    assert "aired 1× in the week of 2020-02-17, quota 2" in found[0].message
    both = Schedule((airing(subject, 0, 8), airing(subject, 1, 8)))
    assert specials.violations(subject, both) == []


def test_checker_catches_wrong_length_and_crowded_day() -> None:
    """A full week, quota 3 (at most one a day): a 10-min airing of a 20-min special and two
    airings on one Monday are two violations; the spread twin has none."""
    subject = scenario(days=7, specials=(prevention(20, 3),))
    crowded = Schedule((airing(subject, 0, 8), airing(subject, 0, 9, 10), airing(subject, 2, 8)))
    found = specials.violations(subject, crowded)
    assert len(found) == 2
    assert any("runs 10 min, not 20" in v.message for v in found)
    assert any("aired 2× in one day; at most 1" in v.message for v in found)
    spread = Schedule((airing(subject, 0, 8), airing(subject, 1, 8), airing(subject, 2, 8)))
    assert specials.violations(subject, spread) == []


def test_checker_catches_unknown_special_and_airing_outside_its_hours() -> None:
    """Quota 1 in hours 08:00-09:00: an airing at 09:30 is outside them, and a special the
    scenario does not know is one violation of its own (the quota is met by the 09:30 one)."""
    from dataclasses import replace

    from builders import span

    subject = scenario(
        days=1,
        windows=("08:00-10:00",),
        specials=(replace(prevention(20, 7), hours=(span("08:00-09:00"),)),),
    )
    late = airing(subject, 0, 9)
    late = replace(late, start=at(subject, 0, 9, 30), end=at(subject, 0, 9, 50))
    assert [v.message for v in specials.violations(subject, Schedule((late,)))] == [
        "疫情防护 is outside its hours"
    ]
    stranger = replace(airing(subject, 0, 8), id="x", item="nope")
    assert [v.message for v in specials.violations(subject, Schedule((late, stranger)))] == [
        "unknown special 'nope'",
        "疫情防护 is outside its hours",
    ]  # in time order
    assert specials.violations(subject, Schedule((airing(subject, 0, 8),))) == []


def test_greedy_asks_for_the_quota_and_the_daily_limit() -> None:
    """A special due twice in a 7-day week, at most once a day: a second airing the same day
    or a third in the week is refused."""
    from scheduler.domain.model import Special

    special = Special("sp", "疫情防护", "health", 10, 2)
    subject = scenario(days=7, specials=(special,))
    week = subject.weeks()[0]
    assert specials.allows(Draft(subject, specials_aired={"sp": 1}), special, week)
    assert not specials.allows(
        Draft(subject, specials_aired={"sp": 1}, specials={"sp": 1}), special, week
    )
    assert not specials.allows(Draft(subject, specials_aired={"sp": 2}), special, week)
