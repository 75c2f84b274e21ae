"""Coverage metrics of a schedule, computed from plain data: the :class:`Schedule` and its
:class:`Scenario`, never solver internals, so they hold for hand-edited schedules too.

Every airing is placed on its broadcast day (:func:`scheduler.domain.schedule.broadcast_day`);
airings on unknown channels or outside the horizon are left out. A *premiere* is an airing of
kind ``lesson``; a *rerun* is of kind ``rerun``. Cohort minutes, pace allowance, unmet demand
and dead air are defined once in :mod:`scheduler.domain.facts`, which the rules and the solve report
use too. Definitions (also in ``docs/analysis.md``):

``lesson minutes``
    minutes of a grade's premieres per broadcast day, and per ISO week (reruns apart: they are
    alternatives to watch, not extra teaching).
``pace allowance`` of a course
    the lessons the pace rule would let air in the horizon, airtime aside:
    ``min(remaining, Σ_weeks min(per_week, per_day × lesson days of the week))`` where a lesson
    day is a day of the horizon from the grade's term start on which one of its channels is on
    air inside the band's hours.
``course share``
    distinct lessons of the course premiered in the horizon ÷ its pace allowance (NaN when the
    allowance is 0; above 1 only if a schedule outruns the pace).
``unmet demand``
    pace allowance − aired lessons (never below 0), in lessons and in minutes of exactly the
    lessons that would have aired next.
``cohort minutes``
    per guarantee day of a cohort, the minutes of its grade's premieres that lie wholly inside
    the cohort window (an airing partly inside counts nothing, as in the guarantee rule),
    against the guarantee.
``rerun coverage``
    share of a grade's premieres whose id some rerun names in ``repeat_of`` (a rerun without
    ``repeat_of`` counts for the premiere of the same course and lesson).
``special minutes``
    minutes per special topic, against the weekly quota × weeks of the horizon.
``airtime use``
    per channel, minutes per kind and their share of the channel's window minutes; ``dead_air``
    is window time no airing covers.
``timetable`` (per course)
    ``start_times_per_week``: distinct clock times its premieres start at, averaged over the
    ISO weeks it airs in (``max_start_times``: the most in one week); ``template_share``: share
    of its premieres on lesson days that start at one of the grade's template periods (its
    fixed periods, else its most common start times on regular lesson days, see
    :func:`constraints.regularity.template_starts`); ``off_day_lessons``: premieres on days
    that are not calendar lesson days; ``weighted_minutes``: premiere minutes × band weight ×
    course weight (the coverage part of the objective).
``minimums`` (per course with a weekly minimum, per ISO week)
    premieres against ``due`` (:func:`constraints.subject_minimums.due`), met or not.
``unusable`` (per channel, day and window)
    airtime no lesson, special or pinned item may use (:func:`scheduler.domain.airtime.unusable`).

Modules: ``frames`` (placing airings, tables as plain data), ``lessons``, ``airtime``,
``timetable`` (the tables by concern) and ``coverage`` (all of them for one schedule).
"""

from scheduler.analysis.metrics.airtime import airtime_use, special_minutes
from scheduler.analysis.metrics.coverage import Coverage, coverage
from scheduler.analysis.metrics.frames import COLUMNS, DEAD_AIR, KINDS, pace_allowance, place
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
from scheduler.domain.facts import Placed
from scheduler.domain.rooms import lesson_days

__all__ = [
    "COLUMNS",
    "DEAD_AIR",
    "KINDS",
    "Coverage",
    "Placed",
    "airtime_use",
    "cohort_minutes",
    "course_coverage",
    "coverage",
    "grade_days",
    "grade_weeks",
    "lesson_days",
    "pace_allowance",
    "place",
    "rerun_coverage",
    "special_minutes",
    "subject_minimums",
    "timetable_regularity",
    "unusable_airtime",
]
