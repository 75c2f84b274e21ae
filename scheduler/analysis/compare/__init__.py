"""The side-by-side comparison of solved scenarios: headline figures, deltas, charts, files.

One column per scenario and, after each but the first, its delta against the first. A failed
scenario (bad file, infeasible, no schedule in time) keeps its column: status and reason,
blanks for the figures.

Modules: ``figures`` (one scenario's headline figures), ``tables`` (side by side, Markdown, the
per-scenario report), ``page`` (HTML and charts), ``folder`` (the files, written atomically).
"""

from scheduler.analysis.compare.figures import (
    KIND_ZH,
    SECTION_TITLES,
    SECTIONS,
    Metric,
    headline,
    price_of_regularity,
    timetable_metrics,
    weighted_minutes,
)
from scheduler.analysis.compare.folder import write
from scheduler.analysis.compare.page import render_charts, to_html
from scheduler.analysis.compare.tables import (
    course_table,
    scenario_report,
    show,
    table,
    to_markdown,
)

__all__ = [
    "KIND_ZH",
    "SECTIONS",
    "SECTION_TITLES",
    "Metric",
    "course_table",
    "headline",
    "price_of_regularity",
    "render_charts",
    "scenario_report",
    "show",
    "table",
    "timetable_metrics",
    "to_html",
    "to_markdown",
    "weighted_minutes",
    "write",
]
