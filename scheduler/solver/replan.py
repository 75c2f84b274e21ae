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
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from constraints import RULES
from constraints.specials import quota
from scheduler.domain.changes import diff
from scheduler.domain.errors import ScenarioError
from scheduler.domain.fill import fill
from scheduler.domain.model import Scenario, TimeRange
from scheduler.domain.objective import SCALE, evaluate
from scheduler.domain.result import Result, Status
from scheduler.domain.rooms import Period, week_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day
from scheduler.solver.engine import CLOCK_SAFETY, NODES_PER_SECOND, Periods, solve_week
from scheduler.solver.grid import INF, Grid, solve_grid_highs
from scheduler.solver.sequence import sequence_week
from scheduler.solver.solve_types import Carried, Placed, WeekAnswer, carry

Progress = Callable[[dict[str, Any]], None]
#: Re-solve a kept week found to break a rule at most this many times over.
ROUNDS = 3


@dataclass(frozen=True, slots=True)
class _Aired:
    """A published airing on its broadcast day, as a week's answer places it."""

    programme: Programme
    day: date
    placed: Placed


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
        self.limit = limit
        self.seed = seed
        self.workers = workers
        self.progress = progress
        self.began = began
        self.weeks = scenario.weeks()
        self.past: list[Programme] = []
        self.by_day: dict[date, list[_Aired]] = defaultdict(list)
        self.fillers: dict[date, list[Programme]] = defaultdict(list)
        self._locate()
        self.periods = _published_periods(scenario, published, seed) if self._template() else None
        open_weeks = sum(1 for week in self.weeks if week[-1] >= today)
        self.budget = max(limit * 0.9 / max(open_weeks, 1), 1.0)
        self.notes: list[str] = []
        self.status = Status.OPTIMAL
        self.cache: dict[tuple[Any, ...], WeekAnswer] = {}
        self.regular: dict[int, set[date]] = {}
        self.course_periods: dict[tuple[str, int], set[int]] = {}
        if self.periods is not None:
            self._learn_course_periods()

    def _learn_course_periods(self) -> None:
        """Each course's published clock times per timetable weekday, from the first regular
        day it aired on that weekday (the regularity rule's (c)): a re-solved week keeps them."""
        from constraints.regularity import regular_days

        scenario = self.scenario
        self.regular = {g: set(regular_days(scenario, g)) for g in scenario.grade_numbers}
        first: dict[tuple[str, int], date] = {}
        for day in sorted(self.by_day):
            weekday = scenario.calendar.timetable_weekday(day)
            if weekday is None:
                continue
            for a in self.by_day[day]:
                if a.placed.kind is not Kind.LESSON or a.programme.grade is None:
                    continue
                if day not in self.regular.get(a.programme.grade, set()):
                    continue
                key = (a.placed.ref, weekday)
                if first.setdefault(key, day) == day:
                    self.course_periods.setdefault(key, set()).add(a.placed.start)

    def _template(self) -> bool:
        return self.scenario.timetable.mode == "template"

    def _locate(self) -> None:
        """Sort the published airings: the past (kept as aired), and per future day."""
        slots: Counter[tuple[Kind, str, date]] = Counter()
        premiere_slot: dict[str, int] = {}
        located = []
        for programme in self.published:
            where = broadcast_day(self.scenario, programme)
            if where is None:
                day = programme.start.date()
                if day < self.today:
                    self.past.append(programme)
                continue  # a channel the scenario no longer has: dropped from today on
            located.append((programme, where))
        located.sort(key=lambda item: (item[1][0], item[1][1], item[0].channel, item[0].id))
        for programme, (day, start, end) in located:
            if day < self.today:
                if not self._aired(programme, day, start, end):
                    continue
                self.past.append(programme)
            if programme.kind is Kind.FILLER:
                self.fillers[day].append(programme)
                continue
            ref = _ref(programme)
            if ref is None:
                continue
            slot = 0
            if programme.kind is Kind.RERUN:
                if programme.repeat_of not in premiere_slot:
                    continue  # a rerun of a premiere of another day: not of the engine's shape
                slot = premiere_slot[programme.repeat_of]
            else:
                slot = slots[(programme.kind, ref, day)]
                slots[(programme.kind, ref, day)] += 1
                premiere_slot[programme.id] = slot
            week_start = self._week_of(day)[0] if self._week_of(day) else day
            self.by_day[day].append(
                _Aired(
                    programme,
                    day,
                    Placed(
                        programme.kind,
                        ref,
                        (day - week_start).days,
                        slot,
                        programme.channel,
                        start,
                        end,
                    ),
                )
            )

    def _aired(self, programme: Programme, day: date, start: int, end: int) -> bool:
        """Whether a past airing went out: not inside a window the scenario declares off air
        (an outage); a published airing is otherwise fact."""
        channel = self.scenario.channel(programme.channel)
        return not any(o.hits(day, start, end) for o in channel.outages)

    def _week_of(self, day: date) -> tuple[date, ...]:
        for week in self.weeks:
            if week[0] <= day <= week[-1]:
                return week
        return ()

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
        programmes: list[Programme] = list(self.past)
        carried: Carried = ()
        kept_weeks: set[int] = set()
        self.notes = []
        self.status = Status.OPTIMAL
        for index, week in enumerate(self.weeks):
            aired = [a for day in week for a in self.by_day.get(day, [])]
            if week[-1] < self.today:
                placed = [a.placed for a in aired]
                kept_weeks.add(index)
            elif index not in forced and self._keeps(week, progress, aired):
                programmes += self._renumbered(week, progress, aired)
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
                programmes += self._week_programmes(week, progress, answer, aired)
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

    # -- a kept week ------------------------------------------------------------------------
    def _keeps(self, week: tuple[date, ...], progress: dict[str, int], aired: list[_Aired]) -> bool:
        """Whether the week's published airings from today on all still hold."""
        scenario = self.scenario
        future = [a for a in aired if a.day >= self.today]
        pins = {
            (p.id, p.day, p.channel, p.span.start, p.span.end)
            for p in scenario.pinned
            if p.day in week and p.day >= self.today
        }
        published_pins = {
            (a.placed.ref, a.day, a.placed.channel, a.placed.start, a.placed.end)
            for a in future
            if a.placed.kind is Kind.PINNED
        }
        if pins != published_pins:
            return False
        for a in future:
            if not self._holds(a):
                return False
        counts: Counter[str] = Counter()
        for a in sorted(aired, key=lambda a: (a.day, a.programme.start)):
            if a.placed.kind is not Kind.LESSON:
                continue
            course = scenario.course(a.placed.ref)
            counts[course.id] += 1
            number = progress[course.id] + counts[course.id]
            if number > len(course.lessons) or a.day < self.today:
                if a.day >= self.today:
                    return False
                continue
            lesson = course.lessons[number - 1]
            if lesson.minutes != a.placed.end - a.placed.start:
                return False
            if lesson.available_from is not None and a.day < lesson.available_from:
                return False
        for course in scenario.courses:
            if counts[course.id] > len(week_lessons(scenario, course, progress)):
                return False
        specials = Counter(a.placed.ref for a in aired if a.placed.kind is Kind.SPECIAL)
        return all(specials[s.id] == quota(s, week, scenario) for s in scenario.specials)

    def _holds(self, a: _Aired) -> bool:
        """Whether one published airing may still air where it is under the scenario."""
        scenario = self.scenario
        item = a.placed
        try:
            channel = scenario.channel(item.channel)
        except KeyError:
            return False
        if item.kind is Kind.PINNED:
            return any(
                p.id == item.ref and p.day == a.day and p.channel == item.channel
                for p in scenario.pinned
            )
        if any(
            p.day == a.day
            and p.channel == item.channel
            and p.span.start < item.end
            and item.start < p.span.end
            for p in scenario.pinned
        ):
            return False
        if item.kind is Kind.SPECIAL:
            if item.ref not in {s.id for s in scenario.specials}:
                return False
            return any(s.covers(item.start, item.end) for s in channel.spans_on(a.day))
        if item.ref not in {c.id for c in scenario.courses}:
            return False
        grade = scenario.grade(scenario.course(item.ref).grade)
        if not grade.on_air(a.day) or not scenario.is_lesson_day(a.day):
            return False
        hours = scenario.lesson_hours(grade.number, channel, a.day)
        return any(h.covers(item.start, item.end) for h in hours)

    def _renumbered(
        self, week: tuple[date, ...], progress: dict[str, int], aired: list[_Aired]
    ) -> list[Programme]:
        """The week's published airings from today on, lessons numbered by the progress."""
        scenario = self.scenario
        counts: Counter[str] = Counter()
        renamed: dict[str, str] = {}
        found: list[Programme] = []
        for a in sorted(aired, key=lambda a: (a.day, a.programme.start, a.programme.id)):
            programme = a.programme
            if programme.kind is Kind.LESSON:
                course = scenario.course(a.placed.ref)
                counts[course.id] += 1
                number = progress[course.id] + counts[course.id]
                if number != programme.lesson:
                    identifier = f"{course.id}-l{number:03d}"
                    renamed[programme.id] = identifier
                    programme = replace(
                        programme,
                        id=identifier,
                        lesson=number,
                        title=course.lessons[number - 1].title,
                    )
            elif programme.kind is Kind.RERUN and programme.repeat_of in renamed:
                premiere = renamed[programme.repeat_of]
                course = scenario.course(a.placed.ref)
                number = int(premiere.rsplit("-l", 1)[1])
                programme = replace(
                    programme,
                    id=f"{premiere}-r",
                    repeat_of=premiere,
                    lesson=number,
                    title=course.lessons[number - 1].title,
                )
            if a.day >= self.today:
                found.append(programme)
        found += [p for day in week if day >= self.today for p in self.fillers.get(day, [])]
        return found

    # -- a re-solved week -------------------------------------------------------------------
    def _resolve(
        self,
        index: int,
        week: tuple[date, ...],
        progress: dict[str, int],
        aired: list[_Aired],
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
                periods=self.periods,
            )
        key = self._key(week, progress, aired, carried)
        if key in self.cache:
            return self.cache[key]
        for frozen in (True, False):
            answer = self._solve(week, progress, aired, carried, frozen=frozen)
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
                periods=self.periods,
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
        aired: list[_Aired],
        carried: Carried,
    ) -> tuple[Any, ...]:
        """Everything a re-solved week depends on, dates made relative: weeks alike in calendar,
        demand and published airings share one answer."""
        from constraints.availability import signature
        from scheduler.solver.solving import _calendar_signature

        def relative(day: date) -> int:
            return min(max((day - week[0]).days, -1), len(week))

        demand = tuple(
            tuple(lesson.minutes for lesson in week_lessons(self.scenario, course, progress))
            for course in self.scenario.courses
        )
        return (
            _calendar_signature(self.scenario, week),
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
                        self._holds(a),
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
                    in self.course_periods
                )
            ),
        )

    def _solve(
        self,
        week: tuple[date, ...],
        progress: dict[str, int],
        aired: list[_Aired],
        carried: Carried,
        *,
        frozen: bool,
    ) -> WeekAnswer | None:
        scenario = self.scenario
        began = time.monotonic()
        grid = Grid(scenario, week, progress, periods=self.periods)
        fixed_until = self.frozen_until if frozen else self.today
        where = _cells_of(grid)
        fixed: Counter[int] = Counter()
        wanted: list[tuple[_Aired, int | None]] = []
        frozen_kept: list[Placed] = []
        for a in aired:
            if a.placed.kind is Kind.PINNED:
                continue
            cell = where(a)
            if a.day < self.today:
                if cell is not None:
                    fixed[cell] += 1
            elif a.day < fixed_until and cell is not None and self._holds(a):
                fixed[cell] += 1
                frozen_kept.append(a.placed)
            else:
                wanted.append((a, cell))
        past_days = {d for d in week if d < self.today}
        frozen_days = {d for d in week if self.today <= d < fixed_until}
        for i, column in enumerate(grid.cells):
            day = column.room.day
            if day in past_days:
                grid.rows.append((fixed[i], fixed[i], [i], [1], f"aired {i}"))
            elif day in frozen_days and fixed[i]:
                grid.rows.append((fixed[i], INF, [i], [1], f"frozen {i}"))
        for i, column in enumerate(grid.cells):
            if column.kind is not Kind.LESSON or column.grade is None:
                continue
            day = column.room.day
            weekday = scenario.calendar.timetable_weekday(day)
            starts = self.course_periods.get((column.ref, weekday or 0))
            if (
                starts
                and weekday is not None
                and day >= self.today
                and day in self.regular.get(column.grade, set())
                and column.room.start not in starts
            ):
                grid.rows.append((-INF, 0, [i], [1], f"course period {i}"))
        weights = _prefer(grid, wanted, fixed_until, week)
        hint = [min(fixed[i], c.upper) for i, c in enumerate(grid.cells)]
        for _, cell in wanted:
            if cell is not None and hint[cell] < grid.cells[cell].upper:
                hint[cell] += 1
        nodes = max(int(self.budget * NODES_PER_SECOND), 100)
        coverage, extras = grid.cost, grid.extras
        change_costs = [0] * len(grid.cells) + [
            weights.get(len(grid.cells) + j, 0) for j in range(len(grid.extras))
        ]
        grid.cost = [0] * len(grid.cells)
        grid.extras = [
            (low, high, change_costs[len(grid.cells) + j])
            for j, (low, high, _) in enumerate(extras)
        ]
        step_a = solve_grid_highs(
            grid,
            budget=self.budget * CLOCK_SAFETY,
            seed=self.seed,
            hint=hint,
            nodes=max(nodes // 2, 50),
            symmetry=False,
        )
        if not step_a.values:
            grid.cost, grid.extras = coverage, extras
            return None
        ids = [i for i, cost in enumerate(change_costs) if cost]
        grid.rows.append(
            (step_a.objective, INF, ids, [change_costs[i] for i in ids], "changes kept")
        )
        for i, column in enumerate(grid.cells):
            if column.room.day in frozen_days:
                grid.rows.append((-INF, step_a.values[i], [i], [1], f"frozen no more {i}"))
        grid.cost = coverage
        grid.extras = [
            (low, high, 0 if (len(grid.cells) + j) in weights else cost)
            for j, (low, high, cost) in enumerate(extras)
        ]
        step_b = solve_grid_highs(
            grid,
            budget=self.budget * CLOCK_SAFETY,
            seed=self.seed,
            hint=step_a.values,
            nodes=max(nodes // 2, 50),
            symmetry=False,
        )
        sequenced = None
        prefer: dict[tuple[Kind, str, date, str], set[int]] = defaultdict(set)
        for a in aired:
            if a.day >= self.today:
                prefer[(a.placed.kind, a.placed.ref, a.day, a.placed.channel)].add(a.placed.start)
        if step_b.values:
            sequenced = sequence_week(grid, step_b.values, self.seed, carried, prefer)
        if sequenced is None or sequenced[1]:
            # the sequencer could not time all of step B's additions: step A's choice (the
            # published airings, what the disruption forced, nothing more) when it times
            fallback = sequence_week(grid, step_a.values, self.seed, carried, prefer)
            if fallback is not None and (sequenced is None or fallback[1] <= sequenced[1]):
                sequenced = fallback
        if sequenced is None:
            return None
        placed, _lost = sequenced
        kept = [a.placed for a in aired if a.day < self.today and a.placed.kind is Kind.LESSON]
        kept += frozen_kept
        fresh = [
            p
            for p in placed
            if week[p.day_index] >= fixed_until
            or (p.kind is Kind.PINNED and week[p.day_index] >= self.today)
        ]
        additions = _additions(week, placed, frozen_kept, self.today, fixed_until)
        objective = step_b.objective if step_b.values else 0
        return WeekAnswer(
            Status.FEASIBLE,
            tuple([*kept, *fresh, *additions]),
            objective,
            None,
            time.monotonic() - began,
        )

    def _week_programmes(
        self,
        week: tuple[date, ...],
        progress: dict[str, int],
        answer: WeekAnswer,
        aired: list[_Aired],
    ) -> list[Programme]:
        """The week's airings from today on, an unchanged one with its published id."""
        from scheduler.solver.solving import _programmes

        made = _programmes(self.scenario, [(week, progress, answer)])
        published = {_place(a.programme): a.programme for a in aired if a.day >= self.today}
        found: list[Programme] = []
        for programme in made:
            day = week[0]
            where = broadcast_day(self.scenario, programme)
            if where is not None:
                day = where[0]
            if day < self.today:
                continue
            same = published.pop(_place(programme), None)
            found.append(same if same is not None else programme)
        # a new special's id may be one a kept special already has (they are counted per week)
        return _unique_specials(found)


def _additions(
    week: tuple[date, ...],
    placed: list[Placed],
    frozen_kept: list[Placed],
    today: date,
    fixed_until: date,
) -> list[Placed]:
    """Airings the re-plan had to add on frozen days, beyond the published ones it kept."""
    kept: Counter[tuple[Kind, str, int, str]] = Counter(
        (p.kind, p.ref, p.day_index, p.channel) for p in frozen_kept
    )
    starts = {(p.kind, p.ref, p.day_index, p.channel, p.start) for p in frozen_kept}
    candidates = [
        p for p in placed if today <= week[p.day_index] < fixed_until and p.kind is not Kind.PINNED
    ]
    # the sequencer's copies of kept airings first, so what is left over is new
    candidates.sort(key=lambda p: (p.kind, p.ref, p.day_index, p.channel, p.start) not in starts)
    found = []
    for p in candidates:
        key = (p.kind, p.ref, p.day_index, p.channel)
        if kept[key]:
            kept[key] -= 1
        else:
            found.append(p)
    return found


def _unique_specials(programmes: list[Programme]) -> list[Programme]:
    """Give a special whose id another airing already has the next free number of its week."""
    seen: set[str] = set()
    result = []
    ids = {p.id for p in programmes}
    for programme in sorted(programmes, key=lambda p: (p.start, p.channel, p.id)):
        if programme.kind is Kind.SPECIAL and programme.id in seen:
            stem = programme.id.rsplit("-", 1)[0]
            number = 1
            while f"{stem}-{number}" in ids or f"{stem}-{number}" in seen:
                number += 1
            programme = replace(programme, id=f"{stem}-{number}")
            ids.add(programme.id)
        seen.add(programme.id)
        result.append(programme)
    return result


def _place(programme: Programme) -> tuple[Any, ...]:
    return (
        programme.channel,
        programme.start,
        programme.end,
        programme.kind,
        programme.course,
        programme.lesson,
        programme.item if programme.kind is not Kind.LESSON else None,
    )


def _ref(programme: Programme) -> str | None:
    if programme.kind in (Kind.LESSON, Kind.RERUN):
        return programme.course
    return programme.item


def _cells_of(grid: Grid) -> Callable[[_Aired], int | None]:
    """The grid cell a published airing takes, if the grid has one."""
    by_key: dict[tuple[Kind, str, date, str], list[int]] = defaultdict(list)
    for i, cell in enumerate(grid.cells):
        by_key[(cell.kind, cell.ref, cell.room.day, cell.room.channel)].append(i)

    def find(a: _Aired) -> int | None:
        """A free room holding the airing, else the period starting at its start (the grade's
        own before another's)."""
        item = a.placed
        found: list[tuple[int, int]] = []
        for i in by_key.get((item.kind, item.ref, a.day, item.channel), []):
            cell = grid.cells[i]
            room = cell.room
            if cell.length != item.end - item.start:
                continue
            if not room.period and room.start <= item.start and item.end <= room.end:
                found.append((0, i))
            elif room.period and room.start == item.start:
                found.append((1 if room.period > 0 else 2, i))
        return min(found)[1] if found else None

    return find


def _prefer(
    grid: Grid,
    wanted: list[tuple[_Aired, int | None]],
    fixed_until: date,
    week: tuple[date, ...],
) -> dict[int, int]:
    """Add the change-minimising columns to ``grid``; returns their weights by column.

    Levels, each worth more than all below it together: (1) a published airing of a series
    (course premieres, its reruns, a special) kept on air in the week; (2) on its day; (3) at
    its time; (4) on its channel; (5) a grade's day left whole. (2)–(5) weigh ``1 + days to the
    week's end``: the sooner the day, the more a change costs.
    """
    free = [i for i, c in enumerate(grid.cells) if c.room.day >= fixed_until]
    series: dict[tuple[Kind, str], list[int]] = defaultdict(list)
    daily: dict[tuple[Kind, str, date], list[int]] = defaultdict(list)
    channel: dict[tuple[Kind, str, date, str], list[int]] = defaultdict(list)
    timely: dict[tuple[Kind, str, date, int], list[int]] = defaultdict(list)
    for i in free:
        cell = grid.cells[i]
        room = cell.room
        series[(cell.kind, cell.ref)].append(i)
        daily[(cell.kind, cell.ref, room.day)].append(i)
        channel[(cell.kind, cell.ref, room.day, room.channel)].append(i)
        if room.period:
            timely[(cell.kind, cell.ref, room.day, room.start)].append(i)
    want_series: Counter[tuple[Kind, str]] = Counter()
    want_day: Counter[tuple[Kind, str, date]] = Counter()
    want_channel: Counter[tuple[Kind, str, date, str]] = Counter()
    want_time: Counter[tuple[Kind, str, date, int]] = Counter()
    grade_groups: dict[tuple[int, date], list[tuple[Kind, str, date, int]]] = defaultdict(list)
    for a, _cell in wanted:
        item = a.placed
        want_series[(item.kind, item.ref)] += 1
        if a.day < fixed_until:
            continue  # forced off a frozen day: only kept on air counts
        want_day[(item.kind, item.ref, a.day)] += 1
        want_channel[(item.kind, item.ref, a.day, item.channel)] += 1
        key = (item.kind, item.ref, a.day, item.start)
        want_time[key] += 1
        for grade in a.programme.grades:
            grade_groups[(grade, a.day)].append(key)

    def soon(day: date) -> int:
        return 1 + (week[-1] - day).days

    levels: list[list[tuple[int, int, list[int], int]]] = []  # (upper, soon, ids, row kind)
    levels.append([(n, 1, series.get(k, []), 0) for k, n in sorted(want_series.items())])
    levels.append([(n, soon(k[2]), daily.get(k, []), 0) for k, n in sorted(want_day.items())])
    times = sorted(want_time.items())
    if grid.periods is None:  # free rooms: the time is the sequencer's; kept at room level
        for key, _n in times:
            kind, ref, day, start = key
            timely[key] = [
                i
                for i in daily.get((kind, ref, day), [])
                if grid.cells[i].room.start <= start < grid.cells[i].room.end
            ]
    levels.append([(n, soon(k[2]), timely.get(k, []), 0) for k, n in times])
    levels.append([(n, soon(k[2]), channel.get(k, []), 0) for k, n in sorted(want_channel.items())])
    weights: dict[int, int] = {}
    # lowest level first: each level's unit is worth more than everything below it
    unit = 1
    total = 0
    plan: list[tuple[int, list[tuple[int, int, list[int], int]]]] = []
    grades = sorted(grade_groups.items())
    grade_total = sum(soon(day) for (_, day), _ in grades)
    total += grade_total
    for level in reversed(levels):
        unit = total + 1
        plan.append((unit, level))
        total += unit * sum(n * s for n, s, _, _ in level)
    for unit, level in plan:
        for n, s, ids, _ in level:
            if not ids:
                continue
            column = grid._extra(0, n, 0)
            weights[column] = unit * s
            grid.rows.append(
                (-INF, 0, [column, *ids], [1] + [-1] * len(ids), f"replan keeps {column}")
            )
            _remember(grid, column, ids, n)
    for (_grade, day), keys in grades:
        groups = [(timely.get(k, []), want_time[k]) for k in keys]
        if any(not ids for ids, _ in groups):
            continue
        column = grid._extra(0, 1, 0)
        weights[column] = soon(day)
        for ids, n in groups:
            grid.rows.append(
                (-INF, 0, [column, *ids], [n] + [-1] * len(ids), f"replan grade day {column}")
            )
        _remember(grid, column, [i for ids, _ in groups for i in ids], 0, groups)
    return weights


def _remember(
    grid: Grid,
    column: int,
    ids: list[int],
    upper: int,
    groups: list[tuple[list[int], int]] | None = None,
) -> None:
    """How a hint gives the column its value (for :func:`scheduler.solver.grid.extras_for`)."""
    derived = grid.derived
    if groups is None:
        derived.append((column, lambda values: min(upper, sum(values[i] for i in ids))))
    else:
        derived.append(
            (
                column,
                lambda values: int(all(sum(values[i] for i in g) >= n for g, n in groups)),
            )
        )


def _published_periods(scenario: Scenario, published: Schedule, seed: int) -> Periods:
    """Each grade's periods as published: the clock times of its premieres on its regular
    days (the solver's choice for a grade with none)."""
    from constraints.regularity import irregular_days
    from scheduler.solver.periods import _length, _numbered, choose_periods

    starts: dict[int, set[tuple[str, int]]] = defaultdict(set)
    exempt = {g: irregular_days(scenario, g) for g in scenario.grade_numbers}
    for programme in published.of_kind(Kind.LESSON):
        where = broadcast_day(scenario, programme)
        grade = programme.grade
        if where is None or grade not in exempt or where[0] in exempt[grade]:
            continue
        starts[grade].add((programme.channel, where[1]))
    periods: dict[int, tuple[Period, ...]] = {}
    missing = False
    for grade in scenario.grade_numbers:
        plan = scenario.timetable.fixed_for(grade)
        if plan is not None or not starts.get(grade):
            missing = True
            continue
        length = _length(scenario, grade)
        periods[grade] = _numbered(
            [
                (channel, TimeRange(start, start + length))
                for channel, start in sorted(starts[grade])
            ]
        )
    if missing:
        chosen = choose_periods(scenario, seed=seed, budget=0.5)
        for grade in scenario.grade_numbers:
            periods.setdefault(grade, chosen.get(grade, ()))
    return periods


__all__ = ["frozen_until", "replan"]
