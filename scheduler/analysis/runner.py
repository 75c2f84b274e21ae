"""Solving many scenarios at once: local processes by default, a Dask cluster on request.

A :class:`Task` holds only picklable plain inputs (scenario path, overrides, solver settings);
:func:`run_task` loads and solves inside the worker and returns an :class:`Outcome` of plain
data (schedule JSON, metric records), never solver objects. Results come back in task order,
so a run on local processes and one on Dask give equal outcomes (runtime aside).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.analysis.sweep import Variant
from scheduler.domain.errors import ScenarioError

DEFAULT_SOLVER = "scheduler.solver.solving:solve"
ERROR = "ERROR"

Progress = Callable[["Outcome"], None]


@dataclass(frozen=True, slots=True)
class Settings:
    """Solver settings for every task; None keeps the scenario's own ``[solver]`` value.

    ``solver`` is the ``module:function`` that solves; tests and benchmarks may name another.
    """

    time_limit: float | None = None
    workers: int | None = None
    seed: int | None = None
    solver: str = DEFAULT_SOLVER


@dataclass(frozen=True, slots=True)
class Task:
    """One scenario to solve: plain, picklable inputs only."""

    index: int
    path: str | None
    overrides: Mapping[str, Any]
    settings: Settings
    label: str | None = None

    @classmethod
    def of(
        cls,
        index: int,
        variant: Variant,
        settings: Settings,
        extra: Mapping[str, Any] | None = None,
    ) -> Task:
        """A task for a variant; ``extra`` overrides (the command line's) win."""
        path = None if variant.path is None else str(Path(variant.path).resolve())
        return cls(index, path, {**variant.overrides, **(extra or {})}, settings, variant.label)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back: plain data only.

    ``status`` is a solver status (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN) or ERROR for a
    scenario that could not be loaded or solved; ``reason`` then says why.
    """

    index: int
    label: str
    path: str | None
    overrides: dict[str, Any]
    status: str
    reason: str = ""
    explanation: tuple[str, ...] = ()
    name: str | None = None
    title: str | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    runtime: float = 0.0
    seed: int | None = None
    schedule: str | None = None
    metrics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    grid: dict[str, Any] = field(default_factory=dict)
    unplaced: tuple[dict[str, Any], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the scenario gave a schedule."""
        return self.schedule is not None

    @property
    def failed(self) -> bool:
        """Bad input, an infeasible scenario, or no schedule found in time."""
        return self.schedule is None

    def comparable(self) -> Outcome:
        """The outcome without its wall-clock runtime, to compare two runs."""
        return replace(self, runtime=0.0)


def run_task(task: Task) -> Outcome:
    """Load, solve and measure one scenario; every failure becomes an ERROR outcome."""
    from scheduler.io.loading import load

    label = task.label or _label_of_path(task.path)
    started = time.perf_counter()

    def failed(reason: str, *, name: str | None = None) -> Outcome:
        return Outcome(
            index=task.index,
            label=label,
            path=task.path,
            overrides=dict(task.overrides),
            status=ERROR,
            reason=reason,
            name=name,
            runtime=time.perf_counter() - started,
        )

    try:
        scenario = load(task.path, overrides=dict(task.overrides))
    except ScenarioError as error:
        return failed(str(error))
    except Exception as error:  # a loader bug must not stop the other scenarios
        return failed(_internal(error))
    label = task.label or scenario.name
    try:
        solve = _solver(task.settings.solver)
        result = solve(
            scenario,
            time_limit=task.settings.time_limit,
            workers=task.settings.workers,
            seed=task.settings.seed,
        )
    except ScenarioError as error:
        return failed(str(error), name=scenario.name)
    except Exception as error:
        return failed(_internal(error), name=scenario.name)
    status = str(getattr(result.status, "value", result.status))
    outcome = Outcome(
        index=task.index,
        label=label,
        path=task.path,
        overrides=dict(task.overrides),
        status=status,
        name=scenario.name,
        title=scenario.title,
        explanation=tuple(result.explanation),
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        runtime=float(result.runtime),
        seed=result.seed,
        unplaced=tuple(asdict(u) for u in result.unplaced),
    )
    if result.schedule is None:
        reason = "; ".join(result.explanation) or f"no schedule ({status})"
        return replace(outcome, reason=reason)
    try:
        from scheduler.analysis.charts import grid_data
        from scheduler.analysis.metrics import coverage

        metrics = coverage(scenario, result.schedule).to_records()
        grid = grid_data(scenario, result.schedule)
    except Exception as error:
        return replace(failed(_internal(error), name=scenario.name), status=status)
    return replace(outcome, schedule=result.schedule.to_json(), metrics=metrics, grid=grid)


def run_local(
    tasks: Sequence[Task], *, jobs: int | None = None, progress: Progress | None = None
) -> list[Outcome]:
    """Run tasks on ``jobs`` local processes (1: in this process, one after another)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    if jobs == 1:
        outcomes = []
        for task in tasks:
            outcome = run_task(task)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes
    # spawn: a fresh interpreter per worker, safe with the solver's threads and rich's
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures: dict[Future[Outcome], Task] = {pool.submit(run_task, t): t for t in tasks}
        return _collect(futures, progress)


def run_dask(
    tasks: Sequence[Task],
    address: str,
    *,
    progress: Progress | None = None,
    timeout: float = 15.0,
) -> list[Outcome]:
    """Run tasks on the Dask distributed cluster whose scheduler is at ``address``.

    Workers must see the scenario files at the same (absolute) paths and have skyclass
    installed. A scheduler that does not answer within ``timeout`` seconds is bad input.
    """
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as error:
        raise ScenarioError(
            f"cannot reach the Dask scheduler at {address!r} ({error})", field="--dask"
        ) from None
    try:
        futures = client.map(run_task, list(tasks), pure=False)
        outcomes: dict[int, Outcome] = {}
        for future in as_completed(futures):
            outcome: Outcome = future.result()
            outcomes[outcome.index] = outcome
            if progress:
                progress(outcome)
        return [outcomes[task.index] for task in tasks]
    finally:
        client.close()


def run(
    tasks: Sequence[Task],
    *,
    jobs: int | None = None,
    dask: str | None = None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Run on Dask when an address is given, else on local processes."""
    if dask:
        return run_dask(tasks, dask, progress=progress)
    return run_local(tasks, jobs=jobs, progress=progress)


def unique_labels(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Outcomes with labels made unique (``name``, ``name#2`` …), in order."""
    seen: dict[str, int] = {}
    unique = []
    for outcome in outcomes:
        count = seen.get(outcome.label, 0) + 1
        seen[outcome.label] = count
        unique.append(outcome if count == 1 else replace(outcome, label=f"{outcome.label}#{count}"))
    return unique


def _collect(futures: dict[Future[Outcome], Task], progress: Progress | None) -> list[Outcome]:
    outcomes: dict[int, Outcome] = {}
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the worker process died
                outcome = Outcome(
                    index=task.index,
                    label=task.label or _label_of_path(task.path),
                    path=task.path,
                    overrides=dict(task.overrides),
                    status=ERROR,
                    reason=_internal(error),
                )
            outcomes[outcome.index] = outcome
            if progress:
                progress(outcome)
    return [outcomes[index] for index in sorted(outcomes)]


def _solver(name: str) -> Callable[..., Any]:
    module, _, function = name.partition(":")
    solve: Callable[..., Any] = getattr(importlib.import_module(module), function or "solve")
    return solve


def _label_of_path(path: str | None) -> str:
    if path is None:
        return "default"
    file = Path(path)
    return file.parent.name if file.stem == "scenario" else file.stem


def _internal(error: BaseException) -> str:
    where = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    place = f" at {Path(where[0].filename).name}:{where[0].lineno}" if where else ""
    return f"internal error{place}: {type(error).__name__}: {error}"


__all__ = [
    "ERROR",
    "Outcome",
    "Settings",
    "Task",
    "run",
    "run_dask",
    "run_local",
    "run_task",
    "unique_labels",
]
