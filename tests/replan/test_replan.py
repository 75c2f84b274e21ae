"""The re-plan: what aired is kept, an undisturbed edition comes back byte for byte, a pin
forces only what it overlaps, and every re-plan passes the rule checker."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.analysis.checking import check
from scheduler.domain.changes import Move, changed, summary
from scheduler.domain.model import Pinned
from scheduler.domain.result import Result
from scheduler.domain.schedule import Kind, Schedule, broadcast_day
from scheduler.solver.replan import replan
from tests.builders import CHANNEL, MONDAY, course, scenario, solved, span


def replanned(subject, published: Schedule, today: date, **options) -> Result:  # type: ignore[no-untyped-def]
    """Re-plan and insist on the independent checker agreeing."""
    result = replan(subject, published, today=today, time_limit=10, **options)
    assert result.schedule is not None, result.explanation
    assert check(subject, result.schedule) == []
    return result


@pytest.fixture(scope="module")
def two_weeks():  # type: ignore[no-untyped-def]
    """Two weeks, one course of daily 20-minute lessons in a one-hour morning window."""
    subject = scenario(
        windows=("08:00-09:00",),
        days=14,
        courses=(course("c", 1, 30, 20), course("d", 1, 30, 20)),
    )
    result = solved(subject)
    assert result.schedule is not None
    return subject, result.schedule


def test_no_disruption_changes_nothing(two_weeks) -> None:  # type: ignore[no-untyped-def]
    subject, published = two_weeks
    result = replanned(subject, published, MONDAY + timedelta(days=3))
    assert changed(result.changes) == ()
    assert result.schedule is not None
    assert result.schedule.to_json() == published.to_json()


def test_the_past_is_kept_and_a_pin_moves_only_what_it_overlaps(two_weeks) -> None:  # type: ignore[no-untyped-def]
    subject, published = two_weeks
    today = MONDAY + timedelta(days=9)
    pin = Pinned("relay", CHANNEL, MONDAY + timedelta(days=10), span("08:00-08:30"), "直播")
    disrupted = subject.replace(pinned=(pin,))
    result = replanned(disrupted, published, today, freeze_days=0)
    assert result.schedule is not None
    before = {p for p in published if broadcast_day(subject, p)[0] < today}  # type: ignore[index]
    after = {p for p in result.schedule if broadcast_day(subject, p)[0] < today}  # type: ignore[index]
    assert before == after
    counts = summary(result.changes)
    # the pin takes half the hour: at most the airings it overlaps leave that day
    moved = [c for c in changed(result.changes) if c.move is not Move.RETITLED]
    assert all(c.day >= pin.day for c in moved)
    assert counts["dropped"] + counts["day"] + counts["time"] <= 3
    assert any(p.kind is Kind.PINNED for p in result.schedule)
