"""Lessons of a course air in order, each once, continuing from where the course stands.

    ∀ course c with premieres p₁ < p₂ < … (by start):  lesson(pᵢ) = progress(c) + i
    ∀ airing with a course:  the course and lesson exist and the title is the lesson's

Posting: premieres are numbered in time order, so order holds by construction; the model only
orders the several slots of one course on one day (symmetry breaking).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from constraints._timeline import Airing, airings
from constraints.base import Violation
from constraints.engine import INF, DayModel, IntervalModel, LinearModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "course_order"
TITLE = "lessons of a course air in order"


def post(m: IntervalModel) -> None:
    for (course_id, day, slot), activity in m.premieres.items():
        before = m.premieres.get((course_id, day, slot - 1))
        if before is not None:
            m.model.add(activity.present <= before.present)
            m.model.add(activity.start >= before.end).only_enforce_if(activity.present)


def post_grid(g: LinearModel) -> None:
    """Lessons of different lengths (cells with an ``order``): each at most once, and lesson
    j+1 not before the day of lesson j (by day t, no more of j+1 aired than of j)."""
    orders = sorted({(ref, order) for ref, _, order in g.ordered if order is not None})
    for ref, order in orders:
        ids = [i for day in g.week for i in g.ordered.get((ref, day, order), [])]
        g.row(-INF, 1, ids, [1] * len(ids), f"once {ref} #{order}")
        if order == 0:
            continue
        later: list[int] = []
        earlier: list[int] = []
        for day in g.week:
            later += g.ordered.get((ref, day, order), [])
            earlier += g.ordered.get((ref, day, order - 1), [])
            g.row(
                -INF,
                0,
                later + earlier,
                [1] * len(later) + [-1] * len(earlier),
                f"order {ref} #{order} by {day}",
            )


def post_day(d: DayModel) -> None:
    """A course's lessons of different lengths air in their order; equal ones in one room
    follow each other (symmetry breaking only)."""
    for firsts in d.premieres.values():
        for before, after in itertools.pairwise(firsts):
            if before.cell.order is not None:
                d.model.add(after.present <= before.present)
                d.model.add(after.start >= before.start + before.cell.length).only_enforce_if(
                    after.present
                )
            elif before.cell.room == after.cell.room:
                d.model.add(after.start >= before.start + before.cell.length)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    courses = {c.id: c for c in scenario.courses}
    premieres: dict[str, list[Airing]] = defaultdict(list)
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        programme = airing.programme
        course = courses.get(programme.course or "")
        if course is None:
            found.append(airing.violation(NAME, f"unknown course {programme.course!r}"))
            continue
        if programme.lesson is None or not 1 <= programme.lesson <= len(course.lessons):
            found.append(
                airing.violation(NAME, f"course {course.id} has no lesson {programme.lesson}")
            )
            continue
        if course.grade not in programme.grades:
            found.append(
                airing.violation(
                    NAME, f"course {course.id} is for grade {course.grade}, not {programme.grades}"
                )
            )
        if programme.kind is Kind.LESSON:
            premieres[course.id].append(airing)
    for course_id, items in sorted(premieres.items()):
        course = courses[course_id]
        items.sort(key=lambda a: a.programme.start)
        for index, airing in enumerate(items):
            expected = course.progress + index + 1
            lesson = airing.programme.lesson
            if lesson != expected:
                found.append(
                    airing.violation(
                        NAME,
                        f"lesson {lesson} airs where lesson {expected} is due "
                        f"(lessons must air in order, each once)",
                    )
                )
                break
    return found
