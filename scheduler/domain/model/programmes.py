"""Airings besides lessons: specials with a weekly quota, fillers, pinned programmes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.clock import MAX_MINUTE, TimeRange, check_id

FILLER_KINDS = ("eye_exercise", "exercise", "psa", "ident", "promo", "station")


@dataclass(frozen=True, slots=True)
class Special:
    """A non-curricular segment (epidemic prevention, life education …) with a weekly quota."""

    id: str
    title: str
    topic: str
    minutes: int
    per_week: int
    grades: tuple[int, ...] = ()
    hours: tuple[TimeRange, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id, "special")
        if self.minutes <= 0 or self.per_week < 0:
            raise ScenarioError(f"special {self.id!r}: minutes must be positive, quota ≥ 0")


@dataclass(frozen=True, slots=True)
class Filler:
    """Material that covers gaps: eye exercises, indoor exercise, public-service spots, promos.

    A filler with ``max_minutes`` has a variable length from ``minutes`` to ``max_minutes``.
    """

    id: str
    title: str
    kind: str
    minutes: int
    max_minutes: int | None = None

    def __post_init__(self) -> None:
        check_id(self.id, "filler")
        if self.kind not in FILLER_KINDS:
            raise ScenarioError(
                f"filler {self.id!r}: kind {self.kind!r} is not one of {', '.join(FILLER_KINDS)}"
            )
        if self.minutes <= 0 or (self.max_minutes is not None and self.max_minutes < self.minutes):
            raise ScenarioError(f"filler {self.id!r}: lengths must be positive and min ≤ max")


STATION_FILLER = Filler("station", "常规节目", "station", 1, MAX_MINUTE)
"""The channel's own programming, built in: takes back airtime no lesson, special or pinned
item may use, as one airing per stretch, when a scenario declares no filler of kind
``station``."""


@dataclass(frozen=True, slots=True)
class Pinned:
    """A fixed programme at a fixed time (a ceremony, a press-conference relay)."""

    id: str
    channel: str
    day: date
    span: TimeRange
    title: str
    grades: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id, "pinned")
