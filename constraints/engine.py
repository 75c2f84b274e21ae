"""What a rule asks of an engine: the small protocols the rule modules post onto.

The rules depend on these, never on an engine's internals; the engines in
``scheduler/solver/`` implement them. Three engines post rules:

- :class:`LinearModel`: the week grid (``scheduler/solver/grid.py``, a MIP for HiGHS), whose
  integer columns count airings of a kind in a room; a rule adds rows over them
  (``post_grid``).
- :class:`IntervalModel`: the interval model (``scheduler/solver/cpmodel.py``, CP-SAT), whose
  activities have a start, a size and a presence per room; a rule adds constraints on them,
  switchable by a :class:`Guard` when infeasibility is being explained (``post``).
- :class:`DayModel`: the day sequencer (``scheduler/solver/sequence.py``, CP-SAT), which
  gives each airing the grid chose its minute (``post_day``).

The greedy planner (``scheduler/solver/greedy.py``) asks each rule whether an airing may go
where it looks (``allows``), on a :class:`Draft` of the day so far.

No solver library is imported here: model expressions are opaque (``Any``) to the rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from scheduler.domain.model import Course, Pinned, Scenario, Special
from scheduler.domain.rooms import Period, Room
from scheduler.domain.schedule import Kind

#: An unbounded side of a grid row.
INF = math.inf

#: A grid row: ``low ≤ Σ coefficients · columns ≤ high``, with a label for debugging.
Row = tuple[float, float, list[int], list[int], str]

#: A model expression or variable of the engine's solver (opaque to the rules).
Expr = Any


@dataclass(frozen=True, slots=True)
class Guard:
    """A switchable group of constraints, for explaining infeasibility with assumptions."""

    rule: str
    description: str
    channel: str | None = None
    day: date | None = None
    grade: int | None = None


# -- the week grid (HiGHS) ------------------------------------------------------------------------
class GridCell(Protocol):
    """A grid column: up to ``upper`` airings of ``ref`` (course or special) of ``length``
    minutes in ``room``; ``order`` numbers a course's premieres when its lessons differ in
    length."""

    @property
    def kind(self) -> Kind: ...
    @property
    def ref(self) -> str: ...
    @property
    def room(self) -> Room: ...
    @property
    def length(self) -> int: ...
    @property
    def grade(self) -> int | None: ...
    @property
    def upper(self) -> int: ...
    @property
    def order(self) -> int | None: ...


class LinearModel(Protocol):
    """A week's grid: columns (cells and extra columns) a rule adds rows over."""

    rows: list[Row]
    #: (grade, days, busiest-day column, quietest-day column, step) per balanced grade
    balance_pairs: list[tuple[int, tuple[date, ...], int, int, int]]
    #: (period-use column, the cells that use the period) per course and period
    usage: list[tuple[int, list[int]]]

    @property
    def scenario(self) -> Scenario: ...
    @property
    def week(self) -> tuple[date, ...]: ...
    @property
    def progress(self) -> dict[str, int]: ...
    @property
    def cells(self) -> Sequence[GridCell]: ...
    @property
    def premieres(self) -> Mapping[tuple[str, date], list[int]]:
        """Premiere cells by (course, day)."""

    @property
    def reruns(self) -> Mapping[tuple[str, date, int | None], list[int]]:
        """Rerun cells by (course, day, order)."""

    @property
    def ordered(self) -> Mapping[tuple[str, date, int | None], list[int]]:
        """Premiere cells by (course, day, order)."""

    @property
    def specials(self) -> Mapping[str, list[int]]:
        """Special cells by special."""

    @property
    def pinned(self) -> Sequence[Pinned]:
        """The week's pinned items."""

    @property
    def periods(self) -> Mapping[int, tuple[Period, ...]] | None:
        """The timetable's periods per grade (template mode), or None (free placement)."""

    @property
    def balance(self) -> bool:
        """Whether the balance term is part of this grid."""

    def row(
        self, low: float, high: float, ids: list[int], coefficients: list[int], label: str
    ) -> None:
        """Add a row unless it has no columns."""

    def extra(self, low: int, high: int, cost: int) -> int:
        """A new integer column beside the cells; its index."""


# -- the interval model (CP-SAT) ------------------------------------------------------------------
class Placement(Protocol):
    """An activity placed in one room: presence literal, interval, minutes aired there."""

    @property
    def room(self) -> Room: ...
    @property
    def present(self) -> Expr: ...
    @property
    def interval(self) -> Expr: ...
    @property
    def minutes(self) -> Expr: ...


