"""The weekly engines behind one solve: the grid (HiGHS, then the day sequencer), the interval
model (CP-SAT: the fallback when the grid finds no placement, and the explainer of infeasible
weeks) and the greedy planner (the last resort). Each is forced on tiny weeks whose optimum is
known; every schedule goes through the checker (``builders.solved``)."""

from __future__ import annotations

from unittest import mock

import pytest
from builders import ENGINES, EXACT_ENGINES, course, forced, scenario, solved, span

from scheduler.domain.model import Cohort, Reruns, Special
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind

#: morning and afternoon windows (the default dayparts split at 12:00)
TWO_DAYPARTS = ("08:00-09:00", "13:00-14:00")


def mixed(**extra):  # type: ignore[no-untyped-def]
    """Two days, grades 1 and 9 in one band, a morning and an afternoon hour, rest 10 min,
    soft reruns at half weight, a 10-min special twice a week, and grade 9 guaranteed 20 min
    of the morning every day: most rules at once."""
    extra.setdefault("cohorts", (Cohort("zk", "中考", 9, 20, span("08:00-09:00")),))
    return scenario(
        days=2,
        windows=TWO_DAYPARTS,
        grades=(1, 9),
        rest=10,
        reruns=Reruns(mode="soft", weight=0.5),
        courses=(
            course("a", 1, 5, 20, weight=2.0),
            course("b", 1, 5, 20, subject="语文"),
            course("z", 9, 5, 20),
        ),
        specials=(Special("sp", "疫情防护", "health", 10, 2),),
        **extra,
    )


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_the_exact_engines_agree_on_a_mixed_week(engine: str) -> None:
    """Each day's 120 min hold the three premieres (a at weight 2: 40 + 20 + 20 points) and
    their three reruns (20 + 10 + 10) exactly; the special (its quota cut to the two-day
    week: one airing) takes 10 min of one day, so one half-weight rerun of b or z goes:
    2 × 120 − 10 = 230 points, the grid's proven optimum and the interval model's."""
    result = solved(mixed(), engine=engine)
    assert result.status is Status.OPTIMAL
    assert result.objective == 230
    assert result.schedule is not None
    assert len(result.schedule.of_kind(Kind.SPECIAL)) == 1
    assert len(result.schedule.of_kind(Kind.RERUN)) == 5


def test_the_greedy_planner_keeps_every_rule() -> None:
    """The last resort plans the same week without a bound: FEASIBLE, through the checker,
    and no better than the optimum."""
    result = solved(mixed(), engine="greedy")
    assert result.status is Status.FEASIBLE
    assert result.objective is not None and 0 < result.objective <= 230
    assert any("planned by the greedy planner" in line for line in result.explanation)


@pytest.mark.parametrize("engine", ENGINES)
def test_each_fallback_says_what_was_tried(engine: str) -> None:
    """The report names the engine that planned a week the grid could not."""
    result = solved(mixed(), engine=engine)
    said = " ".join(result.explanation)
    if engine == "grid":
        assert said == ""
    else:
        assert "the grid model found no placement within its budget" in said
        assert ("interval model (CP-SAT)" in said) and (
            ("greedy planner" in said) == (engine == "greedy")
        )


def test_no_engine_finding_a_week_is_unknown_not_infeasible() -> None:
    """When the grid and the interval model find nothing and the greedy plan breaks a rule,
    the week is UNKNOWN with what was tried: never INFEASIBLE without a proof."""
    with (
        forced("greedy"),
        mock.patch(
            "scheduler.solver.greedy.plan_week", return_value=([], ["greedy: zk got 0 of 20 min"])
        ),
    ):
        result = solved(mixed())
    assert result.status is Status.UNKNOWN
    assert result.schedule is None
    assert "the greedy planner could not meet every rule:" in " ".join(result.explanation)
    assert "greedy: zk got 0 of 20 min" in result.explanation


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_an_infeasible_week_is_proven_by_the_interval_model(engine: str) -> None:
    """Grade 9 guaranteed 70 min of a 60-min morning: whichever engine planned, INFEASIBLE
    comes with the interval model's conflict set naming the guarantee and its window."""
    subject = mixed(cohorts=(Cohort("zk", "中考", 9, 70, span("08:00-09:00")),))
    result = solved(subject, engine=engine)
    assert result.status is Status.INFEASIBLE
    assert any(
        "zk guarantee 70 min on 2020-02-17 cannot fit" in line for line in result.explanation
    )
