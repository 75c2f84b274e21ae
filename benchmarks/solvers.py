"""Benchmark: skyclass's timetable engine against its peers.

    python -m benchmarks.solvers                 # week, term, term with a weekly relay
    python -m benchmarks.solvers --only week     # one instance
    python -m benchmarks.solvers --solver highs-ti   # add a peer (greedy, highs-ti)

Each (instance, solver) runs in a fresh process so its peak memory is its own. Solvers:
``skyclass`` (template mode: periods and a weekly timetable), ``free`` (the same engine placing
lessons freely: the regularity-free reference, whose objective prices regularity) and
``greedy-template`` (the planner's way: the same periods filled by priority). Printed per
instance and solver: variables, solve time, objective, proven bound, gap, peak memory, the
checker's verdict, primary and exam-cohort lesson minutes, the most start times of one course in
a week; then the ratios of ours to each peer. Targets (issue 9): week proven optimal in ≤ 5 s
with every course at one start time; price of regularity ≤ 5 %; term with a weekly relay
planned with gap ≤ 1 % in ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "cetv4-2020-spring"
INSTANCES = {
    "week": (FIXTURES / "scenario.toml", 5.0),
    "16 weeks": (FIXTURES / "term.toml", 60.0),
    "16 weeks, weekly relay": (FIXTURES / "variants" / "term-relay.toml", 60.0),
}
SOLVERS = ("skyclass", "free", "greedy-template")
PEERS = ("greedy", "highs-ti")


def _measure(path: str, solver: str, limit: float) -> dict[str, Any]:
    """Runs inside a child process."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.peers import greedy, greedy_template, highs_time_indexed
    from scheduler.analysis.checking import check
    from scheduler.domain.model import Timetable
    from scheduler.domain.schedule import Kind, broadcast_day
    from scheduler.io.loading import load
    from scheduler.solver.solving import solve

    scenario = load(path)
    if solver in ("skyclass", "free"):
        if solver == "free":
            scenario = scenario.replace(timetable=Timetable(mode="free"))
        result = solve(scenario, time_limit=limit, workers=2, seed=0)
        row = {
            "schedule": result.schedule,
            "objective": result.objective,
            "bound": result.bound,
            "runtime": result.runtime,
            "variables": _columns(scenario),
            "status": result.status.value,
        }
    else:
        peers = {"greedy": greedy, "greedy-template": greedy_template}
        peer = peers[solver](scenario) if solver in peers else highs_time_indexed(scenario, limit)
        row = {
            "schedule": peer.schedule,
            "objective": peer.objective,
            "bound": peer.bound,
            "runtime": peer.runtime,
            "variables": peer.variables,
            "status": "FEASIBLE" if peer.schedule else "NO SOLUTION",
            "notes": peer.notes[:3],
        }
    schedule = row.pop("schedule")
    primary = cohort = 0
    violations = None
    if schedule is not None:
        violations = len(check(scenario, schedule))
        exam = {c.grade: c for c in scenario.cohorts}
        for programme in schedule.of_kind(Kind.LESSON):
            grade = programme.grades[0]
            if grade <= 6:
                primary += programme.minutes
            located = broadcast_day(scenario, programme)
            if grade in exam and located and exam[grade].window.covers(located[1], located[2]):
                cohort += programme.minutes
    row.update(
        primary_minutes=primary,
        cohort_minutes=cohort,
        violations=violations,
        start_times=_most_start_times(schedule),
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    objective, bound = row["objective"], row["bound"]
    row["gap"] = (bound - objective) / bound if objective is not None and bound else None
    return row


def _columns(scenario: Any) -> int:
    """Columns of the weeks' grids (periods as the solve chooses them in template mode)."""
    from scheduler.solver.grid import Grid
    from scheduler.solver.periods import choose_periods

    periods = choose_periods(scenario) if scenario.timetable.mode == "template" else None
    progress = {c.id: c.progress for c in scenario.courses}
    return sum(Grid(scenario, week, progress, periods=periods).size for week in scenario.weeks())


def _most_start_times(schedule: Any) -> int | None:
    """The most distinct clock times one course's premieres start at within one ISO week."""
    if schedule is None:
        return None
    from scheduler.domain.schedule import Kind

    times: dict[tuple[str, tuple[int, int]], set[str]] = {}
    for programme in schedule.of_kind(Kind.LESSON):
        week = tuple(programme.start.isocalendar()[:2])
        times.setdefault((programme.course, week), set()).add(f"{programme.start:%H:%M}")
    return max((len(t) for t in times.values()), default=0)


def run(path: Path, solver: str, limit: float) -> dict[str, Any]:
    # a fresh (non-daemonic) process, so the solve may fork its next week ahead as it does
    # from the command line
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_measure, str(path), solver, limit).result()


def _fmt(value: Any, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def _ratio(ours: Any, theirs: Any) -> str:
    if ours is None or theirs in (None, 0):
        return "—" if ours is None else "∞ (peer has none)"
    return f"{ours / theirs:.3f}"


def report(name: str, rows: dict[str, dict[str, Any]], limit: float) -> list[str]:
    lines = [
        f"\n## {name} (budget {limit:.0f} s)",
        "",
        "| solver | status | variables | time s | objective | bound | gap | peak MB | "
        "violations | primary min | cohort min | start times |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for solver, row in rows.items():
        lines.append(
            f"| {solver} | {row['status']} | {row['variables']:,} | {row['runtime']:.1f} | "
            f"{_fmt(row['objective'], ',.1f')} | {_fmt(row['bound'], ',.1f')} | "
            f"{_fmt(row['gap'], '.3%')} | {row['peak_mb']:.0f} | {row['violations']} | "
            f"{row['primary_minutes']} | {row['cohort_minutes']} | {row['start_times']} |"
        )
    ours = rows["skyclass"]
    lines += [
        "",
        "| ratio skyclass / peer | objective | primary min | cohort min | time | "
        "time to same gap |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    if "free" in rows and ours["objective"] and rows["free"]["objective"]:
        price = 1 - ours["objective"] / rows["free"]["objective"]
        lines.insert(0, f"\nprice of regularity: {price:.2%} of the free placement's objective")
    for peer in [name for name in rows if name != "skyclass"]:
        theirs = rows[peer]
        to_gap = "—"
        if peer == "highs-ti":
            if theirs["gap"] is None:
                to_gap = "0 (peer proves no gap)"
            elif ours["gap"] is not None and ours["gap"] <= theirs["gap"]:
                to_gap = f"{ours['runtime'] / theirs['runtime']:.3f}"
            else:
                to_gap = "∞ (ours did not reach it)"
        lines.append(
            f"| vs {peer} | {_ratio(ours['objective'], theirs['objective'])} | "
            f"{_ratio(ours['primary_minutes'], theirs['primary_minutes'])} | "
            f"{_ratio(ours['cohort_minutes'], theirs['cohort_minutes'])} | "
            f"{_ratio(ours['runtime'], theirs['runtime'])} | {to_gap} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(INSTANCES), action="append")
    parser.add_argument(
        "--solver", choices=PEERS, action="append", default=[], help="also run this peer"
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    everything: dict[str, Any] = {}
    for name, (path, limit) in INSTANCES.items():
        if args.only and name not in args.only:
            continue
        rows = {solver: run(path, solver, limit) for solver in (*SOLVERS, *args.solver)}
        everything[name] = rows
        print("\n".join(report(name, rows, limit)), flush=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
