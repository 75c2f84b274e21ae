"""The front door: ``solve(scenario) -> Result``, week by week, with a proven bound.

The horizon is cut into ISO weeks, each solved by :func:`scheduler.solver.engine.solve_week` with
the
earlier weeks fixed (course progress carried over). Weeks are coupled only by how many
lessons each course has left, so when no course can run out within the horizon the weekly
problems are independent and the sum of the weekly bounds bounds the whole horizon. Otherwise
the bound adds up weekly relaxations in which every course still has all its lessons. Weeks
with the same calendar and demand have the same model: they are solved once and the answer
reused.

Determinism: each week's budget is the time limit shared evenly by the distinct weeks, and the
engine spends it as node counts and deterministic time, so a scenario, seed and settings give
the same schedule. Lessons are numbered in time order and get stable ids (``g3-math-l012``,
its rerun ``g3-math-l012-r``), so an unchanged airing keeps its id across re-solves.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from types import FrameType
from typing import Any

from constraints import availability
from scheduler.domain.facts import unplaced
from scheduler.domain.fill import fill
from scheduler.domain.model import Scenario
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Result, Status
from scheduler.domain.rooms import week_lessons
from scheduler.domain.schedule import Kind, Schedule
from scheduler.solver.ahead import Ahead
from scheduler.solver.ahead import available as ahead_available
from scheduler.solver.assemble import week_airings
from scheduler.solver.engine import solve_week
from scheduler.solver.periods import choose_periods
from scheduler.solver.quick import quick_week, refuse_broken
from scheduler.solver.solve_types import Carried, Periods, WeekAnswer, carry
from scheduler.solver.template import learn, regular_pairs
from scheduler.solver.weeks import calendar_signature, coupled

Progress = Callable[[dict[str, Any]], None]
#: Share of the time limit the weeks' searches may use; the rest is kept for sequencing, the
#: quick plan of the weeks left and assembling the schedule.
LIMIT_SHARE = 0.9


def solve(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Fill the airtime under every rule; see the module docstring for how."""
    settings = scenario.solver
    limit = settings.time_limit if time_limit is None else time_limit
    workers = settings.workers if workers is None else workers
    seed = settings.seed if seed is None else seed
    began = time.monotonic()
    runner = _Runner(scenario, limit, workers, seed, progress, began)
    with _interrupts(runner):
        return runner.run()


