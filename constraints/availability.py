"""A lesson airs only once its recording is available (``available_from``, issue 12).

    ∀ airing a of lesson n of course c (premiere or rerun):  day(a) ≥ available_from(c, n)

Lessons air in order (``course_order``), so a late lesson holds back the rest of its course.

Posting (week grid): with ``p`` lessons of c aired before the week and the week's k-th premiere
being lesson ``p + k + 1``, for each such lesson available only from day ``d``:

    Σ premieres of c on the week's days before d  ≤  k

The interval model and the greedy planner (fallbacks) do not post it; the checker catches them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF
from scheduler.domain.model import Scenario
from scheduler.domain.rooms import week_lessons
from scheduler.domain.schedule import Kind, Schedule

if TYPE_CHECKING:
    from constraints.engine import IntervalModel, LinearModel

NAME = "availability"
TITLE = "a lesson airs only once its recording is available"


def post(m: IntervalModel) -> None:
    """Not posted in the interval model (see module docstring)."""


def post_grid(grid: LinearModel) -> None:
    """The rows of the module docstring on a week grid (``scheduler.solver.grid.Grid``)."""
    week = grid.week
    for course in grid.scenario.courses:
        for k, lesson in enumerate(week_lessons(grid.scenario, course, grid.progress)):
            if lesson.available_from is None or lesson.available_from <= week[0]:
                continue
            ids = [
                i
                for day in week
                if day < lesson.available_from
                for i in grid.premieres.get((course.id, day), [])
            ]
            if ids:
                grid.row(-INF, k, ids, [1] * len(ids), f"available {course.id} #{k}")


def signature(
    scenario: Scenario, week: tuple[date, ...], progress: dict[str, int]
) -> tuple[Any, ...]:
    """What a week's model owes this rule, with dates made relative to the week (a cache key)."""
    return tuple(
        (course.id, k, (lesson.available_from - week[0]).days)
        for course in scenario.courses
        for k, lesson in enumerate(week_lessons(scenario, course, progress))
        if lesson.available_from is not None and lesson.available_from > week[0]
    )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    courses = {course.id: course for course in scenario.courses}
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        programme = airing.programme
        course = courses.get(programme.course or "")
        if course is None or programme.lesson is None:
            continue
        if not 1 <= programme.lesson <= len(course.lessons):
            continue
        available = course.lessons[programme.lesson - 1].available_from
        if available is not None and airing.day < available:
            found.append(
                airing.violation(
                    NAME,
                    f"lesson {programme.lesson} airs before its recording is available "
                    f"({available})",
                )
            )
    return found
