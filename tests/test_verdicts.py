"""No false verdicts: INFEASIBLE only with a proof, a week the grid cannot place falls back.

The grid model fixes airings to slots, so it is a restriction of the week: its infeasibility
proves nothing. Only a conflict set found by the explainer (or CP-SAT's verdict on the interval
model) may make a week INFEASIBLE; otherwise the interval model or the greedy planner plans it.
"""

from __future__ import annotations

from typing import Any

from builders import solved
from hypothesis import HealthCheck, given, settings
from test_solve_random import scenarios

from scheduler.analysis import report
from scheduler.analysis.checking import check
from scheduler.domain.fill import fill
from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import load
from scheduler.solver.assemble import week_airings
from scheduler.solver.greedy import plan_week
from scheduler.solver.solve_types import Carried, WeekAnswer, carry


def greedy_schedule(subject: Scenario) -> Schedule:
    """The whole horizon planned by the greedy planner alone, week after week."""
    progress = {c.id: c.progress for c in subject.courses}
    weeks: list[Any] = []
    carried: Carried = ()
    for week in subject.weeks():
        placed, _ = plan_week(subject, week, progress, carried)
        carried = carry(subject, week[-1], (p for p in placed if p.day_index == len(week) - 1))
        weeks.append((week, dict(progress), WeekAnswer(Status.FEASIBLE, tuple(placed), 0, 0, 0)))
        for item in placed:
            if item.kind.value == "lesson":
                progress[item.ref] += 1
    programmes = week_airings(subject, weeks)
    programmes += fill(subject, programmes)
    return Schedule(tuple(programmes))


def test_tight_zhongkao_window_with_the_opening_at_19_is_not_called_infeasible() -> None:
    """The default week with the zhongkao window 14:00-16:00 and the opening pin moved to
    Monday 19:00, placed freely: the grid finds no placement, yet the greedy plan passes every
    rule. (The timetable engine plans this week in its periods; this is the free engine.)"""
    subject = load(
        None,
        overrides={
            "cohorts[zhongkao].window": "14:00-16:00",
            "pinned[opening].start": "19:00",
            "pinned[opening].end": "19:10",
            "timetable.mode": "free",
            "cohorts[zhongkao].subjects": [],
            "cohorts[gaokao].subjects": [],
        },
    )
    assert check(subject, greedy_schedule(subject)) == []
    result = solved(subject, time_limit=1)
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert any("no conflict between rules was proven" in line for line in result.explanation)
    markdown = report.to_markdown(report.build(subject, result))
    assert "## How the weeks were planned" in markdown and "interval model" in markdown


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_legal_greedy_plan_means_the_solver_does_not_say_infeasible(subject: Scenario) -> None:
    if check(subject, greedy_schedule(subject)) != []:
        return
    assert solved(subject, time_limit=5).status is not Status.INFEASIBLE
