"""Options, parsing and output shared by several commands."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_SECONDS, MAX_SEED, MAX_WORKERS
from scheduler.domain.result import gap

if TYPE_CHECKING:
    from scheduler.domain.schedule import Schedule

F = TypeVar("F", bound=Callable[..., Any])


def scenario_argument(function: F) -> F:
    return click.argument("scenario", required=False, metavar="[SCENARIO]")(function)


def set_option(function: F) -> F:
    return click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="PATH=VALUE",
        help="Override a scenario field without writing a file, e.g. "
        '--set rules.rest.minutes=20 (values are TOML: 20, "19:00", [1, 2]).',
    )(function)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    # FloatRange lets "inf" and "nan" through (nan fails every comparison)
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number of seconds", ctx, param)
    return value


def solver_options(function: F) -> F:
    """``--time-limit``, ``--workers`` and ``--seed``, with the bounds the scenario file has."""
    options = (
        click.option(
            "--time-limit",
            type=click.FloatRange(min=0, min_open=True, max=MAX_SECONDS),
            metavar="SECONDS",
            default=None,
            callback=_finite,
            help="Solver budget in seconds (default: the scenario's [solver] time_limit).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1, max=MAX_WORKERS),
            default=None,
            help="Solver threads (default: the scenario's [solver] workers).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0, max=MAX_SEED),
            default=None,
            help=f"Random seed, 0 to {MAX_SEED} (default: the scenario's [solver] seed).",
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def parse_assignments(assignments: tuple[str, ...]) -> dict[str, Any]:
    """``rules.rest.minutes=20`` → ``{"rules.rest.minutes": 20}``; values are read as TOML,
    and fall back to plain text when they are not TOML (``--set title=周末特别版``)."""
    parsed: dict[str, Any] = {}
    for assignment in assignments:
        path, sep, raw = assignment.partition("=")
        if not sep or not path.strip():
            raise ScenarioError(f"{assignment!r} is not PATH=VALUE", field="--set")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        except RecursionError:
            raise ScenarioError(
                f"{path.strip()}: the value is nested too deeply", field="--set"
            ) from None
        parsed[path.strip()] = value
    return parsed


def scenario_for(schedule: Schedule, given: str | None, schedule_file: Path) -> str | None:
    """The scenario to read a schedule file with: ``--scenario`` if given, else the one the
    schedule names (which must exist; a relative path is looked up beside the schedule file
    first, then from the current folder), else None for the embedded default."""
    if given is not None:
        return given
    if schedule.scenario is None:
        return None
    beside = schedule_file.parent / schedule.scenario  # published files name it from there
    if not Path(schedule.scenario).is_absolute() and beside.exists():
        return str(beside)
    if not Path(schedule.scenario).exists():
        raise ScenarioError(
            f"names scenario {schedule.scenario!r}, which does not exist here; pass --scenario",
            file=str(schedule_file),
            field="scenario",
        )
    return schedule.scenario


def day_option(
    name: str, help_text: str, *, dest: str | None = None, required: bool = False
) -> Any:
    """A ``YYYY-MM-DD`` option; a bad date is bad input naming the option."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ScenarioError(f"{value!r} is not a date (YYYY-MM-DD)", field=name) from None

    names = (name, dest) if dest else (name,)
    return click.option(*names, metavar="DATE", callback=parse, help=help_text, required=required)


def read_published(path: Path, field: str) -> tuple[Path, Schedule]:
    """A published edition: its folder (``schedule.json`` inside) or a schedule file."""
    if path.is_dir():
        found = path / "schedule.json"
        if not found.is_file():
            raise ScenarioError(
                "is a folder without schedule.json (a published folder holds one)",
                file=str(path),
                field=field,
            )
        path = found
    elif not path.exists():
        raise ScenarioError("no such file or folder", file=str(path), field=field)
    from scheduler.io.schedules import read_schedule

    return path, read_schedule(path)


def cells(*values: object) -> list[str]:
    """Table cells as text, escaped: rich reads markup in cells too."""
    from rich.markup import escape

    return [escape(str(value)) for value in values]


def progress_text(event: Mapping[str, Any]) -> str:
    """One live line for a solver progress event (see :mod:`scheduler.solver.solving`):
    ``week 1/1 (2020-02-17): objective 24,857.5  bound 24,863.5  gap 0.024%  6.0 s``;
    ``—`` stands for a bound (and so a gap) not proven yet."""
    bound = event["bound"]
    relative = gap(event["objective"], bound)
    known = "—" if relative is None else f"{bound:,.1f}"
    shown = "—" if relative is None else f"{relative:.3%}"
    return (
        f"week {event['week']}/{event['weeks']} ({event['first']}): objective "
        f"{event['objective']:,.1f}  bound {known}  gap {shown}  {event['elapsed']:.1f} s"
    )
