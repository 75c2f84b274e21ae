"""Analyst commands: compare scenarios side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from scheduler.cli.options import parse_assignments, set_option, solver_options

if TYPE_CHECKING:
    from scheduler.analysis.runner import Outcome
    from scheduler.analysis.sweep import Variant

# scenario labels and paths are printed with markup=False: brackets in them are text
console = Console(highlight=False, emoji=False, stderr=True)


@click.command()
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the comparison (replaced as a whole when done).",
)
@set_option
@click.option(
    "--sweep",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML file of parameter grids; its variants join the comparison.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Local processes to solve on (default: one per core; 1: in this process).",
)
@click.option(
    "--price-of-regularity",
    "price",
    is_flag=True,
    help='Also solve each scenario with --set timetable.mode="free" and show what '
    "the timetable costs (objective and weighted lesson minutes, as ratios).",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Solve on a Dask cluster, e.g. tcp://10.0.0.5:8786, instead of locally.",
)
@solver_options
def compare(
    scenarios: tuple[str, ...],
    out: Path,
    assignments: tuple[str, ...],
    sweep: Path | None,
    jobs: int | None,
    price: bool,
    dask: str | None,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
) -> None:
    """Solve several scenarios and write a side-by-side comparison to --out.

    Writes comparison.md, .csv and .html (a column per scenario, then its delta against the
    first), courses.csv, charts/*.png (minutes per grade, course coverage, a day grid per
    channel) and scenarios/NN-NAME/ (report, schedule.json, metric tables). Without a
    SCENARIO or --sweep the default scenario is compared. --set applies to every scenario.
    A scenario that fails (bad file, infeasible) is reported in its column; the others
    complete. Exit 0 when all solved, 1 when any failed, 2 for bad options.
    Sweep files and the Dask set-up: docs/analysis.md.

    \b
    Example:
      skyclass compare fixtures/cetv4-2020-spring \\
          fixtures/cetv4-2020-spring/variants/airtime-plus-2h.toml \\
          fixtures/cetv4-2020-spring/variants/second-channel.toml --out out/compare
      skyclass compare --sweep rest-sweep.toml --jobs 2 --out out/rest
      skyclass compare A.toml B.toml --dask tcp://127.0.0.1:8786 --out out/ab
      skyclass compare --price-of-regularity --out out/price
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from scheduler.analysis import compare as comparison
    from scheduler.analysis.runner import Settings, Task, run, unique_labels
    from scheduler.analysis.sweep import Variant, read_sweep
    from scheduler.io.files import check_output_folder

    check_output_folder(out)
    overrides = parse_assignments(assignments)
    variants = [Variant(path) for path in scenarios]
    if sweep is not None:
        variants += read_sweep(sweep)
    if not variants:
        variants = [Variant(None)]
    twins: dict[int, int] = {}
    if price:
        twins = {i: i + len(variants) for i in range(len(variants))}
        variants += [free_twin(variant) for variant in variants]
    settings = Settings(time_limit=time_limit, workers=workers, seed=seed)
    tasks = [Task.of(i, variant, settings, overrides) for i, variant in enumerate(variants)]
    where = f"Dask at {dask}" if dask else f"{jobs or 'all'} local process(es)"
    console.print(f"solving {len(tasks)} scenario(s) on {where}", markup=False)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        bar = progress.add_task("solving", total=len(tasks))

        def done(outcome: Outcome) -> None:
            progress.advance(bar)
            progress.console.print(_line(outcome), markup=False)

        outcomes = unique_labels(run(tasks, jobs=jobs, dask=dask, progress=done))
        progress.update(bar, description="writing")
        comparison.write(outcomes, out, twins)
    failed = [o for o in outcomes if o.failed]
    console.print(f"wrote {out}/comparison.md, .csv, .html, charts/ and scenarios/", markup=False)
    if failed:
        console.print(
            f"{len(failed)} of {len(outcomes)} scenario(s) failed: "
            + ", ".join(o.label for o in failed),
            style="bold red",
            markup=False,
        )
        raise SystemExit(1)


def free_twin(variant: Variant) -> Variant:
    """The same scenario solved without the timetable template (the price of regularity)."""
    from dataclasses import replace

    from scheduler.analysis.runner import _label_of_path

    label = f"{variant.label or _label_of_path(variant.path)} · free"
    return replace(variant, overrides={**variant.overrides, "timetable.mode": "free"}, label=label)


def _line(outcome: Outcome) -> str:
    text = f"  {outcome.label}: {outcome.status}"
    if outcome.objective is not None:
        text += f", objective {outcome.objective:,.1f}"
    if outcome.gap is not None:
        text += f", gap {outcome.gap:.2%}"
    text += f", {outcome.runtime:.1f} s"
    if outcome.reason:
        text += f" — {outcome.reason}"
    return text


COMMANDS = [compare]
