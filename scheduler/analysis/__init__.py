"""Analysis: coverage metrics of any schedule and side-by-side comparisons of scenarios.

For notebooks::

    from scheduler.analysis import coverage
    tables = coverage(scenario, result.schedule)
    tables.grade_weeks        # a pandas DataFrame per metric

See ``docs/analysis.md`` for the definitions and the ``compare`` command.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.analysis.metrics import (
        Coverage,
        airtime_use,
        cohort_minutes,
        course_coverage,
        coverage,
        grade_days,
        grade_weeks,
        pace_allowance,
        rerun_coverage,
        special_minutes,
    )

__all__ = [
    "Coverage",
    "airtime_use",
    "cohort_minutes",
    "course_coverage",
    "coverage",
    "grade_days",
    "grade_weeks",
    "pace_allowance",
    "rerun_coverage",
    "special_minutes",
]


def __getattr__(name: str) -> Any:
    """The metrics (and pandas) load on first use, so `skyclass validate` stays light."""
    if name not in __all__:
        raise AttributeError(name)
    from scheduler.analysis import metrics

    return getattr(metrics, name)
