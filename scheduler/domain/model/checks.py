"""Checks of a scenario's parts against one another: windows and pins in real time, periods."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.channels import Channel, ClockError, _wall_instant
from scheduler.domain.model.clock import TimeRange
from scheduler.domain.model.courses import Band, Course, Grade
from scheduler.domain.model.programmes import Pinned

if TYPE_CHECKING:
    from scheduler.domain.model.scenario import Scenario


def _check_channel_days(channel: Channel, days: tuple[date, ...]) -> None:
    """Windows must not overlap, on one day nor across days in real time (Monday 23:00–25:30
    and Tuesday 01:00–02:00), and must not hold a wall time the zone skips or repeats."""
    real: list[tuple[datetime, datetime, date, TimeRange]] = []
    for day in days:
        spans = channel.spans_on(day)
        for before, after in itertools.pairwise(spans):
            if before.overlaps(after):
                raise ScenarioError(
                    f"channel {channel.id!r}: windows {before.label} and {after.label} "
                    f"overlap on {day}"
                )
        for span in spans:
            try:
                _check_clock(channel, day, span)
            except ScenarioError as error:
                raise ScenarioError(
                    error.message, field=_window_field(channel, day, span) + (error.field or "")
                ) from None
            real.append(
                (channel.instant(day, span.start), channel.instant(day, span.end), day, span)
            )
    real.sort(key=lambda item: (item[0], item[1]))
    for (_, end, day, span), (start, _, next_day, next_span) in itertools.pairwise(real):
        if start < end:
            raise ScenarioError(
                f"channel {channel.id!r}: window {span.label} of {day} and window "
                f"{next_span.label} of {next_day} overlap in real time "
                f"({start:%Y-%m-%d %H:%M} to {end:%H:%M}); shorten one of them",
                field=_window_field(channel, next_day, next_span),
            )


def _window_field(channel: Channel, day: date, span: TimeRange) -> str:
    """``windows[i]``: the window of ``channel`` that puts ``span`` on ``day``."""
    dated = any(day in w.dates for w in channel.windows)
    for index, window in enumerate(channel.windows):
        if window.span == span and (
            day in window.dates if dated else day.weekday() in window.weekdays
        ):
            return f"windows[{index}]"
    return "windows"


#: Step between the wall-clock minutes of a window that are checked against the zone's rules;
#: tz database changes skip or repeat at least 30 minutes.
CLOCK_STEP = 15


def _check_clock(channel: Channel, day: date, span: TimeRange, what: str = "window") -> None:
    """A window's (or pinned item's) wall-clock minutes must all exist once, at one offset."""
    offsets: set[timedelta | None] = set()
    for minute in (*range(span.start, span.end, CLOCK_STEP), span.end - 1):
        instant = _wall_instant(channel.zone, day, minute)
        if instant is None:
            error = ClockError(channel, day, minute)
            end = minute == span.end - 1 and len(offsets) == 1
            raise ScenarioError(
                f"channel {channel.id!r}: {what} {span.label} on {day} crosses a "
                f"daylight-saving change: {error.message}",
                field=".start" if minute == span.start else ".end" if end else None,
            )
        offsets.add(instant.utcoffset())
    if len(offsets) > 1:
        raise ScenarioError(
            f"channel {channel.id!r}: {what} {span.label} on {day} crosses a daylight-saving "
            "change; split it at the change"
        )


def _check_periods(
    scenario: Scenario,
    grades: Mapping[int, Grade],
    grade2band: Mapping[int, Band],
    grade2courses: Mapping[int, list[Course]],
    channels: Mapping[str, Channel],
) -> None:
    """Fixed periods: known grades and channel, once per grade, inside the band's hours, long
    enough for the grade's lessons and a rest apart."""
    seen: set[int] = set()
    rest = scenario.rules.rest.minutes
    for p, plan in enumerate(scenario.timetable.periods):
        where = f"timetable.periods[{p}]"
        if plan.channel is not None and plan.channel not in channels:
            raise ScenarioError(
                f"periods name unknown channel {plan.channel!r}", field=f"{where}.channel"
            )
        for number in plan.grades:
            if number not in grades:
                raise ScenarioError(f"periods name unknown grade {number}", field=f"{where}.grades")
            if number in seen:
                raise ScenarioError(f"grade {number} has periods twice", field=f"{where}.grades")
            seen.add(number)
            if plan.channel is None and len(channels) > 1 and not grades[number].channels:
                raise ScenarioError(
                    f"grade {number} may use several channels: name the periods' channel",
                    field=f"{where}.channel",
                )
            band = grade2band[number]
            longest = max(
                (
                    lesson.minutes
                    for course in grade2courses.get(number, [])
                    for lesson in course.lessons
                ),
                default=0,
            )
            for span in plan.spans:
                if not any(hours.covers(span.start, span.end) for hours in band.hours):
                    raise ScenarioError(
                        f"period {span.label} of grade {number} lies outside the hours of band "
                        f"{band.id!r}",
                        field=f"{where}.times",
                    )
                if span.minutes < longest:
                    raise ScenarioError(
                        f"period {span.label} of grade {number} is shorter than its longest "
                        f"lesson ({longest} min)",
                        field=f"{where}.times",
                    )
        ordered = sorted(plan.spans, key=lambda span: span.start)
        for before, after in itertools.pairwise(ordered):
            if after.start - before.end < rest:
                raise ScenarioError(
                    f"periods {before.label} and {after.label} are {after.start - before.end} "
                    f"min apart; the rest rule needs {rest}",
                    field=f"{where}.times",
                )


def _check_pinned(pinned: tuple[Pinned, ...], channels: Mapping[str, Channel]) -> None:
    for p, item in enumerate(pinned):
        channel = channels.get(item.channel)
        if channel is None:
            raise ScenarioError(
                f"pinned {item.id!r} names unknown channel {item.channel!r}",
                field=f"pinned[{p}].channel",
            )
        try:
            _check_clock(channel, item.day, item.span, f"pinned {item.id!r}")
        except ScenarioError as error:
            raise ScenarioError(error.message, field=f"pinned[{p}]") from None
        spans = channel.spans_on(item.day)
        if not any(span.covers(item.span.start, item.span.end) for span in spans):
            raise ScenarioError(
                f"pinned {item.id!r} at {item.day} {item.span.label} lies outside the "
                f"broadcast windows of {item.channel!r}",
                field=f"pinned[{p}]",
            )
    ordered = sorted(enumerate(pinned), key=lambda e: (e[1].channel, e[1].day, e[1].span.start))
    for (_, before), (p, after) in itertools.pairwise(ordered):
        if (before.channel, before.day) == (after.channel, after.day) and before.span.overlaps(
            after.span
        ):
            raise ScenarioError(
                f"pinned {before.id!r} and {after.id!r} overlap on {before.day} "
                f"({before.span.label} and {after.span.label})",
                field=f"pinned[{p}]",
            )
