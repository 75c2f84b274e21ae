"""The immutable broadcast problem: channels, windows, bands, grades, courses, specials, fillers.

Every object checks itself on construction and raises :class:`ScenarioError` naming the culprit;
:class:`Scenario` checks the references between them and computes its lookups once.
Times of day are whole minutes after the local midnight that starts the broadcast day, so a
window may run past midnight (``25:30`` is 01:30 the next calendar day).

The package splits it by concern: ``clock`` (times of day, ranges, the horizon), ``channels``
(windows, DVB, reception, real instants), ``courses`` (bands, grades, cohorts, courses),
``programmes`` (specials, fillers, pinned items), ``rules`` (rule parameters and settings),
``calendar`` (school calendar, timetable periods), ``checks`` (parts against one another) and
``scenario`` (the whole). Import from here: ``from scheduler.domain.model import Scenario``.
"""

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.calendar import (
    TIMETABLE_MODES,
    Calendar,
    Holiday,
    PeriodPlan,
    Timetable,
    Workday,
)
from scheduler.domain.model.channels import (
    DVB_ENCODINGS,
    ICON_SUFFIXES,
    Channel,
    ChannelIcon,
    ClockError,
    DvbService,
    Reception,
    Window,
)
from scheduler.domain.model.checks import CLOCK_STEP
from scheduler.domain.model.clock import (
    DAY_MINUTES,
    MAX_MINUTE,
    SAFE_ID,
    WEEKDAY_ZH,
    WEEKDAYS,
    Horizon,
    TimeRange,
    check_id,
    format_clock,
    intersect,
    parse_clock,
)
from scheduler.domain.model.courses import GRADE_NAMES, Band, Cohort, Course, Grade, Lesson
from scheduler.domain.model.programmes import FILLER_KINDS, STATION_FILLER, Filler, Pinned, Special
from scheduler.domain.model.rules import (
    RERUN_MODES,
    Balance,
    FillerRule,
    Pace,
    Publishing,
    Reruns,
    Rest,
    Rules,
    SolverSettings,
)
from scheduler.domain.model.scenario import GENERATED_ID, Scenario, check_item_ids

__all__ = [
    "CLOCK_STEP",
    "DAY_MINUTES",
    "DVB_ENCODINGS",
    "FILLER_KINDS",
    "GENERATED_ID",
    "GRADE_NAMES",
    "ICON_SUFFIXES",
    "MAX_MINUTE",
    "RERUN_MODES",
    "SAFE_ID",
    "STATION_FILLER",
    "TIMETABLE_MODES",
    "WEEKDAYS",
    "WEEKDAY_ZH",
    "Balance",
    "Band",
    "Calendar",
    "Channel",
    "ChannelIcon",
    "ClockError",
    "Cohort",
    "Course",
    "DvbService",
    "Filler",
    "FillerRule",
    "Grade",
    "Holiday",
    "Horizon",
    "Lesson",
    "Pace",
    "PeriodPlan",
    "Pinned",
    "Publishing",
    "Reception",
    "Reruns",
    "Rest",
    "Rules",
    "Scenario",
    "ScenarioError",
    "SolverSettings",
    "Special",
    "TimeRange",
    "Timetable",
    "Window",
    "Workday",
    "check_id",
    "check_item_ids",
    "format_clock",
    "intersect",
    "parse_clock",
]
