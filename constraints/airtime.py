"""Airtime: programmes air only inside their channel's windows and never overlap.

∀ airing a:  a ⊆ some window w of channel(a) on broadcast_day(a)
∀ channel c, airings a ≠ b on c:  [a.start, a.end) ∩ [b.start, b.end) = ∅   (half-open)
"""

from __future__ import annotations

from collections import defaultdict

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario, format_clock
from scheduler.domain.rooms import window_of
from scheduler.domain.schedule import Schedule

NAME = "airtime"
TITLE = "programmes inside the channel's windows, never overlapping"


def post(m: IntervalModel) -> None:
    """Rooms lie inside windows by construction; here: no overlap per channel."""
    by_channel = defaultdict(list)
    by_window = defaultdict(list)
    for activity in m.activities():
        for placement in activity.placements:
            room = placement.room
            by_channel[room.channel].append(placement.interval)
            window = window_of(m.scenario, room)
            by_window[(room.channel, room.day, window)].append(placement.minutes)
    for intervals in by_channel.values():
        m.model.add_no_overlap(intervals)
    # Redundant but strong for the bound: a window holds at most its own minutes.
    for (_, _, window), minutes in by_window.items():
        m.model.add(sum(minutes) <= window.minutes)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    known = {c.id for c in scenario.channels}
    for programme in schedule:
        if programme.channel not in known:
            found.append(
                Violation(
                    NAME,
                    programme.channel,
                    None,
                    None,
                    programme.grade,
                    programme.course,
                    f"{programme.id}: unknown channel",
                )
            )
    items = airings(scenario, schedule)
    for airing in items:
        spans = scenario.channel(airing.programme.channel).spans_on(airing.day)
        if not any(span.covers(airing.start, airing.end) for span in spans):
            windows = ", ".join(span.label for span in spans) or "none"
            found.append(
                airing.violation(
                    NAME,
                    f"{airing.programme.title} ({airing.programme.id}) lies outside the "
                    f"broadcast windows (that day: {windows})",
                )
            )
    by_channel = defaultdict(list)
    for airing in items:
        by_channel[airing.programme.channel].append(airing)
    for group in by_channel.values():
        group.sort(key=lambda a: (a.programme.start, a.programme.end))
        latest = None
        for airing in group:
            if latest is not None and airing.programme.start < latest.programme.end:
                found.append(
                    airing.violation(
                        NAME,
                        f"{airing.programme.title} ({airing.programme.id}) overlaps "
                        f"{latest.programme.title} ({latest.programme.id}), which runs until "
                        f"{format_clock(latest.end)}",
                    )
                )
            if latest is None or airing.programme.end > latest.programme.end:
                latest = airing
    return found
