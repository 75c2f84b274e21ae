"""Disruptions a planner states when a published plan no longer holds (issue 12).

* :class:`Outage`: a channel off air for a dated span (a technical fault, a relay that takes the
  transponder), on each day ``first`` … ``last`` from ``start`` to ``end`` on the broadcast day's
  clock (whole days by default). The channel's windows lose that time
  (:meth:`scheduler.domain.model.Channel.spans_on`), so nothing is planned in it and no filler
  is owed for it.
* A late recording: a lesson's ``available_from`` (:class:`scheduler.domain.model.Lesson`); the
  lesson, and so every later lesson of its course, airs from that day on.
* Back to school: a grade's ``term_end`` (:class:`scheduler.domain.model.Grade`); from that day
  the grade has no lessons on air (:meth:`scheduler.domain.model.Grade.on_air`).

Pure data, no I/O; the rules that check them are ``constraints/outages.py``,
``constraints/availability.py`` and ``constraints/term_end.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.domain.errors import ScenarioError

#: The end of a broadcast day's clock: windows may run past midnight, up to 48:00.
DAY_END = 48 * 60


@dataclass(frozen=True, slots=True)
class Outage:
    """``channel`` off air on every day ``first`` … ``last`` during ``[start, end)`` (wall-clock
    minutes of the broadcast day; the whole day by default)."""

    channel: str
    first: date
    last: date
    start: int = 0
    end: int = DAY_END
    reason: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScenarioError(f"outage of {self.channel!r}: last {self.last} before first")
        if not 0 <= self.start < self.end <= DAY_END:
            raise ScenarioError(f"outage of {self.channel!r}: start must be before end")

    def covers(self, day: date) -> bool:
        """Whether the outage falls on broadcast ``day``."""
        return self.first <= day <= self.last

    def hits(self, day: date, start: int, end: int) -> bool:
        """Whether ``[start, end)`` of broadcast ``day`` is (partly) off air."""
        return self.covers(day) and start < self.end and self.start < end

    @property
    def label(self) -> str:
        days = f"{self.first}" if self.first == self.last else f"{self.first}…{self.last}"
        if (self.start, self.end) == (0, DAY_END):
            return f"{self.channel} off air {days}"
        clock = (
            f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"
        )
        return f"{self.channel} off air {days} {clock}"


def on_air(start: int, end: int, outages: tuple[Outage, ...], day: date) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` of broadcast ``day`` outside every outage."""
    pieces = [(start, end)]
    for outage in outages:
        if not outage.covers(day):
            continue
        kept = []
        for a, b in pieces:
            if outage.end <= a or b <= outage.start:
                kept.append((a, b))
                continue
            if a < outage.start:
                kept.append((a, outage.start))
            if outage.end < b:
                kept.append((outage.end, b))
        pieces = kept
    return pieces


__all__ = ["DAY_END", "Outage", "on_air"]
