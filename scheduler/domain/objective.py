"""The objective, computed from plain data; the solver posts exactly these integer terms.

    objective = Σ premiere minutes · band weight · course weight                (coverage)
              + Σ rerun minutes · band weight · course weight · rerun weight    (reruns)
              − Σ over grades and weeks of balance weight · (max − min daily lesson minutes)

Weights are read to two decimals and the sum is kept as an integer of ``SCALE`` units, so the
solver's objective and this recomputation agree exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from scheduler.domain.model import Course, Scenario
from scheduler.domain.programme import Kind, broadcast_day
from scheduler.domain.rooms import lesson_days

if TYPE_CHECKING:
    from scheduler.domain.schedule import Schedule

SCALE = 1_000_000


def _hundredths(value: float) -> int:
    return round(value * 100)


def premiere_rate(scenario: Scenario, course: Course) -> int:
    """Objective units per minute of a premiere of ``course``."""
    band = scenario.band_of(course.grade)
    return _hundredths(band.weight) * _hundredths(course.weight) * 100


def rerun_rate(scenario: Scenario, course: Course) -> int:
    """Objective units per minute of a rerun of ``course`` (0 when reruns are off)."""
    reruns = scenario.rules.reruns
    if reruns.mode == "off":
        return 0
    band = scenario.band_of(course.grade)
    return _hundredths(band.weight) * _hundredths(course.weight) * _hundredths(reruns.weight)


def balance_rate(scenario: Scenario) -> int:
    """Objective units lost per minute of spread between a grade's busiest and quietest day."""
    return round(scenario.rules.balance.weight * SCALE)


def balance_days(scenario: Scenario, grade: int, week: tuple[date, ...]) -> tuple[date, ...]:
    """Days of a week on which the grade could have lessons (the days balance compares)."""
    days = set(lesson_days(scenario, grade))
    return tuple(day for day in week if day in days)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The objective's parts in integer units; ``total`` in points."""

    coverage: int
    reruns: int
    balance: int

    @property
    def units(self) -> int:
        return self.coverage + self.reruns - self.balance

    @property
    def total(self) -> float:
        return self.units / SCALE


def evaluate(scenario: Scenario, schedule: Schedule) -> Breakdown:
    """Recompute the objective of any schedule from its airings."""
    courses = {course.id: course for course in scenario.courses}
    coverage = reruns = 0
    daily: dict[tuple[int, date], int] = defaultdict(int)
    for programme in schedule:
        course = courses.get(programme.course or "")
        if course is None or not programme.is_lesson:
            continue
        if programme.kind is Kind.LESSON:
            coverage += premiere_rate(scenario, course) * programme.minutes
            located = broadcast_day(scenario, programme)
            if located is not None:
                daily[(course.grade, located[0])] += programme.minutes
        else:
            reruns += rerun_rate(scenario, course) * programme.minutes
    balance = 0
    rate = balance_rate(scenario)
    if rate:
        for grade in scenario.grade_numbers:
            open_days = set(lesson_days(scenario, grade))  # balance_days, looked up once
            for week in scenario.weeks():
                days = [day for day in week if day in open_days]
                if days:
                    minutes = [daily[(grade, day)] for day in days]
                    balance += rate * (max(minutes) - min(minutes))
    return Breakdown(coverage=coverage, reruns=reruns, balance=balance)
