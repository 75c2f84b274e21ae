"""From a grade's term end (back to school) it has no lessons on air (issue 12).

    ∀ lesson airing a (premiere or rerun) of grade g with a term end:  day(a) < term_end(g)

Posting: structural; a grade has no lesson rooms from its term end on
(:meth:`scheduler.domain.model.Grade.on_air`), and its cohort guarantees and subject minimums
end with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constraints._timeline import airings
from constraints.base import Violation
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

if TYPE_CHECKING:
    from constraints.engine import IntervalModel

NAME = "term_end"
TITLE = "no lessons for a grade back at school"


def post(m: IntervalModel) -> None:
    """Nothing to post: no rooms from the term end (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    known = set(scenario.grade_numbers)
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        for grade in airing.programme.grades:
            if grade not in known:
                continue
            term_end = scenario.grade(grade).term_end
            if term_end is not None and airing.day >= term_end:
                found.append(
                    airing.violation(
                        NAME,
                        f"lesson after the grade went back to school on {term_end}",
                        grade=grade,
                    )
                )
    return found
