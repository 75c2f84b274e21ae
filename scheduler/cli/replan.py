"""Planner command: re-plan a published edition with minimal change."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from scheduler.cli.options import (
    day_option,
    parse_assignments,
    progress_text,
    read_published,
    scenario_argument,
    set_option,
    solver_options,
)
from scheduler.io.loading import load

console = Console(highlight=False, emoji=False, width=110)


@click.command()
@scenario_argument
@click.option(
    "--from",
    "published",
    required=True,
    type=click.Path(path_type=Path),
    metavar="PUBLISHED",
    help="The published edition: its folder (with schedule.json) or a schedule.json/.csv.",
)
@day_option(
    "--today",
    "First broadcast day not yet aired (YYYY-MM-DD): everything before it is kept.",
    required=True,
)
@click.option(
    "--freeze-days",
    type=click.IntRange(min=0, max=366),
    default=None,
    help="Days from --today whose airings move only where a disruption forces them "
    "(default: the rest of today's week, the printed week).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for schedule.json/.csv, report.md/.json and changes.json/.md.",
)
@click.option(
    "--scratch/--no-scratch",
    default=True,
    help="Also solve the scenario from scratch and report how much that would change "
    "(default: on; it costs a second solve).",
)
@solver_options
@set_option
def replan(
    scenario: str | None,
    published: Path,
    today: date,
    freeze_days: int | None,
    out: Path,
    scratch: bool,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
) -> None:
    """Re-plan a published edition after a disruption, changing as little as possible.

    What aired before --today is kept as it aired; airings in the frozen days stay unless a
    disruption (an outage, a late recording, a grade back at school, a new pin) forces them
    away; the rest is re-planned to change least first (airings dropped, moved to another
    day, time or channel, grades whose day changed; sooner days weigh more) and to cover most
    second. Writes what `solve --out` writes plus changes.json and changes.md (the change
    count against the published edition and against a from-scratch solve). Exit 0 with a
    re-plan, 1 when none was found, 2 for bad input.

    \b
    Example:
      skyclass replan fixtures/cetv4-2020-spring/term.toml --from out/term \\
        --today 2020-03-18 --out out/term-replan
    """
    from scheduler.analysis import changes as change_report
    from scheduler.analysis import report as reporting
    from scheduler.analysis.unplaced import unplaced
    from scheduler.domain.changes import diff
    from scheduler.io.files import check_output_folder, staged_folder
    from scheduler.solver.replan import frozen_until
    from scheduler.solver.replan import replan as run_replan
    from scheduler.solver.solving import solve as run_solve

    loaded = load(scenario, overrides=parse_assignments(assignments))
    source, edition = read_published(published, "--from")
    check_output_folder(out)
    err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

    def show(event: dict[str, Any]) -> None:
        err.print(progress_text(event))

    result = run_replan(
        loaded,
        edition,
        today=today,
        freeze_days=freeze_days,
        time_limit=time_limit,
        seed=loaded.solver.seed if seed is None else seed,
        workers=workers,
    )
    if result.schedule is not None:
        from dataclasses import replace

        result = replace(result, unplaced=unplaced(loaded, result.schedule))
    scratch_changes = None
    if scratch and result.schedule is not None:
        err.print("solving from scratch for comparison …")
        fresh = run_solve(loaded, time_limit=time_limit, workers=workers, seed=seed, progress=show)
        if fresh.schedule is not None:
            scratch_changes = diff(loaded, edition, fresh.schedule)
    report = reporting.build(loaded, result)
    changes = change_report.build(
        loaded,
        result.changes,
        today=today.isoformat(),
        freeze_until=frozen_until(today, freeze_days).isoformat(),
        published=str(source),
        scratch=scratch_changes,
    )
    with staged_folder(out) as stage:
        if result.schedule is not None:
            (stage / "schedule.json").write_text(result.schedule.to_json(), encoding="utf-8")
            (stage / "schedule.csv").write_text(result.schedule.to_csv(), encoding="utf-8")
        (stage / "report.json").write_text(reporting.to_json(report), encoding="utf-8")
        (stage / "report.md").write_text(reporting.to_markdown(report), encoding="utf-8")
        (stage / "changes.json").write_text(change_report.to_json(changes), encoding="utf-8")
        (stage / "changes.md").write_text(change_report.to_markdown(changes), encoding="utf-8")
    console.print(result.summary(), markup=False)
    counts = changes["against_published"]
    line = f"{counts['changed']} airing(s) changed against the published edition"
    if "from_scratch" in changes:
        line += f"; a from-scratch solve changes {changes['from_scratch']['changed']}"
    console.print(line, markup=False)
    console.print(f"wrote {out}/", markup=False)
    if result.schedule is None:
        raise SystemExit(1)


COMMANDS = [replan]
