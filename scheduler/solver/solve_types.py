"""Plain records shared by the weekly engines: what a week's answer holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.domain.rooms import Period
from scheduler.domain.schedule import Kind

#: The timetable's periods per grade (template mode).
Periods = Mapping[int, tuple[Period, ...]]


@dataclass(frozen=True, slots=True)
class Placed:
    """One airing of a week's answer, independent of the week's dates."""

    kind: Kind
    ref: str  # course, special or pinned id
    day_index: int
    slot: int
    channel: str
    start: int  # wall-clock minutes of the broadcast day
    end: int


@dataclass(frozen=True, slots=True)
class WeekAnswer:
    status: Status
    placed: tuple[Placed, ...]
    objective: int
    bound: int | None  # None: no bound proven (a week planned by the greedy fallback)
    wall: float
    explanation: tuple[str, ...] = ()


#: A day's lessons carried into the next day: ``(grade, start, end)`` on its real time line.
Carried = tuple[tuple[int, int, int], ...]


def carry(scenario: Scenario, day: date, placed: Iterable[Placed]) -> Carried:
    """The lessons and reruns of ``day`` that end within a rest of the next day's first window,
    on the next day's UTC-based time line (a window past midnight, or another zone)."""
    after = day + timedelta(days=1)
    opening = min(
        (
            span.start - channel.utc_shift(after, span.start)
            for channel in scenario.channels
            for span in channel.spans_on(after)
        ),
        default=None,
    )
    if opening is None:
        return ()
    rest = scenario.rules.rest.minutes
    found = []
    for item in placed:
        if item.kind not in (Kind.LESSON, Kind.RERUN):
            continue
        shift = scenario.channel(item.channel).utc_shift(day, item.start)
        start, end = item.start - shift - 1440, item.end - shift - 1440
        if end + rest > opening:
            found.append((scenario.course(item.ref).grade, start, end))
    return tuple(sorted(found))
