"""Coverage tables of the timetable: regularity, subject minimums, unusable airtime."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import pandas as pd

from constraints.regularity import template_starts
from constraints.subject_minimums import due
from scheduler.analysis.metrics.frames import _frame, place
from scheduler.domain.airtime import unusable
from scheduler.domain.facts import Placed
from scheduler.domain.model import GRADE_NAMES, Scenario
from scheduler.domain.objective import SCALE, premiere_rate
from scheduler.domain.schedule import Kind, Schedule


# -- timetable (issue 9): regularity, lesson days, subject minimums, unusable airtime ----------
def timetable_regularity(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per course: start times per week, share at the grade's template periods, premieres on
    non-lesson days and weighted minutes."""
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
