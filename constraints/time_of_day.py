"""Time of day suitable to the band, on the grade's channels.

    ∀ lesson airing a of grade g:  a ⊆ some hours h of band(g),  channel(a) ∈ channels(g)

Posting: structural. A lesson's rooms are the channel windows cut to its band's hours on the
grade's channels (:func:`scheduler.domain.rooms.lesson_rooms`).
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "time_of_day"
TITLE = "lessons at hours suitable to the band, on the grade's channels"


def post(m: IntervalModel) -> None:
    """Nothing to post: rooms are cut to band hours (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    known = set(scenario.grade_numbers)
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        for grade in airing.programme.grades:
            if grade not in known:
                found.append(
                    airing.violation(NAME, f"grade {grade} is not in the scenario", grade=grade)
                )
                continue
            band = scenario.band_of(grade)
            if not any(h.covers(airing.start, airing.end) for h in band.hours):
                hours = ", ".join(h.label for h in band.hours)
                found.append(
                    airing.violation(
                        NAME,
                        f"{airing.programme.title} at {airing.time} is outside the hours for "
                        f"{band.name_zh} ({hours})",
                        grade=grade,
                    )
                )
            channels = {c.id for c in scenario.channels_of(grade)}
            if airing.programme.channel not in channels:
                found.append(
                    airing.violation(
                        NAME,
                        f"grade {grade} lessons belong on {', '.join(sorted(channels))}",
                        grade=grade,
                    )
                )
    return found
