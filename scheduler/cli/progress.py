"""What the publisher commands show while they work: the solver's status line and a live
display with a line per export phase, on stderr, only on a terminal and never with ``--quiet``.
Nothing of it reaches the files written."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from exports.publish import SWAP, Progress, Step
from scheduler.cli.options import progress_text

if TYPE_CHECKING:
    from rich.progress import TaskID

# no markup, no emoji codes: paths print as they are
errors = Console(highlight=False, markup=False, emoji=False, soft_wrap=True, stderr=True)

quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress display (it is shown only when stderr is a terminal anyway).",
)

# what each phase of an export is called on the display, in the order it starts
PHASES = {
    "load": "reading the schedule and scenario",
    "check": "checking every rule",
    "printable": "posters and day grids (PDF)",
    "xmltv": "XMLTV guide",
    "ical": "iCal feeds",
    "sms": "SMS digests",
    "tables": "tables (CSV, XLSX, JSON)",
    "eit": "DVB EIT tables",
    "corrections": "corrections (SMS, errata)",
    "site": "index page and schedule.json",
    SWAP: "manifest, publication memory, swap into place",
}


@contextmanager
def solving(quiet: bool) -> Iterator[Callable[[dict[str, Any]], None]]:
    """The solver's progress on a status line on stderr (nothing when ``quiet``)."""
    if quiet:
        yield _unwatched
        return
    with errors.status("solving …") as status:

        def progress(report: dict[str, Any]) -> None:
            status.update(f"solving {progress_text(report)}")

        yield progress


@contextmanager
def exporting(quiet: bool, console: Console | None = None) -> Iterator[Progress]:
    """A live display on stderr with a line per export phase (the PDFs counted one by one, each
    phase's time), then the time the export took. Nothing when ``quiet`` or when stderr is not
    a terminal: a log or a pipe gets only the result."""
    screen = console if console is not None else errors
    if quiet or not screen.is_terminal:
        yield _unwatched
        return
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TimeElapsedColumn
    from rich.progress import Progress as Display

    started = time.monotonic()
    with Display(
        SpinnerColumn(finished_text="✓"),
        "{task.description}",
        BarColumn(bar_width=20),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=screen,
        transient=False,
    ) as display:
        lock = threading.Lock()  # PDFs report from a second thread
        tasks: dict[str, TaskID] = {}

        def show(step: Step) -> None:
            with lock:
                if step.phase not in tasks:
                    tasks[step.phase] = display.add_task(
                        PHASES.get(step.phase, step.phase), total=step.total
                    )
                task = tasks[step.phase]
                display.update(task, completed=step.done, total=step.total)
                if step.finished:
                    display.stop_task(task)

        yield show
    screen.print(f"exported in {time.monotonic() - started:.1f} s")


def _unwatched(step: object) -> None:
    """Progress nobody sees."""


__all__ = ["PHASES", "exporting", "quiet_option", "solving"]
