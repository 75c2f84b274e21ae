"""Writing a :class:`Scenario` back to files that :func:`scheduler.io.loading.load` reads.

``dump(scenario, folder)`` writes a self-contained scenario, with no ``extends``::

    folder/scenario.toml
    folder/catalog/courses.csv
    folder/catalog/lessons.csv

Loading the folder gives a scenario equal to the one dumped. Each file is written atomically.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import tomli_w

from scheduler.domain.disruptions import DAY_END, Outage
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import (
    WEEKDAYS,
    Calendar,
    Channel,
    Cohort,
    DvbService,
    Filler,
    Pinned,
    Rules,
    Scenario,
    Special,
    TimeRange,
    Timetable,
    Window,
    format_clock,
)
from scheduler.io.files import write_atomic
from scheduler.io.loading import (
    COURSE_COLUMNS,
    COURSE_OPTIONAL,
    LESSON_COLUMNS,
    LESSON_OPTIONAL,
    SCENARIO_FILE,
)

COURSES_FILE = "catalog/courses.csv"
LESSONS_FILE = "catalog/lessons.csv"


def dump(scenario: Scenario, folder: str | Path) -> Path:
    """Write ``scenario`` into ``folder`` and return the path of its ``scenario.toml``."""
    folder = Path(folder)
    _check_csv_text(scenario)
    texts = {
        COURSES_FILE: _courses_csv(scenario),
        LESSONS_FILE: _lessons_csv(scenario),
        SCENARIO_FILE: tomli_w.dumps(to_toml(scenario)),
    }
    for channel in scenario.channels:
        if channel.icon is not None:
            write_atomic(folder / _icon_file(channel), channel.icon.data)
    for name, text in texts.items():  # the scenario file last: it names the catalogs
        write_atomic(folder / name, text)
    return folder / SCENARIO_FILE


def to_toml(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a TOML document (catalog paths relative to its folder)."""
    document: dict[str, Any] = {
        "name": scenario.name,
        "title": scenario.title,
        "horizon": {"first": scenario.horizon.first, "last": scenario.horizon.last},
        "channels": [_channel(c) for c in scenario.channels],
        "bands": [
            {
                "id": band.id,
                "name_zh": band.name_zh,
                "name_en": band.name_en,
                "grades": list(band.grades),
                "max_lesson_minutes": band.max_lesson_minutes,
                "daily_cap_minutes": band.daily_cap_minutes,
                "hours": [_range(r) for r in band.hours],
                "weight": band.weight,
            }
            for band in scenario.bands
        ],
        "grades": _grades(scenario),
        "catalog": {"courses": COURSES_FILE, "lessons": LESSONS_FILE},
    }
    progress = {c.id: {"progress": c.progress} for c in scenario.courses if c.progress}
    if progress:
        document["course"] = progress
    if scenario.cohorts:
        document["cohorts"] = [_cohort(c) for c in scenario.cohorts]
    if scenario.specials:
        document["specials"] = [_special(s) for s in scenario.specials]
    if scenario.fillers:
        document["fillers"] = [_filler(f) for f in scenario.fillers]
    if scenario.pinned:
        document["pinned"] = [_pinned(p) for p in scenario.pinned]
    outages = [_outage(o) for c in scenario.channels for o in c.outages]
    if outages:
        document["outages"] = outages
    document["rules"] = _rules(scenario.rules)
    document["solver"] = {
        "time_limit": scenario.solver.time_limit,
        "workers": scenario.solver.workers,
        "seed": scenario.solver.seed,
    }
    document["calendar"] = _calendar(scenario.calendar)
    document["timetable"] = _timetable(scenario.timetable)
    publishing = {
        key: value
        for key, value in (
            ("sms_signature", scenario.publishing.sms_signature),
            ("alarm_minutes", scenario.publishing.alarm_minutes),
            ("base_url", scenario.publishing.base_url),
        )
        if value not in ("", None)
    }
    if publishing:
        document["publishing"] = publishing
    return document


def _calendar(calendar: Calendar) -> dict[str, Any]:
    table: dict[str, Any] = {"lesson_days": _days(calendar.lesson_weekdays)}
    if calendar.holidays:
        table["holidays"] = [
            {"name": h.name, "first": h.first, "last": h.last} for h in calendar.holidays
        ]
    if calendar.workdays:
        table["workdays"] = [
            {"name": w.name, "date": w.day, "follows": WEEKDAYS[w.follows]}
            for w in calendar.workdays
        ]
    return table


def _timetable(timetable: Timetable) -> dict[str, Any]:
    table: dict[str, Any] = {"mode": timetable.mode}
    if timetable.periods:
        table["periods"] = [
            {"grades": list(plan.grades), "times": [_range(r) for r in plan.spans]}
            | ({"channel": plan.channel} if plan.channel else {})
            for plan in timetable.periods
        ]
    return table


def _range(span: TimeRange) -> str:
    return f"{format_clock(span.start)}-{format_clock(span.end)}"


def _days(weekdays: tuple[int, ...]) -> list[str]:
    return [WEEKDAYS[day] for day in weekdays]


def _icon_file(channel: Channel) -> str:
    assert channel.icon is not None
    return f"icons/{channel.id}.{channel.icon.suffix}"


def _channel(channel: Channel) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": channel.id,
        "name_zh": channel.name_zh,
        "name_en": channel.name_en,
        "timezone": channel.timezone,
    }
    if channel.short_name:
        table["short_name"] = channel.short_name
    if channel.lcn is not None:
        table["lcn"] = channel.lcn
    if channel.icon is not None:
        table["icon"] = _icon_file(channel)
    reception = {
        key: getattr(channel.reception, key)
        for key in ("platform", "number", "frequency", "polarisation", "note")
        if getattr(channel.reception, key)
    }
    if reception:
        table["reception"] = reception
    if channel.dvb is not None:
        table["dvb"] = _dvb(channel.dvb)
    table["windows"] = [_window(w) for w in channel.windows]
    return table


