"""Re-plan a published edition with minimal change (issue 12): ``replan(scenario, published)``.

What aired is fact: every airing of ``published`` before ``today`` (its broadcast day) is kept
exactly (an airing inside an outage declared for the past did not air and is left out), and
course progress follows from it. Airings in the frozen days ``[today, today + freeze_days)``
stay where they are unless a disruption forces them away; the rest of the horizon is re-planned
to change as little as possible first and to cover as much as possible second.

The horizon is walked week by week, as :func:`scheduler.solver.solving.solve` does:

* a week whose published airings all still hold under the scenario (windows and outages, the
  grade still on air, the pins, the specials' quotas, and each lesson renumbered by the new
  progress still available and as long) is **kept**: the published airings, renumbered;
* any other week is **re-solved** on the week's grid (:class:`scheduler.solver.grid.Grid`) with
  the days before ``today`` fixed, the frozen days' valid airings fixed, and an objective that
  rewards, lexicographically, (1) each published airing kept on air, (2) on its day, (3) at its
  time, (4) on its channel, (5) each grade's day left as it was, the sooner the day the more
  (step A); then coverage under a row keeping step A's value (step B). The sequencer gives the
  minutes; in template mode a lesson keeps its period, so the published minute.

Each result is checked by every rule; a kept week that breaks one after all is re-solved.
The changes against ``published`` (:func:`scheduler.domain.changes.diff`) come with the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from constraints import RULES
from scheduler.domain.changes import diff
from scheduler.domain.errors import ScenarioError
from scheduler.domain.fill import fill
from scheduler.domain.model import Scenario
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Result, Status
from scheduler.domain.rooms import week_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.solver.engine import solve_week
from scheduler.solver.replan_edition import Aired, Edition
from scheduler.solver.replan_week import resolve_week
from scheduler.solver.solve_types import Carried, WeekAnswer, carry

Progress = Callable[[dict[str, Any]], None]
#: Re-solve a kept week found to break a rule at most this many times over.
ROUNDS = 3


def replan(
    scenario: Scenario,
    published: Schedule,
    *,
    today: date,
    freeze_days: int | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """A re-plan of ``published`` from ``today`` on with minimal change; see the module
    docstring. ``freeze_days``: days from ``today`` whose airings move only where a disruption
    forces them (default: the rest of today's week, the printed week)."""
    if freeze_days is not None and freeze_days < 0:
        raise ScenarioError(f"--freeze-days must be 0 or more, not {freeze_days}")
    began = time.monotonic()
    limit = scenario.solver.time_limit if time_limit is None else time_limit
    planner = _Replanner(
        scenario,
        published,
        today=today,
        frozen_until=frozen_until(today, freeze_days),
        limit=limit,
        seed=seed,
        workers=scenario.solver.workers if workers is None else workers,
        progress=progress,
        began=began,
    )
    return planner.run()


def frozen_until(today: date, freeze_days: int | None) -> date:
    """The first day after the frozen ones: ``today + freeze_days``, by default the Monday
    after today (the rest of the printed week is frozen)."""
    return today + timedelta(days=7 - today.weekday() if freeze_days is None else freeze_days)


class _Replanner:
    def __init__(
        self,
        scenario: Scenario,
        published: Schedule,
        *,
        today: date,
        frozen_until: date,
        limit: float,
        seed: int,
        workers: int,
        progress: Progress | None,
        began: float,
    ) -> None:
        self.scenario = scenario
        self.published = published
        self.today = today
        self.frozen_until = frozen_until
        self.seed = seed
        self.workers = workers
        self.progress = progress
        self.began = began
        self.edition = Edition(scenario, published, today, seed)
        self.weeks = self.edition.weeks
        open_weeks = sum(1 for week in self.weeks if week[-1] >= today)
        self.budget = max(limit * 0.9 / max(open_weeks, 1), 1.0)
        self.notes: list[str] = []
        self.status = Status.OPTIMAL
        self.cache: dict[tuple[Any, ...], WeekAnswer] = {}

    # -- the walk ---------------------------------------------------------------------------
    def run(self) -> Result:
        forced: set[int] = set()
        for _ in range(ROUNDS):
            outcome = self._walk(forced)
            if isinstance(outcome, Result):
                return outcome
            schedule, kept = outcome
            broken = self._broken_weeks(schedule, kept)
            if not broken:
                break
            forced |= broken
        return self._result(schedule, kept)

    def _walk(self, forced: set[int]) -> tuple[Schedule, set[int]] | Result:
        scenario = self.scenario
        progress = {c.id: c.progress for c in scenario.courses}
        programmes: list[Programme] = list(self.edition.past)
        carried: Carried = ()
        kept_weeks: set[int] = set()
        self.notes = []
        self.status = Status.OPTIMAL
        for index, week in enumerate(self.weeks):
            aired = [a for day in week for a in self.edition.by_day.get(day, [])]
            if week[-1] < self.today:
                placed = [a.placed for a in aired]
                kept_weeks.add(index)
            elif index not in forced and self.edition.keeps(week, progress, aired):
                programmes += self.edition.renumbered(week, progress, aired)
                placed = [a.placed for a in aired]
                kept_weeks.add(index)
            else:
                answer = self._resolve(index, week, progress, aired, carried)
                if not answer.status.has_schedule:
                    return Result(
                        status=answer.status,
                        schedule=None,
                        objective=None,
                        bound=None,
                        runtime=time.monotonic() - self.began,
                        seed=self.seed,
                        explanation=answer.explanation
                        or (f"no re-plan found for the week of {week[0]}",),
                    )
                if answer.status is not Status.OPTIMAL:
                    self.status = Status.FEASIBLE
                self.notes += [n for n in answer.explanation if n not in self.notes]
                programmes += self.edition.week_programmes(week, progress, answer, aired)
                placed = list(answer.placed)
            for item in placed:
                if item.kind is Kind.LESSON and item.ref in progress:
                    progress[item.ref] += 1
            carried = carry(scenario, week[-1], (p for p in placed if p.day_index == len(week) - 1))
        programmes += fill(scenario, programmes)
        schedule = Schedule(tuple(programmes), scenario=scenario.source or None, seed=self.seed)
        return schedule, kept_weeks

    def _broken_weeks(self, schedule: Schedule, kept: set[int]) -> set[int]:
        """Kept weeks (from today on) on whose days some rule is broken: re-solve them."""
        broken: set[int] = set()
        days = {
            day: index
            for index, week in enumerate(self.weeks)
            if index in kept and week[-1] >= self.today
            for day in week
            if day >= self.today
        }
        if not days:
            return broken
        for rule in RULES:
            for violation in rule.violations(self.scenario, schedule):
                if violation.day in days:
                    broken.add(days[violation.day])
        return broken

    def _result(self, schedule: Schedule, kept: set[int]) -> Result:
        objective = evaluate(self.scenario, schedule).units / SCALE
        changes = diff(self.scenario, self.published, schedule)
        return Result(
            status=Status.FEASIBLE,  # a re-plan proves no coverage bound
            schedule=schedule,
            objective=objective,
            bound=None,
            runtime=time.monotonic() - self.began,
            seed=self.seed,
            explanation=tuple(self.notes),
            stats={
                "weeks": len(self.weeks),
                "kept_weeks": sum(1 for i in kept if self.weeks[i][-1] >= self.today),
                "resolved_weeks": sum(
                    1
                    for i, week in enumerate(self.weeks)
                    if i not in kept and week[-1] >= self.today
                ),
            },
            changes=changes,
        )

    def _resolve(
        self,
        index: int,
        week: tuple[date, ...],
        progress: dict[str, int],
        aired: list[Aired],
        carried: Carried,
    ) -> WeekAnswer:
        if not aired:  # nothing published for the week: solve it as a plain solve would
            return solve_week(
                self.scenario,
                week,
                progress,
                budget=self.budget,
                workers=self.workers,
                seed=self.seed,
                carried=carried,
                periods=self.edition.periods,
            )
        key = self._key(week, progress, aired, carried)
        if key in self.cache:
            return self.cache[key]
        for frozen in (True, False):
            answer = resolve_week(
                self.edition,
                week,
                progress,
                aired,
                carried,
                frozen_until=self.frozen_until,
                budget=self.budget,
                seed=self.seed,
                frozen=frozen,
            )
            if answer is not None:
                self.cache[key] = answer
                return answer
        if week[0] >= self.today:
            answer = solve_week(
                self.scenario,
                week,
                progress,
                budget=self.budget,
                workers=self.workers,
                seed=self.seed,
                carried=carried,
                periods=self.edition.periods,
            )
            return replace(
                answer,
                explanation=(
                    *answer.explanation,
                    f"week of {week[0]}: no re-plan keeps the published airings; solved afresh",
                ),
            )
        return WeekAnswer(
            Status.INFEASIBLE,
            (),
            0,
            0,
            0.0,
            (
                f"week of {week[0]}: what aired before {self.today} leaves no valid plan for the "
                "rest of the week",
            ),
        )

    def _key(
        self,
        week: tuple[date, ...],
        progress: dict[str, int],
        aired: list[Aired],
        carried: Carried,
    ) -> tuple[Any, ...]:
        """Everything a re-solved week depends on, dates made relative: weeks alike in calendar,
        demand and published airings share one answer."""
        from constraints.availability import signature
        from scheduler.solver.weeks import calendar_signature

        def relative(day: date) -> int:
            return min(max((day - week[0]).days, -1), len(week))

        demand = tuple(
            tuple(lesson.minutes for lesson in week_lessons(self.scenario, course, progress))
            for course in self.scenario.courses
        )
        return (
            calendar_signature(self.scenario, week),
            demand,
            signature(self.scenario, week, progress),
            relative(self.today),
            relative(self.frozen_until),
            carried,
            tuple(
                sorted(
                    (
                        a.placed.kind.value,
                        a.placed.ref,
                        a.placed.day_index,
                        a.placed.slot,
                        a.placed.channel,
                        a.placed.start,
                        a.placed.end,
                        self.edition.holds(a),
                    )
                    for a in aired
                )
            ),
            tuple(
                sorted(
                    (a.placed.ref, a.placed.day_index, a.placed.start)
                    for a in aired
                    if a.placed.kind is Kind.LESSON
                    and (a.placed.ref, self.scenario.calendar.timetable_weekday(a.day) or 0)
                    in self.edition.course_periods
                )
            ),
        )


__all__ = ["frozen_until", "replan"]