class Activity(Protocol):
    """Something that may air in the week (a premiere, rerun, special or pinned item)."""

    @property
    def kind(self) -> Kind: ...
    @property
    def key(self) -> str: ...
    @property
    def day(self) -> date | None: ...
    @property
    def start(self) -> Expr: ...
    @property
    def end(self) -> Expr: ...
    @property
    def size(self) -> Expr: ...
    @property
    def present(self) -> Expr: ...
    @property
    def placements(self) -> Sequence[Placement]: ...
    @property
    def grade(self) -> int | None: ...
    @property
    def course(self) -> Course | None: ...
    @property
    def special(self) -> Special | None: ...


class IntervalModel(Protocol):
    """A week's interval model; ``model`` is the solver's model (constraints are added with
    ``model.add(...)``, ``add_no_overlap``, ``new_int_var``, ``new_optional_interval_var``)."""

    objective_terms: list[Expr]

    @property
    def scenario(self) -> Scenario: ...
    @property
    def week(self) -> tuple[date, ...]: ...
    @property
    def week_start(self) -> date: ...
    @property
    def progress(self) -> dict[str, int]: ...
    @property
    def model(self) -> Any: ...
    @property
    def premieres(self) -> Mapping[tuple[str, date, int], Activity]:
        """Premieres by (course, day, slot)."""

    @property
    def reruns(self) -> Mapping[tuple[str, date, int], Activity]:
        """The rerun of each premiere that may have one, by its premiere's key."""

    @property
    def specials(self) -> Sequence[Activity]: ...
    @property
    def homeless(self) -> Sequence[Special]:
        """Specials with no room this week."""

    def lessons(self) -> Sequence[Activity]: ...
    def activities(self) -> Sequence[Activity]: ...
    def pinned(self) -> Sequence[Activity]: ...
    def guard(self, guard: Guard) -> list[Expr]:
        """Enforcement literals for a switchable group (empty when not explaining)."""

    def start_among(self, activity: Activity, starts: list[int], when: Expr) -> None:
        """``activity`` starts at one of ``starts`` (week axis minutes) when ``when`` holds."""


# -- the day sequencer (CP-SAT) -------------------------------------------------------------------
class DayItem(Protocol):
    """An airing the grid chose for the day: its cell, start (real minutes of the day: wall
    clock minus the room's UTC shift) and presence (1 for specials, which must air)."""

    @property
    def cell(self) -> GridCell: ...
    @property
    def start(self) -> Expr: ...
    @property
    def present(self) -> Expr | int: ...


class DayModel(Protocol):
    """One broadcast day's sequencing model; ``model`` is the solver's model."""

    #: the rerun pairings chosen: per rerun item (by ``id``), its premiere options and literals
    partners: dict[int, list[tuple[DayItem, Expr]]]

    @property
    def scenario(self) -> Scenario: ...
    @property
    def day(self) -> date: ...
    @property
    def model(self) -> Any: ...
    @property
    def items(self) -> Sequence[DayItem]: ...
    @property
    def premieres(self) -> Mapping[str, Sequence[DayItem]]:
        """The day's premieres by course, by order then room start."""

    @property
    def repeats(self) -> Mapping[str, Sequence[DayItem]]:
        """The day's reruns by course."""

    @property
    def pinned(self) -> Sequence[Pinned]:
        """The day's pinned items."""

    @property
    def carried(self) -> tuple[tuple[int, int, int], ...]:
        """Lessons of the day before, ``(grade, start, end)`` on this day's real time line."""

    def interval(self, item: DayItem, size: int) -> Expr:
        """An interval of ``size`` minutes from the item's start, present with it."""

    def fixed(self, start: int, size: int, name: str) -> Expr:
        """A fixed interval on the day's real time line."""


# -- the greedy planner ---------------------------------------------------------------------------
class Draft(Protocol):
    """A greedy plan of one broadcast day so far, as the rules ask it "may this airing go
    here?" (each rule module's ``allows``). Spans are ``(start, end)`` minutes: wall clock per
    channel for ``busy``, the day's real (UTC-based) time line for ``lessons``."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def day(self) -> date: ...
    @property
    def busy(self) -> Mapping[str, Sequence[tuple[int, int]]]:
        """What already airs on each channel."""

    @property
    def lessons(self) -> Mapping[int, Sequence[tuple[int, int]]]:
        """Each grade's lessons and reruns (those of the day before included)."""

    @property
    def minutes(self) -> Mapping[int, int]:
        """Each grade's screen minutes (premieres and specials aimed at it)."""

    @property
    def premieres(self) -> Mapping[str, Sequence[Any]]:
        """The day's premieres of each course."""

    @property
    def aired(self) -> Mapping[str, int]:
        """The week's premieres of each course so far."""

    @property
    def specials(self) -> Mapping[str, int]:
        """The day's airings of each special."""

    @property
    def specials_aired(self) -> Mapping[str, int]:
        """The week's airings of each special so far."""

    def real(self, channel: str, start: int, end: int) -> tuple[int, int]:
        """Wall-clock minutes of ``channel`` on the day's real time line."""
