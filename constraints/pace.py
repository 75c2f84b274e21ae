"""Pace cap: no running ahead of the school pace (notice §三.8 防止超前过快学习).

∀ course c, ISO week w:  #premieres(c, w) ≤ per_week(c)
∀ course c, day d:       #premieres(c, d) ≤ per_day
"""

from __future__ import annotations

from collections import Counter

from constraints._timeline import Airing, airings
from constraints.base import Violation
from constraints.engine import INF, Draft, Guard, IntervalModel, LinearModel
from scheduler.domain.model import Course, Scenario
from scheduler.domain.rooms import week_lessons
from scheduler.domain.schedule import Kind, Schedule

NAME = "pace"
TITLE = "at most N new lessons per course per week and per day"


def post(m: IntervalModel) -> None:
    """Per day: at most ``per_day`` slots exist. Per week: their sum is capped."""
    for course in m.scenario.courses:
        present = [a.present for (c, _, _), a in m.premieres.items() if c == course.id]
        cap = len(week_lessons(m.scenario, course, m.progress))
        if present and len(present) > cap:
            guard = m.guard(
                Guard(
                    NAME,
                    f"{course.id} at most {cap} lessons in the week of {m.week_start}",
                    grade=course.grade,
                )
            )
            m.model.add(sum(present) <= cap).only_enforce_if(guard)


def post_grid(g: LinearModel) -> None:
    """The week's premieres of a course within its lessons left at the pace, and at most
    ``per_day`` a day."""
    per_day = g.scenario.rules.pace.per_day
    for course in g.scenario.courses:
        ids = [i for day in g.week for i in g.premieres.get((course.id, day), [])]
        cap = len(week_lessons(g.scenario, course, g.progress))
        g.row(-INF, cap, ids, [1] * len(ids), f"pace {course.id}")
        for day in g.week:
            daily = g.premieres.get((course.id, day), [])
            g.row(-INF, per_day, daily, [1] * len(daily), f"per day {course.id} {day}")


def allows(d: Draft, course: Course) -> bool:
    """Whether one more premiere of ``course`` keeps its weekly pace and the daily cap."""
    return (
        d.aired.get(course.id, 0) < d.scenario.per_week(course)
        and len(d.premieres.get(course.id, ())) < d.scenario.rules.pace.per_day
    )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    courses = {c.id: c for c in scenario.courses}
    per_week: Counter[tuple[str, tuple[int, int]]] = Counter()
    per_day: Counter[tuple[str, object]] = Counter()
    first_of_week: dict[tuple[str, tuple[int, int]], Airing] = {}
    for airing in airings(scenario, schedule, Kind.LESSON):
        course_id = airing.programme.course or ""
        if course_id not in courses:
            continue
        week = airing.day.isocalendar()[:2]
        per_week[(course_id, week)] += 1
        per_day[(course_id, airing.day)] += 1
        first_of_week.setdefault((course_id, week), airing)
        if per_day[(course_id, airing.day)] == scenario.rules.pace.per_day + 1:
            found.append(
                airing.violation(
                    NAME,
                    f"more than {scenario.rules.pace.per_day} new lesson(s) of {course_id} "
                    "in one day",
                )
            )
    for (course_id, week), count in sorted(per_week.items()):
        cap = scenario.per_week(courses[course_id])
        if count > cap:
            found.append(
                first_of_week[(course_id, week)].violation(
                    NAME,
                    f"{count} new lessons of {course_id} in ISO week {week[1]}, over the "
                    f"pace of {cap} a week",
                )
            )
    return found
