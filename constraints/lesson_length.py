"""Lesson length per band: a lesson airs for its catalog length, at most the band's maximum.

    ∀ lesson airing a of course c, lesson n:  minutes(a) = minutes(c, n) ≤ max_lesson(band(c))

Posting: structural. The loader rejects catalog lessons longer than their band allows, and the
model gives every lesson activity its catalog length.
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "lesson_length"
TITLE = "lesson length per band"


def post(m: IntervalModel) -> None:
    """Nothing to post: activity sizes are the catalog lengths (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    courses = {c.id: c for c in scenario.courses}
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        programme = airing.programme
        course = courses.get(programme.course or "")
        if course is None or programme.lesson is None:
            continue
        band = scenario.band_of(course.grade)
        if programme.minutes > band.max_lesson_minutes:
            found.append(
                airing.violation(
                    NAME,
                    f"lesson {programme.lesson} runs {programme.minutes} min, longer than "
                    f"the {band.max_lesson_minutes} min allowed for {band.name_zh}",
                )
            )
        elif 1 <= programme.lesson <= len(course.lessons):
            expected = course.lessons[programme.lesson - 1].minutes
            if programme.minutes != expected:
                found.append(
                    airing.violation(
                        NAME,
                        f"lesson {programme.lesson} runs {programme.minutes} min; the "
                        f"catalog says {expected} min",
                    )
                )
    return found
