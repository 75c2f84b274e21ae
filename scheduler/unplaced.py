"""What did not fit: lessons the pace allowed but the schedule left out, and why."""

from __future__ import annotations

from collections import defaultdict

from scheduler.model import Scenario
from scheduler.result import Unplaced
from scheduler.rooms import lesson_days, paced_lessons
from scheduler.schedule import Kind, Schedule, broadcast_day


def unplaced(scenario: Scenario, schedule: Schedule) -> tuple[Unplaced, ...]:
    """Per course: lessons its pace allowed in the horizon that did not air, with the rule
    that kept them out (no room before term start, the screen-time cap, or airtime taken by
    programmes worth more)."""
    aired: dict[str, int] = defaultdict(int)
    grade_minutes: dict[tuple[int, object], int] = defaultdict(int)
    for programme in schedule.of_kind(Kind.LESSON):
        aired[programme.course or ""] += 1
        located = broadcast_day(scenario, programme)
        if located is not None:
            grade_minutes[(programme.grades[0], located[0])] += programme.minutes
    found = []
    for course in scenario.courses:
        days = lesson_days(scenario, course.grade)
        open_days = len(days)
        cap = scenario.band_of(course.grade).daily_cap_minutes
        length = course.remaining[0].minutes if course.remaining else 0
        capped_days = sum(1 for d in days if grade_minutes[(course.grade, d)] + length > cap)
        allowed = min(paced_lessons(scenario, course), len(course.remaining))
        missing = allowed - aired[course.id]
        if missing <= 0:
            continue
        if open_days == 0:
            reason = "term start / time of day: no airtime open to the grade in the horizon"
        elif capped_days >= open_days:
            reason = "screen-time cap: the grade's days are full"
        else:
            reason = "airtime: the band's hours went to programmes worth more"
        minutes = sum(lesson.minutes for lesson in course.remaining[aired[course.id]:allowed])
        found.append(Unplaced(course.grade, course.id, missing, minutes, reason))
    return tuple(found)
