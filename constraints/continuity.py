"""Continuity: no dead air; every minute of every window is covered by a programme.

    ∀ channel c, day d, window w:  ⋃ {airings of c on d} ⊇ w

Posting: nothing. Gaps left by the solver are filled afterwards with fillers
(:mod:`scheduler.fill`): the scenario must offer a variable-length filler from 1 minute, so any
gap can be covered and no solver constraint is needed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from constraints._timeline import airings
from constraints.base import Violation
from scheduler.model import Scenario, TimeRange
from scheduler.schedule import Kind, Schedule

if TYPE_CHECKING:
    from scheduler.cpmodel import WeekModel

NAME = "continuity"
TITLE = "no dead air: gaps filled with fillers"


def post(m: WeekModel) -> None:
    """Nothing to post: gaps are always fillable (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    covered: dict[tuple[str, object], list[tuple[int, int]]] = defaultdict(list)
    fillers = {f.id for f in (*scenario.fillers, scenario.station_filler)}
    for airing in airings(scenario, schedule):
        covered[(airing.programme.channel, airing.day)].append((airing.start, airing.end))
        if airing.programme.kind is Kind.FILLER:
            item = airing.programme.item
            if item is not None and item not in fillers:
                found.append(airing.violation(NAME, f"filler {item!r} is not in the scenario"))
    for channel in scenario.channels:
        for day in scenario.days:
            pieces = sorted(covered.get((channel.id, day), []))
            for span in channel.spans_on(day):
                cursor = span.start
                for start, end in pieces:
                    if end <= cursor or start >= span.end:
                        continue
                    if start > cursor:
                        found.append(_dead_air(channel.id, day, TimeRange(cursor, start)))
                    cursor = max(cursor, end)
                if cursor < span.end:
                    found.append(_dead_air(channel.id, day, TimeRange(cursor, span.end)))
    return found


def _dead_air(channel: str, day: object, gap: TimeRange) -> Violation:
    return Violation(NAME, channel, day, gap.label, None, None,  # type: ignore[arg-type]
                     f"dead air for {gap.minutes} min")
