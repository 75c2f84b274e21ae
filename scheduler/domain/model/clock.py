"""Time of day on a broadcast day, ranges of it, the horizon, and safe ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.domain.errors import ScenarioError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DAY_MINUTES = 24 * 60
MAX_MINUTE = 2 * DAY_MINUTES
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")  # \Z: no final newline


def check_id(value: str, what: str) -> str:
    """Return ``value`` if it is a safe identifier (no path separators, dots first, spaces)."""
    if not isinstance(value, str) or not SAFE_ID.match(value) or ".." in value:
        raise ScenarioError(
            f"{what} id {value!r} is not safe: use letters, digits, '.', '_' and '-' only, "
            "starting with a letter or digit (at most 64 characters)"
        )
    return value


def parse_clock(text: str) -> int:
    """``"08:30"`` → 510; hours up to 48 so a broadcast day may run past midnight."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip()) if isinstance(text, str) else None
    if not match or int(match[2]) >= 60:
        raise ScenarioError(f"{text!r} is not a time of day like '08:30'")
    minute = int(match[1]) * 60 + int(match[2])
    if minute > MAX_MINUTE:
        raise ScenarioError(f"{text!r} is beyond 48:00, the end of the longest broadcast day")
    return minute


def format_clock(minute: int) -> str:
    """510 → ``"08:30"``; minutes past midnight keep counting (``"25:30"``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A half-open stretch ``[start, end)`` of a broadcast day, in minutes after its midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= MAX_MINUTE or not 0 <= self.end <= MAX_MINUTE:
            raise ScenarioError(f"{self.label} lies outside the broadcast day (00:00–48:00)")
        if self.end <= self.start:
            raise ScenarioError(f"{self.label} ends before it starts")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"

    def covers(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside this range."""
        return self.start <= start and end <= self.end

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end

    def clip(self, other: TimeRange) -> TimeRange | None:
        """The common part of two ranges, or None."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return TimeRange(start, end) if start < end else None


@dataclass(frozen=True, slots=True)
class Horizon:
    """The broadcast days to plan, first and last inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScenarioError("the horizon ends before it starts")
        if (self.last - self.first).days > 370:
            raise ScenarioError("the horizon is longer than a year")

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last - self.first).days + 1
        return tuple(self.first + timedelta(days=i) for i in range(count))


def intersect(
    spans: tuple[TimeRange, ...], allowed: tuple[TimeRange, ...]
) -> tuple[TimeRange, ...]:
    """Pieces of ``spans`` inside ``allowed`` (both lists of disjoint ranges)."""
    pieces = [
        piece for span in spans for hours in allowed if (piece := span.clip(hours)) is not None
    ]
    return tuple(sorted(pieces, key=lambda piece: piece.start))
