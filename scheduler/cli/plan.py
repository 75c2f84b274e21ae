"""Planner commands: validate a scenario, solve it, check a schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scheduler.analysis.summary import Summary, summarise
from scheduler.cli.options import (
    parse_assignments,
    progress_text,
    scenario_argument,
    scenario_for,
    set_option,
    solver_options,
)
from scheduler.domain.airtime import Stretch, minutes_by_window
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule

# markup on for our own styling; text from files (titles, names, problems, paths) goes through
# escape() or markup=False, so "[bold]" in a course name prints as it is (and ":tv:" too)
console = Console(highlight=False, emoji=False, width=110)


@click.command()
@scenario_argument
@set_option
def validate(scenario: str | None, assignments: tuple[str, ...]) -> None:
    """Load a scenario, print what it asks for, and run quick impossibility checks.

    Exit 0 when the pre-checks pass, 1 when they find a problem, 2 for bad input.

    \b
    Example:
      skyclass validate fixtures/cetv4-2020-spring/term.toml
    """
    loaded = load(scenario, overrides=parse_assignments(assignments))
    summary = summarise(loaded)
    print_summary(summary)
    if summary.problems:
        raise SystemExit(1)


def print_summary(summary: Summary) -> None:
    console.print(f"[bold]{escape(summary.title)}[/] ({escape(str(summary.scenario))})")
    console.print(
        f"horizon {summary.first} .. {summary.last}: "
        f"{(summary.last - summary.first).days + 1} broadcast days, {summary.weeks} week(s)"
    )
    airtime = Table(title="Airtime", title_justify="left")
    for column in ("channel", "name", "min/day (min–max)", "min/week", "total min"):
        airtime.add_column(column, justify="right" if "min" in column else "left")
    for channel in summary.airtime:
        minutes = [m for _, m in channel.minutes_by_day]
        airtime.add_row(
            *_cells(
                channel.channel,
                channel.name_zh,
                f"{min(minutes)}–{max(minutes)}",
                f"{channel.per_week(summary.weeks):.0f}",
                channel.total,
            )
        )
    console.print(airtime)
    demand = Table(title="Lesson demand per grade", title_justify="left")
    for column in (
        "grade",
        "band",
        "courses",
        "lessons left",
        "pace min/week",
        "cap min/day",
        "lesson days",
    ):
        demand.add_column(column, justify="left" if column in ("grade", "band") else "right")
    for grade in summary.demand:
        demand.add_row(
            *_cells(
                f"{grade.grade} {grade.name_zh}",
                grade.band,
                grade.courses,
                grade.lessons_left,
                grade.weekly_pace_minutes,
                grade.daily_cap_minutes,
                grade.lesson_days,
            )
        )
    console.print(demand)
    console.print(
        f"lesson demand at pace {summary.demand_total} min vs airtime {summary.airtime_total} min"
        f" ({summary.demand_total / max(summary.airtime_total, 1):.2f}×); specials "
        f"{summary.special_minutes_per_week} min/week"
    )
    if summary.cohorts:
        cohorts = Table(title="Guaranteed cohorts", title_justify="left")
        for column in ("cohort", "grade", "min/day", "window", "days", "total min"):
            cohorts.add_column(column)
        for cohort in summary.cohorts:
            cohorts.add_row(
                *_cells(
                    f"{cohort.cohort} {cohort.name_zh}",
                    cohort.grade,
                    cohort.guaranteed_minutes,
                    cohort.window,
                    cohort.days,
                    cohort.guaranteed_minutes * cohort.days,
                )
            )
        console.print(cohorts)
    print_unusable(summary.unusable)
    if summary.problems:
        console.print(f"[bold red]{len(summary.problems)} problem(s) found:[/]")
        for problem in summary.problems:
            console.print(f"  - {problem}", markup=False)
    else:
        console.print("[green]pre-checks passed[/]")


def print_unusable(stretches: tuple[Stretch, ...]) -> None:
    """Airtime nobody can use, minutes per window per day (handed back as 常规节目)."""
    if not stretches:
        console.print("every window minute is usable by some lesson, special or pinned item")
        return
    table = Table(
        title="Airtime nobody can use (handed back to the channel as one 常规节目 block each)",
        title_justify="left",
    )
    for column in ("channel", "window", "unusable", "days", "min/day", "total min"):
        table.add_column(
            column, justify="right" if column in ("days", "min/day", "total min") else "left"
        )
    for channel, window, times, days, minutes in minutes_by_window(stretches):
        table.add_row(*_cells(channel, window, times, days, minutes, days * minutes))
    console.print(table)
    console.print(
        f"{sum(s.minutes for s in stretches)} min of airtime nobody can use", markup=False
    )


def _cells(*values: object) -> list[str]:
    """Table cells as text, escaped: rich reads markup in cells too."""
    return [escape(str(value)) for value in values]


@click.command()
@scenario_argument
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for schedule.json, schedule.csv, report.md and report.json.",
)
@solver_options
@set_option
def solve(
    scenario: str | None,
    out: Path,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
) -> None:
    """Fill the airtime with lessons under every rule and report how good the result is.

    Writes schedule.json and schedule.csv (one record per airing), report.md and
    report.json (status, objective, proven bound, gap, runtime, minutes per grade, courses,
    guarantees, and what did not fit and why). Ctrl-C or the time limit keep the best schedule
    found. Exit 0 with a schedule, 1 when infeasible (with an explanation) or none was found.

    \b
    Example:
      skyclass solve --out out/week1 --time-limit 30
    """
    from scheduler.analysis import report as reporting
    from scheduler.io.files import check_output_folder, staged_folder
    from scheduler.solver.solving import solve as run_solve

    loaded = load(scenario, overrides=parse_assignments(assignments))
    check_output_folder(out)
    err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

    def show(event: dict[str, Any]) -> None:
        err.print(progress_text(event))

    result = run_solve(loaded, time_limit=time_limit, workers=workers, seed=seed, progress=show)
    report = reporting.build(loaded, result)
    with staged_folder(out) as stage:
        if result.schedule is not None:
            (stage / "schedule.json").write_text(result.schedule.to_json(), encoding="utf-8")
            (stage / "schedule.csv").write_text(result.schedule.to_csv(), encoding="utf-8")
        (stage / "report.json").write_text(reporting.to_json(report), encoding="utf-8")
        (stage / "report.md").write_text(reporting.to_markdown(report), encoding="utf-8")
    console.print(result.summary(), markup=False)
    console.print(f"wrote {out}/", markup=False)
    if result.schedule is None:
        raise SystemExit(1)


@click.command()
@click.argument("schedule_file", metavar="SCHEDULE", type=click.Path(path_type=Path))
@click.option(
    "--scenario",
    "scenario",
    default=None,
    help="Scenario to check against (default: the one the schedule records, else "
    "the embedded default).",
)
@set_option
def check(schedule_file: Path, scenario: str | None, assignments: tuple[str, ...]) -> None:
    """Check every policy rule on a schedule file (JSON or CSV), hand-edited or not.

    Prints each violation with its rule, channel, day, time, grade and course, and the
    deviations from the timetable that the calendar allows (holidays, make-up days, pins). Exit
    0 when all rules hold, 1 when any is violated, 2 for unreadable input.

    \b
    Example:
      skyclass check out/week1/schedule.json
    """
    from scheduler.analysis.checking import check as run_check

    schedule = read_schedule(schedule_file)
    loaded = load(
        scenario_for(schedule, scenario, schedule_file), overrides=parse_assignments(assignments)
    )
    violations = run_check(loaded, schedule)
    objective = schedule.objective(loaded)
    console.print(
        f"{len(schedule)} airings checked against {loaded.name}; objective {objective:,.2f}",
        markup=False,
    )
    from constraints.regularity import deviations

    changed = deviations(loaded, schedule)
    if changed:
        console.print(
            f"{len(changed)} deviation(s) from the timetable the calendar allows:", markup=False
        )
        for deviation in changed:
            console.print(f"  {deviation}", markup=False)
    if violations:
        console.print(f"[bold red]{len(violations)} violation(s):[/]")
        for violation in violations:
            console.print(f"  {violation}", markup=False)
        raise SystemExit(1)
    console.print("[green]every rule holds[/]")


COMMANDS = [validate, solve, check]
