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
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from scheduler.domain import facts
from scheduler.domain.facts import Placed
from scheduler.domain.model import GRADE_NAMES, Scenario
from scheduler.domain.rooms import lesson_days
from scheduler.domain.schedule import Kind, Schedule

KINDS = tuple(kind.value for kind in Kind)
DEAD_AIR = "dead_air"


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


def place(scenario: Scenario, schedule: Schedule | list[Placed]) -> list[Placed]:
    """The airings of ``schedule`` on their broadcast days inside the horizon."""
    if isinstance(schedule, list):
        return schedule
    return facts.placed(scenario, schedule)


def pace_allowance(scenario: Scenario, course_id: str) -> int:
    """Lessons of a course the pace rule lets air in the horizon, airtime aside."""
    return facts.pace_allowance(scenario, scenario.course(course_id))


# -- per grade ---------------------------------------------------------------------------------
def grade_days(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per grade and broadcast day: premiere and rerun lessons and minutes."""
    placed = place(scenario, schedule)
    lessons: dict[tuple[int, date], int] = defaultdict(int)
    minutes: dict[tuple[int, date, str], int] = defaultdict(int)
    for item in placed:
        if not item.programme.is_lesson:
            continue
        for grade in item.programme.grades:
            minutes[grade, item.day, item.programme.kind.value] += item.minutes
            if item.programme.kind is Kind.LESSON:
                lessons[grade, item.day] += 1
    rows = []
    for grade in scenario.grade_numbers:
        open_days = set(lesson_days(scenario, grade))
        for day in scenario.days:
            rows.append(
                {
                    "grade": grade,
                    "grade_name": GRADE_NAMES[grade],
                    "band": scenario.band_of(grade).id,
                    "day": day.isoformat(),
                    "lesson_day": day in open_days,
                    "lessons": lessons[grade, day],
                    "lesson_minutes": minutes[grade, day, Kind.LESSON.value],
                    "rerun_minutes": minutes[grade, day, Kind.RERUN.value],
                    "cap_minutes": scenario.band_of(grade).daily_cap_minutes,
                }
            )
    return _frame(rows, "grade_days")


def grade_weeks(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per grade and ISO week of the horizon: premiere minutes, their mean per lesson day."""
    days = grade_days(scenario, schedule)
    rows = []
    for grade in scenario.grade_numbers:
        mine = days[days["grade"] == grade]
        for week in scenario.weeks():
            iso = week[0].isocalendar()
            these = mine[mine["day"].isin([d.isoformat() for d in week])]
            open_days = int(these["lesson_day"].sum())
            lesson_minutes = int(these["lesson_minutes"].sum())
            rows.append(
                {
                    "grade": grade,
                    "grade_name": GRADE_NAMES[grade],
                    "week": f"{iso[0]}-W{iso[1]:02d}",
                    "days": len(week),
                    "lesson_days": open_days,
                    "lessons": int(these["lessons"].sum()),
                    "lesson_minutes": lesson_minutes,
                    "rerun_minutes": int(these["rerun_minutes"].sum()),
                    "minutes_per_lesson_day": lesson_minutes / open_days if open_days else math.nan,
                }
            )
    return _frame(rows, "grade_weeks")


# -- per course --------------------------------------------------------------------------------
def course_coverage(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per course: pace allowance, lessons aired, share aired and unmet demand."""
    aired = facts.aired_lessons(place(scenario, schedule))
    rows = []
    for course in scenario.courses:
        allowed = facts.pace_allowance(scenario, course)
        done = aired.get(course.id, {})
        count = len(done)
        next_up = facts.unmet_lessons(scenario, course, count)
        unmet = len(next_up)
        rows.append(
            {
                "course": course.id,
                "grade": course.grade,
                "grade_name": GRADE_NAMES[course.grade],
                "subject": course.subject,
                "remaining": len(course.remaining),
                "allowed": allowed,
                "aired": count,
                "aired_minutes": sum(done.values()),
                "share": count / allowed if allowed else math.nan,
                "unmet": unmet,
                "unmet_minutes": sum(lesson.minutes for lesson in next_up),
            }
        )
    return _frame(rows, "courses")


# -- cohorts -----------------------------------------------------------------------------------
def cohort_minutes(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per cohort and guarantee day: premiere minutes inside its window against the guarantee."""
    inside = facts.cohort_minutes(scenario, place(scenario, schedule))
    rows = []
    for cohort in scenario.cohorts:
        for (cohort_id, day), minutes in inside.items():
            if cohort_id != cohort.id:
                continue
            rows.append(
                {
                    "cohort": cohort.id,
                    "cohort_name": cohort.name_zh,
                    "grade": cohort.grade,
                    "day": day.isoformat(),
                    "window": cohort.window.label,
                    "guaranteed": cohort.guaranteed_minutes,
                    "minutes": minutes,
                    "met": minutes >= cohort.guaranteed_minutes,
                    "shortfall": max(0, cohort.guaranteed_minutes - minutes),
                }
            )
    return _frame(rows, "cohorts")


# -- reruns ------------------------------------------------------------------------------------
def rerun_coverage(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per grade: premieres, how many have a rerun, and that share."""
    placed = place(scenario, schedule)
    premieres = [i.programme for i in placed if i.programme.kind is Kind.LESSON]
    reruns = [i.programme for i in placed if i.programme.kind is Kind.RERUN]
    repeated_ids = {r.repeat_of for r in reruns if r.repeat_of}
    repeated_lessons = {(r.course, r.lesson) for r in reruns if not r.repeat_of}
    rows = []
    for grade in scenario.grade_numbers:
        mine = [p for p in premieres if grade in p.grades]
        with_rerun = sum(
            1 for p in mine if p.id in repeated_ids or (p.course, p.lesson) in repeated_lessons
        )
        rows.append(
            {
                "grade": grade,
                "grade_name": GRADE_NAMES[grade],
                "premieres": len(mine),
                "with_rerun": with_rerun,
                "share": with_rerun / len(mine) if mine else math.nan,
                "rerun_minutes": sum(
                    i.minutes
                    for i in placed
                    if i.programme.kind is Kind.RERUN and grade in i.programme.grades
                ),
            }
        )
    return _frame(rows, "reruns")


# -- specials ----------------------------------------------------------------------------------
def special_minutes(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per special topic: airings and minutes against the quota over the horizon."""
    placed = place(scenario, schedule)
    weeks = len(scenario.weeks())
    topics: dict[str, dict[str, int]] = {}
    for special in scenario.specials:
        entry = topics.setdefault(special.topic, {"airings": 0, "minutes": 0, "quota": 0})
        entry["quota"] += special.minutes * special.per_week * weeks
    known = {special.id: special.topic for special in scenario.specials}
    for item in placed:
        if item.programme.kind is not Kind.SPECIAL:
            continue
        topic = known.get(item.programme.item or "", item.programme.title)
        entry = topics.setdefault(topic, {"airings": 0, "minutes": 0, "quota": 0})
        entry["airings"] += 1
        entry["minutes"] += item.minutes
    rows = [
        {
            "topic": topic,
            "airings": e["airings"],
            "minutes": e["minutes"],
            "quota_minutes": e["quota"],
        }
        for topic, e in topics.items()
    ]
    return _frame(rows, "specials")


# -- channels ----------------------------------------------------------------------------------
def airtime_use(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per channel and kind: minutes on air and their share of the channel's window minutes.

    The ``dead_air`` row is window time that no airing covers.
    """
    placed = place(scenario, schedule)
    gaps = facts.dead_air(scenario, placed)
    rows = []
    for channel in scenario.channels:
        mine = [item for item in placed if item.programme.channel == channel.id]
        window = sum(span.minutes for day in scenario.days for span in channel.spans_on(day))
        by_kind: dict[str, int] = defaultdict(int)
        for item in mine:
            by_kind[item.programme.kind.value] += item.minutes
        by_kind[DEAD_AIR] = sum(gap.minutes for on, _, gap in gaps if on == channel.id)
        for kind in (*KINDS, DEAD_AIR):
            rows.append(
                {
                    "channel": channel.id,
                    "channel_name": channel.name_zh,
                    "kind": kind,
                    "minutes": by_kind[kind],
                    "window_minutes": window,
                    "share": by_kind[kind] / window if window else math.nan,
                }
            )
    return _frame(rows, "airtime")


def _covered(pieces: list[tuple[int, int]], start: int, end: int) -> int:
    """Minutes of ``[start, end)`` covered by the union of sorted intervals ``pieces``."""
    total, reach = 0, start
    for first, last in pieces:
        first, last = max(first, reach), min(last, end)
        if last > first:
            total += last - first
            reach = last
    return total


# -- timetable (issue 9): regularity, lesson days, subject minimums, unusable airtime ----------
def timetable_regularity(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per course: start times per week, share at the grade's template periods, premieres on
    non-lesson days and weighted minutes."""
    from constraints.regularity import template_starts
    from scheduler.domain.objective import SCALE, premiere_rate

    placed = [i for i in place(scenario, schedule) if i.programme.kind is Kind.LESSON]
    week_of = {day: week[0] for week in scenario.weeks() for day in week}
    rows = []
    for grade in scenario.grade_numbers:
        mine = [i for i in placed if grade in i.programme.grades]
        periods = set(template_starts(scenario, grade, ((i.day, i.start) for i in mine)))
        for course in scenario.courses_of(grade):
            items = [i for i in mine if i.programme.course == course.id]
            starts: dict[date, set[int]] = defaultdict(set)
            for item in items:
                starts[week_of.get(item.day, item.day)].add(item.start)
            counts = [len(times) for times in starts.values()]
            on_days = [i for i in items if scenario.is_lesson_day(i.day)]
            rows.append(
                {
                    "course": course.id,
                    "grade": grade,
                    "grade_name": GRADE_NAMES[grade],
                    "subject": course.subject,
                    "premieres": len(items),
                    "start_times_per_week": sum(counts) / len(counts) if counts else math.nan,
                    "max_start_times": max(counts, default=0),
                    "template_share": (
                        sum(1 for i in on_days if i.start in periods) / len(on_days)
                        if on_days
                        else math.nan
                    ),
                    "off_day_lessons": len(items) - len(on_days),
                    "weighted_minutes": premiere_rate(scenario, course)
                    * sum(i.minutes for i in items)
                    / SCALE,
                }
            )
    return _frame(rows, "timetable")


def subject_minimums(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per course with a weekly minimum and ISO week: premieres against what is due."""
    from constraints.subject_minimums import due

    placed = place(scenario, schedule)
    week_of = {day: week[0] for week in scenario.weeks() for day in week}
    got: dict[tuple[str, date], int] = defaultdict(int)
    for item in placed:
        if item.programme.kind is Kind.LESSON and item.programme.course:
            got[(item.programme.course, week_of[item.day])] += 1
    rows = []
    for course in scenario.courses:
        minimum = scenario.min_per_week(course)
        if not minimum:
            continue
        progress = {course.id: course.progress}
        for week in scenario.weeks():
            owed = due(scenario, course, week, progress)
            aired = got[(course.id, week[0])]
            iso = week[0].isocalendar()
            rows.append(
                {
                    "course": course.id,
                    "grade": course.grade,
                    "subject": course.subject,
                    "week": f"{iso[0]}-W{iso[1]:02d}",
                    "minimum": minimum,
                    "due": owed,
                    "premieres": aired,
                    "met": aired >= owed,
                }
            )
            progress[course.id] += aired
    return _frame(rows, "minimums")


def unusable_airtime(scenario: Scenario) -> pd.DataFrame:
    """Per channel, day and window: minutes no lesson, special or pinned item may use."""
    from scheduler.domain.airtime import unusable

    rows = [
        {
            "channel": s.channel,
            "day": s.day.isoformat(),
            "window": s.window,
            "times": s.span.label,
            "minutes": s.minutes,
        }
        for s in unusable(scenario)
    ]
    return _frame(rows, "unusable")


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


__all__ = [
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
