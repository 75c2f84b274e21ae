"""What did not fit and what would fit it: who took a course's airtime, and the smallest change.

The lessons left out themselves, with the rule that kept them out, are a domain fact
(:func:`scheduler.domain.facts.unplaced`, also the solver's ``Result.unplaced``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date

from scheduler.analysis.minimums import can_grow, window_to_grow
from scheduler.domain.facts import placed, unplaced
from scheduler.domain.model import GRADE_NAMES, Scenario, TimeRange
from scheduler.domain.objective import premiere_rate
from scheduler.domain.result import Unplaced
from scheduler.domain.rooms import lesson_days
from scheduler.domain.schedule import Kind, Programme, Schedule

# -- who took the airtime, and the smallest change that would fit it ----------------------------
Located = list[tuple[Programme, date, int, int]]


def locate(scenario: Scenario, schedule: Schedule) -> Located:
    """Every airing of the horizon with its broadcast day and wall-clock minutes
    (:func:`scheduler.domain.facts.placed`, computed once per report)."""
    return [(a.programme, a.day, a.start, a.end) for a in placed(scenario, schedule)]


def advice(
    scenario: Scenario, schedule: Schedule, items: Sequence[Unplaced]
) -> dict[str, tuple[str, str]]:
    """Per course that did not fit: what took its airtime (the three largest, with minutes)
    and the smallest change that would likely fit it (:func:`smallest_change`)."""
    located = locate(scenario, schedule)
    hours: dict[int, Hours] = {}
    found = {}
    for item in items:
        if item.grade not in hours:
            hours[item.grade] = lesson_airtime(scenario, item.grade)
        taken = crowding(scenario, located, item.course, hours[item.grade])[:3]
        found[item.course] = (
            ", ".join(f"{who} {minutes} min" for who, minutes in taken),
            smallest_change(scenario, located, item, hours[item.grade]),
        )
    return found


Hours = dict[tuple[str, date], tuple[TimeRange, ...]]


def lesson_airtime(scenario: Scenario, grade: int) -> Hours:
    """The grade's lesson hours by (channel, day), on calendar lesson days of its lesson days."""
    return {
        (channel.id, day): pieces
        for day in lesson_days(scenario, grade)
        if scenario.is_lesson_day(day)
        for channel in scenario.channels_of(grade)
        if (pieces := scenario.lesson_hours(grade, channel, day))
    }


def crowding(
    scenario: Scenario, located: Located, course_id: str, hours: Hours | None = None
) -> list[tuple[str, int]]:
    """What aired where a course may air (its grade's lesson hours on calendar lesson days,
    :func:`lesson_airtime`): ``(who, minutes)`` per other course (``三年级 数学``) or kind of
    airing, most first."""
    course = scenario.course(course_id)
    rooms = lesson_airtime(scenario, course.grade) if hours is None else hours
    taken: Counter[str] = Counter()
    known = {c.id for c in scenario.courses}
    for programme, day, start, end in located:
        if programme.course == course_id or programme.kind is Kind.FILLER:
            continue
        inside = sum(
            max(0, min(end, piece.end) - max(start, piece.start))
            for piece in rooms.get((programme.channel, day), ())
        )
        if not inside:
            continue
        if programme.kind is Kind.LESSON and programme.course in known:
            other = scenario.course(programme.course)
            who = f"{GRADE_NAMES.get(other.grade, other.grade)} {other.subject}"
        else:
            who = {
                Kind.RERUN: "重播 reruns",
                Kind.SPECIAL: "专题 specials",
                Kind.PINNED: "固定节目 pinned",
            }.get(programme.kind, programme.kind.value)
        taken[who] += inside
    return sorted(taken.items(), key=lambda pair: (-pair[1], pair[0]))


def smallest_change(
    scenario: Scenario, located: Located, item: Unplaced, hours: Hours | None = None
) -> str:
    """A change that would likely fit the missing lessons (a heuristic, not a solve):

    - screen-time cap: raise the band's daily cap by one lesson;
    - no airtime in the horizon: lesson hours for the grade;
    - airtime: one lesson plus its rest more of the window whose growth gives the grade most
      lesson airtime (:func:`scheduler.analysis.minimums.window_to_grow`), on as many lesson days as
      lessons are missing (and the band's hours with it when the windows already fill them);
      and, when every premiere in the course's lesson hours is worth at
      least as much a minute, the course weight that would outbid the cheapest of them.
    """
    course = scenario.course(item.course)
    length = course.remaining[0].minutes if course.remaining else 0
    if item.reason.startswith("screen-time"):
        band = scenario.band_of(course.grade)
        return f"daily cap of band {band.id} +{length} min"
    days = tuple(d for d in lesson_days(scenario, course.grade) if scenario.is_lesson_day(d))
    if not days:
        return f"lesson hours for grade {course.grade} on its lesson days"
    window = window_to_grow(scenario, course.grade, days)
    count = min(item.lessons, len(days))
    change = f"+{length + scenario.rules.rest.minutes} min of {window} on {count} lesson day(s)"
    if not can_grow(scenario, course.grade, days):
        change += f" (and band {scenario.band_of(course.grade).id}'s hours widened with it)"
    known = {c.id for c in scenario.courses}
    rooms = lesson_airtime(scenario, course.grade) if hours is None else hours
    rates = [
        premiere_rate(scenario, scenario.course(p.course))
        for p, day, start, end in located
        if p.kind is Kind.LESSON
        and p.course in known
        and p.course != course.id
        and any(piece.covers(start, end) for piece in rooms.get((p.channel, day), ()))
    ]
    own = premiere_rate(scenario, course)
    if rates and min(rates) >= own:
        needed = course.weight * min(rates) / own
        change += f", or weight {math.floor(needed * 10 + 1) / 10:.1f}"
    return change


__all__ = [
    "Hours",
    "Located",
    "advice",
    "crowding",
    "lesson_airtime",
    "locate",
    "smallest_change",
    "unplaced",
]
