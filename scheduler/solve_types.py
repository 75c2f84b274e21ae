"""Plain records shared by the weekly engines: what a week's answer holds."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.result import Status
from scheduler.schedule import Kind


@dataclass(frozen=True, slots=True)
class Placed:
    """One airing of a week's answer, independent of the week's dates."""

    kind: Kind
    ref: str  # course, special or pinned id
    day_index: int
    slot: int
    channel: str
    start: int  # wall-clock minutes of the broadcast day
    end: int


@dataclass(frozen=True, slots=True)
class WeekAnswer:
    status: Status
    placed: tuple[Placed, ...]
    objective: int
    bound: int | None  # None: no bound proven (a week planned by the greedy fallback)
    wall: float
    explanation: tuple[str, ...] = ()
