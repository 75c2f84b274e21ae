"""Continuity: no dead air; every minute of every window is covered by a programme.

    ∀ channel c, day d, window w:  ⋃ {airings of c on d} ⊇ w

Posting: nothing. Gaps left by the solver are filled afterwards with fillers
(:mod:`scheduler.domain.fill`): the scenario must offer a variable-length filler from 1 minute, so
any
gap can be covered and no solver constraint is needed.
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.facts import dead_air
from scheduler.domain.model import Scenario, TimeRange
from scheduler.domain.schedule import Kind, Schedule

NAME = "continuity"
TITLE = "no dead air: gaps filled with fillers"


def post(m: IntervalModel) -> None:
    """Nothing to post: gaps are always fillable (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    fillers = {f.id for f in (*scenario.fillers, scenario.station_filler)}
    placed = airings(scenario, schedule)
    for airing in placed:
        if airing.programme.kind is Kind.FILLER:
            item = airing.programme.item
            if item is not None and item not in fillers:
                found.append(airing.violation(NAME, f"filler {item!r} is not in the scenario"))
    found += [_dead_air(channel, day, gap) for channel, day, gap in dead_air(scenario, placed)]
    return found


def _dead_air(channel: str, day: object, gap: TimeRange) -> Violation:
    return Violation(
        NAME,
        channel,
        day,  # type: ignore[arg-type]
        gap.label,
        None,
        None,
        f"dead air for {gap.minutes} min",
    )
