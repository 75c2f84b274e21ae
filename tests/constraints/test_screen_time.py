"""Screen-time cap per grade per day; reruns are alternatives, not extra viewing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, Draft, band, course, scenario, solved, span

from constraints import screen_time
from constraints.base import Violation
from scheduler.domain.model import Cohort, Reruns, Scenario, Special, parse_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule

THREE = (
    course("a", 1, 5, 20),
    course("b", 1, 5, 20, subject="语文"),
    course("c", 1, 5, 20, subject="英语"),
)
CAP_40 = (band("primary", (1,), cap=40),)


def at(subject: Scenario, clock: str, day: int = 0) -> datetime:
    """The aware instant of ``clock`` on broadcast day ``day`` of the horizon."""
    return subject.channel(CHANNEL).instant(MONDAY + timedelta(days=day), parse_clock(clock))


def airing(
    subject: Scenario,
    ident: str,
    start: str,
    end: str,
    *,
    kind: Kind = Kind.LESSON,
    grades: tuple[int, ...] = (1,),
    day: int = 0,
) -> Programme:
    """A hand-made airing: a lesson (course ``ident``, lesson 1) or a special/rerun."""
    is_lesson = kind in (Kind.LESSON, Kind.RERUN)
    return Programme(
        at(subject, start, day),
        at(subject, end, day),
        CHANNEL,
        f"{ident}-{kind.value}-{day}",
        kind,
        ident,
        grades,
        course=ident if is_lesson else None,
        lesson=1 if is_lesson else None,
        item=None if is_lesson else ident,
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_stops_at_the_cap(engine: str) -> None:
    """A 2-hour window and three grade-1 courses of 20 min: room for all three (60 points,
    checked below without the cap), but the daily cap of 40 min allows two: 40 points."""
    roomy = solved(scenario(windows=("08:00-10:00",), courses=THREE), engine=engine)
    assert (roomy.status, roomy.objective) == (Status.OPTIMAL, 60)
    result = solved(scenario(windows=("08:00-10:00",), bands=CAP_40, courses=THREE), engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.LESSON)) == 2


def test_special_for_the_grade_counts() -> None:
    """The same, with a 20-min special for grade 1 due once this (one-day) week: it takes 20
    of the 40 cap minutes, so one lesson is left: 20 points."""
    special = Special("covid", "疫情防护", "疫情防护", 20, 7, grades=(1,))
    result = solved(
        scenario(windows=("08:00-10:00",), bands=CAP_40, courses=THREE, specials=(special,))
    )
    assert result.status is Status.OPTIMAL
    assert result.objective == 20
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.SPECIAL)) == 1


def test_rerun_does_not_count() -> None:
    """Cap 20 and one 20-min course; windows in the morning and afternoon dayparts. The
    premiere uses the whole cap, yet its rerun still airs (an alternative, not extra viewing):
    20 + 20·0.5 = 30 points."""
    result = solved(
        scenario(
            windows=("08:00-08:30", "14:00-14:30"),
            bands=(band("primary", (1,), cap=20),),
            courses=(course("a", 1, 5, 20),),
            reruns=Reruns(mode="soft", weight=0.5),
        )
    )
    assert result.status is Status.OPTIMAL
    assert result.objective == 30
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.RERUN)) == 1


def test_infeasible_twin() -> None:
    """Grade 9 guaranteed 60 min a day, but its cap is 40 min."""
    subject = scenario(
        windows=("08:00-10:00",),
        grades=(9,),
        bands=(band("junior", (9,), cap=40),),
        courses=(
            course("z1", 9, 5, 20),
            course("z2", 9, 5, 20, subject="语文"),
            course("z3", 9, 5, 20, subject="英语"),
        ),
        cohorts=(Cohort("zhongkao", "中考", 9, 60, span("08:00-10:00")),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "grade 9 screen-time cap 40 min on 2020-02-17" in text
    assert "zhongkao guarantee 60 min on 2020-02-17" in text


def test_checker_catches_too_long_a_day() -> None:
    subject = scenario(
        days=2,
        windows=("08:00-10:00",),
        bands=CAP_40,
        courses=THREE,
        specials=(Special("covid", "疫情防护", "疫情防护", 20, 7, grades=(1,)),),
    )
    over = Schedule(
        (
            airing(subject, "a", "08:00", "08:20"),
            airing(subject, "b", "08:30", "08:50"),
            airing(subject, "covid", "09:00", "09:20", kind=Kind.SPECIAL),
        )
    )
    assert screen_time.violations(subject, over) == [
        Violation(
            "screen_time",
            None,
            MONDAY,
            None,
            1,
            None,
            "60 min of lessons, over the 40 min daily cap for primary",
        )
    ]
    # the same minutes are fine once the third item is a rerun or a special for everyone
    within = Schedule(
        (
            airing(subject, "a", "08:00", "08:20"),
            airing(subject, "b", "08:30", "08:50"),
            airing(subject, "a", "09:00", "09:20", kind=Kind.RERUN),
            airing(subject, "all", "09:20", "09:40", kind=Kind.SPECIAL, grades=()),
            airing(subject, "c", "08:00", "08:20", day=1),
        )
    )
    assert screen_time.violations(subject, within) == []


def test_greedy_asks_for_the_cap() -> None:
    """With 20 of 40 minutes watched, 20 more fit the cap and 30 do not."""
    subject = scenario(windows=("08:00-10:00",), bands=CAP_40, courses=THREE)
    d = Draft(subject, minutes={1: 20})
    assert screen_time.allows(d, (1,), 20)
    assert not screen_time.allows(d, (1,), 30)
