"""Coverage tables of the teaching: lesson minutes per grade, courses, cohorts, reruns."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import pandas as pd

from scheduler.analysis.metrics.frames import _frame, place
from scheduler.domain import facts
from scheduler.domain.facts import Placed
from scheduler.domain.model import GRADE_NAMES, Scenario
from scheduler.domain.rooms import lesson_days
from scheduler.domain.schedule import Kind, Schedule


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
