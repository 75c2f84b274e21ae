"""Continuity: cover every gap of every window with fillers, so the day is legal on air.

A gap after a lesson opens with eye exercises (notice §三.8: 做视力保健操), then indoor
exercise when there is room, then public-service spots and the variable-length promo.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

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
    """Fillers covering every uncovered minute of every window in the horizon."""
    placed: dict[tuple[str, date], list[tuple[int, int, Programme]]] = defaultdict(list)
    for programme in programmes:
        located = broadcast_day(scenario, programme)
        if located is not None:
            day, start, end = located
            placed[(programme.channel, day)].append((start, end, programme))
    fillers: list[Programme] = []
    for channel in scenario.channels:
        for day in scenario.days:
            items = sorted(placed.get((channel.id, day), []), key=lambda t: (t[0], t[1]))
            for span in channel.spans_on(day):
                cursor = span.start
                previous: Programme | None = None
                inside: list[tuple[int, int, Programme | None]] = [
                    t for t in items if t[0] < span.end and t[1] > span.start
                ]
                for start, end, airing in [*inside, (span.end, span.end, None)]:
                    if start > cursor:
                        after_lesson = previous is not None and previous.is_lesson
                        for filler, length in gap_plan(scenario, start - cursor, after_lesson):
                            fillers.append(
                                Programme(
                                    start=channel.instant(day, cursor),
                                    end=channel.instant(day, cursor + length),
                                    channel=channel.id,
                                    id=_filler_id(channel.id, day, cursor),
                                    kind=Kind.FILLER,
                                    title=filler.title,
                                    item=filler.id,
                                )
                            )
                            cursor += length
                    if end > cursor:
                        cursor, previous = end, airing
    return fillers


def _filler_id(channel: str, day: date, minute: int) -> str:
    return f"{channel}-{day:%Y%m%d}-{format_clock(minute).replace(':', '')}"