class _Runner:
    def __init__(
        self,
        scenario: Scenario,
        limit: float,
        workers: int,
        seed: int,
        progress: Progress | None,
        began: float,
    ) -> None:
        self.scenario = scenario
        self.limit = limit
        self.workers = workers
        self.seed = seed
        self.progress = progress
        self.began = began
        self.interrupted = False
        self.cache: dict[tuple[Any, ...], WeekAnswer] = {}
        self.weeks = scenario.weeks()
        self.coupled = coupled(scenario)
        self.periods: Periods | None = None
        if scenario.timetable.mode == "template":
            self.periods = choose_periods(scenario, seed=seed, budget=max(limit * 0.05, 0.5))
        self.ahead: Ahead | None = None  # the next week, solved ahead on the second core
        self.moved: Counter[str] = Counter()  # the last week's premieres per course
        self.taken_ahead = 0  # weeks whose answer came from the child
        self.template: frozenset[tuple[str, int, int]] = frozenset()
        self.binding: frozenset[tuple[str, int, int]] = frozenset()
        #: (grade, day) pairs on which the template binds: the regularity rule's regular days
        self.regular: frozenset[tuple[int, date]] = frozenset()
        if self.periods is not None:
            self.regular = regular_pairs(scenario)

    def stop(self) -> None:
        self.interrupted = True

    def out_of_time(self) -> bool:
        """Ctrl-C, or the time limit spent: the whole command stays within ``--time-limit``
        (the weeks not yet solved are then planned the quick way, without a bound)."""
        if not self.interrupted and time.monotonic() - self.began >= self.limit * LIMIT_SHARE:
            self.interrupted = True
        return self.interrupted

    def run(self) -> Result:
        progress = {c.id: c.progress for c in self.scenario.courses}
        distinct = len({self._calendar(week) for week in self.weeks})
        carried: Carried = ()  # the last day's lessons the next week must rest after
        budget = self.limit / max(distinct, 1)
        try:
            return self._weeks(progress, carried, budget)
        finally:
            if self.ahead is not None:
                self.ahead.cancel()

    def _weeks(self, progress: dict[str, int], carried: Carried, budget: float) -> Result:
        scenario = self.scenario
        placed_weeks: list[tuple[tuple[date, ...], dict[str, int], WeekAnswer]] = []
        bound: int | None = 0
        status = Status.OPTIMAL
        notes: tuple[str, ...] = ()  # what the fallbacks tried, for weeks that needed them
        quick: list[date] = []  # weeks planned the quick way (Ctrl-C or the time limit)
        for index, week in enumerate(self.weeks):
            key = (self._signature(week, progress), carried, self.template, self.binding)
            answer = self.cache.get(key)
            fresh = answer is None
            if answer is None:
                answer = self._ahead_answer(key, index, week)
            elif self.ahead is not None:
                self.ahead.cancel()
                self.ahead = None
            if answer is None and self.out_of_time():
                answer = self._quick_week(week, progress, carried)
                bound, status = None, Status.FEASIBLE
                quick.append(week[0])
            elif answer is None:
                self._speculate(index + 1, progress, carried, budget)
                answer = self._solve_week(week, progress, budget, index, carried)
            if fresh and answer.status is Status.UNKNOWN and self.out_of_time():
                answer = self._quick_week(week, progress, carried)
                bound, status = None, Status.FEASIBLE
                quick.append(week[0])
            if fresh:
                self.cache[key] = answer
            if not answer.status.has_schedule:
                return Result(
                    status=answer.status,
                    schedule=None,
                    objective=None,
                    bound=None,
                    runtime=time.monotonic() - self.began,
                    seed=self.seed,
                    explanation=answer.explanation
                    or (f"no schedule found for the week of {week[0]} within the time limit",),
                )
            if answer.status is Status.FEASIBLE:
                status = Status.FEASIBLE
            placed_weeks.append((week, dict(progress), answer))
            self.moved = Counter(i.ref for i in answer.placed if i.kind is Kind.LESSON)
            if self.periods is not None:
                self.template, self.binding = learn(
                    scenario, self.regular, self.template, self.binding, week, answer
                )
            notes += tuple(n for n in answer.explanation if n not in notes)
            if bound is not None:
                bound = None if answer.bound is None else bound + answer.bound
            for item in answer.placed:
                if item.kind is Kind.LESSON:
                    progress[item.ref] += 1
            carried = carry(
                scenario, week[-1], (p for p in answer.placed if p.day_index == len(week) - 1)
            )
        if self.coupled and bound is not None:
            bound = self._relaxed_bound()
            if bound is None:
                status = Status.FEASIBLE
        programmes = week_airings(scenario, placed_weeks)
        programmes += fill(scenario, programmes)
        schedule = Schedule(tuple(programmes), scenario=scenario.source or None, seed=self.seed)
        # weeks planned the quick way or by a fallback engine may miss a week-wide rule
        if quick or notes:
            refusal = refuse_broken(scenario, schedule, quick, notes)
            if refusal is not None:
                return replace(refusal, runtime=time.monotonic() - self.began, seed=self.seed)
        objective = evaluate(scenario, schedule).units
        objective_points = objective / SCALE
        bound_points = None if bound is None else max(bound, objective) / SCALE
        if bound_points is not None and bound_points > objective_points + 1e-9:
            status = Status.FEASIBLE
        return Result(
            status=status,
            schedule=schedule,
            objective=objective_points,
            bound=bound_points,
            runtime=time.monotonic() - self.began,
            seed=self.seed,
            explanation=notes,
            unplaced=unplaced(scenario, schedule),
            stats={
                "weeks": len(self.weeks),
                "distinct_weeks": len(self.cache),
                "interrupted": float(self.interrupted),
                "weeks_ahead": float(self.taken_ahead),
            },
        )

    def _ahead_answer(
        self, key: tuple[Any, ...], index: int, week: tuple[date, ...]
    ) -> WeekAnswer | None:
        """The answer solved ahead for this week, when its guessed key was right."""
        ahead, self.ahead = self.ahead, None
        if ahead is None:
            return None
        if ahead.key != key or self.interrupted:
            ahead.cancel()
            return None
        answer = ahead.answer(self.out_of_time)
        self.taken_ahead += answer is not None
        if answer is not None and answer.status.has_schedule and self.progress is not None:
            self.progress(
                {
                    "week": index + 1,
                    "weeks": len(self.weeks),
                    "first": week[0],
                    "objective": answer.objective / SCALE,
                    "bound": (answer.bound if answer.bound is not None else answer.objective)
                    / SCALE,
                    "elapsed": time.monotonic() - self.began,
                }
            )
        return answer

    def _speculate(
        self, index: int, progress: dict[str, int], carried: Carried, budget: float
    ) -> None:
        """Start solving week ``index`` ahead under its likely key (:mod:`.ahead`): progress
        moved on as the last week moved it, the same carried lessons and template."""
        if self.workers < 2 or index >= len(self.weeks) or not ahead_available():
            return
        week = self.weeks[index]
        guess = {ref: done + self.moved[ref] for ref, done in progress.items()}
        key = (self._signature(week, guess), carried, self.template, self.binding)
        if key in self.cache:
            return
        deadline = self.began + self.limit * LIMIT_SHARE
        scenario, seed, workers = self.scenario, self.seed, self.workers
        periods, template, binding, regular = (
            self.periods,
            self.template,
            self.binding,
            self.regular,
        )

        def solve() -> WeekAnswer:
            return solve_week(
                scenario,
                week,
                guess,
                budget=budget,
                workers=workers,
                seed=seed,
                stop=lambda: time.monotonic() >= deadline,
                carried=carried,
                periods=periods,
                template=template,
                binding=binding,
                regular=regular,
            )

        self.ahead = Ahead(key, solve)

    def _quick_week(
        self, week: tuple[date, ...], progress: dict[str, int], carried: Carried
    ) -> WeekAnswer:
        return quick_week(
            self.scenario,
            week,
            progress,
            carried,
            self.periods,
            self.template,
            self.binding,
            self.regular,
        )

    # -- one week -------------------------------------------------------------------------------
    def _calendar(self, week: tuple[date, ...]) -> tuple[Any, ...]:
        return calendar_signature(self.scenario, week)

    def _signature(self, week: tuple[date, ...], progress: dict[str, int]) -> tuple[Any, ...]:
        """Everything a week's model depends on: its calendar and, per course, the lengths of
        the lessons that may air in it (as many as the pace and the lessons left allow)."""
        demand = tuple(
            tuple(lesson.minutes for lesson in week_lessons(self.scenario, course, progress))
            for course in self.scenario.courses
        )
        return (self._calendar(week), demand, availability.signature(self.scenario, week, progress))

    def _solve_week(
        self,
        week: tuple[date, ...],
        progress: dict[str, int],
        budget: float,
        index: int,
        carried: Carried = (),
    ) -> WeekAnswer:
        shown: list[tuple[float, float]] = []

        def report(objective: float, bound: float) -> None:
            if self.progress is not None and shown[-1:] != [(objective, bound)]:
                shown.append((objective, bound))
                self.progress(
                    {
                        "week": index + 1,
                        "weeks": len(self.weeks),
                        "first": week[0],
                        "objective": objective / SCALE,
                        "bound": bound / SCALE,
                        "elapsed": time.monotonic() - self.began,
                    }
                )

        answer = solve_week(
            self.scenario,
            week,
            progress,
            budget=budget,
            workers=self.workers,
            seed=self.seed,
            on_solution=report,
            stop=self.out_of_time,
            carried=carried,
            periods=self.periods,
            template=self.template,
            binding=self.binding,
            regular=self.regular,
        )
        if answer.status.has_schedule and answer.bound is not None:
            report(answer.objective, answer.bound)
        return answer

    def _relaxed_bound(self) -> int | None:
        """Σ weekly bounds with every course holding all its lessons (a relaxation)."""
        if any(c.uniform_minutes is None for c in self.scenario.courses):
            return None
        full = {c.id: c.progress for c in self.scenario.courses}
        total = 0
        for week in self.weeks:
            key = ("relaxed", self._signature(week, full))
            answer = self.cache.get(key)
            if answer is None:
                answer = self._solve_week(week, full, self.limit / len(self.weeks), -1)
                self.cache[key] = answer
            if answer.bound is None:
                return None
            total += answer.bound
        return total


class _interrupts:
    """Ctrl-C stops the search and keeps the best schedule found so far."""

    def __init__(self, runner: _Runner) -> None:
        self.runner = runner
        self.previous: Any = None

    def __enter__(self) -> None:
        try:
            self.previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread (e.g. inside a worker)
            self.previous = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.runner.stop()

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


__all__ = ["Result", "Status", "solve"]
