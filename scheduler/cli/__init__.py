"""The ``skyclass`` command: one group, commands by user, one error boundary.

Exit codes: 0 ok, 1 rule violations or infeasible, 2 bad input (one message, nothing written).
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click

from scheduler.errors import ScenarioError

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


def _version() -> str:
    try:
        return version("skyclass")
    except PackageNotFoundError:  # running from a source tree
        return "0.1.0"


class SkyclassGroup(click.Group):
    """Turns bad input into one clear line and exit code 2, wherever it is found."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            click.echo(f"skyclass: error: {error}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("skyclass: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=SkyclassGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="skyclass")
def main() -> None:
    """skyclass — broadcast scheduling for the CETV-4 air classroom.

    \b
    Planners:   validate, solve, check
    Publishers: publish, export
    Analysts:   compare

    Without a SCENARIO argument, commands use the embedded default, the first published
    week of CETV-4 in spring 2020 (fixtures/cetv4-2020-spring).

    \b
    Example:
      skyclass solve --out out/week1
    """


def _register() -> None:
    from scheduler.cli import analyse, plan, publish

    for module in (plan, publish, analyse):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:  # pragma: no cover - console entry for python -m
    sys.exit(main())
