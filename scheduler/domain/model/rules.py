"""Parameters of the policy rules, and the solver's and the exports' settings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.clock import DAY_MINUTES, MAX_MINUTE, TimeRange

RERUN_MODES = ("off", "soft", "required")


@dataclass(frozen=True, slots=True)
class Rest:
    """Minimum rest between two lesson airings of one grade (across channels)."""

    minutes: int = 10


@dataclass(frozen=True, slots=True)
class Pace:
    """At most ``per_week`` new lessons per course per ISO week and ``per_day`` per day."""

    per_week: int = 5
    per_day: int = 1


@dataclass(frozen=True, slots=True)
class Reruns:
    """Repeats of a day's premiere, later the same broadcast day in another daypart.

    ``mode``: off, soft (rewarded with ``weight`` per minute) or required (every premiere).
    """

    mode: str = "soft"
    within_minutes: int = 600
    weight: float = 0.3
    dayparts: tuple[TimeRange, ...] = (
        TimeRange(0, 12 * 60),
        TimeRange(12 * 60, 18 * 60),
        TimeRange(18 * 60, MAX_MINUTE),
    )

    def __post_init__(self) -> None:
        if self.mode not in RERUN_MODES:
            raise ScenarioError(f"rerun mode {self.mode!r} is not one of {', '.join(RERUN_MODES)}")
        if self.within_minutes <= 0 or self.weight < 0:
            raise ScenarioError("reruns: within_minutes must be positive and weight ≥ 0")

    def daypart(self, minute: int) -> int:
        """Index of the daypart holding ``minute`` (-1 if none)."""
        parts = enumerate(self.dayparts)
        return next((i for i, part in parts if part.start <= minute < part.end), -1)


@dataclass(frozen=True, slots=True)
class Balance:
    """Soft spread of a grade's lessons over the week: penalty per minute of daily spread."""

    weight: float = 0.05


@dataclass(frozen=True, slots=True)
class FillerRule:
    """Filler sanity: at most ``max_repeats`` airings of one filler in a row on a channel."""

    max_repeats: int = 3

    def __post_init__(self) -> None:
        if self.max_repeats < 1:
            raise ScenarioError("fillers: max_repeats must be 1 or more")


@dataclass(frozen=True, slots=True)
class Rules:
    """Parameters of the policy rules that are not carried by bands, cohorts or courses."""

    rest: Rest = Rest()
    pace: Pace = Pace()
    reruns: Reruns = Reruns()
    balance: Balance = Balance()
    fillers: FillerRule = FillerRule()


@dataclass(frozen=True, slots=True)
class SolverSettings:
    """Defaults for a solve; the command line overrides them."""

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Publishing:
    """Settings of the exports, not of the plan; the command line overrides them.

    ``sms_signature`` is the 【签名】 an SMS gateway adds to every text (counted in its budget);
    ``alarm_minutes`` adds a reminder that long before each calendar event; ``base_url`` is where
    the output folder is served (``https://example.org/kebiao/``), for feeds' own URLs and
    ``webcal://`` links.
    """

    sms_signature: str = ""
    alarm_minutes: int | None = None
    base_url: str = ""

    def __post_init__(self) -> None:
        if len(self.sms_signature) > 16 or any(ord(c) < 0x20 for c in self.sms_signature):
            raise ScenarioError(
                f"SMS signature {self.sms_signature!r} is not one line of at most 16 characters"
            )
        if self.alarm_minutes is not None and not 0 <= self.alarm_minutes <= 7 * DAY_MINUTES:
            raise ScenarioError(
                f"alarm minutes {self.alarm_minutes} is not 0 … {7 * DAY_MINUTES} (a week)"
            )
        if self.base_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", self.base_url):
            raise ScenarioError(
                f"base URL {self.base_url!r} is not an http:// or https:// address without "
                "a query, e.g. https://example.org/kebiao/"
            )
