"""A cheap publish for the fault tests: ``skyclass export --store`` of the tiny schedule (no
PDFs), run as a real process so that it can be killed."""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "exports"))

from export_fixtures import scenario, schedule  # noqa: E402

from scheduler.cli import main  # noqa: E402
from scheduler.domain.schedule import Schedule  # noqa: E402
from scheduler.io.files import FAULT  # noqa: E402
from scheduler.io.saving import dump  # noqa: E402

FORMATS = "xmltv,ical,sms,tables"
FIRST_AT = "--published-at=2020-02-14T18:00:00+08:00"
LATER_AT = "--published-at=2020-02-21T18:00:00+08:00"


class Case:
    """A scenario folder with two schedules: edition 1 and a changed edition 2."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.scenario = dump(scenario(), folder / "scenario").parent
        tiny = Schedule(schedule(scenario()).programmes, scenario="scenario", seed=0)
        self.first = folder / "first.json"
        self.first.write_text(tiny.to_json(), encoding="utf-8")
        document = json.loads(tiny.to_json())
        document["programmes"][0]["title"] = "空中课堂开播致辞（改）"
        self.second = folder / "second.json"
        self.second.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    def run(
        self,
        schedule_file: Path,
        out: Path,
        *extra: str,
        fault: str | None = None,
        prelude: Callable[[], None] | None = None,
        kill_after: float | None = None,
    ) -> Run:
        """``skyclass export SCHEDULE --store … --out OUT`` in a forked process, which the fault
        hook may kill; ``prelude`` runs in that process first."""
        at = LATER_AT if schedule_file == self.second else FIRST_AT
        args = [
            "export",
            str(schedule_file),
            "--format",
            FORMATS,
            "--out",
            str(out),
            "--store",
            str(out.parent / "store.sqlite"),
            at,
            *extra,
        ]
        return run_cli(args, cwd=self.folder, fault=fault, prelude=prelude, kill_after=kill_after)


@dataclass(frozen=True)
class Run:
    """How a CLI run ended: its exit code (negative: killed by that signal) and its stderr."""

    returncode: int
    stderr: str


def run_cli(
    args: list[str],
    *,
    cwd: Path,
    fault: str | None = None,
    prelude: Callable[[], None] | None = None,
    kill_after: float | None = None,
) -> Run:
    """Run ``skyclass ARGS`` in a forked child (fast: everything is imported already);
    ``kill_after`` seconds sends it SIGKILL from outside if it is still running."""
    handle, name = tempfile.mkstemp(prefix="skyclass-stderr-")
    os.close(handle)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.chdir(cwd)
            os.environ.pop(FAULT, None)
            if fault:
                os.environ[FAULT] = fault
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.stderr = open(name, "w")  # noqa: SIM115
            if prelude is not None:
                prelude()
            try:
                main.main(args, prog_name="skyclass")
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else 1
        except BaseException:
            traceback.print_exc(file=sys.stderr)
        finally:
            sys.stderr.flush()
            os._exit(code)
    if kill_after is not None:
        time.sleep(kill_after)
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
        else:  # already ended; waitpid reaped it
            stderr = Path(name).read_text(encoding="utf-8", errors="replace")
            Path(name).unlink()
            return Run(0, stderr)
    _, status = os.waitpid(pid, 0)
    stderr = Path(name).read_text(encoding="utf-8", errors="replace")
    Path(name).unlink()
    return Run(os.waitstatus_to_exitcode(status), stderr)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file below ``out`` with its bytes."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
