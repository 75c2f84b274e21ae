"""Filler sanity: no filler aired more than ``max_repeats`` times back to back."""

from __future__ import annotations

import pytest
from builders import CHANNEL, ENGINES, MONDAY, aired, course, filler_airing, scenario

from constraints import filler_repeats
from constraints.base import Violation
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import FillerRule, Rules
from scheduler.domain.schedule import Schedule

WEEK = scenario(windows=("08:00-09:00",), courses=(course("c", 1, 5, 20),))


def loop(count: int, start_minute: int = 0) -> list:  # type: ignore[type-arg]
    """``count`` back-to-back 2-minute promos from 08:00 + ``start_minute``."""
    return [filler_airing(WEEK, "promo", f"08:{start_minute + 2 * i:02d}", 2) for i in range(count)]


def test_three_in_a_row_is_the_default_limit() -> None:
    assert filler_repeats.violations(WEEK, Schedule(tuple(loop(3)))) == []
    assert filler_repeats.violations(WEEK, Schedule(tuple(loop(4)))) == [
        Violation(
            "filler_repeats",
            CHANNEL,
            MONDAY,
            "08:00–08:02",
            None,
            None,
            "promo aired 4 times in a row until 08:08; at most 3",
        )
    ]


def test_run_is_broken_by_another_programme_or_a_gap() -> None:
    """promo ×3, a lesson, promo ×3: two runs of 3. A 1-minute gap also ends a run, and a
    different filler between two promos too."""
    broken = [*loop(3), aired(WEEK, "c", "08:06", 20), *loop(3, 26)]
    assert filler_repeats.violations(WEEK, Schedule(tuple(broken))) == []
    gap = [*loop(3), *loop(3, 7)]
    assert filler_repeats.violations(WEEK, Schedule(tuple(gap))) == []
    mixed = [*loop(3), filler_airing(WEEK, "eye", "08:06", 5), *loop(3, 11)]
    assert filler_repeats.violations(WEEK, Schedule(tuple(mixed))) == []


def test_limit_is_a_parameter() -> None:
    strict = WEEK.replace(rules=Rules(fillers=FillerRule(max_repeats=1)))
    found = filler_repeats.violations(strict, Schedule(tuple(loop(2))))
    assert [v.message for v in found] == ["promo aired 2 times in a row until 08:04; at most 1"]


def test_invalid_parameters() -> None:
    with pytest.raises(ScenarioError, match="max_repeats must be 1 or more"):
        FillerRule(max_repeats=0)


@pytest.mark.parametrize("engine", ENGINES)
def test_solver_output_keeps_the_rule(engine: str) -> None:
    """No engine posts this rule: fillers are placed after solving and adjacent identical
    ones merged, so it holds for every engine's schedule and has no infeasible twin. A
    08:00–10:00 window whose band may only use 08:00–08:30, one 20-min lesson (20 points),
    at most one repeat: the 90 min nobody can use go back to the channel unlooped."""
    from dataclasses import replace

    from builders import band, solved

    subject = scenario(
        windows=("08:00-10:00",),
        bands=(band("b", (1,), hours=("08:00-08:30",)),),
        courses=(course("c", 1, 5, 20),),
    )
    strict = subject.replace(rules=replace(subject.rules, fillers=FillerRule(max_repeats=1)))
    result = solved(strict, engine=engine)
    assert result.status.has_schedule
    assert result.objective == 20
    assert result.schedule is not None
    assert filler_repeats.violations(strict, result.schedule) == []
