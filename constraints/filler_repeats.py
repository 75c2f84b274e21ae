"""Filler sanity: no loop of one filler. Airtime nobody can use is handed back to the
channel's own programming as one block (:mod:`scheduler.domain.fill`), so a filler never repeats
back to back more than a few times.

    ∀ channel c, run r of airings of c, each starting where the previous ends, all of the
    same filler:  |r| ≤ max_repeats

Posting: nothing; fillers are placed after solving (:func:`scheduler.domain.fill.fill`), which
merges
adjacent identical fillers into one airing.
"""

from __future__ import annotations

from constraints._timeline import Airing, airings
from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule

NAME = "filler_repeats"
TITLE = "no filler aired more than N times in a row"


def post(m: IntervalModel) -> None:
    """Nothing to post: fillers are placed after solving (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    limit = scenario.rules.fillers.max_repeats
    run: list[Airing] = []

    def close() -> None:
        if len(run) > limit:
            first, last = run[0], run[-1]
            found.append(
                first.violation(
                    NAME,
                    f"{first.programme.title} aired {len(run)} times in a row until "
                    f"{last.time.split('–')[1]}; at most {limit}",
                )
            )

    for airing in airings(scenario, schedule):
        p = airing.programme
        previous = run[-1].programme if run else None
        same = (
            previous is not None
            and p.kind is Kind.FILLER
            and previous.channel == p.channel
            and previous.end == p.start
            and _filler(previous) == _filler(p)
        )
        if same:
            run.append(airing)
            continue
        close()
        run = [airing] if p.kind is Kind.FILLER else []
    close()
    return found


def _filler(programme: Programme) -> tuple[str | None, str]:
    return programme.item, programme.title
