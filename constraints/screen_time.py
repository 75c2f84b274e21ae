"""Screen-time cap per grade per day.

    ∀ grade g, day d:  Σ minutes(premieres of g on d) + Σ minutes(specials aimed at g on d)
                       ≤ cap(band(g))

Reruns are alternatives to a premiere, not extra viewing, so they do not count; specials for
every grade (no audience given) do not count either, since no grade is asked to watch them all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, Draft, Guard, IntervalModel, LinearModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "screen_time"
TITLE = "screen-time cap per grade per day"


def post(m: IntervalModel) -> None:
    for grade in m.scenario.grade_numbers:
        cap = m.scenario.band_of(grade).daily_cap_minutes
        for day in m.week:
            terms = [
                placement.minutes
                for activity in m.premieres.values()
                if activity.grade == grade and activity.day == day
                for placement in activity.placements
            ]
            terms += [
                placement.minutes
                for activity in m.specials
                if activity.special is not None and grade in activity.special.grades
                for placement in activity.placements
                if placement.room.day == day
            ]
            if terms:
                guard = m.guard(
                    Guard(
                        NAME,
                        f"grade {grade} screen-time cap {cap} min on {day}",
                        day=day,
                        grade=grade,
                    )
                )
                m.model.add(sum(terms) <= cap).only_enforce_if(guard)


def post_grid(g: LinearModel) -> None:
    by_grade_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    for (_, day), ids in g.premieres.items():
        for i in ids:
            grade = g.cells[i].grade
            assert grade is not None
            by_grade_day[(grade, day)].append(i)
    for special_id, ids in g.specials.items():
        for grade in g.scenario.special(special_id).grades:
            for i in ids:
                by_grade_day[(grade, g.cells[i].room.day)].append(i)
    for (grade, day), ids in by_grade_day.items():
        cap = g.scenario.band_of(grade).daily_cap_minutes
        g.row(-INF, cap, ids, [g.cells[i].length for i in ids], f"cap grade {grade} {day}")


def allows(d: Draft, grades: tuple[int, ...], minutes: int) -> bool:
    """Whether ``minutes`` more of viewing keep every grade in ``grades`` within its cap."""
    return all(
        d.minutes.get(grade, 0) + minutes <= d.scenario.band_of(grade).daily_cap_minutes
        for grade in grades
    )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    minutes: dict[tuple[int, object], int] = defaultdict(int)
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.SPECIAL):
        if airing.programme.kind is Kind.SPECIAL and not airing.programme.grades:
            continue
        for grade in airing.programme.grades:
            minutes[(grade, airing.day)] += airing.programme.minutes
    for (grade, day), total in sorted(minutes.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if grade not in scenario.grade_numbers:
            continue
        band = scenario.band_of(grade)
        if total > band.daily_cap_minutes:
            found.append(
                Violation(
                    NAME,
                    None,
                    day,  # type: ignore[arg-type]
                    None,
                    grade,
                    None,
                    f"{total} min of lessons, over the {band.daily_cap_minutes} min daily cap for "
                    f"{band.name_zh}",
                )
            )
    return found
