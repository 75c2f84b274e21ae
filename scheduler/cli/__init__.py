"""The ``skyclass`` command: one group, commands by user, one error boundary.

Exit codes: 0 ok, 1 rule violations, infeasible or a failed run (a full disk, a folder that
vanished), 2 bad input (one message, nothing written); 130 and 143 after SIGINT and SIGTERM.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click

from scheduler.domain.errors import ScenarioError

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


def _version() -> str:
    try:
        return version("skyclass")
    except PackageNotFoundError:  # running from a source tree
        return "0.1.0"


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so stage folders and transactions are cleaned up."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def describe(error: OSError) -> str:
    """One line for a failure of the machine or the file system, naming the path and cause."""
    causes = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENOENT: "no such file or folder (removed while skyclass ran?)",
        errno.EIO: "input/output error",
    }
    cause = causes.get(error.errno or 0, error.strerror or type(error).__name__)
    where = error.filename if error.filename is not None else None
    return f"{os.fsdecode(where)}: {cause}" if where is not None else cause


class SkyclassGroup(click.Group):
    """One line and an exit code for every failure, wherever it is found.

    Bad input (:class:`ScenarioError`) exits 2; a failure of the machine (an :class:`OSError`
    such as a full disk, :class:`MemoryError`) exits 1 and names the path; SIGINT and SIGTERM
    exit 130 and 143 after cleaning up. Anything else is a bug in skyclass: one line asking for
    a report (``SKYCLASS_DEBUG=1`` prints the traceback), exit 1.
    """

    def invoke(self, ctx: click.Context) -> Any:
        previous = None
        with contextlib.suppress(ValueError):  # not the main thread: keep the default
            previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            click.echo(f"skyclass: error: {error}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("skyclass: interrupted", err=True)
            ctx.exit(130)
        except Terminated:
            click.echo("skyclass: terminated", err=True)
            ctx.exit(143)
        except OSError as error:
            click.echo(f"skyclass: error: {describe(error)}", err=True)
            ctx.exit(EXIT_PROBLEMS)
        except (MemoryError, RecursionError) as error:
            click.echo(f"skyclass: error: out of memory ({type(error).__name__})", err=True)
            ctx.exit(EXIT_PROBLEMS)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as error:
            if os.environ.get("SKYCLASS_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"skyclass: internal error: {type(error).__name__}: {error} — please "
                "report it (SKYCLASS_DEBUG=1 prints the details)",
                err=True,
            )
            ctx.exit(EXIT_PROBLEMS)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=SkyclassGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="skyclass")
def main() -> None:
    """skyclass — broadcast scheduling for the CETV-4 air classroom.

    \b
    Planners:   validate, solve, check, replan
    Publishers: publish, export
    Analysts:   compare

    Without a SCENARIO argument, commands use the embedded default, the first published
    week of CETV-4 in spring 2020 (fixtures/cetv4-2020-spring).

    \b
    Example:
      skyclass solve --out out/week1
    """


def _register() -> None:
    from scheduler.cli import analyse, plan, publish, replan

    for module in (plan, replan, publish, analyse):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:  # pragma: no cover - console entry for python -m
    sys.exit(main())
