"""Lesson days: new lessons only on the school calendar's lesson days (Beijing 2020: no
Saturday or Sunday lessons; holidays off; make-up workdays 调休 on).

    ∀ premiere p:  is_lesson_day(broadcast_day(p))

where a day is a lesson day when it is a make-up workday, or its weekday is one of
``calendar.lesson_days`` and no holiday covers it (:class:`scheduler.domain.model.Calendar`).
Reruns are tied to their premiere's day by the reruns rule, so they may fall on any day.

Posting: premieres on other days are absent.
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import WEEKDAY_ZH, Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "lesson_days"
TITLE = "new lessons only on lesson days"


def post(m: IntervalModel) -> None:
    for (_, day, _), activity in m.premieres.items():
        if day is not None and not m.scenario.is_lesson_day(day):
            m.model.add(activity.present == 0)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    calendar = scenario.calendar
    for airing in airings(scenario, schedule, Kind.LESSON):
        if scenario.is_lesson_day(airing.day):
            continue
        holiday = next((h.name for h in calendar.holidays if airing.day in h), None)
        why = (
            f"a holiday ({holiday})"
            if holiday is not None
            else f"{WEEKDAY_ZH[airing.day.weekday()]} is not a lesson day"
        )
        found.append(
            airing.violation(NAME, f"new lesson {airing.programme.title} on {airing.day}: {why}")
        )
    return found
