"""What a week's model depends on, and whether the weeks of a horizon interact."""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler.domain.model import Scenario
from scheduler.domain.rooms import paced_lessons


def calendar_signature(scenario: Scenario, week: tuple[date, ...]) -> tuple[Any, ...]:
    """What a week's model depends on besides course progress, with dates made relative."""
    days = []
    for day in week:
        offset = tuple(
            (c.id, tuple((s.start, s.end, c.utc_shift(day, s.start)) for s in c.spans_on(day)))
            for c in scenario.channels
        )
        started = tuple(g.number for g in scenario.grades if g.on_air(day))
        pinned = tuple((p.id, p.channel, p.span) for p in scenario.pinned if p.day == day)
        cohorts = tuple(c.id for c in scenario.cohorts if day.weekday() in c.weekdays)
        lessons = scenario.calendar.timetable_weekday(day)
        days.append((day.weekday(), offset, started, pinned, cohorts, lessons))
    return tuple(days)


def coupled(scenario: Scenario) -> bool:
    """Whether some course could run out of lessons within the horizon (weeks interact)."""
    return any(paced_lessons(scenario, c) > len(c.remaining) for c in scenario.courses)


__all__ = ["calendar_signature", "coupled"]
