"""Where a new item would change the published edition least: candidate placements, ranked.

A new item — a special of N minutes, a relay whose time is open, a make-up lesson — is placed
as a pinned item. Every candidate placement is enumerated: each channel, each day of the span,
each start every ``step`` minutes at which the item fits inside one window (and inside the
allowed hours, e.g. a band's). A placement that overlaps no watched airing (only fillers) costs
nothing: the fillers are laid anew around it. Any other is evaluated by the minimal-change
re-plan (:func:`scheduler.solver.replan.replan`) with the item pinned there, cheapest bound
first: its cost is the changes the re-plan makes against the published edition.

Ranking: fewest airings changed, then the re-plan's severity order (drops, moves to another
day, time, channel), then fewest grades' days whose digests change, then earliest. The number
of watched airings a placement overlaps is a lower bound of the airings it changes, so the
search stops as soon as the ``top`` best found cost no more than the next candidate's bound,
or after ``evaluate`` re-plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from scheduler.domain.changes import SEVERITY, Change, changed, grade_days, summary
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Pinned, Scenario, TimeRange
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day

if TYPE_CHECKING:
    from scheduler.domain.result import Result

#: The id the new item is pinned under.
ITEM_ID = "suggested"


@dataclass(frozen=True, slots=True)
class Item:
    """The new item: title, minutes, grades it is for (() = everyone) and the wall-clock
    hours it may start and end in (() = any window)."""

    title: str
    minutes: int
    grades: tuple[int, ...] = ()
    hours: tuple[TimeRange, ...] = ()

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ScenarioError(f"must be a positive number of minutes, not {self.minutes}")

    def pinned(self, placement: Placement) -> Pinned:
        """The item pinned at ``placement``."""
        return Pinned(
            ITEM_ID, placement.channel, placement.day, placement.span, self.title, self.grades
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """A candidate: channel, broadcast day and wall-clock span."""

    channel: str
    day: date
    span: TimeRange

    def __str__(self) -> str:
        return f"{self.day} {self.span.label} {self.channel}"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A placement and what it costs: the changed airings, the grades' days whose SMS digest
    changes and the guide entries touched (the item's own included); ``result`` is the
    re-plan that placed it (None when nothing had to move)."""

    placement: Placement
    blockers: tuple[Programme, ...]
    changes: tuple[Change, ...]
    digests: tuple[tuple[int, date], ...]
    result: Result | None

    @property
    def guide_entries(self) -> int:
        return len(self.changes) + 1

    def cost(self) -> tuple[int, ...]:
        """The ranking key (see the module docstring)."""
        counts = summary(self.changes)
        return (
            counts["changed"],
            *(counts[move.value] for move in SEVERITY),
            len(self.digests),
        )


def candidates(
    scenario: Scenario,
    item: Item,
    days: Iterable[date],
    *,
    channels: Iterable[str] = (),
    step: int = 5,
) -> list[Placement]:
    """Every placement of ``item`` on ``days`` (each inside one window and the allowed hours),
    starting every ``step`` minutes from each window's start."""
    wanted = tuple(channels) or tuple(channel.id for channel in scenario.channels)
    found = []
    for channel_id in wanted:
        channel = scenario.channel(channel_id)
        for day in days:
            for window in channel.spans_on(day):
                for start in range(window.start, window.end - item.minutes + 1, step):
                    span = TimeRange(start, start + item.minutes)
                    if item.hours and not any(h.covers(span.start, span.end) for h in item.hours):
                        continue
                    found.append(Placement(channel_id, day, span))
    return found


def blockers(
    scenario: Scenario, published: Schedule, placement: Placement
) -> tuple[Programme, ...]:
    """The watched airings (not fillers) a placement overlaps: each must change."""
    found = []
    for p in published.on_channel(placement.channel):
        if p.kind is Kind.FILLER:
            continue
        where = broadcast_day(scenario, p)
        if where is None or where[0] != placement.day:
            continue
        if where[1] < placement.span.end and placement.span.start < where[2]:
            found.append(p)
    return tuple(found)


def _gap(scenario: Scenario, published: Schedule, placement: Placement) -> str:
    """The watched airing a placement follows on its channel and day (its gap's name)."""
    before = ""
    for p in published.on_channel(placement.channel):
        where = broadcast_day(scenario, p)
        if (
            p.kind is not Kind.FILLER
            and where is not None
            and where[0] == placement.day
            and where[2] <= placement.span.start
        ):
            before = p.id
    return before


def rank(
    scenario: Scenario,
    published: Schedule,
    item: Item,
    days: Iterable[date],
    *,
    today: date,
    channels: Iterable[str] = (),
    step: int = 5,
    top: int = 5,
    evaluate: int = 12,
    freeze_days: int | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
) -> tuple[Suggestion, ...]:
    """The ``top`` cheapest placements of ``item``, cheapest first (see the module docstring).

    Placements in the same gap with the same airings in the way are one suggestion (the
    earliest start); a placement the scenario refuses (it overlaps a pinned item) or that the
    re-plan cannot realise is left out.
    """
    seen: set[tuple[object, ...]] = set()
    pending: list[tuple[int, Placement, tuple[Programme, ...]]] = []
    for placement in candidates(scenario, item, days, channels=channels, step=step):
        found = blockers(scenario, published, placement)
        key = (
            placement.channel,
            placement.day,
            tuple(p.id for p in found),
            _gap(scenario, published, placement),
        )
        if key in seen:
            continue
        seen.add(key)
        pending.append((len(found), placement, found))
    pending.sort(key=lambda c: (c[0], c[1].day, c[1].span.start, c[1].channel))
    every = tuple(sorted(scenario.grade_numbers))
    ranked: list[Suggestion] = []
    replans = 0
    for bound, placement, found in pending:
        if len(ranked) >= top:
            ranked.sort(key=lambda s: (s.cost(), _order(s)))
            if ranked[top - 1].cost()[0] < bound:  # ties are explored: earliest wins
                break
        try:
            pinned = scenario.replace(pinned=(*scenario.pinned, item.pinned(placement)))
        except ScenarioError:
            continue  # overlaps a pinned item, or the scenario refuses it otherwise
        own = {(grade, placement.day) for grade in item.grades or every}
        if not found:
            ranked.append(Suggestion(placement, (), (), tuple(sorted(own)), None))
            continue
        if replans >= evaluate:
            continue
        replans += 1
        from scheduler.solver.replan import replan

        result = replan(
            pinned,
            published,
            today=today,
            freeze_days=freeze_days,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
        )
        if result.schedule is None:
            continue
        moved = tuple(c for c in changed(result.changes) if not is_item(c))
        touched = grade_days(moved, every) | own
        ranked.append(Suggestion(placement, found, moved, tuple(sorted(touched)), result))
    ranked.sort(key=lambda s: (s.cost(), _order(s)))
    return tuple(ranked[:top])


def is_item(change: Change) -> bool:
    """The item's own airing, which the re-plan reports as added."""
    return (
        change.before is None
        and change.after is not None
        and ITEM_ID
        in (
            change.after.item,
            change.after.id,
        )
    )


def _order(suggestion: Suggestion) -> tuple[date, int, str]:
    placement = suggestion.placement
    return placement.day, placement.span.start, placement.channel


__all__ = [
    "ITEM_ID",
    "Item",
    "Placement",
    "Suggestion",
    "blockers",
    "candidates",
    "is_item",
    "rank",
]
