"""One week, solved by measurement-chosen backends: the grid by HiGHS, the minutes by CP-SAT.

1. Grid, coverage and reruns (HiGHS): the most valuable choice of airings per room, without
   the balance term; on the default week HiGHS proves this optimum in ≈ 2 s.
2. Grid with balance (HiGHS): the full objective, warm-started from step 1 and restricted by
   the valid cut ``coverage ≥ C₁ − B₁`` (any better schedule must keep that much coverage).
   Its dual bound is the week's proven bound.
3. Minutes (CP-SAT, :mod:`scheduler.solver.sequence`): every chosen airing gets its start.

If step 3 cannot keep a required special or guarantee, the week falls back to the interval
model of :mod:`scheduler.solver.cpmodel` on CP-SAT, hinted with the greedy plan. An infeasible grid
is
explained with CP-SAT assumption literals (:mod:`scheduler.solver.explain`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from constraints.engine import INF
from scheduler.domain.model import Scenario
from scheduler.domain.result import Status
from scheduler.solver.assemble import week_objective
from scheduler.solver.fallback import KeptTimetable, fallback, infeasible
from scheduler.solver.grid import Grid, extras_for
from scheduler.solver.highs import solve_grid_highs
from scheduler.solver.sequence import sequence_week
from scheduler.solver.solve_types import Carried, Periods, WeekAnswer

#: HiGHS branch-and-bound nodes per second of budget, measured on this 2-core machine (≈ 100
#: in both steps on the default week's grids): a week's deterministic budget, so the same
#: scenario, seed and budget give the same schedule (wall-clock limits are only a safety net).
NODES_PER_SECOND = 100
#: Share of a week's nodes step 1 may use; step 2 gets what step 1 left.
COVERAGE_SHARE = 0.3
#: Each step's wall-clock safety net, as a multiple of the week's budget.
CLOCK_SAFETY = 3.0

OnSolution = Callable[[float, float], None]


def solve_week(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    *,
    budget: float,
    workers: int,
    seed: int,
    on_solution: OnSolution | None = None,
    stop: Callable[[], bool] | None = None,
    carried: Carried = (),
    periods: Periods | None = None,
    template: frozenset[tuple[str, int, int]] = frozenset(),
    binding: frozenset[tuple[str, int, int]] = frozenset(),
    regular: frozenset[tuple[int, date]] = frozenset(),
) -> WeekAnswer:
    """One week's airings, objective and bound; ``carried``: the lessons of the day before
    the week (:func:`scheduler.solver.solve_types.carry`) that its first day must rest after;
    ``binding`` (the template's part learned on regular days) binds on the ``regular``
    (grade, day) pairs (see :class:`Grid`), so the bound is proven for the weeks that keep it."""
    began = time.monotonic()
    timetable = KeptTimetable(periods, template, binding, regular)

    def fall_back(bound: int | None, why: str) -> WeekAnswer:
        """The fallback planners for a week the grid cannot place (:mod:`.fallback`)."""
        return fallback(
            scenario, week, progress, budget, workers, seed, began, bound, why, carried, timetable
        )

    grid = Grid(
        scenario,
        week,
        progress,
        periods=periods,
        template=template,
        binding=binding,
        regular=regular,
    )
    # step 1 solves the grid without the balance columns and rows (same cells, same order)
    coverage_grid = Grid(
        scenario,
        week,
        progress,
        balance=False,
        periods=periods,
        binding=binding,
        regular=regular,
    )
    # measured on the default week: step 1 proves its optimum in ≈ 2 s, at or near the root;
    # symmetry detection only slows it (seed 2: 132 nodes and 2.6 s without, 653 and 4.0 s with)
    nodes = max(int(budget * NODES_PER_SECOND), 100)
    balanced = bool(grid.extras)  # balance columns exist only with a balance weight
    # with a balance term, step 1's values are coverage alone: shown once it ends, as objectives
    status, values, coverage, coverage_bound, used = solve_grid_highs(
        coverage_grid,
        budget=max(budget, 1.0) * CLOCK_SAFETY,
        seed=seed,
        on_solution=None if balanced else on_solution,
        stop=stop,
        symmetry=False,
        nodes=max(int(COVERAGE_SHARE * nodes), 50),
    )
    chosen = any(scenario.timetable.fixed_for(g) is None for g in scenario.grade_numbers)
    if status == "Infeasible" and periods is not None and chosen:
        # the calendar leaves the solver's periods too little this week: the week is planned
        # freely instead, a deviation from the timetable the report shows (a planner's own
        # periods are kept, and their conflict explained)
        free = solve_week(
            scenario,
            week,
            progress,
            budget=budget,
            workers=workers,
            seed=seed,
            on_solution=on_solution,
            stop=stop,
            carried=carried,
        )
        note = f"week of {week[0]}: the periods cannot hold its guarantees; planned freely"
        return replace(free, explanation=(note, *free.explanation))
    if status == "Infeasible":
        # the grid is a restriction of the week (fixed slots), so its infeasibility proves
        # nothing: only the explainer's conflict set does
        return infeasible(
            scenario, week, progress, budget, workers, seed, began, carried, timetable
        )
    if not values and grid.cells and stop is not None and stop():
        # stopped (Ctrl-C or the time limit) before any placement: the caller plans the week
        # the quick way; the interval model would outlast the limit
        return WeekAnswer(Status.UNKNOWN, (), 0, 0, time.monotonic() - began)
    if not values and grid.cells:
        return fall_back(None, "the grid model found no placement within its budget")
    objective, bound = coverage - _penalty(grid, values), coverage_bound
    if balanced:
        if on_solution is not None:
            on_solution(objective, bound)
        cut = [i for i, cost in enumerate(grid.cost) if cost]
        grid.rows.append((objective, INF, cut, [grid.cost[i] for i in cut], "coverage kept"))
        _status2, values2, objective2, bound2, _ = solve_grid_highs(
            grid,
            budget=max(budget, 1.0) * CLOCK_SAFETY,
            seed=seed,
            hint=values,
            nodes=max(nodes - used, 1),
            stop=stop,
            on_solution=None if on_solution is None else _capped(on_solution, coverage_bound),
        )
        if values2 and objective2 >= objective:
            values, objective = values2, objective2
        # bound: the full objective cannot beat step 2's bound, nor step 1's coverage bound
        bound = min(coverage_bound, max(bound2, objective)) if values2 else coverage_bound
    kept = sum(bonus * value for bonus, value in zip(grid.bonus, values, strict=False))
    if objective >= bound and kept < sum(grid.bonus):  # else the template is kept already
        values = _keep_template(grid, values, objective, budget=budget, seed=seed, stop=stop)
    sequenced = sequence_week(grid, values, seed, carried)
    if sequenced is None:
        return fall_back(bound, "the grid's choice could not be sequenced")
    placed, lost = sequenced
    if lost:
        objective = week_objective(scenario, week, progress, placed)
    status_week = Status.OPTIMAL if objective >= bound else Status.FEASIBLE
    return WeekAnswer(
        status_week, tuple(placed), objective, max(bound, objective), time.monotonic() - began
    )


def _keep_template(
    grid: Grid,
    values: list[int],
    objective: int,
    *,
    budget: float,
    seed: int,
    stop: Callable[[], bool] | None,
) -> list[int]:
    """Step 3 (template mode, a proven week only): among the week's optimal choices, the one
    that keeps the most premieres at their template periods (lexicographic: the objective is
    kept by a row, the template only breaks ties)."""
    costs = grid.cost + [cost for _, _, cost in grid.extras]
    ids = [i for i, cost in enumerate(costs) if cost]
    added = 1
    grid.rows.append((objective, INF, ids, [costs[i] for i in ids], "objective kept"))
    # the days the template already binds keep their choice: the step then weighs only the
    # exempt days' cells (a small model for HiGHS's presolve, instead of the whole week again)
    for index in _settled(grid):
        grid.rows.append((values[index], values[index], [index], [1], "settled"))
        added += 1
    saved_cost, saved_extras = grid.cost, grid.extras
    grid.cost = list(grid.bonus)
    grid.extras = [(low, high, 0) for low, high, _ in saved_extras]
    try:
        answer = solve_grid_highs(
            grid,
            budget=max(budget, 1.0) * CLOCK_SAFETY,
            seed=seed,
            hint=values,
            nodes=max(int(budget * NODES_PER_SECOND), 100),
            stop=stop,
        )
    finally:
        grid.cost, grid.extras = saved_cost, saved_extras
        del grid.rows[-added:]
    return answer.values if answer.values else values


def _settled(grid: Grid) -> list[int]:
    """Cells the template step leaves as they are: all but those of the lesson days on which
    a grade may still choose (a day exempt from the template, or a weekday whose periods it has
    not learned yet) and the specials of those days."""
    scenario = grid.scenario
    learned = {(scenario.course(ref).grade, weekday) for ref, weekday, _ in grid.binding}

    def choosing(grade: int, day: date) -> bool:
        weekday = scenario.calendar.timetable_weekday(day)
        if weekday is None:  # no premieres that day, so no template to keep
            return False
        return (grade, day) not in grid.regular or (grade, weekday) not in learned

    days = {
        cell.room.day
        for cell in grid.cells
        if cell.grade is not None and choosing(cell.grade, cell.room.day)
    }
    return [
        index
        for index, cell in enumerate(grid.cells)
        if cell.room.day not in days
        or (cell.grade is not None and not choosing(cell.grade, cell.room.day))
    ]


def _capped(on_solution: OnSolution, bound: int) -> OnSolution:
    """Step 2's live figures with step 1's bound, which holds for the full objective too."""
    return lambda objective, dual: on_solution(objective, min(dual, bound))


def _penalty(grid: Grid, values: list[int]) -> int:
    extras = extras_for(grid, values)
    return -sum(
        cost * value for (_, _, cost), value in zip(grid.extras, extras, strict=True) if cost
    )


__all__ = ["CLOCK_SAFETY", "COVERAGE_SHARE", "NODES_PER_SECOND", "solve_week"]
