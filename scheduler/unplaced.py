"""What did not fit: lessons the pace allowed but the schedule left out, and why."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scheduler.facts import aired_lessons, placed, unmet_lessons
from scheduler.model import Scenario
from scheduler.result import Unplaced
from scheduler.rooms import lesson_days
from scheduler.schedule import Kind, Schedule


def unplaced(scenario: Scenario, schedule: Schedule) -> tuple[Unplaced, ...]:
    """Per course: lessons its pace allowed in the horizon that did not air
    (:func:`scheduler.facts.unmet_lessons`, as in the course table), with the rule that kept
    them out (no room before term start, the screen-time cap, or airtime taken by programmes
    worth more)."""
    airings = placed(scenario, schedule)
    aired = aired_lessons(airings)
    grade_minutes: dict[tuple[int, date], int] = defaultdict(int)
    for airing in airings:
        if airing.programme.kind is Kind.LESSON:
            for grade in airing.programme.grades:
                grade_minutes[(grade, airing.day)] += airing.programme.minutes
    found = []
    for course in scenario.courses:
        missing = unmet_lessons(scenario, course, len(aired.get(course.id, {})))
        if not missing:
            continue
        days = lesson_days(scenario, course.grade)
        open_days = len(days)
        cap = scenario.band_of(course.grade).daily_cap_minutes
        length = missing[0].minutes
        capped_days = sum(1 for d in days if grade_minutes[(course.grade, d)] + length > cap)
        if open_days == 0:
            reason = "term start / time of day: no airtime open to the grade in the horizon"
        elif capped_days >= open_days:
            reason = "screen-time cap: the grade's days are full"
        else:
            reason = "airtime: the band's hours went to programmes worth more"
        found.append(Unplaced(course.grade, course.id, len(missing),
                              sum(lesson.minutes for lesson in missing), reason))
    return tuple(found)
