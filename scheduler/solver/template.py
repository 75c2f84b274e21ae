"""The weekly template (课表) a horizon's later weeks keep, learned as its weeks are solved.

A template entry is (course, timetable weekday, period start) of a premiere. A course's periods
on a weekday are those of its premieres on the first *regular* day of that weekday that has it
(the regularity rule's (c), :mod:`constraints.regularity`, which also says which days are
regular): they *bind* from then on, and the grade's other courses keep out of them that
weekday (:class:`scheduler.solver.grid.Grid`). Until a grade has had a regular day of a
weekday, its first premieres there (on an exempt day) are kept where they can be, as a
tie-break, and guide the quick plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from constraints.regularity import regular_days
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind
from scheduler.solver.solve_types import WeekAnswer

Entries = frozenset[tuple[str, int, int]]


@dataclass(frozen=True, slots=True)
class Held:
    """Where the template holds a premiere (one definition for the grid, the greedy planners
    and the fallback's check): on a grade's regular day of a learned weekday, a course with
    periods there takes only those, another only a period the grade's template leaves empty."""

    own: dict[tuple[str, int], frozenset[int]]
    taken: dict[tuple[int, int], frozenset[int]]
    regular: frozenset[tuple[int, date]]

    @classmethod
    def of(cls, scenario: Scenario, binding: Entries, regular: frozenset[tuple[int, date]]) -> Held:
        own: dict[tuple[str, int], set[int]] = defaultdict(set)
        taken: dict[tuple[int, int], set[int]] = defaultdict(set)
        for ref, weekday, start in binding:
            own[(ref, weekday)].add(start)
            taken[(scenario.course(ref).grade, weekday)].add(start)
        return cls(
            {key: frozenset(v) for key, v in own.items()},
            {key: frozenset(v) for key, v in taken.items()},
            regular,
        )

    def binds(self, grade: int, day: date, weekday: int | None) -> bool:
        """Whether the template binds the grade's premieres on ``day``."""
        return weekday is not None and (grade, day) in self.regular

    def allows(self, ref: str, grade: int, day: date, weekday: int | None, start: int) -> bool:
        """Whether a premiere of course ``ref`` at ``start`` keeps the template."""
        if weekday is None or not self.binds(grade, day, weekday):
            return True
        own = self.own.get((ref, weekday))
        if own:
            return start in own
        return start not in self.taken.get((grade, weekday), frozenset())


def regular_pairs(scenario: Scenario) -> frozenset[tuple[int, date]]:
    """The (grade, day) pairs on which the template binds: the rule's regular days."""
    return frozenset(
        (grade, day) for grade in scenario.grade_numbers for day in regular_days(scenario, grade)
    )


def learn(
    scenario: Scenario,
    regular: frozenset[tuple[int, date]],
    template: Entries,
    binding: Entries,
    week: tuple[date, ...],
    answer: WeekAnswer,
) -> tuple[Entries, Entries]:
    """The template and its binding part after ``answer``, the premieres of ``week``."""
    grade_of = {course.id: course.grade for course in scenario.courses}
    bound = {(ref, weekday) for ref, weekday, _ in binding}
    known = {(ref, weekday) for ref, weekday, _ in template}
    fresh, soft = set(), set()
    for item in answer.placed:
        day = week[item.day_index]
        weekday = scenario.calendar.timetable_weekday(day)
        if item.kind is not Kind.LESSON or weekday is None:
            continue
        key = (item.ref, weekday)
        if (grade_of[item.ref], day) in regular:
            if key not in bound:
                fresh.add((item.ref, weekday, item.start))
        elif key not in known:
            soft.add((item.ref, weekday, item.start))
    binding = binding | fresh
    learned = {(grade_of[ref], weekday) for ref, weekday, _ in binding}
    template = frozenset(
        entry
        for entry in template | soft | binding
        if entry in binding or (grade_of[entry[0]], entry[1]) not in learned
    )
    return template, binding


__all__ = ["Entries", "Held", "learn", "regular_pairs"]
