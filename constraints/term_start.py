"""Before a grade's term start only specials: no new-term lessons (MoE guidance 2020-02-04).

    ∀ lesson airing a of grade g:  broadcast_day(a) ≥ term_start(g)

Posting: structural; a grade has no lesson rooms before its term start.
"""

from __future__ import annotations

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "term_start"
TITLE = "no lessons before a grade's term start"


def post(m: IntervalModel) -> None:
    """Nothing to post: no rooms before the term start (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    known = set(scenario.grade_numbers)
    for airing in airings(scenario, schedule, Kind.LESSON, Kind.RERUN):
        for grade in airing.programme.grades:
            if grade in known and airing.day < scenario.grade(grade).term_start:
                found.append(
                    airing.violation(
                        NAME,
                        f"lesson before the term starts on {scenario.grade(grade).term_start}",
                        grade=grade,
                    )
                )
    return found
