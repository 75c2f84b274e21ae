"""Benchmark: a sweep of 8 default-week scenarios, ``--jobs 2`` against one after another.

Target (issue 5): the parallel run takes at most 0.6 × the sequential time, measured in the
same run. Each solve gets a fixed small time limit and one solver thread, so two jobs fit two
cores. Both runs do the whole comparison (solve, metrics, tables, charts) into a temporary
folder.

    python benchmarks/sweep.py                  # time limit 4 s per solve
    python benchmarks/sweep.py --time-limit 5 --jobs 2

Exit status 0 when the target is met, 1 when not.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

from scheduler.analysis import compare
from scheduler.analysis.runner import Outcome, Settings, Task, run_local, unique_labels
from scheduler.analysis.sweep import Variant

TARGET = 0.6
# 2 × 2 × 2 variants of the default week: rest between lessons, balance and rerun weights
GRID: dict[str, list[float]] = {
    "rules.rest.minutes": [10, 15],
    "rules.balance.weight": [0.05, 0.1],
    "rules.reruns.weight": [0.3, 0.5],
}


def tasks(time_limit: float) -> list[Task]:
    settings = Settings(time_limit=time_limit, workers=1, seed=0)
    keys = list(GRID)
    made = []
    for index, values in enumerate(itertools.product(*GRID.values())):
        overrides = dict(zip(keys, values, strict=True))
        label = ",".join(f"{k.split('.')[-2]}={v}" for k, v in overrides.items())
        made.append(Task.of(index, Variant(None, overrides, label), settings))
    return made


def timed(work: list[Task], jobs: int, folder: Path) -> tuple[float, list[Outcome]]:
    began = time.perf_counter()
    outcomes = unique_labels(run_local(work, jobs=jobs))
    compare.write(outcomes, folder)
    return time.perf_counter() - began, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=4.0, help="seconds per solve")
    parser.add_argument("--jobs", type=int, default=2, help="processes of the parallel run")
    args = parser.parse_args(argv)
    work = tasks(args.time_limit)
    print(
        f"{len(work)} default-week scenarios, time limit {args.time_limit:g} s, "
        "1 solver thread each"
    )
    with tempfile.TemporaryDirectory() as scratch:
        sequential, first = timed(work, 1, Path(scratch) / "sequential")
        print(f"sequential (in this process): {sequential:7.1f} s")
        parallel, second = timed(work, args.jobs, Path(scratch) / "parallel")
        print(f"--jobs {args.jobs} (local processes):  {parallel:7.1f} s")
    for run_name, outcomes in (("sequential", first), ("parallel", second)):
        for outcome in outcomes:
            if outcome.failed:
                print(f"  {run_name} {outcome.label}: {outcome.status} {outcome.reason}")
    ratio = parallel / sequential
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"ratio {ratio:.2f} (target ≤ {TARGET}): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
