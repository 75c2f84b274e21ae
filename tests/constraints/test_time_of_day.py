"""Time of day suitable to the band: lessons only inside the band's hours, on its channels."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, band, course, scenario, solved, span

from constraints import time_of_day
from scheduler.domain.model import Band, Cohort, Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, hour: int, minute: int) -> datetime:
    """An instant on Monday in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(hours=hour, minutes=minute)


def late_band() -> tuple[Band, ...]:
    """Band hours 09:00–10:00 cut the first hour off the 08:00–10:00 window."""
    return (band("b", (1,), hours=("09:00-10:00",)),)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_uses_only_band_hours(engine: str) -> None:
    """Window 08:00–10:00 would hold all of a (30), b (30) and c (20) = 80 min, but the band's
    hours leave 09:00–10:00: 60 min. One lesson a day per course, so the best fill of 60 min
    is a + b = 60 points (a + c or b + c give 50; all three need 80)."""
    subject = scenario(
        windows=("08:00-10:00",),
        bands=late_band(),
        courses=(course("a", 1, 5, 30), course("b", 1, 5, 30), course("c", 1, 5, 20)),
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 60
    assert result.bound == 60
    assert result.schedule is not None
    lessons = result.schedule.of_kind(Kind.LESSON)
    assert sorted(p.course or "" for p in lessons) == ["a", "b"]
    assert all(p.start >= at(subject, 9, 0) for p in lessons)


def test_infeasible_twin() -> None:
    """A 30-min guarantee in 08:00–09:00 for a band whose hours start at 09:00: no lesson of
    the grade may air in the cohort window at all."""
    subject = scenario(
        windows=("08:00-10:00",),
        bands=late_band(),
        courses=(course("a", 1, 5, 30),),
        cohorts=(Cohort("k", "k", 1, 30, span("08:00-09:00"), (0,)),),
    )
    result = solved(subject)
    assert result.status is Status.INFEASIBLE
    assert result.explanation
    assert any("2020-02-17" in line for line in result.explanation)


def lesson(subject: Scenario, hour: int, minute: int, channel: str = CHANNEL) -> Programme:
    return Programme(
        at(subject, hour, minute),
        at(subject, hour, minute + 30),
        channel,
        "a-l001",
        Kind.LESSON,
        "a 第1课",
        (1,),
        course="a",
        lesson=1,
    )


def test_checker_catches_lesson_outside_band_hours() -> None:
    subject = scenario(
        windows=("08:00-10:00",), bands=late_band(), courses=(course("a", 1, 5, 30),)
    )
    found = time_of_day.violations(subject, Schedule((lesson(subject, 8, 0),)))
    assert len(found) == 1
    assert found[0].rule == "time_of_day"
    assert found[0].grade == 1
    assert "outside the hours" in found[0].message
    assert time_of_day.violations(subject, Schedule((lesson(subject, 9, 0),))) == []


def test_checker_catches_lesson_straddling_band_hours() -> None:
    """08:45–09:15 starts before the band's hours: half inside is still outside."""
    subject = scenario(
        windows=("08:00-10:00",), bands=late_band(), courses=(course("a", 1, 5, 30),)
    )
    found = time_of_day.violations(subject, Schedule((lesson(subject, 8, 45),)))
    assert len(found) == 1


def test_checker_catches_lesson_on_another_grades_channel() -> None:
    """Grade 1 may only use tv.test; the same lesson on tv.other breaks the rule."""
    from builders import ALL_DAYS

    from scheduler.domain.model import Channel, Window

    channels = tuple(
        Channel(cid, cid, cid, "Asia/Shanghai", (Window(span("08:00-10:00"), weekdays=ALL_DAYS),))
        for cid in (CHANNEL, "tv.other")
    )
    subject = scenario(
        channels=channels, courses=(course("a", 1, 5, 30),), grade_channels={1: (CHANNEL,)}
    )
    found = time_of_day.violations(subject, Schedule((lesson(subject, 9, 0, "tv.other"),)))
    assert len(found) == 1
    assert "belong on tv.test" in found[0].message
    assert time_of_day.violations(subject, Schedule((lesson(subject, 9, 0),))) == []
