"""Publisher commands: ``publish`` solves, checks and writes every format; ``export`` writes one.

Bad input (a missing schedule, an unknown format, an output folder skyclass must not replace)
raises :class:`ScenarioError` before anything is written; the command group turns it into one
message and exit code 2. A schedule that breaks a rule is refused with exit code 1.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from exports import FORMATS
from exports.folder import check_destination, default_store
from exports.publish import Publication, Step
from exports.published import Report
from scheduler.cli.options import (
    day_option,
    parse_assignments,
    read_published,
    scenario_argument,
    scenario_for,
    set_option,
    solver_options,
)
from scheduler.cli.progress import errors, exporting, quiet_option, solving
from scheduler.cli.publish_options import (
    _formats,
    _instant,
    _with_publishing,
    published_at_option,
    publishing_options,
)
from scheduler.domain.errors import ScenarioError
from scheduler.io.files import output_lock
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule

if TYPE_CHECKING:
    from scheduler.domain.schedule import Schedule

# no markup, no emoji codes: rule names in brackets ("[rest] …") and paths print as they are
console = Console(highlight=False, markup=False, emoji=False, soft_wrap=True)
EXIT_PROBLEMS = 1


@click.command()
@scenario_argument
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder; replaced as a whole, atomically (new, empty or an earlier "
    "skyclass output).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help=f"Publication memory (SQLite). Default: {default_store(Path('OUT'))}, "
    "one per output folder, beside it.",
)
@click.option(
    "--replan-from",
    "replan_from",
    type=click.Path(path_type=Path),
    metavar="PUBLISHED",
    help="Re-plan this published edition (its folder or schedule.json) with minimal change "
    "instead of solving from scratch; needs --today. Publishing into the same --out (or "
    "--store) writes corrections/ for the families the changes reach.",
)
@day_option("--today", "With --replan-from: the first broadcast day not yet aired.")
@click.option(
    "--freeze-days",
    type=click.IntRange(min=0, max=366),
    default=None,
    help="With --replan-from: days from --today that move only where forced (as for replan).",
)
@solver_options
@published_at_option
@publishing_options
@set_option
@quiet_option
def publish(
    scenario: str | None,
    out: Path,
    store: Path | None,
    replan_from: Path | None,
    today: date | None,
    freeze_days: int | None,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    published_at: str | None,
    sms_signature: str | None,
    alarm_minutes: int | None,
    base_url: str | None,
    assignments: tuple[str, ...],
    quiet: bool,
) -> None:
    """Solve SCENARIO, check every rule, and publish every format into --out.

    Writes the XMLTV guide, iCal feeds per grade and channel, printable posters and day grids
    (HTML and PDF), SMS digests, CSV/XLSX/JSON tables, schedule.json, a changes report and an
    index page. Refuses to publish (exit 1) when the solve finds no schedule or the check finds
    a broken rule. The publication memory keeps UIDs stable and raises SEQUENCE for airings
    that moved; an unchanged re-publish writes byte-identical files.

    \b
    With --replan-from and --today the published edition is re-planned instead (what aired
    before --today is kept, the rest moves as little as possible), and the new edition carries
    corrections/: one correction SMS per affected grade and day and an errata page.

    \b
    Example:
      skyclass publish --out out/publish
      skyclass publish fixtures/cetv4-2020-spring/month.toml --out out/month --seed 1
      skyclass publish disrupted.toml --replan-from out/publish --today 2020-02-20 \\
        --out out/publish
    """
    store = store if store is not None else default_store(out)
    if (replan_from is None) != (today is None):
        raise ScenarioError(
            "--replan-from and --today go together",
            field="--today" if today is None else "--replan-from",
        )
    replanning = read_published(replan_from, "--replan-from") if replan_from else None
    check_destination(out, store)
    at = _instant(published_at)
    with output_lock(out):  # a second publish into --out is refused before it solves
        _solve_and_publish(
            scenario,
            out,
            store,
            time_limit,
            workers,
            seed,
            at,
            assignments,
            (sms_signature, alarm_minutes, base_url),
            quiet,
            (replanning[1], today, freeze_days) if replanning and today else None,
        )


def _solve_and_publish(
    scenario: str | None,
    out: Path,
    store: Path,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    at: datetime | None,
    assignments: tuple[str, ...],
    publishing: tuple[str | None, int | None, str | None],
    quiet: bool,
    replanning: tuple[Schedule, date, int | None] | None = None,
) -> None:
    from exports.publish import publish as publish_edition
    from scheduler.analysis.checking import check
    from scheduler.solver.replan import replan
    from scheduler.solver.solving import solve

    loaded = _with_publishing(load(scenario, overrides=parse_assignments(assignments)), *publishing)
    with solving(quiet) as progress:
        if replanning is not None:
            edition, today, freeze_days = replanning
            result = replan(
                loaded,
                edition,
                today=today,
                freeze_days=freeze_days,
                time_limit=time_limit,
                seed=loaded.solver.seed if seed is None else seed,
                workers=workers,
                progress=progress,
            )
        else:
            result = solve(
                loaded, time_limit=time_limit, workers=workers, seed=seed, progress=progress
            )
    console.print(result.summary())
    if result.schedule is None or not result.status.has_schedule:
        errors.print("no schedule to publish", style="bold red")
        raise SystemExit(EXIT_PROBLEMS)
    with exporting(quiet) as progress:
        progress(Step("check", 0))
        violations = check(loaded, result.schedule)
        if violations:
            errors.print(
                f"{len(violations)} rule violation(s); nothing published:", style="bold red"
            )
            for violation in violations[:50]:
                errors.print(f"  - {violation}")
            raise SystemExit(EXIT_PROBLEMS)
        progress(Step("check", 1))
        publication = publish_edition(
            loaded, result.schedule, out, store=store, at=at, seed=result.seed, progress=progress
        )
    _print_publication(publication, store)


@click.command()
@click.argument("schedule_file", metavar="SCHEDULE", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_names",
    multiple=True,
    metavar="FORMAT",
    help=f"One of {', '.join(FORMATS)} or all (default); repeat or separate by "
    "commas. 'site' writes every format plus the index page.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder (new, empty or an earlier skyclass output).",
)
@click.option(
    "--scenario",
    "scenario",
    metavar="SCENARIO",
    help="Scenario the schedule was planned for (default: the one the schedule "
    "names, else the embedded default).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Record this export in a publication memory (stable UIDs, SEQUENCE, "
    "changes report). Without it UIDs come from the airing ids, SEQUENCE 0.",
)
@click.option(
    "--strict", is_flag=True, help="Check every rule first and refuse (exit 1) if one is broken."
)
@published_at_option
@publishing_options
@quiet_option
def export(
    schedule_file: Path,
    format_names: tuple[str, ...],
    out: Path,
    scenario: str | None,
    store: Path | None,
    strict: bool,
    published_at: str | None,
    sms_signature: str | None,
    alarm_minutes: int | None,
    base_url: str | None,
    quiet: bool,
) -> None:
    """Export an existing SCHEDULE (schedule.json or .csv) into --out.

    \b
    Example:
      skyclass export out/week1/schedule.json --format ical --format sms --out out/feeds
      skyclass export schedule.json --format all --out out/site
    """
    formats = _formats(format_names)
    check_destination(out, store)
    at = _instant(published_at)
    with output_lock(out):
        _export(
            schedule_file,
            formats,
            out,
            scenario,
            store,
            strict,
            at,
            (sms_signature, alarm_minutes, base_url),
            quiet,
        )


def _export(
    schedule_file: Path,
    formats: tuple[str, ...],
    out: Path,
    scenario: str | None,
    store: Path | None,
    strict: bool,
    at: datetime | None,
    publishing: tuple[str | None, int | None, str | None],
    quiet: bool,
) -> None:
    from exports.publish import export as export_edition
    from exports.publish import publish as publish_edition

    with exporting(quiet) as progress:
        progress(Step("load", 0))
        schedule = read_schedule(schedule_file)
        loaded = _with_publishing(
            load(scenario_for(schedule, scenario, schedule_file)), *publishing
        )
        progress(Step("load", 1))
        if strict:
            from scheduler.analysis.checking import check

            progress(Step("check", 0))
            violations = check(loaded, schedule)
            if violations:
                errors.print(
                    f"{len(violations)} rule violation(s); nothing exported:", style="bold red"
                )
                for violation in violations[:50]:
                    errors.print(f"  - {violation}")
                raise SystemExit(EXIT_PROBLEMS)
            progress(Step("check", 1))
        if store is not None:
            publication = publish_edition(
                loaded,
                schedule,
                out,
                store=store,
                at=at,
                formats=formats,
                seed=schedule.seed,
                progress=progress,
            )
        else:
            publication = export_edition(
                loaded, schedule, out, at=at, formats=formats, progress=progress
            )
    _print_publication(publication, store)


def _print_publication(publication: Publication, store: Path | None) -> None:
    console.print(
        f"wrote {len(publication.files)} files to {publication.out}"
        + (f" (edition {publication.edition}" if publication.edition is not None else "")
        + (
            ", unchanged: same files as before)"
            if publication.reused
            else ")"
            if publication.edition is not None
            else ""
        )
    )
    if publication.report is not None:
        _print_report(publication.report)
    if store is not None:
        console.print(f"publication memory: {store}")


def _print_report(report: Report) -> None:
    counts = report.counts()
    since = f"edition {report.previous}" if report.previous is not None else "nothing (first)"
    console.print(
        f"since {since}: {counts['added']} added, {counts['moved']} moved, "
        f"{counts['changed']} changed, {counts['dropped']} dropped (changes.txt)"
    )


COMMANDS = [publish, export]
