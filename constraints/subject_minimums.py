"""Subject minimums: every exam subject gets its lessons each week (notice §二.2, the needs of
the 中考 and 高考 cohorts).

    ∀ course c, ISO week w:  #premieres(c, w) ≥ due(c, w)
    due(c, w) = min(min_per_week(c), per_day × |lesson days of grade(c) in w|,
                    |lessons c may still premiere in w|)

``min_per_week(c)`` is the course's own minimum or its exam cohort's when the cohort names the
course's subject (:meth:`scheduler.domain.model.Scenario.min_per_week`). A week cut short by the
horizon, the grade's term start or holidays owes only what its lesson days can hold, and a
course near its last lesson only the lessons it has left (after the pace cap).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, Guard, IntervalModel, LinearModel
from scheduler.domain.model import Course, Scenario
from scheduler.domain.rooms import week_lessons
from scheduler.domain.schedule import Kind, Schedule

NAME = "subject_minimums"
TITLE = "every exam subject at least its minimum lessons a week"


def open_days(scenario: Scenario, grade: int, week: tuple[date, ...]) -> tuple[date, ...]:
    """Days of ``week`` on which ``grade`` may have a new lesson: calendar lesson days from its
    term start with lesson hours on one of its channels (the predicate of
    :func:`scheduler.domain.rooms.lesson_days`, on the week's days only: that one walks the
    horizon)."""
    on_air = scenario.grade(grade).on_air
    channels = scenario.channels_of(grade)
    return tuple(
        day
        for day in week
        if on_air(day)
        and scenario.is_lesson_day(day)
        and any(scenario.lesson_hours(grade, channel, day) for channel in channels)
    )


def due(
    scenario: Scenario,
    course: Course,
    week: tuple[date, ...],
    progress: Mapping[str, int] | None = None,
) -> int:
    """Premieres ``course`` owes in ``week``: its minimum, reduced to what the week's lesson
    days and the course's next lessons (``progress``: lessons aired before the week, by
    course id; default the course's own progress) can hold."""
    minimum = scenario.min_per_week(course)
    if minimum == 0:
        return 0
    room = scenario.rules.pace.per_day * len(open_days(scenario, course.grade, week))
    left = len(week_lessons(scenario, course, dict(progress or {})))
    return min(minimum, room, left)


def post(m: IntervalModel) -> None:
    for course in m.scenario.courses:
        owed = due(m.scenario, course, m.week, m.progress)
        if not owed:
            continue
        present = [a.present for (c, _, _), a in m.premieres.items() if c == course.id]
        guard = m.guard(
            Guard(
                NAME,
                f"{course.id} at least {owed} lesson(s) in the week of {m.week_start}",
                grade=course.grade,
            )
        )
        if present:
            m.model.add(sum(present) >= owed).only_enforce_if(guard)
        else:
            m.model.add(m.model.new_constant(0) >= 1).only_enforce_if(guard)


def post_grid(g: LinearModel) -> None:
    """At least the week's due premieres of each course (a row even without cells: then the
    grid is infeasible and the explainer names the course)."""
    for course in g.scenario.courses:
        owed = due(g.scenario, course, g.week, g.progress)
        if owed > 0:
            ids = [i for day in g.week for i in g.premieres.get((course.id, day), [])]
            g.rows.append((owed, INF, ids, [1] * len(ids), f"minimum {course.id}"))


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    per_week: Counter[tuple[str, date]] = Counter()
    week_of = {day: week[0] for week in scenario.weeks() for day in week}
    for airing in airings(scenario, schedule, Kind.LESSON):
        if airing.programme.course and airing.day in week_of:
            per_week[(airing.programme.course, week_of[airing.day])] += 1
    for course in scenario.courses:
        if not scenario.min_per_week(course):
            continue
        progress = {course.id: course.progress}
        for week in scenario.weeks():
            owed = due(scenario, course, week, progress)
            got = per_week[(course.id, week[0])]
            if got < owed:
                found.append(
                    Violation(
                        NAME,
                        None,
                        week[0],
                        None,
                        course.grade,
                        course.id,
                        f"{course.subject} got {got} new lesson(s) in the week of {week[0]}, at "
                        f"least {owed} due",
                    )
                )
            progress[course.id] += got
    return found