def _dvb(service: DvbService) -> dict[str, Any]:
    return asdict(service)


def _window(window: Window) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if window.label:
        table["label"] = window.label
    if window.weekdays:
        table["days"] = _days(window.weekdays)
    if window.dates:
        table["dates"] = list(window.dates)
    table["start"] = format_clock(window.span.start)
    table["end"] = format_clock(window.span.end)
    return table


def _grades(scenario: Scenario) -> dict[str, Any]:
    starts = Counter(g.term_start for g in scenario.grades)
    common = min(starts, key=lambda day: (-starts[day], day))
    table: dict[str, Any] = {
        "numbers": [g.number for g in scenario.grades],
        "term_start": common,
    }
    differing = {str(g.number): g.term_start for g in scenario.grades if g.term_start != common}
    if differing:
        table["term_starts"] = differing
    channels = {str(g.number): list(g.channels) for g in scenario.grades if g.channels}
    if channels:
        table["channels"] = channels
    ends = {str(g.number): g.term_end for g in scenario.grades if g.term_end is not None}
    if ends:
        table["term_ends"] = ends
    return table


def _outage(outage: Outage) -> dict[str, Any]:
    table: dict[str, Any] = {"channel": outage.channel, "first": outage.first, "last": outage.last}
    if (outage.start, outage.end) != (0, DAY_END):
        table["start"], table["end"] = format_clock(outage.start), format_clock(outage.end)
    if outage.reason:
        table["reason"] = outage.reason
    return table


def _cohort(cohort: Cohort) -> dict[str, Any]:
    return {
        "id": cohort.id,
        "name_zh": cohort.name_zh,
        "grade": cohort.grade,
        "guaranteed_minutes": cohort.guaranteed_minutes,
        "window": _range(cohort.window),
        "days": _days(cohort.weekdays),
    } | (
        {"subjects": list(cohort.subjects), "min_per_week": cohort.min_per_week}
        if cohort.subjects
        else {}
    )


def _special(special: Special) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": special.id,
        "title": special.title,
        "topic": special.topic,
        "minutes": special.minutes,
        "per_week": special.per_week,
    }
    if special.grades:
        table["grades"] = list(special.grades)
    if special.hours:
        table["hours"] = [_range(r) for r in special.hours]
    return table


def _filler(filler: Filler) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": filler.id,
        "title": filler.title,
        "kind": filler.kind,
        "minutes": filler.minutes,
    }
    if filler.max_minutes is not None:
        table["max_minutes"] = filler.max_minutes
    return table


def _pinned(item: Pinned) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": item.id,
        "channel": item.channel,
        "date": item.day,
        "start": format_clock(item.span.start),
        "end": format_clock(item.span.end),
        "title": item.title,
    }
    if item.grades:
        table["grades"] = list(item.grades)
    return table


def _rules(rules: Rules) -> dict[str, Any]:
    return {
        "rest": {"minutes": rules.rest.minutes},
        "pace": {"per_week": rules.pace.per_week, "per_day": rules.pace.per_day},
        "reruns": {
            "mode": rules.reruns.mode,
            "within_minutes": rules.reruns.within_minutes,
            "weight": rules.reruns.weight,
            "dayparts": [_range(r) for r in rules.reruns.dayparts],
        },
        "balance": {"weight": rules.balance.weight},
        "fillers": {"max_repeats": rules.fillers.max_repeats},
    }


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    plain = csv.writer(buffer, lineterminator="\n")
    # a line break inside a cell must be quoted; csv quotes only the writer's own terminator
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        breaks = any("\r" in cell or "\n" in cell for cell in row)
        (quoted if breaks else plain).writerow(row)
    return buffer.getvalue()


def _courses_csv(scenario: Scenario) -> str:
    rows = [[*COURSE_COLUMNS, *COURSE_OPTIONAL]]
    for course in scenario.courses:
        per_week = "" if course.per_week is None else str(course.per_week)
        rows.append(
            [
                course.id,
                str(course.grade),
                course.subject,
                course.subject_en,
                repr(course.weight),
                per_week,
                str(course.min_per_week) if course.min_per_week else "",
            ]
        )
    return _csv(rows)


def _lessons_csv(scenario: Scenario) -> str:
    late = any(lesson.available_from for course in scenario.courses for lesson in course.lessons)
    rows = [list(LESSON_COLUMNS) + (list(LESSON_OPTIONAL) if late else [])]
    for course in scenario.courses:
        for lesson in course.lessons:
            row = [course.id, str(lesson.number), lesson.title, str(lesson.minutes)]
            if late:
                row.append("" if lesson.available_from is None else str(lesson.available_from))
            rows.append(row)
    return _csv(rows)


def _check_csv_text(scenario: Scenario) -> None:
    """The loader strips spaces around CSV cells; refuse texts that would not survive that."""
    for course in scenario.courses:
        texts = [("subject", course.subject), ("subject_en", course.subject_en)]
        texts += [
            (f"lessons[{lesson.number - 1}].title", lesson.title) for lesson in course.lessons
        ]
        for what, text in texts:
            if not text or text != text.strip():
                raise ScenarioError(
                    f"{text!r} cannot be written to a catalog CSV: cells must not be empty "
                    "nor start or end with spaces",
                    field=f"course {course.id}: {what}",
                )
