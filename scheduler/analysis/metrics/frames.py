"""What the coverage tables share: airings placed on their days, and the tables as plain data."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from scheduler.domain import facts
from scheduler.domain.facts import Placed
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

KINDS = tuple(kind.value for kind in Kind)
DEAD_AIR = "dead_air"


def place(scenario: Scenario, schedule: Schedule | list[Placed]) -> list[Placed]:
    """The airings of ``schedule`` on their broadcast days inside the horizon."""
    if isinstance(schedule, list):
        return schedule
    return facts.placed(scenario, schedule)


def pace_allowance(scenario: Scenario, course_id: str) -> int:
    """Lessons of a course the pace rule lets air in the horizon, airtime aside."""
    return facts.pace_allowance(scenario, scenario.course(course_id))


# -- plain data ----------------------------------------------------------------------------------
COLUMNS: dict[str, tuple[str, ...]] = {
    "grade_days": (
        "grade",
        "grade_name",
        "band",
        "day",
        "lesson_day",
        "lessons",
        "lesson_minutes",
        "rerun_minutes",
        "cap_minutes",
    ),
    "grade_weeks": (
        "grade",
        "grade_name",
        "week",
        "days",
        "lesson_days",
        "lessons",
        "lesson_minutes",
        "rerun_minutes",
        "minutes_per_lesson_day",
    ),
    "courses": (
        "course",
        "grade",
        "grade_name",
        "subject",
        "remaining",
        "allowed",
        "aired",
        "aired_minutes",
        "share",
        "unmet",
        "unmet_minutes",
    ),
    "cohorts": (
        "cohort",
        "cohort_name",
        "grade",
        "day",
        "window",
        "guaranteed",
        "minutes",
        "met",
        "shortfall",
    ),
    "reruns": ("grade", "grade_name", "premieres", "with_rerun", "share", "rerun_minutes"),
    "specials": ("topic", "airings", "minutes", "quota_minutes"),
    "airtime": ("channel", "channel_name", "kind", "minutes", "window_minutes", "share"),
    "timetable": (
        "course",
        "grade",
        "grade_name",
        "subject",
        "premieres",
        "start_times_per_week",
        "max_start_times",
        "template_share",
        "off_day_lessons",
        "weighted_minutes",
    ),
    "minimums": ("course", "grade", "subject", "week", "minimum", "due", "premieres", "met"),
    "unusable": ("channel", "day", "window", "times", "minutes"),
}


def _frame(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMNS[name]))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(key): _plain(value) for key, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _plain(value: Any) -> Any:
    """numpy scalars → Python numbers and NaN → None, so records pickle and compare equal."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
