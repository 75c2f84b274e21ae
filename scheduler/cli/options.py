"""Options shared by several commands."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import Any, TypeVar

import click

from scheduler.errors import ScenarioError

F = TypeVar("F", bound=Callable[..., Any])


def scenario_argument(function: F) -> F:
    return click.argument("scenario", required=False, metavar="[SCENARIO]")(function)


def set_option(function: F) -> F:
    return click.option(
        "--set", "assignments", multiple=True, metavar="PATH=VALUE",
        help="Override a scenario field without writing a file, e.g. "
             "--set rules.rest.minutes=20 (values are TOML: 20, \"19:00\", [1, 2]).",
    )(function)


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
        parsed[path.strip()] = value
    return parsed
