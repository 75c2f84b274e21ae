"""All coverage tables of one schedule together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from scheduler.analysis.metrics.airtime import airtime_use, special_minutes
from scheduler.analysis.metrics.frames import _frame, _records, place
from scheduler.analysis.metrics.lessons import (
    cohort_minutes,
    course_coverage,
    grade_days,
    grade_weeks,
    rerun_coverage,
)
from scheduler.analysis.metrics.timetable import (
    subject_minimums,
    timetable_regularity,
    unusable_airtime,
)
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule


@dataclass(frozen=True, slots=True)
class Coverage:
    """All coverage tables of one schedule, as pandas DataFrames (one row per fact)."""

    grade_days: pd.DataFrame
    grade_weeks: pd.DataFrame
    courses: pd.DataFrame
    cohorts: pd.DataFrame
    reruns: pd.DataFrame
    specials: pd.DataFrame
    airtime: pd.DataFrame
    timetable: pd.DataFrame
    minimums: pd.DataFrame
    unusable: pd.DataFrame

    FRAMES = (
        "grade_days",
        "grade_weeks",
        "courses",
        "cohorts",
        "reruns",
        "specials",
        "airtime",
        "timetable",
        "minimums",
        "unusable",
    )

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.FRAMES}

    def to_records(self) -> dict[str, list[dict[str, Any]]]:
        """Plain data (lists of dicts of str, int, float, bool) to send between processes."""
        return {name: _records(frame) for name, frame in self.frames().items()}

    @classmethod
    def from_records(cls, records: dict[str, list[dict[str, Any]]]) -> Coverage:
        return cls(**{name: _frame(records[name], name) for name in cls.FRAMES})


def coverage(scenario: Scenario, schedule: Schedule) -> Coverage:
    """Every coverage table of ``schedule`` judged against ``scenario``."""
    placed = place(scenario, schedule)
    return Coverage(
        grade_days=grade_days(scenario, placed),
        grade_weeks=grade_weeks(scenario, placed),
        courses=course_coverage(scenario, placed),
        cohorts=cohort_minutes(scenario, placed),
        reruns=rerun_coverage(scenario, placed),
        specials=special_minutes(scenario, placed),
        airtime=airtime_use(scenario, placed),
        timetable=timetable_regularity(scenario, placed),
        minimums=subject_minimums(scenario, placed),
        unusable=unusable_airtime(scenario),
    )
