"""Continuity: cover every gap of every window with fillers, so the day is legal on air.

A gap after a lesson opens with eye exercises (notice §三.8: 做视力保健操), then indoor
exercise when there is room, then public-service spots and the variable-length promo.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scheduler.facts import Placed, dead_air
from scheduler.model import Filler, Scenario, format_clock
from scheduler.schedule import Kind, Programme, broadcast_day


def _by_kind(scenario: Scenario, kind: str) -> list[Filler]:
    return [f for f in scenario.fillers if f.kind == kind]


def gap_plan(scenario: Scenario, minutes: int, after_lesson: bool) -> list[tuple[Filler, int]]:
    """The fillers, with lengths, that cover a gap of ``minutes``."""
    plan: list[tuple[Filler, int]] = []
    left = minutes
    eye = _by_kind(scenario, "eye_exercise")
    exercise = _by_kind(scenario, "exercise")
    spots = _by_kind(scenario, "psa") + _by_kind(scenario, "ident")
    promo = next(f for f in scenario.fillers if f.max_minutes is not None and f.minutes == 1)
    assert promo.max_minutes is not None
    if after_lesson and eye and left >= eye[0].minutes:
        plan.append((eye[0], eye[0].minutes))
        left -= eye[0].minutes
    if exercise and left >= exercise[0].minutes + 5:
        plan.append((exercise[0], exercise[0].minutes))
        left -= exercise[0].minutes
    turn = 0
    while left > 0:
        if left > promo.max_minutes and spots:
            spot = spots[turn % len(spots)]
            turn += 1
            if spot.max_minutes is None and spot.minutes < left:
                plan.append((spot, spot.minutes))
                left -= spot.minutes
                continue
        length = min(left, promo.max_minutes)
        plan.append((promo, length))
        left -= length
    return plan


def fill(scenario: Scenario, programmes: list[Programme]) -> list[Programme]:
    """Fillers covering every uncovered minute of every window in the horizon: the dead air of
    :func:`scheduler.facts.dead_air`, the same the continuity rule reports."""
    placed = [Placed(p, *where) for p in programmes
              if (where := broadcast_day(scenario, p)) is not None]
    ends: dict[tuple[str, date, int], list[Placed]] = defaultdict(list)
    for airing in placed:
        ends[(airing.programme.channel, airing.day, airing.end)].append(airing)
    fillers: list[Programme] = []
    for channel_id, day, gap in dead_air(scenario, placed):
        channel = scenario.channel(channel_id)
        opens_window = any(span.start == gap.start for span in channel.spans_on(day))
        before = min(ends.get((channel_id, day, gap.start), []),
                     key=lambda a: (a.start, a.end), default=None)
        after_lesson = not opens_window and before is not None and before.programme.is_lesson
        cursor = gap.start
        for filler, length in gap_plan(scenario, gap.minutes, after_lesson):
            fillers.append(Programme(
                start=channel.instant(day, cursor), end=channel.instant(day, cursor + length),
                channel=channel.id, id=_filler_id(channel.id, day, cursor), kind=Kind.FILLER,
                title=filler.title, item=filler.id,
            ))
            cursor += length
    return fillers


def _filler_id(channel: str, day: date, minute: int) -> str:
    return f"{channel}-{day:%Y%m%d}-{format_clock(minute).replace(':', '')}"
