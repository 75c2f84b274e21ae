"""Rest between two lessons of one grade, across all channels (eye exercises, movement).

∀ grade g, lesson airings a, b of g (premieres and reruns), a before b:
    b.start − a.end ≥ rest
"""

from __future__ import annotations

from collections import defaultdict

from constraints._timeline import airings, lessons_by_grade
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.rooms import window_of
from scheduler.domain.schedule import Kind, Schedule

NAME = "rest"
TITLE = "rest between two lessons of one grade"


def post(m: IntervalModel) -> None:
    rest = m.scenario.rules.rest.minutes
    by_grade = defaultdict(list)
    for activity in m.lessons():
        by_grade[activity.grade].append(
            m.model.new_optional_interval_var(
                activity.start,
                activity.size + rest,
                activity.end + rest,
                activity.present,
                f"rest/{activity.key}",
            )
        )
    for intervals in by_grade.values():
        m.model.add_no_overlap(intervals)
    # Redundant: inside one window, n lessons of a grade need their minutes plus n−1 rests.
    for grade, _ in by_grade.items():
        spans = defaultdict(list)
        for activity in m.lessons():
            if activity.grade != grade:
                continue
            for placement in activity.placements:
                room = placement.room
                spans[(room.channel, room.day, window_of(m.scenario, room))].append(
                    placement.minutes + rest * placement.present
                )
        for (_, _, window), terms in spans.items():
            if len(terms) > 1:
                m.model.add(sum(terms) <= window.minutes + rest)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    rest = scenario.rules.rest.minutes
    grouped = lessons_by_grade(airings(scenario, schedule, Kind.LESSON, Kind.RERUN))
    for grade, items in sorted(grouped.items()):
        # compare with the lesson that ends last so far, not just the previous one, so a short
        # lesson inside a long one (on another channel) does not hide the next clash
        before = None
        for after in items:
            if before is not None:
                gap = (after.programme.start - before.programme.end).total_seconds() / 60
                if gap < rest:
                    found.append(
                        after.violation(
                            NAME,
                            f"{after.programme.title} starts {gap:.0f} min after "
                            f"{before.programme.title} ends ({before.time}); needs {rest} min "
                            "rest",
                            grade=grade,
                        )
                    )
            if before is None or after.programme.end > before.programme.end:
                before = after
    return found
