"""Planner commands: validate a scenario, solve it, check a schedule."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from scheduler.cli.options import scenario_argument, set_option
from scheduler.loading import load
from scheduler.summary import Summary, summarise

console = Console(highlight=False)


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
    from scheduler.cli.options import parse_assignments

    loaded = load(scenario, overrides=parse_assignments(assignments))
    summary = summarise(loaded)
    print_summary(summary)
    if summary.problems:
        raise SystemExit(1)


def print_summary(summary: Summary) -> None:
    console.print(f"[bold]{summary.title}[/] ({summary.scenario})")
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
            channel.channel, channel.name_zh, f"{min(minutes)}–{max(minutes)}",
            f"{channel.per_week(summary.weeks):.0f}", str(channel.total),
        )
    console.print(airtime)
    demand = Table(title="Lesson demand per grade", title_justify="left")
    for column in ("grade", "band", "courses", "lessons left", "pace min/week", "cap min/day",
                   "lesson days"):
        demand.add_column(column, justify="left" if column in ("grade", "band") else "right")
    for grade in summary.demand:
        demand.add_row(
            f"{grade.grade} {grade.name_zh}", grade.band, str(grade.courses),
            str(grade.lessons_left), str(grade.weekly_pace_minutes),
            str(grade.daily_cap_minutes), str(grade.lesson_days),
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
                f"{cohort.cohort} {cohort.name_zh}", str(cohort.grade),
                str(cohort.guaranteed_minutes), cohort.window, str(cohort.days),
                str(cohort.guaranteed_minutes * cohort.days),
            )
        console.print(cohorts)
    if summary.problems:
        console.print(f"[bold red]{len(summary.problems)} problem(s) found:[/]")
        for problem in summary.problems:
            console.print(f"  - {problem}")
    else:
        console.print("[green]pre-checks passed[/]")


COMMANDS = [validate]
