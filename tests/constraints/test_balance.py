"""Balance (soft): spread a grade's lessons over the week; a penalty, never a violation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import CHANNEL, EXACT_ENGINES, MONDAY, course, scenario, solved, span

from constraints import balance
from scheduler.analysis.checking import check
from scheduler.domain.model import Channel, Pace, Scenario, Window
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def at(subject: Scenario, day: int, hour: int, minute: int) -> datetime:
    """An instant on day ``day`` (0 = Monday) in the test channel's zone."""
    midnight = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=subject.channel(CHANNEL).zone)
    return midnight + timedelta(days=day, hours=hour, minutes=minute)


def uneven_days() -> tuple[Channel, ...]:
    """60 min on Monday, 20 min on Tuesday."""
    return (
        Channel(
            CHANNEL,
            "测试台",
            "Test TV",
            "Asia/Shanghai",
            (
                Window(span("08:00-09:00"), weekdays=(0,)),
                Window(span("08:00-08:20"), weekdays=(1,)),
            ),
        ),
    )


def daily_minutes(result_schedule: Schedule) -> dict[int, int]:
    minutes: dict[int, int] = {}
    for p in result_schedule.of_kind(Kind.LESSON):
        day = (p.start.date() - MONDAY).days
        minutes[day] = minutes.get(day, 0) + p.minutes
    return minutes


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_with_forced_spread(engine: str) -> None:
    """Monday holds 3 lessons of 20 min, Tuesday 1. Filling both: 80 points minus
    0.05 × (60 − 20) = 2 → 78. Levelling costs more than it saves: 40 + 20 = 60 − 1 = 59,
    or 20 + 20 = 40. So the optimum keeps the forced 40-min spread: 78 points."""
    subject = scenario(
        days=2,
        channels=uneven_days(),
        pace=Pace(per_week=7, per_day=3),
        courses=(course("a", 1, 9, 20),),
        balance=0.05,
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 78
    assert result.bound == 78
    assert result.schedule is not None
    assert daily_minutes(result.schedule) == {0: 60, 1: 20}
    assert evaluate(subject, result.schedule).balance == 0.05 * 40 * SCALE


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_optimum_spreads_when_free(engine: str) -> None:
    """Two lessons a week, up to two a day, 60 min a day: both on one day or one each day
    give 40 points of coverage, but one day empty costs 0.05 × 40 = 2. The optimum spreads
    them: 40 points, one lesson each day."""
    subject = scenario(
        days=2, pace=Pace(per_week=2, per_day=2), courses=(course("a", 1, 9, 20),), balance=0.05
    )
    result = solved(subject, engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    assert result.schedule is not None
    assert daily_minutes(result.schedule) == {0: 20, 1: 20}


def test_infeasible_twin() -> None:
    """Balance is soft: it lowers the objective and can never make a scenario infeasible.
    The closest case is a weight so heavy (2 points per minute of spread, more than a lesson
    minute earns) that the optimum drops lessons rather than keep the spread: 60 + 20 would
    score 80 − 2 × 40 = 0, 40 + 20 scores 60 − 40 = 20, 20 + 20 scores 40. Optimum 40."""
    subject = scenario(
        days=2,
        channels=uneven_days(),
        pace=Pace(per_week=7, per_day=3),
        courses=(course("a", 1, 9, 20),),
        balance=2.0,
    )
    result = solved(subject)
    assert result.status is Status.OPTIMAL
    assert result.objective == 40
    assert result.schedule is not None
    assert daily_minutes(result.schedule) == {0: 20, 1: 20}


def test_checker_reports_nothing_but_objective_pays() -> None:
    """Soft rule: a lopsided hand-made schedule (three lessons Monday, none Tuesday) has no
    violation, of balance or any rule, but its recomputed objective carries the penalty:
    60 − 0.05 × 60 = 57; the spread twin (two Monday, one Tuesday) scores 60 − 0.05 × 20 = 59."""
    subject = scenario(
        days=2, pace=Pace(per_week=7, per_day=3), courses=(course("a", 1, 9, 20),), balance=0.05
    )

    def lessons(*slots: tuple[int, int]) -> Schedule:
        return Schedule(
            tuple(
                Programme(
                    at(subject, day, 8, minute),
                    at(subject, day, 8, minute + 20),
                    CHANNEL,
                    f"a-l{n:03d}",
                    Kind.LESSON,
                    f"a 第{n}课",
                    (1,),
                    course="a",
                    lesson=n,
                )
                for n, (day, minute) in enumerate(slots, start=1)
            )
        )

    lopsided = lessons((0, 0), (0, 20), (0, 40))
    assert balance.violations(subject, lopsided) == []
    assert [v for v in check(subject, lopsided) if v.rule != "continuity"] == []
    assert lopsided.objective(subject) == 57
    assert lessons((0, 0), (0, 20), (1, 0)).objective(subject) == 59
