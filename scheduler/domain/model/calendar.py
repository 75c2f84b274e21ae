"""The school calendar (lesson days, holidays, make-up days) and the timetable's periods."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.clock import WEEKDAY_ZH, WEEKDAYS, TimeRange

TIMETABLE_MODES = ("template", "free")


@dataclass(frozen=True, slots=True)
class Holiday:
    """Dates without new lessons (a public holiday): reruns, specials and the channel's own
    programming only."""

    name: str
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScenarioError(f"holiday {self.name!r} ends before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Workday:
    """A make-up school day (调休) on a day that is otherwise free; it follows the timetable
    of weekday ``follows`` (0 = Monday)."""

    name: str
    day: date
    follows: int

    def __post_init__(self) -> None:
        if not 0 <= self.follows <= 6:
            raise ScenarioError(f"workday {self.name!r}: follows must be a weekday mon..sun")


@dataclass(frozen=True, slots=True)
class Calendar:
    """The school calendar: which days carry new lessons (lesson days) and whose timetable.

    A day is a lesson day when it is a make-up workday, or when its weekday is one of
    ``lesson_weekdays`` and no holiday covers it.
    """

    lesson_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[Holiday, ...] = ()
    workdays: tuple[Workday, ...] = ()

    def __post_init__(self) -> None:
        if any(not 0 <= day <= 6 for day in self.lesson_weekdays):
            raise ScenarioError("lesson_days are weekdays mon..sun")
        for workday in self.workdays:
            if workday.follows not in self.lesson_weekdays:
                raise ScenarioError(
                    f"workday {workday.name!r} follows {WEEKDAYS[workday.follows]}, which is "
                    "not a lesson day"
                )
            if any(workday.day in holiday for holiday in self.holidays):
                raise ScenarioError(f"workday {workday.name!r} on {workday.day} is a holiday")

    def timetable_weekday(self, day: date) -> int | None:
        """The weekday whose timetable ``day`` follows, or None when it is no lesson day."""
        for workday in self.workdays:
            if workday.day == day:
                return workday.follows
        if any(day in holiday for holiday in self.holidays):
            return None
        return day.weekday() if day.weekday() in self.lesson_weekdays else None

    def is_lesson_day(self, day: date) -> bool:
        return self.timetable_weekday(day) is not None

    def deviation(self, day: date) -> str | None:
        """Why ``day`` differs from its weekday's usual timetable (a holiday, a make-up day)."""
        for workday in self.workdays:
            if workday.day == day:
                return f"{workday.name}（调休，按{WEEKDAY_ZH[workday.follows]}课表）"
        for holiday in self.holidays:
            if day in holiday and day.weekday() in self.lesson_weekdays:
                return holiday.name
        return None


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    """Periods fixed by the planner for some grades: their lessons start at these clock times
    (第1节, 第2节 …) on every lesson day, on ``channel`` (or the grades' only channel)."""

    grades: tuple[int, ...]
    spans: tuple[TimeRange, ...]
    channel: str | None = None

    def __post_init__(self) -> None:
        if not self.grades or not self.spans:
            raise ScenarioError("periods need grades and times")
        for before, after in itertools.pairwise(sorted(self.spans, key=lambda s: s.start)):
            if before.overlaps(after):
                raise ScenarioError(f"periods {before.label} and {after.label} overlap")


@dataclass(frozen=True, slots=True)
class Timetable:
    """How lessons are timed. ``template``: every grade has periods (fixed clock times on all
    lesson days) and a weekly timetable that repeats every week; ``free``: lessons anywhere
    in their hours (the regularity-free reference, for the price of regularity)."""

    mode: str = "template"
    periods: tuple[PeriodPlan, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in TIMETABLE_MODES:
            raise ScenarioError(
                f"timetable mode {self.mode!r} is not one of {', '.join(TIMETABLE_MODES)}"
            )

    def fixed_for(self, grade: int) -> PeriodPlan | None:
        """The planner's periods of ``grade``, if any."""
        return next((plan for plan in self.periods if grade in plan.grades), None)
