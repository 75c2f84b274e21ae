"""Reruns: a premiere repeated the same day in another daypart, within a set time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, Draft, course, scenario, solved, span

from constraints import reruns
from scheduler.domain.model import Cohort, Reruns, Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

SOFT = Reruns(mode="soft", weight=0.5)
REQUIRED = Reruns(mode="required", weight=0.5)
#: morning and afternoon windows: the default dayparts split at 12:00
TWO_DAYPARTS = ("08:00-09:00", "13:00-14:00")


def at(subject: Scenario, day: int, hour: int, minute: int) -> datetime:
    """An instant on day ``day`` (0 = Monday) in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(days=day, hours=hour, minutes=minute)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_soft_premiere_and_half_value_rerun(engine: str) -> None:
    """One 20-min lesson a day; morning and afternoon windows. The premiere is worth 20, its
    rerun (weight 0.5) 10, so premiere in the morning + rerun in the afternoon = 30 points.
    Nothing more: one premiere a day, one rerun per premiere, and a premiere in the afternoon
    would leave no later daypart for its rerun."""
    subject = scenario(windows=TWO_DAYPARTS, courses=(course("a", 1, 5, 20),), reruns=SOFT)
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 30
    assert result.schedule is not None
    (premiere,) = result.schedule.of_kind(Kind.LESSON)
    (rerun,) = result.schedule.of_kind(Kind.RERUN)
    assert rerun.repeat_of == premiere.id
    assert rerun.lesson == premiere.lesson
    assert premiere.start.hour < 12 <= rerun.start.hour


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_soft_reruns_only_where_they_fit(engine: str) -> None:
    """Two courses, a 60-min morning and a 20-min afternoon: both premieres air in the morning
    (40) and one rerun fits the afternoon (10): 50 points."""
    subject = scenario(
        windows=("08:00-09:00", "13:00-13:20"),
        courses=(course("a", 1, 5, 20), course("b", 1, 5, 20)),
        reruns=SOFT,
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 50
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.LESSON)) == 2
    assert len(result.schedule.of_kind(Kind.RERUN)) == 1


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_required_drops_premieres_without_a_rerun(engine: str) -> None:
    """The same with reruns required: every premiere needs its rerun, and the afternoon holds
    only one, so only one premiere may air: 20 + 10 = 30 points (soft gave 50)."""
    subject = scenario(
        windows=("08:00-09:00", "13:00-13:20"),
        courses=(course("a", 1, 5, 20), course("b", 1, 5, 20)),
        reruns=REQUIRED,
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 30
    assert result.schedule is not None
    (premiere,) = result.schedule.of_kind(Kind.LESSON)
    (rerun,) = result.schedule.of_kind(Kind.RERUN)
    assert rerun.repeat_of == premiere.id


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_within_limit(engine: str) -> None:
    """Reruns must start within 60 min of the premiere's end: 08:00–09:00 and 13:00–14:00 are
    four hours apart, so no rerun is possible and only the premiere counts: 20 points."""
    subject = scenario(
        windows=TWO_DAYPARTS,
        courses=(course("a", 1, 5, 20),),
        reruns=Reruns(mode="soft", weight=0.5, within_minutes=60),
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 20
    assert result.schedule is not None
    assert result.schedule.of_kind(Kind.RERUN) == ()


def test_infeasible_twin() -> None:
    """Reruns required with one daypart only: a premiere cannot have its rerun, so none may
    air, and a 20-min guarantee for the grade cannot hold."""
    subject = scenario(
        windows=("08:00-09:00",),
        courses=(course("a", 1, 5, 20),),
        reruns=REQUIRED,
        cohorts=(Cohort("k", "k", 1, 20, span("08:00-09:00"), (0,)),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation
    assert any("rerun" in line for line in result.explanation)


def lesson(subject: Scenario, hour: int, minute: int = 0, kind: Kind = Kind.LESSON) -> Programme:
    """Lesson a-1 at ``hour:minute`` on Monday, or its rerun."""
    rerun = kind is Kind.RERUN
    return Programme(
        at(subject, 0, hour, minute),
        at(subject, 0, hour, minute + 20),
        CHANNEL,
        "a-l001-r" if rerun else "a-l001",
        kind,
        "a 第1课",
        (1,),
        course="a",
        lesson=1,
        repeat_of="a-l001" if rerun else None,
    )


def test_checker_catches_rerun_in_same_daypart() -> None:
    subject = scenario(windows=TWO_DAYPARTS, courses=(course("a", 1, 5, 20),), reruns=SOFT)
    same = Schedule((lesson(subject, 8), lesson(subject, 8, 30, Kind.RERUN)))
    found = reruns.violations(subject, same)
    assert len(found) == 1
    assert "same daypart" in found[0].message
    apart = Schedule((lesson(subject, 8), lesson(subject, 13, kind=Kind.RERUN)))
    assert reruns.violations(subject, apart) == []


def test_checker_catches_rerun_too_late() -> None:
    """Within 60 min: a rerun 4 h 40 min after the premiere ends is too late."""
    subject = scenario(
        windows=TWO_DAYPARTS,
        courses=(course("a", 1, 5, 20),),
        reruns=Reruns(mode="soft", weight=0.5, within_minutes=60),
    )
    found = reruns.violations(
        subject, Schedule((lesson(subject, 8), lesson(subject, 13, kind=Kind.RERUN)))
    )
    assert len(found) == 1
    assert "280 min after the premiere ends" in found[0].message
    subject = subject.replace(channels=scenario(windows=("08:00-09:00", "11:00-14:00")).channels)
    found = reruns.violations(
        subject, Schedule((lesson(subject, 11, 30), lesson(subject, 12, 20, Kind.RERUN)))
    )
    assert found == []


def test_checker_catches_missing_required_rerun() -> None:
    subject = scenario(windows=TWO_DAYPARTS, courses=(course("a", 1, 5, 20),), reruns=REQUIRED)
    found = reruns.violations(subject, Schedule((lesson(subject, 8),)))
    assert len(found) == 1
    assert "has no rerun" in found[0].message
    both = Schedule((lesson(subject, 8), lesson(subject, 13, kind=Kind.RERUN)))
    assert reruns.violations(subject, both) == []


def test_checker_catches_rerun_when_off() -> None:
    subject = scenario(windows=TWO_DAYPARTS, courses=(course("a", 1, 5, 20),))
    found = reruns.violations(
        subject, Schedule((lesson(subject, 8), lesson(subject, 13, kind=Kind.RERUN)))
    )
    assert len(found) == 1
    assert "reruns are off" in found[0].message


def test_checker_catches_reruns_that_do_not_repeat_their_premiere() -> None:
    """Each way a rerun can fail to repeat its premiere is one violation: no premiere behind
    it, another lesson, another broadcast day, before the premiere ends, twice the same."""
    subject = scenario(days=2, windows=TWO_DAYPARTS, courses=(course("a", 1, 5, 20),), reruns=SOFT)
    premiere = lesson(subject, 8)
    rerun = lesson(subject, 13, kind=Kind.RERUN)

    def messages(*programmes: Programme) -> list[str]:
        return [v.message for v in reruns.violations(subject, Schedule(programmes))]

    assert messages(premiere, rerun) == []
    orphan = replace(rerun, repeat_of=None)
    assert messages(premiere, orphan) == [
        "rerun a-l001-r repeats None, which is not a premiere in this schedule"
    ]
    other = replace(rerun, lesson=2)
    assert messages(premiere, other) == ["rerun a-l001-r is not the same lesson as a-l001"]
    next_day = replace(rerun, start=at(subject, 1, 13, 0), end=at(subject, 1, 13, 20))
    assert "a rerun airs the same broadcast day" in messages(premiere, next_day)
    early = replace(premiere, start=at(subject, 0, 13, 10), end=at(subject, 0, 13, 30))
    assert messages(early, rerun)[0] == (
        "rerun starts -30 min after the premiere ends; allowed 0..600"
    )
    twice = replace(rerun, id="a-l001-r2", start=at(subject, 0, 13, 30), end=at(subject, 0, 13, 50))
    assert messages(premiere, rerun, twice) == ["a-l001 rerun 2×"]


def test_greedy_asks_for_daypart_and_delay() -> None:
    """A premiere 08:00–08:20: a rerun at 13:00 (another daypart, 280 min later) is allowed
    within 300 min, not within 240, and never in the morning."""
    premiere = (CHANNEL, 480, 500)
    subject = scenario(windows=TWO_DAYPARTS, reruns=replace(SOFT, within_minutes=300))
    assert reruns.allows(Draft(subject), premiere, CHANNEL, 780, 800)
    assert not reruns.allows(Draft(subject), premiere, CHANNEL, 520, 540)
    short = scenario(windows=TWO_DAYPARTS, reruns=replace(SOFT, within_minutes=240))
    assert not reruns.allows(Draft(short), premiere, CHANNEL, 780, 800)
