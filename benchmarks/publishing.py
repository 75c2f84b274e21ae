"""Benchmark: publishing the 16-week term (solve excluded) against the 30 s target of issue 11.

    python -m benchmarks.publishing                      # solve the term once, then time it
    python -m benchmarks.publishing --schedule out/term/schedule.json
    python -m benchmarks.publishing --documents          # also each PDF alone, one process
    python -m benchmarks.publishing --json benchmarks/publishing.json

The term (``fixtures/cetv4-2020-spring/term.toml``) is solved once, untimed, unless
``--schedule`` names its schedule.json. Then, each in a fresh process:

1. the whole export, ``skyclass export SCHEDULE --format all`` as a user runs it: wall time and
   CPU time (user + sys, its PDF printing processes included), against the target;
2. each format alone through ``exports.publish.render``: wall and CPU time, after reading the
   schedule and scenario (timed apart); ``printable`` prints its PDFs in parallel processes as
   the export does;
3. with ``--documents``: each poster and grid printed alone in one process (CPU per document,
   the longest one bounds the wall time whatever the number of cores).

The figures depend on the machine and on what else it runs: the load average before and after
is printed with them. The target is for the 2-core machine otherwise idle.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TERM = ROOT / "fixtures" / "cetv4-2020-spring" / "term.toml"
TARGET = 30.0  # seconds, the whole export of the term on the 2-core machine
PUBLISHED_AT = "2020-02-14T18:00:00+08:00"
# the command as a user runs it, from this source tree
SKYCLASS = (sys.executable, "-c", "from scheduler.cli import main; main()")


def _cpu() -> float:
    """CPU seconds (user + sys) of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _environment() -> dict[str, str]:
    """The child processes import this source tree, not an installed copy."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{path}" if path else str(ROOT)}


def solve_term(folder: Path) -> Path:
    """The term's schedule, solved once (not timed)."""
    subprocess.run(
        [*SKYCLASS, "solve", str(TERM), "--time-limit", "60", "--out", str(folder)],
        check=True,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return folder / "schedule.json"


def whole_export(schedule: Path, out: Path) -> dict[str, float]:
    """``skyclass export --format all`` in a fresh process: wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            *SKYCLASS,
            *("export", str(schedule), "--scenario", str(TERM), "--out", str(out)),
            *("--published-at", PUBLISHED_AT, "--quiet"),
        ],
        check=True,
        env=_environment(),
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def _edition(schedule: Path) -> Any:
    from datetime import datetime

    from exports.common import Edition
    from scheduler.io.loading import load
    from scheduler.io.schedules import read_schedule

    return Edition.unrecorded(
        load(str(TERM)), read_schedule(schedule), at=datetime.fromisoformat(PUBLISHED_AT)
    )


def _per_format(schedule: str, queue: Any) -> None:
    """Runs inside a child process: each format rendered alone."""
    sys.path.insert(0, str(ROOT))
    from exports import FORMATS
    from exports.publish import render

    rows: dict[str, dict[str, float]] = {}
    wall, cpu = time.perf_counter(), _cpu()
    edition = _edition(Path(schedule))
    rows["read schedule and scenario"] = {
        "wall": time.perf_counter() - wall,
        "cpu": _cpu() - cpu,
    }
    for name in FORMATS:
        if name == "site":  # alone, the index page (the rest is timed above)
            from exports import site

            wall, cpu = time.perf_counter(), _cpu()
            site.render(edition, {})
        else:
            wall, cpu = time.perf_counter(), _cpu()
            render(edition, [name])
        rows[name] = {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu}
    queue.put(rows)


def _per_document(schedule: str, queue: Any) -> None:
    """Runs inside a child process: each PDF printed alone, here."""
    sys.path.insert(0, str(ROOT))
    from weasyprint import HTML

    from exports import printable

    edition = _edition(Path(schedule))
    HTML(string="<p>字</p>").write_pdf()  # fonts found once, as a printing process does
    rows: dict[str, dict[str, float]] = {}
    for path, html in printable.pdf_pages(printable.pages(edition)).items():
        wall, cpu = time.perf_counter(), _cpu()
        document = HTML(string=html).render()
        document.write_pdf()
        rows[path] = {
            "wall": time.perf_counter() - wall,
            "cpu": _cpu() - cpu,
            "pages": len(document.pages),
        }
    queue.put(rows)


def _in_child(function: Any, schedule: Path) -> dict[str, dict[str, float]]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=function, args=(str(schedule), queue))
    child.start()
    child.join()  # the figures are a few lines: the queue does not hold the child up
    if child.exitcode != 0:
        raise SystemExit(f"{function.__name__} failed (exit code {child.exitcode})")
    rows: dict[str, dict[str, float]] = queue.get()
    return rows


def table(rows: dict[str, dict[str, float]], first: str) -> list[str]:
    lines = [f"| {first} | wall s | CPU s |", "|---|---:|---:|"]
    lines += [f"| {name} | {row['wall']:.1f} | {row['cpu']:.1f} |" for name, row in rows.items()]
    return lines


def report(figures: dict[str, Any]) -> list[str]:
    whole = figures["export"]
    met = "yes" if whole["wall"] <= TARGET else "no"
    cores = figures["cores"]
    lines = [
        f"## Publishing the 16-week term (target ≤ {TARGET:.0f} s, solve excluded)",
        "",
        f"{cores} usable cores; load average {figures['load_before']:.1f} before, "
        f"{figures['load_after']:.1f} after.",
        "",
        "| run | wall s | CPU s (user + sys) | target met |",
        "|---|---:|---:|---|",
        f"| `skyclass export … --format all` | {whole['wall']:.1f} | {whole['cpu']:.1f} | {met} |",
        "",
        "Each format alone (one process; `printable` prints its PDFs in parallel processes):",
        "",
        *table(figures["formats"], "format"),
    ]
    if figures.get("documents"):
        lines += ["", "Each PDF alone, printed in one process:", ""]
        rows = figures["documents"]
        lines += ["| document | pages | wall s | CPU s |", "|---|---:|---:|---:|"]
        lines += [
            f"| {name} | {row['pages']:.0f} | {row['wall']:.1f} | {row['cpu']:.1f} |"
            for name, row in rows.items()
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedule", type=Path, help="the term's schedule.json (default: solve)")
    parser.add_argument("--documents", action="store_true", help="also time each PDF alone")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="skyclass-publishing-"))
    try:
        schedule = args.schedule or solve_term(scratch / "term")
        figures: dict[str, Any] = {
            "cores": len(os.sched_getaffinity(0)),
            "load_before": os.getloadavg()[0],
        }
        figures["export"] = whole_export(schedule, scratch / "export")
        figures["formats"] = _in_child(_per_format, schedule)
        if args.documents:
            figures["documents"] = _in_child(_per_document, schedule)
        figures["load_after"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("\n".join(report(figures)), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
