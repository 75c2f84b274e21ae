"""Exam cohorts guaranteed: grade 9 and 12 get their lesson minutes every broadcast day.

∀ cohort k, day d ∈ guarantee_days(k):
    Σ { minutes(a) : a premiere of grade(k) on d, a ⊆ window(k) }  ≥  guaranteed(k)
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, DayModel, Guard, IntervalModel, LinearModel
from scheduler.domain.facts import cohort_minutes, guarantee_days
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "cohorts"
TITLE = "exam cohorts get their guaranteed lesson minutes"


def post(m: IntervalModel) -> None:
    for cohort in m.scenario.cohorts:
        for day in guarantee_days(m.scenario, cohort.id):
            if day not in m.week:
                continue
            minutes = [
                placement.minutes
                for activity in m.premieres.values()
                if activity.grade == cohort.grade and activity.day == day
                for placement in activity.placements
                if cohort.id in placement.room.cohorts
            ]
            guard = m.guard(
                Guard(
                    NAME,
                    f"{cohort.id} guarantee {cohort.guaranteed_minutes} min on {day}",
                    day=day,
                    grade=cohort.grade,
                )
            )
            m.model.add(sum(minutes) >= cohort.guaranteed_minutes).only_enforce_if(guard)


def post_grid(g: LinearModel) -> None:
    for cohort in g.scenario.cohorts:
        for day in guarantee_days(g.scenario, cohort.id):
            if day not in g.week:
                continue
            ids = [
                i
                for (_, d), cells in g.premieres.items()
                if d == day
                for i in cells
                if g.cells[i].grade == cohort.grade and cohort.id in g.cells[i].room.cohorts
            ]
            g.rows.append(
                (
                    cohort.guaranteed_minutes,
                    INF,
                    ids,
                    [g.cells[i].length for i in ids],
                    f"cohort {cohort.id} {day}",
                )
            )


def post_day(d: DayModel) -> None:
    """The day's guarantees hold for the lessons kept in the cohort's rooms."""
    for cohort in d.scenario.cohorts:
        if d.day in guarantee_days(d.scenario, cohort.id):
            d.model.add(
                sum(
                    item.cell.length * item.present
                    for item in d.items
                    if item.cell.kind is Kind.LESSON
                    and item.cell.grade == cohort.grade
                    and cohort.id in item.cell.room.cohorts
                )
                >= cohort.guaranteed_minutes
            )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    minutes = cohort_minutes(scenario, airings(scenario, schedule, Kind.LESSON))
    for cohort in scenario.cohorts:
        for day in guarantee_days(scenario, cohort.id):
            got = minutes[(cohort.id, day)]
            if got < cohort.guaranteed_minutes:
                found.append(
                    Violation(
                        NAME,
                        None,
                        day,
                        cohort.window.label,
                        cohort.grade,
                        None,
                        f"{cohort.name_zh} got {got} min of lessons in {cohort.window.label}, "
                        f"guaranteed {cohort.guaranteed_minutes} min",
                    )
                )
    return found
