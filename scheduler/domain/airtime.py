"""Airtime nobody can use: window stretches that no grade's lesson, no special and no pinned
item may take, found by arithmetic on the scenario alone (no solver).

A stretch of a channel's broadcast window on a day is *usable* when it lies in

- the lesson hours (window ∩ band hours) of a grade that may use the channel, on a calendar
  lesson day from the grade's term start (premieres; their reruns follow them the same
  broadcast day, inside the same lesson hours);
- the hours of a special whose audience watches the channel (every day: specials have weekly
  quotas, not lesson days);
- a pinned item on that channel and day.

The rest is *unusable*: :func:`scheduler.domain.fill.fill` hands each such stretch back to the
channel's own programming as one airing of the station filler (常规节目), and ``skyclass
validate`` and the solve report list the minutes per window and day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from scheduler.domain.model import Channel, Scenario, TimeRange
from scheduler.domain.rooms import lesson_rooms, special_rooms


@dataclass(frozen=True, slots=True, order=True)
class Stretch:
    """A piece of a channel's window on a broadcast day that nothing may use."""

    channel: str
    day: date
    span: TimeRange
    window: str

    @property
    def minutes(self) -> int:
        return self.span.minutes


def usable(scenario: Scenario, channel: Channel, day: date) -> list[TimeRange]:
    """Pieces of the channel's day some lesson, special or pinned item may use (unsorted,
    possibly overlapping)."""
    pieces: list[TimeRange] = []
    if scenario.is_lesson_day(day):
        for grade in scenario.grade_numbers:
            pieces += [
                TimeRange(r.start, r.end)
                for r in lesson_rooms(scenario, grade, day)
                if r.channel == channel.id
            ]
    for special in scenario.specials:
        if special.per_week:
            pieces += [
                TimeRange(r.start, r.end)
                for r in special_rooms(scenario, special, day)
                if r.channel == channel.id
            ]
    pieces += [p.span for p in scenario.pinned if p.channel == channel.id and p.day == day]
    return pieces


def unusable(scenario: Scenario) -> tuple[Stretch, ...]:
    """Every stretch of every window in the horizon that nothing may use, in channel, day
    and time order."""
    found: list[Stretch] = []
    for channel in scenario.channels:
        for day in scenario.days:
            taken = sorted(usable(scenario, channel, day), key=lambda piece: piece.start)
            for span in channel.spans_on(day):
                cursor = span.start
                for piece in taken:
                    if piece.end <= cursor or piece.start >= span.end:
                        continue
                    if piece.start > cursor:
                        found.append(
                            Stretch(
                                channel.id,
                                day,
                                TimeRange(cursor, piece.start),
                                window_label(channel, day, span),
                            )
                        )
                    cursor = max(cursor, piece.end)
                if cursor < span.end:
                    found.append(
                        Stretch(
                            channel.id,
                            day,
                            TimeRange(cursor, span.end),
                            window_label(channel, day, span),
                        )
                    )
    return tuple(found)


def by_channel_day(stretches: tuple[Stretch, ...]) -> dict[tuple[str, date], list[TimeRange]]:
    """Stretches grouped by (channel, day), in time order."""
    grouped: dict[tuple[str, date], list[TimeRange]] = defaultdict(list)
    for stretch in stretches:
        grouped[(stretch.channel, stretch.day)].append(stretch.span)
    return grouped


def window_label(channel: Channel, day: date, span: TimeRange) -> str:
    """The planner's name of a window (``晚间``), else its clock times."""
    for window in channel.windows:
        applies = day in window.dates or (not window.dates and day.weekday() in window.weekdays)
        if applies and window.span == span and window.label:
            return window.label
    return span.label


def minutes_by_window(stretches: tuple[Stretch, ...]) -> list[tuple[str, str, str, int, int]]:
    """Rows ``(channel, window, times, days, minutes a day)``: stretches with the same
    channel, window and clock times folded over the days they occur."""
    days: dict[tuple[str, str, str], set[date]] = defaultdict(set)
    minutes: dict[tuple[str, str, str], int] = {}
    for stretch in stretches:
        key = (stretch.channel, stretch.window, stretch.span.label)
        days[key].add(stretch.day)
        minutes[key] = stretch.minutes
    return [
        (
            channel,
            window,
            times,
            len(days[(channel, window, times)]),
            minutes[(channel, window, times)],
        )
        for channel, window, times in sorted(days, key=lambda k: (k[0], k[2], k[1]))
    ]


__all__ = ["Stretch", "by_channel_day", "minutes_by_window", "unusable", "usable", "window_label"]
