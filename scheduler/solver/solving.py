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
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from types import FrameType
from typing import Any

from constraints import RULES, availability
from constraints.base import Violation
from constraints.regularity import regular_days
from scheduler.domain.facts import unplaced
from scheduler.domain.fill import fill
from scheduler.domain.model import Course, Scenario
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Result, Status
from scheduler.domain.rooms import paced_lessons, week_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.solver.ahead import Ahead
from scheduler.solver.ahead import available as ahead_available
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
        self.ahead: Ahead | None = None  # the next week, solved ahead on the second core
        self.moved: Counter[str] = Counter()  # the last week's premieres per course
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
        regularity rule's (c), :mod:`constraints.regularity`): they bind from then on, and the
        grade's other courses keep out of them that weekday. Until a grade has a regular day of
        a weekday, its first premieres there (on an exempt day) are kept where they can be, as
        a tie-breaker, and guide the quick plan."""
        if self.periods is None:
            return
        grade_of = {course.id: course.grade for course in self.scenario.courses}
        bound = {(ref, weekday) for ref, weekday, _ in self.binding}
        known = {(ref, weekday) for ref, weekday, _ in self.template}
        binding, soft = set(), set()
        for item in answer.placed:
            day = week[item.day_index]
            weekday = self.scenario.calendar.timetable_weekday(day)
            if item.kind is not Kind.LESSON or weekday is None:
                continue
            key = (item.ref, weekday)
            if (grade_of[item.ref], day) in self.regular:
                if key not in bound:
                    binding.add((item.ref, weekday, item.start))
            elif key not in known:
                soft.add((item.ref, weekday, item.start))
        self.binding = self.binding | binding
        learned = {(grade_of[ref], weekday) for ref, weekday, _ in self.binding}
        self.template = frozenset(
            entry
            for entry in self.template | soft | self.binding
            if entry in self.binding or (grade_of[entry[0]], entry[1]) not in learned
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
        answer = ahead.answer()
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
        started = tuple(g.number for g in scenario.grades if g.on_air(day))
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
