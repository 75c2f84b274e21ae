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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from types import FrameType
from typing import Any

from constraints import RULES
from constraints.base import Violation
from constraints.regularity import regular_days
from scheduler.domain.facts import unplaced
from scheduler.domain.fill import fill
from scheduler.domain.model import Course, Scenario
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Result, Status
from scheduler.domain.rooms import paced_lessons, week_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.solver.engine import Periods, solve_week
from scheduler.solver.periods import choose_periods
from scheduler.solver.solve_types import Carried, Placed, WeekAnswer, carry

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
        self.coupled = _coupled(scenario)
        self.periods: Periods | None = None
        if scenario.timetable.mode == "template":
            self.periods = choose_periods(scenario, seed=seed, budget=max(limit * 0.05, 0.5))
        self.template: frozenset[tuple[str, int, int]] = frozenset()
        self.binding: frozenset[tuple[str, int, int]] = frozenset()
        #: (grade, day) pairs on which the template binds: the regularity rule's regular days
        self.regular: frozenset[tuple[int, date]] = frozenset()
        if self.periods is not None:
            self.regular = frozenset(
                (grade, day)
                for grade in scenario.grade_numbers
                for day in regular_days(scenario, grade)
            )

    def stop(self) -> None:
        self.interrupted = True

    def out_of_time(self) -> bool:
        """Ctrl-C, or the time limit spent: the whole command stays within ``--time-limit``
        (the weeks not yet solved are then planned the quick way, without a bound)."""
        if not self.interrupted and time.monotonic() - self.began >= self.limit * LIMIT_SHARE:
            self.interrupted = True
        return self.interrupted

    def run(self) -> Result:
        scenario = self.scenario
        progress = {c.id: c.progress for c in scenario.courses}
        placed_weeks: list[tuple[tuple[date, ...], dict[str, int], WeekAnswer]] = []
        bound: int | None = 0
        distinct = len({self._calendar(week) for week in self.weeks})
        status = Status.OPTIMAL
        notes: tuple[str, ...] = ()  # what the fallbacks tried, for weeks that needed them
        quick: list[date] = []  # weeks planned the quick way (Ctrl-C or the time limit)
        carried: Carried = ()  # the last day's lessons the next week must rest after
        for index, week in enumerate(self.weeks):
            key = (self._signature(week, progress), carried, self.template, self.binding)
            answer = self.cache.get(key)
            if answer is None and self.out_of_time():
                answer = self._quick_week(week, progress, carried)
                bound, status = None, Status.FEASIBLE
                quick.append(week[0])
                self.cache[key] = answer
            elif answer is None:
                budget = self.limit / max(distinct, 1)
                answer = self._solve_week(week, progress, budget, index, carried)
                if answer.status is Status.UNKNOWN and self.interrupted:
                    answer = self._quick_week(week, progress, carried)
                    bound, status = None, Status.FEASIBLE
                    quick.append(week[0])
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
            self._learn_template(week, answer)
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
        programmes = _programmes(scenario, placed_weeks)
        programmes += fill(scenario, programmes)
        schedule = Schedule(tuple(programmes), scenario=scenario.source or None, seed=self.seed)
        broken = _quick_plan_breaks(scenario, schedule) if quick else ()
        if broken:
            return Result(
                status=Status.UNKNOWN,
                schedule=None,
                objective=None,
                bound=None,
                runtime=time.monotonic() - self.began,
                seed=self.seed,
                explanation=(
                    f"the search stopped (time limit or Ctrl-C) before the week(s) of "
                    f"{', '.join(str(day) for day in quick)}; their quick plan has "
                    f"{len(broken)} violation(s), so no schedule is given — allow more time "
                    "(--time-limit):",
                    *(str(violation) for violation in broken[:5]),
                ),
            )
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
            },
        )

    def _learn_template(self, week: tuple[date, ...], answer: WeekAnswer) -> None:
        """The weekly template the later weeks keep. A course's periods on a timetable weekday
        are those of its premieres on the first regular day of that weekday that has it (the
        regularity rule's (c), :mod:`constraints.regularity`): they bind from then on. Until a
        weekday has a regular day, its first premieres (on an exempt day) are kept where they
        can be, as a tie-breaker, and guide the quick plan."""
        if self.periods is None:
            return
        bound = {(ref, weekday) for ref, weekday, _ in self.binding}
        known = {(ref, weekday) for ref, weekday, _ in self.template}
        binding, soft = set(), set()
        for item in answer.placed:
            day = week[item.day_index]
            weekday = self.scenario.calendar.timetable_weekday(day)
            if item.kind is not Kind.LESSON or weekday is None:
                continue
            key = (item.ref, weekday)
            if (self.scenario.course(item.ref).grade, day) in self.regular:
                if key not in bound:
                    binding.add((item.ref, weekday, item.start))
            elif key not in known:
                soft.add((item.ref, weekday, item.start))
        if binding:
            self.binding = self.binding | binding
            learned = {(ref, weekday) for ref, weekday, _ in binding}
            self.template = (
                frozenset(entry for entry in self.template if entry[:2] not in learned) | binding
            )
        if soft:
            self.template = self.template | soft

    def _quick_week(
        self, week: tuple[date, ...], progress: dict[str, int], carried: Carried
    ) -> WeekAnswer:
        return _greedy_week(
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
        return _calendar_signature(self.scenario, week)

    def _signature(self, week: tuple[date, ...], progress: dict[str, int]) -> tuple[Any, ...]:
        """Everything a week's model depends on: its calendar and, per course, the lengths of
        the lessons that may air in it (as many as the pace and the lessons left allow)."""
        demand = tuple(
            tuple(lesson.minutes for lesson in week_lessons(self.scenario, course, progress))
            for course in self.scenario.courses
        )
        return (self._calendar(week), demand)

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


def _programmes(
    scenario: Scenario, weeks: list[tuple[tuple[date, ...], dict[str, int], WeekAnswer]]
) -> list[Programme]:
    """Turn weekly answers into airings with lesson numbers in time order and stable ids."""
    programmes: list[Programme] = []
    for week, progress, answer in weeks:
        start_of_week = week[0]
        counts: dict[str, int] = defaultdict(int)
        premiere_ids: dict[tuple[str, int, int], tuple[str, int]] = {}
        special_counts: dict[str, int] = defaultdict(int)
        lessons = sorted(
            (p for p in answer.placed if p.kind is Kind.LESSON),
            key=lambda p: (p.day_index, p.start - _shift(scenario, p, start_of_week), p.ref),
        )
        for item in lessons:
            course = scenario.course(item.ref)
            counts[item.ref] += 1
            number = progress[item.ref] + counts[item.ref]
            identifier = f"{course.id}-l{number:03d}"
            premiere_ids[(item.ref, item.day_index, item.slot)] = (identifier, number)
            programmes.append(_lesson(scenario, course, item, start_of_week, number, identifier))
        for item in answer.placed:
            day = start_of_week + timedelta(days=item.day_index)
            channel = scenario.channel(item.channel)
            if item.kind is Kind.RERUN:
                course = scenario.course(item.ref)
                premiere_id, number = premiere_ids[(item.ref, item.day_index, item.slot)]
                programme = _lesson(
                    scenario, course, item, start_of_week, number, f"{premiere_id}-r"
                )
                programmes.append(replace(programme, kind=Kind.RERUN, repeat_of=premiere_id))
            elif item.kind is Kind.SPECIAL:
                special = scenario.special(item.ref)
                special_counts[item.ref] += 1
                year, number, _ = day.isocalendar()
                programmes.append(
                    Programme(
                        start=channel.instant(day, item.start),
                        end=channel.instant(day, item.end),
                        channel=item.channel,
                        id=f"{special.id}-{year}w{number:02d}-{special_counts[item.ref]}",
                        kind=Kind.SPECIAL,
                        title=special.title,
                        grades=special.grades,
                        subject=special.topic,
                        item=special.id,
                    )
                )
            elif item.kind is Kind.PINNED:
                pinned = next(p for p in scenario.pinned if p.id == item.ref)
                programmes.append(
                    Programme(
                        start=channel.instant(day, item.start),
                        end=channel.instant(day, item.end),
                        channel=item.channel,
                        id=pinned.id,
                        kind=Kind.PINNED,
                        title=pinned.title,
                        grades=pinned.grades,
                        item=pinned.id,
                    )
                )
    return programmes


def _quick_plan_breaks(scenario: Scenario, schedule: Schedule) -> tuple[Violation, ...]:
    """The rules a schedule with quickly planned weeks breaks (the greedy planner keeps the
    rules it can place by, not every week-wide one: minimums, guarantees)."""
    return tuple(v for rule in RULES for v in rule.violations(scenario, schedule))


def _greedy_week(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    carried: Carried,
    periods: Periods | None = None,
    template: frozenset[tuple[str, int, int]] = frozenset(),
    binding: frozenset[tuple[str, int, int]] = frozenset(),
    regular: frozenset[tuple[int, date]] = frozenset(),
) -> WeekAnswer:
    """After Ctrl-C: the rest of the horizon planned the quick way (in the timetable's periods
    when there is one), with no bound."""
    from scheduler.solver.greedy import plan_template_week, plan_week

    if periods is not None:
        placed, _ = plan_template_week(
            scenario, week, progress, periods, template, binding, regular
        )
    else:
        placed, _ = plan_week(scenario, week, progress, carried)
    return WeekAnswer(Status.FEASIBLE, tuple(placed), 0, 0, 0.0)


def _shift(scenario: Scenario, item: Placed, week_start: date) -> int:
    day = week_start + timedelta(days=item.day_index)
    return scenario.channel(item.channel).utc_shift(day, item.start)


def _lesson(
    scenario: Scenario, course: Course, item: Placed, week_start: date, number: int, identifier: str
) -> Programme:
    day = week_start + timedelta(days=item.day_index)
    channel = scenario.channel(item.channel)
    lesson = course.lessons[number - 1]
    return Programme(
        start=channel.instant(day, item.start),
        end=channel.instant(day, item.start + lesson.minutes),
        channel=item.channel,
        id=identifier,
        kind=Kind.LESSON,
        title=lesson.title,
        grades=(course.grade,),
        subject=course.subject,
        course=course.id,
        lesson=number,
    )


def _calendar_signature(scenario: Scenario, week: tuple[date, ...]) -> tuple[Any, ...]:
    """What a week's model depends on besides course progress, with dates made relative."""
    days = []
    for day in week:
        offset = tuple(
            (c.id, tuple((s.start, s.end, c.utc_shift(day, s.start)) for s in c.spans_on(day)))
            for c in scenario.channels
        )
        started = tuple(g.number for g in scenario.grades if day >= g.term_start)
        pinned = tuple((p.id, p.channel, p.span) for p in scenario.pinned if p.day == day)
        cohorts = tuple(c.id for c in scenario.cohorts if day.weekday() in c.weekdays)
        lessons = scenario.calendar.timetable_weekday(day)
        days.append((day.weekday(), offset, started, pinned, cohorts, lessons))
    return tuple(days)


def _coupled(scenario: Scenario) -> bool:
    """Whether some course could run out of lessons within the horizon (weeks interact)."""
    return any(paced_lessons(scenario, c) > len(c.remaining) for c in scenario.courses)


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
