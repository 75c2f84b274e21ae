"""Planner command after the broadcast: ``asrun`` reconciles what aired with the published
edition and re-plans what was missed as make-ups (docs/asrun.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from scheduler.cli.options import (
    cells,
    day_option,
    parse_assignments,
    read_published,
    scenario_for,
    set_option,
    solver_options,
)
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule, broadcast_day
from scheduler.io.loading import load

if TYPE_CHECKING:
    from scheduler.analysis.asrun import Verdict

console = Console(highlight=False, emoji=False, width=120)
EXIT_PROBLEMS = 1


@click.command()
@click.argument("published", metavar="PUBLISHED", type=click.Path(path_type=Path))
@click.argument("log_file", metavar="AS_RUN.csv", type=click.Path(path_type=Path))
@click.option(
    "--scenario",
    "scenario",
    metavar="SCENARIO",
    help="Scenario the edition was planned for (default: the one its schedule names, else "
    "the embedded default).",
)
@day_option(
    "--today",
    "First broadcast day not yet aired (default: the day after the log's last day). The "
    "log covers every day before it: a planned airing it does not show was missed.",
)
@click.option(
    "--freeze-days",
    type=click.IntRange(min=0, max=366),
    default=None,
    help="Days from --today whose airings move only where a make-up forces them (default: "
    "the rest of today's week, as for replan).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="Re-plan the missed lessons as make-ups and write asrun.csv, as-aired.json, "
    "schedule.json/.csv and changes.json/.md here. Without it: only the reconciliation.",
)
@solver_options
@set_option
def asrun(
    published: Path,
    log_file: Path,
    scenario: str | None,
    today: date | None,
    freeze_days: int | None,
    out: Path | None,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
) -> None:
    """Reconcile an as-run log (AS_RUN.csv) with a PUBLISHED edition and make up what was missed.

    AS_RUN.csv has the columns channel, start, end, title, id (title or id may be empty;
    times ISO 8601, without an offset on the channel's clock). Every lesson, rerun, special and
    pinned item planned on a day the log covers is classified aired, cut short, moved or missed,
    and logged items nobody planned are extra (docs/asrun.md gives the tolerances). With --out,
    the schedule as it aired (the plan less what was missed, moved airings where they aired,
    plus the extras) is re-planned from --today with minimal change, so missed lessons come
    back as make-ups in course order. Exit 0, 1 when no re-plan was found, 2 for bad input.

    \b
    Example:
      skyclass asrun out/publish playout-2020-02-17.csv
      skyclass asrun out/publish playout.csv --today 2020-02-19 --out out/makeup
    """
    from scheduler.analysis.asrun import Status, as_aired, classify, last_day, read_log

    source, schedule = read_published(published, "PUBLISHED")
    loaded = load(
        scenario_for(schedule, scenario, source), overrides=parse_assignments(assignments)
    )
    log = read_log(log_file, loaded)
    through = today - timedelta(days=1) if today is not None else last_day(loaded, log)
    reconciled = classify(loaded, schedule, log, through=through)
    verdicts = reconciled.verdicts
    if out is not None:
        from scheduler.io.files import check_output_folder

        check_output_folder(out)
    found = reconciled.counts()
    console.print(
        f"{sum(found.values()) - found[Status.EXTRA]} planned airings judged through {through}: "
        + ", ".join(f"{n} {status.value}" for status, n in found.items()),
        markup=False,
    )
    _print_verdicts(loaded, [v for v in verdicts if v.status is not Status.AIRED])
    if out is None:
        return
    from scheduler.analysis import changes as change_report
    from scheduler.domain.changes import changed, diff
    from scheduler.io.files import staged_folder
    from scheduler.solver.replan import frozen_until, replan

    start = through + timedelta(days=1)
    aired = as_aired(loaded, schedule, reconciled)
    result = replan(
        loaded,
        aired,
        today=start,
        freeze_days=freeze_days,
        time_limit=time_limit,
        seed=loaded.solver.seed if seed is None else seed,
        workers=workers,
    )
    console.print(result.summary(), markup=False)
    against = diff(loaded, schedule, result.schedule) if result.schedule is not None else ()
    report = change_report.build(
        loaded,
        tuple(against),
        today=start.isoformat(),
        freeze_until=frozen_until(start, freeze_days).isoformat(),
        published=str(source),
    )
    with staged_folder(out) as stage:
        (stage / "asrun.csv").write_text(verdicts_csv(loaded, verdicts), encoding="utf-8")
        (stage / "as-aired.json").write_text(aired.to_json(), encoding="utf-8")
        if result.schedule is not None:
            (stage / "schedule.json").write_text(result.schedule.to_json(), encoding="utf-8")
            (stage / "schedule.csv").write_text(result.schedule.to_csv(), encoding="utf-8")
        (stage / "changes.json").write_text(change_report.to_json(report), encoding="utf-8")
        (stage / "changes.md").write_text(change_report.to_markdown(report), encoding="utf-8")
    if result.schedule is None:
        console.print("no re-plan found; nothing made up", markup=False)
        raise SystemExit(EXIT_PROBLEMS)
    for line in make_ups(loaded, verdicts, result.schedule, start):
        console.print(line, markup=False)
    console.print(
        f"{len(changed(against))} airing(s) changed against the published edition; wrote {out}/",
        markup=False,
    )


def make_ups(
    scenario: Scenario, verdicts: Iterable[Verdict], replanned: Schedule, start: date
) -> list[str]:
    """Where each missed lesson airs again in the re-plan, from ``start`` on (or that it does
    not within the horizon)."""
    from scheduler.analysis.asrun import Status
    from scheduler.domain.schedule import Kind

    lines = []
    for verdict in verdicts:
        lost = verdict.planned
        if verdict.status is not Status.MISSED or lost is None or lost.kind is not Kind.LESSON:
            continue
        again = [
            p
            for p in replanned.of_kind(Kind.LESSON)
            if (p.course, p.lesson) == (lost.course, lost.lesson)
            and (found := broadcast_day(scenario, p)) is not None
            and found[0] >= start
        ]
        if again:
            p = again[0]
            zone = scenario.channel(p.channel).zone
            lines.append(
                f"make-up: {lost.title} ({lost.course} #{lost.lesson}) on "
                f"{p.start.astimezone(zone):%Y-%m-%d %H:%M} {p.channel}"
            )
        else:
            lines.append(
                f"not made up within the horizon: {lost.title} ({lost.course} #{lost.lesson})"
            )
    return lines


def _print_verdicts(scenario: Scenario, verdicts: Iterable[Verdict]) -> None:
    listed = list(verdicts)
    if not listed:
        console.print("everything planned aired as planned", markup=False)
        return
    table = Table(title="Not as planned", title_justify="left")
    for column in ("status", "day", "planned", "aired", "channel", "min", "title"):
        table.add_column(column, justify="right" if column == "min" else "left")
    for row in verdict_rows(scenario, listed):
        table.add_row(
            *cells(
                row["status"],
                row["day"],
                row["planned"],
                row["aired"],
                row["channel"],
                f"{row['aired_minutes']}/{row['planned_minutes']}",
                row["title"],
            )
        )
    console.print(table)


def verdict_rows(scenario: Scenario, verdicts: Iterable[Verdict]) -> list[dict[str, object]]:
    """The verdicts as rows of plain text (``asrun.csv`` and the printed table); times on the
    channel's clock."""
    from scheduler.analysis.asrun import logged_day

    def span(channel: str, start: datetime, end: datetime) -> str:
        zone = scenario.channel(channel).zone
        return f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"

    rows: list[dict[str, object]] = []
    for verdict in verdicts:
        planned, logged = verdict.planned, verdict.logged
        if planned is not None:
            found = broadcast_day(scenario, planned)
            day = found[0] if found is not None else planned.start.date()
        else:
            assert logged is not None  # an extra
            day = logged_day(scenario, logged)
        rows.append(
            {
                "status": verdict.status.value,
                "day": day.isoformat(),
                "id": planned.id if planned else (logged.id or "" if logged else ""),
                "channel": logged.channel if logged else planned.channel if planned else "",
                "planned": span(planned.channel, planned.start, planned.end) if planned else "",
                "aired": span(logged.channel, logged.start, logged.end) if logged else "",
                "planned_minutes": planned.minutes if planned else "",
                "aired_minutes": round(verdict.aired_minutes),
                "title": planned.title
                if planned
                else (logged.title or logged.id or "")
                if logged
                else "",
                "log_line": logged.line if logged else "",
            }
        )
    return rows


def verdicts_csv(scenario: Scenario, verdicts: Iterable[Verdict]) -> str:
    """``asrun.csv``: one row per judged airing and per extra, in the order judged."""
    buffer = io.StringIO()
    fields = (
        "status",
        "day",
        "id",
        "channel",
        "planned",
        "aired",
        "planned_minutes",
        "aired_minutes",
        "title",
        "log_line",
    )
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    from exports.tables import neutralised  # a title starting with = must not be a formula

    for row in verdict_rows(scenario, verdicts):
        writer.writerow({key: neutralised(value) for key, value in row.items()})
    return buffer.getvalue()


COMMANDS = [asrun]
