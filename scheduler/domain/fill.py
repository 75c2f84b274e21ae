"""Continuity: cover every gap of every window with fillers, so the day is legal on air.

A gap after a lesson opens with eye exercises (notice §三.8: 做视力保健操), then indoor
exercise when there is room, then the variable-length promo.

Airtime is handed back to the channel's own programming as ONE airing of the station filler
(常规节目, :attr:`scheduler.domain.model.Scenario.station_filler`) where

- it lies in a stretch nobody may use (:func:`scheduler.domain.airtime.unusable`), or
- what is left of a gap after the eye exercises is longer than the promo's longest airing
  (30 min by default): a planner does not loop spots and promos for an hour.

The hand-back opens with one public-service spot (psa or ident) when the scenario has one.

Adjacent airings of the same variable-length filler are merged into one (within its longest
length), so a guide never lists a loop of one filler (rule :mod:`constraints.filler_repeats`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

from scheduler.domain.airtime import by_channel_day, unusable
from scheduler.domain.facts import Placed, dead_air
from scheduler.domain.model import Channel, Filler, Scenario, TimeRange, format_clock
from scheduler.domain.schedule import Kind, Programme, broadcast_day


def _by_kind(scenario: Scenario, kind: str) -> list[Filler]:
    return [f for f in scenario.fillers if f.kind == kind]


def promo(scenario: Scenario) -> Filler:
    """The variable-length filler from 1 minute that closes any gap: the first of kind
    ``promo``, else any other such filler, else the station filler."""
    flexible = [
        f
        for f in scenario.fillers
        if f.max_minutes is not None and f.minutes == 1 and f.kind != "station"
    ]
    return next(
        (f for f in flexible if f.kind == "promo"),
        flexible[0] if flexible else scenario.station_filler,
    )


def gap_plan(scenario: Scenario, minutes: int, after_lesson: bool) -> list[tuple[Filler, int]]:
    """The fillers, with lengths, that cover a gap of ``minutes``."""
    plan: list[tuple[Filler, int]] = []
    left = minutes
    eye = _by_kind(scenario, "eye_exercise")
    exercise = _by_kind(scenario, "exercise")
    closer = promo(scenario)
    longest = closer.max_minutes or closer.minutes
    if after_lesson and eye and left >= eye[0].minutes:
        plan.append((eye[0], eye[0].minutes))
        left -= eye[0].minutes
    if left > longest:
        return plan + hand_back(scenario, left)
    if exercise and left >= exercise[0].minutes + 5:
        plan.append((exercise[0], exercise[0].minutes))
        left -= exercise[0].minutes
    if left > 0:
        plan.append((closer, left))
    return plan


def hand_back(scenario: Scenario, minutes: int, *, spot: bool = True) -> list[tuple[Filler, int]]:
    """``minutes`` handed back to the channel's own programming: one public-service spot when
    there is one (and room, and ``spot``), then the station filler as one airing."""
    opener = (
        next(
            (
                f
                for f in scenario.fillers
                if f.kind in ("psa", "ident") and f.max_minutes is None and f.minutes + 5 <= minutes
            ),
            None,
        )
        if spot
        else None
    )
    if opener is None:
        return [(scenario.station_filler, minutes)]
    return [(opener, opener.minutes), (scenario.station_filler, minutes - opener.minutes)]


def _pieces(gap: TimeRange, unused: list[TimeRange]) -> list[tuple[TimeRange, bool]]:
    """The gap cut at the edges of unusable stretches: (piece, whether nobody may use it)."""
    cuts = {gap.start, gap.end}
    for stretch in unused:
        cuts |= {m for m in (stretch.start, stretch.end) if gap.start < m < gap.end}
    points = sorted(cuts)
    return [
        (piece, any(s.covers(piece.start, piece.end) for s in unused))
        for piece in (TimeRange(a, b) for a, b in itertools.pairwise(points))
    ]


def fill(scenario: Scenario, programmes: list[Programme]) -> list[Programme]:
    """Fillers covering every uncovered minute of every window in the horizon: the dead air of
    :func:`scheduler.domain.facts.dead_air`, the same the continuity rule reports."""
    placed = [
        Placed(p, *where) for p in programmes if (where := broadcast_day(scenario, p)) is not None
    ]
    ends: dict[tuple[str, date, int], list[Placed]] = defaultdict(list)
    for airing in placed:
        ends[(airing.programme.channel, airing.day, airing.end)].append(airing)
    unused = by_channel_day(unusable(scenario))
    # merged within a window only: an airing never spans two windows, even touching ones
    plans: dict[tuple[str, date, int], list[tuple[Filler, int, int]]] = defaultdict(list)
    for channel_id, day, gap in dead_air(scenario, placed):
        channel = scenario.channel(channel_id)
        window = next(
            (span for span in channel.spans_on(day) if span.covers(gap.start, gap.end)), gap
        )
        before = min(
            ends.get((channel_id, day, gap.start), []), key=lambda a: (a.start, a.end), default=None
        )
        after_lesson = (
            window.start != gap.start and before is not None and before.programme.is_lesson
        )
        plan = plans[(channel_id, day, window.start)]
        for piece, idle in _pieces(gap, unused.get((channel_id, day), [])):
            # a hand-back that goes on from the last one opens with no spot
            going_on = (
                bool(plan) and plan[-1][0] is scenario.station_filler and plan[-1][2] == piece.start
            )
            plan += _cover(scenario, piece, idle, after_lesson, going_on)
            after_lesson = False
    return [
        _airing(scenario.channel(channel_id), day, filler, start, end)
        for (channel_id, day, _), plan in plans.items()
        for filler, start, end in _merged(plan)
    ]


def _cover(
    scenario: Scenario, piece: TimeRange, idle: bool, after_lesson: bool, going_on: bool
) -> list[tuple[Filler, int, int]]:
    """Fillers as (filler, start, end) covering one piece of a gap; ``going_on``: the piece
    follows a station block."""
    eye = _by_kind(scenario, "eye_exercise")
    if not idle:
        plan = gap_plan(scenario, piece.minutes, after_lesson)
        if (
            going_on
            and plan
            and plan[0][0] is not scenario.station_filler
            and piece.minutes > (promo(scenario).max_minutes or 1)
        ):
            plan = hand_back(scenario, piece.minutes, spot=False)
    elif after_lesson and eye and piece.minutes > eye[0].minutes:
        plan = [(eye[0], eye[0].minutes), *hand_back(scenario, piece.minutes - eye[0].minutes)]
    else:
        plan = hand_back(scenario, piece.minutes, spot=not going_on)
    cursor, covered = piece.start, []
    for filler, length in plan:
        covered.append((filler, cursor, cursor + length))
        cursor += length
    return covered


def _merged(plan: list[tuple[Filler, int, int]]) -> list[tuple[Filler, int, int]]:
    """Adjacent airings of one variable-length filler as one, within its longest length."""
    merged: list[tuple[Filler, int, int]] = []
    for filler, start, end in plan:
        if merged:
            last, first, until = merged[-1]
            longest = last.max_minutes
            if last is filler and until == start and longest is not None and end - first <= longest:
                merged[-1] = (last, first, end)
                continue
        merged.append((filler, start, end))
    return merged


def _airing(channel: Channel, day: date, filler: Filler, start: int, end: int) -> Programme:
    return Programme(
        start=channel.instant(day, start),
        end=channel.instant(day, end),
        channel=channel.id,
        id=_filler_id(channel.id, day, start),
        kind=Kind.FILLER,
        title=filler.title,
        item=filler.id,
    )


def _filler_id(channel: str, day: date, minute: int) -> str:
    return f"{channel}-{day:%Y%m%d}-{format_clock(minute).replace(':', '')}"
