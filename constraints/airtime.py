"""Airtime: programmes air only inside their channel's windows and never overlap.

∀ airing a:  a ⊆ some window w of channel(a) on broadcast_day(a)
∀ channel c, airings a ≠ b on c:  [a.start, a.end) ∩ [b.start, b.end) = ∅   (half-open)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, DayModel, Draft, GridCell, IntervalModel, LinearModel
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


def post_day(d: DayModel) -> None:
    """A channel's airings of the day never overlap each other or its pinned items (on the
    day's real time line)."""
    channels: dict[str, list[Any]] = defaultdict(list)
    for item in d.items:
        channels[item.cell.room.channel].append(d.interval(item, item.cell.length))
    for pinned in d.pinned:
        shift = d.scenario.channel(pinned.channel).utc_shift(d.day, pinned.span.start)
        channels[pinned.channel].append(
            d.fixed(pinned.span.start - shift, pinned.span.minutes, f"pin/{pinned.id}")
        )
    for intervals in channels.values():
        d.model.add_no_overlap(intervals)


def allows(d: Draft, channel: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` on ``channel`` is still free (the greedy planner's question;
    rooms lie inside windows by construction)."""
    return all(end <= a or b <= start for a, b in d.busy.get(channel, ()))


@dataclass(frozen=True, slots=True)
class Stretch:
    """``[a, b)`` of a channel's window on a day, between room boundaries: the grid cells
    whose rooms lie inside it (``inside``), its minutes free of pinned items (``free``) and the
    pinned items of the window (``blocked``, wall-clock spans)."""

    channel: str
    day: date
    a: int
    b: int
    inside: list[int]
    free: int
    blocked: list[tuple[int, int]]


def stretches(g: LinearModel) -> Iterator[Stretch]:
    """The stretches of every window that hold some grid cell: each window's room boundaries
    taken pairwise (with periods, only within a cluster of overlapping rooms: rooms that do not
    overlap need no common row, periods keep their grade's rests and a row across disjoint rooms
    is the sum of theirs)."""
    by_window: dict[tuple[str, date, int, int], list[int]] = defaultdict(list)
    for index, cell in enumerate(g.cells):
        window = window_of(g.scenario, cell.room)
        by_window[(cell.room.channel, cell.room.day, window.start, window.end)].append(index)
    for (channel, day, w_start, w_end), ids in by_window.items():
        blocked = [
            (p.span.start, p.span.end)
            for p in g.pinned
            if p.channel == channel and p.day == day and w_start <= p.span.start < w_end
        ]
        points = sorted(
            {
                w_start,
                w_end,
                *(c for i in ids for c in (g.cells[i].room.start, g.cells[i].room.end)),
            }
        )
        cluster = _clusters(g.cells, ids) if g.periods is not None else None
        for a_index, a in enumerate(points):
            for b in points[a_index + 1 :]:
                if cluster is not None and cluster(a) != cluster(b - 1):
                    break
                inside = [i for i in ids if a <= g.cells[i].room.start and g.cells[i].room.end <= b]
                if not inside:
                    continue
                free = (b - a) - sum(min(e, b) - max(s, a) for s, e in blocked if s < b and a < e)
                yield Stretch(channel, day, a, b, inside, free, blocked)


def post_grid(g: LinearModel, stretch: Stretch) -> None:
    """Hall-type capacity: the airings whose rooms lie inside a stretch fit in its free
    minutes."""
    g.row(
        -INF,
        stretch.free,
        stretch.inside,
        [g.cells[i].length for i in stretch.inside],
        f"capacity {stretch.channel} {stretch.day} {stretch.a}-{stretch.b}",
    )


def _clusters(cells: Sequence[GridCell], ids: list[int]) -> Callable[[int], int]:
    """A minute's cluster of overlapping rooms (-1 between clusters): the label of a point."""
    spans = sorted({(cells[i].room.start, cells[i].room.end) for i in ids})
    bounds: list[tuple[int, int]] = []
    for start, end in spans:
        if bounds and start < bounds[-1][1]:
            bounds[-1] = (bounds[-1][0], max(bounds[-1][1], end))
        else:
            bounds.append((start, end))

    def label(minute: int) -> int:
        return next((k for k, (a, b) in enumerate(bounds) if a <= minute < b), -1)

    return label


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
