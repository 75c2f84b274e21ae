"""Pinned programmes air exactly where they are pinned.

∀ pinned p:  ∃ airing a with a.item = p.id, channel(a) = p.channel, [a.start, a.end) = p.span
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "pinned"
TITLE = "pinned programmes air exactly where pinned"


def post(m: IntervalModel) -> None:
    """Pinned items are fixed activities; a guard literal switches each for explanations."""
    m.pinned()


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    placed = {
        (a.programme.item or a.programme.id): a for a in airings(scenario, schedule, Kind.PINNED)
    }
    for item in scenario.pinned:
        if item.day not in scenario.days:
            continue
        airing = placed.get(item.id)
        if airing is None:
            found.append(
                Violation(
                    NAME,
                    item.channel,
                    item.day,
                    item.span.label,
                    None,
                    None,
                    f"pinned {item.title!r} ({item.id}) is missing",
                )
            )
        elif (airing.programme.channel, airing.day, airing.start, airing.end) != (
            item.channel,
            item.day,
            item.span.start,
            item.span.end,
        ):
            found.append(
                airing.violation(
                    NAME,
                    f"pinned {item.title!r} must air on {item.channel} {item.day} "
                    f"{item.span.label}",
                )
            )
    return found
