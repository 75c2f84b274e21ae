"""Planner command: ``suggest`` ranks where a new item would change the published edition
least, and ``--apply K`` re-plans with the chosen place (docs/suggest.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
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
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario, TimeRange, parse_clock
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import load

if TYPE_CHECKING:
    from scheduler.analysis.suggest import Item, Suggestion

console = Console(highlight=False, emoji=False, width=120)
EXIT_PROBLEMS = 1


def _hours(text: str | None) -> tuple[TimeRange, ...]:
    if text is None:
        return ()
    start, sep, end = text.partition("-")
    try:
        if not sep:
            raise ScenarioError("")
        return (TimeRange(parse_clock(start), parse_clock(end)),)
    except ScenarioError as error:
        why = f": {error.message}" if error.message else ""
        raise ScenarioError(
            f"{text!r} is not a span like 14:00-17:00{why}", field="--between"
        ) from None


def _item(
    scenario: Scenario,
    title: str | None,
    minutes: int | None,
    grades: tuple[int, ...],
    makeup: str | None,
    between: str | None,
) -> Item:
    from scheduler.analysis.suggest import Item

    hours = _hours(between)
    if makeup is not None:
        if title is not None or minutes is not None:
            raise ScenarioError("give either --makeup or --title and --minutes", field="--makeup")
        course_id, sep, number = makeup.partition(":")
        try:
            course = scenario.course(course_id)
        except KeyError:
            raise ScenarioError(
                f"{course_id!r} is not a course of scenario {scenario.name!r}", field="--makeup"
            ) from None
        lesson = next((x for x in course.lessons if sep and str(x.number) == number), None)
        if lesson is None:
            raise ScenarioError(
                f"{makeup!r} is not COURSE:LESSON with a lesson of {course_id} "
                f"(1–{len(course.lessons)})",
                field="--makeup",
            )
        band = scenario.band_of(course.grade)
        return Item(f"{lesson.title}（补播）", lesson.minutes, (course.grade,), hours or band.hours)
    if title is None or minutes is None:
        raise ScenarioError(
            "name the new item: --title and --minutes, or --makeup", field="--title"
        )
    unknown = sorted(set(grades) - set(scenario.grade_numbers))
    if unknown:
        raise ScenarioError(f"grade {unknown[0]} is not in the scenario", field="--grade")
    return Item(title, minutes, tuple(sorted(set(grades))), hours)


@click.command()
@click.argument("published", metavar="PUBLISHED", type=click.Path(path_type=Path))
@click.option(
    "--scenario",
    "scenario",
    metavar="SCENARIO",
    help="Scenario the edition was "
    "planned for (default: the one its schedule names, else the embedded default).",
)
@click.option("--title", help="The new item's title (a special or a relay), with --minutes.")
@click.option("--minutes", type=click.IntRange(min=1, max=24 * 60), help="Its length.")
@click.option(
    "--grade",
    "grades",
    type=click.IntRange(min=1, max=12),
    multiple=True,
    help="A grade it is for (repeat; default: everyone).",
)
@click.option(
    "--makeup",
    metavar="COURSE:LESSON",
    help="A make-up of a lesson instead, e.g. "
    "g3-math:4 (title, length and grade from the catalog; within the band's hours).",
)
@day_option("--day", "The day to place it on (or --from and --to).")
@day_option("--from", "First day of the span to place it in.", dest="first")
@day_option("--to", "Last day of the span (default: --from).", dest="last")
@click.option("--between", metavar="HH:MM-HH:MM", help="Hours it must start and end in.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="ID",
    help="Channel to place it on (repeat; default: every channel).",
)
@click.option(
    "--step",
    type=click.IntRange(min=1, max=60),
    default=5,
    show_default=True,
    help="Minutes between candidate starts.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1, max=50),
    default=5,
    show_default=True,
    help="How many placements to show.",
)
@click.option(
    "--evaluate",
    type=click.IntRange(min=0, max=500),
    default=12,
    show_default=True,
    help="At most this many re-plans (placements that move an airing).",
)
@day_option("--today", "First day not yet aired (default: the first day of the span).")
@click.option(
    "--freeze-days", type=click.IntRange(min=0, max=366), default=None, help="As for replan."
)
@click.option(
    "--apply",
    "apply",
    type=click.IntRange(min=1),
    metavar="K",
    help="Re-plan with the K-th placement shown and write it to --out.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="With --apply: folder for schedule.json/.csv, changes.json/.md, pinned.toml.",
)
@solver_options
@set_option
def suggest(
    published: Path,
    scenario: str | None,
    title: str | None,
    minutes: int | None,
    grades: tuple[int, ...],
    makeup: str | None,
    day: date | None,
    first: date | None,
    last: date | None,
    between: str | None,
    channels: tuple[str, ...],
    step: int,
    top: int,
    evaluate: int,
    today: date | None,
    freeze_days: int | None,
    apply: int | None,
    out: Path | None,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
) -> None:
    """Rank the cheapest places for a new item in a PUBLISHED edition.

    The item is a special or relay (--title, --minutes, --grade) or a make-up lesson (--makeup
    COURSE:LESSON), placed on --day (or --from/--to), optionally --between two times and on
    one --channel. Every start every --step minutes inside a window is a candidate; those that
    only displace fillers cost nothing, the others are re-planned with the item pinned there
    (minimal change). Shows the --top cheapest with the airings each changes, the SMS digests
    (grade and day) and guide entries each touches. --apply K re-plans with the K-th and writes
    it (and the [[pinned]] entry to add to the scenario) to --out. Exit 0, 1 when no placement
    works, 2 for bad input.

    \b
    Example:
      skyclass suggest out/publish --title 新闻发布会直播 --minutes 30 --day 2020-02-20
      skyclass suggest out/publish --makeup g3-math:4 --from 2020-02-20 --to 2020-02-21 \\
        --apply 1 --out out/makeup
    """
    from scheduler.analysis.suggest import rank

    source, schedule = read_published(published, "PUBLISHED")
    loaded = load(
        scenario_for(schedule, scenario, source), overrides=parse_assignments(assignments)
    )
    item = _item(loaded, title, minutes, grades, makeup, between)
    if day is not None and (first is not None or last is not None):
        raise ScenarioError("give --day or --from/--to, not both", field="--day")
    first = day or first
    if first is None:
        raise ScenarioError("name the day to place the item on", field="--day")
    last = last or first
    if last < first:
        raise ScenarioError(f"{last} is before --from {first}", field="--to")
    days = tuple(d for d in loaded.days if first <= d <= last)
    if not days:
        raise ScenarioError(
            f"{first}–{last} lies outside the horizon {loaded.horizon.first}–{loaded.horizon.last}",
            field="--day",
        )
    start = today or first
    if first < start:
        raise ScenarioError(f"{first} has aired already (--today {start})", field="--day")
    for channel in channels:
        try:
            loaded.channel(channel)
        except KeyError:
            raise ScenarioError(
                f"{channel!r} is not a channel of the scenario", field="--channel"
            ) from None
    if apply is not None and out is None:
        raise ScenarioError("--apply writes the re-plan: give --out", field="--out")
    if out is not None:
        from scheduler.io.files import check_output_folder

        check_output_folder(out)
    found = rank(
        loaded,
        schedule,
        item,
        days,
        today=start,
        channels=channels,
        step=step,
        top=top,
        evaluate=evaluate,
        freeze_days=freeze_days,
        time_limit=time_limit,
        seed=loaded.solver.seed if seed is None else seed,
        workers=workers,
    )
    if not found:
        console.print(
            "no placement found (widen the span or --between, or --evaluate more)", markup=False
        )
        raise SystemExit(EXIT_PROBLEMS)
    _print_suggestions(loaded, item, found)
    if apply is None:
        return
    if apply > len(found):
        raise ScenarioError(f"only {len(found)} placement(s) are shown", field="--apply")
    assert out is not None
    _apply(
        loaded,
        schedule,
        source,
        item,
        found[apply - 1],
        out,
        start,
        freeze_days,
        time_limit,
        loaded.solver.seed if seed is None else seed,
        workers,
    )


def _print_suggestions(scenario: Scenario, item: Item, found: Iterable[Suggestion]) -> None:
    from exports.common import date_zh
    from scheduler.domain.model import GRADE_NAMES

    table = Table(
        title=f"Cheapest places for {item.title} ({item.minutes} min)", title_justify="left"
    )
    for column in ("#", "placement", "changed", "drop/day/time/ch", "SMS digests", "guide"):
        table.add_column(column, justify="right" if column in ("#", "changed", "guide") else "left")
    listed = list(found)
    for number, suggestion in enumerate(listed, start=1):
        from scheduler.domain.changes import summary

        counts = summary(suggestion.changes)
        digests = "、".join(
            f"{GRADE_NAMES[grade]}{date_zh(day)}" for grade, day in suggestion.digests
        )
        table.add_row(
            *cells(
                number,
                suggestion.placement,
                counts["changed"],
                f"{counts['dropped']}/{counts['day']}/{counts['time']}/{counts['channel']}",
                f"{len(suggestion.digests)}: {digests}",
                suggestion.guide_entries,
            )
        )
    console.print(table)
    for number, suggestion in enumerate(listed, start=1):
        for change in suggestion.changes:
            console.print(f"  #{number} {change}", markup=False)


def _apply(
    scenario: Scenario,
    schedule: Schedule,
    source: Path,
    item: Item,
    chosen: Suggestion,
    out: Path,
    today: date,
    freeze_days: int | None,
    time_limit: float | None,
    seed: int,
    workers: int | None,
) -> None:
    from scheduler.analysis import changes as change_report
    from scheduler.io.files import staged_folder
    from scheduler.solver.replan import frozen_until, replan

    pin = item.pinned(chosen.placement)
    pinned = scenario.replace(pinned=(*scenario.pinned, pin))
    result = chosen.result or replan(
        pinned,
        schedule,
        today=today,
        freeze_days=freeze_days,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    if result.schedule is None:
        console.print("the re-plan found no schedule; nothing written", markup=False)
        raise SystemExit(EXIT_PROBLEMS)
    report = change_report.build(
        pinned,
        result.changes,
        today=today.isoformat(),
        freeze_until=frozen_until(today, freeze_days).isoformat(),
        published=str(source),
    )
    from scheduler.analysis.suggest import is_item
    from scheduler.domain.changes import changed

    moved = [c for c in changed(result.changes) if not is_item(c)]
    grades = ", ".join(str(g) for g in pin.grades)
    entry = (
        "[[pinned]]\n"
        f'id = "{pin.id}"\n'
        f'channel = "{pin.channel}"\n'
        f"date = {pin.day.isoformat()}\n"
        f'start = "{pin.span.label.split("–")[0]}"\n'
        f'end = "{pin.span.label.split("–")[1]}"\n'
        f"title = {_toml_string(pin.title)}\n"
        f"grades = [{grades}]\n"
    )
    with staged_folder(out) as stage:
        (stage / "schedule.json").write_text(result.schedule.to_json(), encoding="utf-8")
        (stage / "schedule.csv").write_text(result.schedule.to_csv(), encoding="utf-8")
        (stage / "changes.json").write_text(change_report.to_json(report), encoding="utf-8")
        (stage / "changes.md").write_text(change_report.to_markdown(report), encoding="utf-8")
        (stage / "pinned.toml").write_text(entry, encoding="utf-8")
    console.print(
        f"applied {chosen.placement}: {len(moved)} airing(s) changed; wrote {out}/ "
        "(add pinned.toml's entry to the scenario before publishing)",
        markup=False,
    )


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


COMMANDS = [suggest]
