"""The week grid solved by HiGHS: columns, rows and objective handed over in bulk, the answer
read back in objective units."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from constraints.engine import INF
from scheduler.solver.grid import Grid, extras_for

#: HiGHS search settings, chosen by measurement on the default week (docs/solver.md): over ten
#: seeds its two grid solves took 13.3 s on average (8.9–20.6 s) with HiGHS's defaults and
#: 8.6 s (6.5–11.9 s) without RENS, whose sub-MIPs at the root cost more than they find on
#: these grids, with cuts kept in the LP for 20 rounds instead of 10 and pseudocosts trusted
#: after 2 branchings instead of 8.
SEARCH_OPTIONS: dict[str, bool | int] = {
    "mip_heuristic_run_rens": False,
    "mip_lp_age_limit": 20,
    "mip_pscost_minreliable": 2,
}


class GridAnswer(NamedTuple):
    """What HiGHS made of a grid: its status, a value per cell (empty without a solution), the
    objective and proven bound in objective units, and the branch-and-bound nodes it used."""

    status: str
    values: list[int]
    objective: int
    bound: int
    nodes: int


def solve_grid_highs(
    grid: Grid,
    *,
    budget: float,
    seed: int,
    hint: list[int] | None = None,
    nodes: int | None = None,
    on_solution: Any = None,
    stop: Any = None,
    symmetry: bool = True,
) -> GridAnswer:
    """Solve the grid with HiGHS.

    Single-threaded, so the search is deterministic; ``nodes`` caps it deterministically,
    the time limit is the safety net.
    """
    import highspy
    import numpy as np

    if not grid.size:  # nothing to choose; HiGHS would only say "Empty"
        feasible = all(low <= 0 <= high for low, high, _, _, _ in grid.rows)
        return GridAnswer("Optimal" if feasible else "Infeasible", [], 0, 0, 0)
    h = new_highs()
    h.setOptionValue("time_limit", float(max(budget, 0.1)))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_detect_symmetry", symmetry)
    for option, value in SEARCH_OPTIONS.items():
        h.setOptionValue(option, value)
    if nodes is not None:
        h.setOptionValue("mip_max_nodes", int(nodes))
    n = grid.size
    lower = np.array([0.0] * len(grid.cells) + [float(low) for low, _, _ in grid.extras])
    upper = np.array(
        [float(c.upper) for c in grid.cells] + [float(high) for _, high, _ in grid.extras]
    )
    h.addVars(n, lower, upper)
    # Integer objective units reach 1e10; dividing by their common divisor keeps HiGHS well
    # scaled (badly scaled, it was seen to stall past its time limit).
    raw_costs = grid.cost + [cost for _, _, cost in grid.extras]
    unit = math.gcd(*raw_costs) or 1
    costs = np.array([cost // unit for cost in raw_costs], dtype=float)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for low, high, ids, coefficients, _ in grid.rows:
        low, high, coefficients = _reduced(low, high, coefficients)
        starts.append(len(indices))
        indices += ids
        values += coefficients
        lows.append(low)
        highs.append(high)
    h.addRows(
        len(grid.rows),
        np.array(lows, dtype=float),
        np.array(highs, dtype=float),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=float),
    )
    if hint is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in hint] + [float(v) for v in extras_for(grid, hint)]
        h.setSolution(solution)
    if on_solution is not None:
        h.cbMipImprovingSolution.subscribe(
            lambda event: on_solution(
                event.data_out.objective_function_value * unit, event.data_out.mip_dual_bound * unit
            )
        )
    if stop is not None:

        def interrupt(event: Any) -> None:
            if stop():
                event.data_in.user_interrupt = True

        h.cbMipInterrupt.subscribe(interrupt)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return GridAnswer(status, [], 0, 0, info.mip_node_count)
    column_values = h.getSolution().col_value
    cells = [round(v) for v in column_values[: len(grid.cells)]]
    bound = info.mip_dual_bound
    if math.isfinite(bound):
        proven = math.floor(bound + 1e-6) * unit
    else:  # stopped before any bound (e.g. Ctrl-C): the trivial one, every gain taken
        proven = sum(
            cost * upper
            for cost, upper in zip(
                raw_costs,
                [c.upper for c in grid.cells] + [high for _, high, _ in grid.extras],
                strict=True,
            )
            if cost > 0
        )
    return GridAnswer(
        status, cells, round(info.objective_function_value) * unit, proven, info.mip_node_count
    )


def _reduced(low: float, high: float, coefficients: list[int]) -> tuple[float, float, list[int]]:
    """A row of integer terms divided by their common divisor, bounds rounded inwards (exact
    for integer columns)."""
    divisor = math.gcd(*coefficients) if coefficients else 1
    if divisor <= 1 or (low == high and low % divisor):
        return low, high, coefficients
    return (
        low if low == -INF else math.ceil(low / divisor),
        high if high == INF else math.floor(high / divisor),
        [c // divisor for c in coefficients],
    )


def new_highs() -> Any:
    """A silent HiGHS instance (its first construction prints a banner on the C stdout)."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h
