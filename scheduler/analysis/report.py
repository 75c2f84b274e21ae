"""The solve report: how good the schedule is and what it gives each grade, as JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from constraints.regularity import deviations
from scheduler.analysis.metrics import coverage
from scheduler.analysis.minimums import shortfalls
from scheduler.analysis.unplaced import advice
from scheduler.domain.airtime import minutes_by_window, unusable
from scheduler.domain.model import GRADE_NAMES, Scenario, format_clock
from scheduler.domain.objective import evaluate
from scheduler.domain.result import Result, Unplaced
from scheduler.domain.schedule import Kind, Schedule, broadcast_day


def build(scenario: Scenario, result: Result) -> dict[str, Any]:
    """Plain data: status, objective, bound, gap, runtime; per grade and course; what did not
    fit and why; the explanation when infeasible."""
    report: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "horizon": [scenario.horizon.first.isoformat(), scenario.horizon.last.isoformat()],
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "runtime_seconds": round(result.runtime, 3),
        "seed": result.seed,
        "explanation": list(result.explanation),
    }
    report.update(_calendar_checks(scenario))
    if result.schedule is None:
        return report
    parts = evaluate(scenario, result.schedule)
    report["objective_parts"] = {
        "coverage": parts.coverage / 1e6,
        "reruns": parts.reruns / 1e6,
        "balance_penalty": parts.balance / 1e6,
    }
    metrics = coverage(scenario, result.schedule)
    report["grades"] = _records(metrics.grade_weeks)
    report["grade_days"] = _records(metrics.grade_days)
    report["courses"] = _records(metrics.courses)
    report["cohorts"] = _records(metrics.cohorts)
    report["specials"] = _records(metrics.specials)
    report["airtime"] = _records(metrics.airtime)
    report["unplaced"] = [asdict(u) for u in result.unplaced]
    report.update(_timetable(scenario, result.schedule, metrics, report["unplaced"]))
    return report


def _calendar_checks(scenario: Scenario) -> dict[str, Any]:
    """What the scenario alone says (as ``skyclass validate``): exam subjects that cannot get
    their weekly minimum, and airtime nobody can use, in minutes per window per day."""
    return {
        "minimum_shortfalls": [str(s) for s in shortfalls(scenario)],
        "unusable_airtime": [
            {
                "channel": channel,
                "window": window,
                "times": times,
                "days": days,
                "minutes_per_day": minutes,
            }
            for channel, window, times, days, minutes in minutes_by_window(unusable(scenario))
        ],
    }


def _timetable(
    scenario: Scenario, schedule: Schedule, metrics: Any, unplaced: list[dict[str, Any]]
) -> dict[str, Any]:
    """Regularity per course, subject minimums per week, deviations from the timetable, and
    for each course that did not fit, what took its airtime and the smallest change."""
    items = [
        Unplaced(**{key: row[key] for key in ("grade", "course", "lessons", "minutes", "reason")})
        for row in unplaced
    ]
    told = advice(scenario, schedule, items)
    for row in unplaced:
        row["taken_by"], row["change"] = told[row["course"]]
    station = scenario.station_filler.id
    handed_back = []
    for programme in schedule.of_kind(Kind.FILLER):
        where = broadcast_day(scenario, programme) if programme.item == station else None
        if where is not None:
            day, start, end = where
            handed_back.append(
                {
                    "channel": programme.channel,
                    "day": day.isoformat(),
                    "times": f"{format_clock(start)}–{format_clock(end)}",
                    "minutes": programme.minutes,
                }
            )
    return {
        "handed_back": handed_back,
        "timetable": _records(metrics.timetable),
        "subject_minimums": _records(metrics.minimums),
        "deviations": [str(d) for d in deviations(scenario, schedule)],
    }


def _records(frame: Any) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# {report['title']}",
        "",
        f"Scenario `{report['scenario']}`, {report['horizon'][0]} .. {report['horizon'][1]}",
        "",
        "| | |",
        "|---|---|",
        f"| status | {report['status']} |",
    ]
    for key, label in (("objective", "objective"), ("bound", "proven bound")):
        value = report.get(key)
        lines.append(f"| {label} | {'—' if value is None else f'{value:,.2f}'} |")
    gap = report.get("gap")
    lines.append(f"| gap | {'—' if gap is None else f'{gap:.3%}'} |")
    lines += [
        f"| runtime | {report['runtime_seconds']:.1f} s |",
        f"| seed | {report['seed']} |",
        "",
    ]
    if report["explanation"]:
        # with a schedule, the explanation says which fallback planned a week
        heading = "## How the weeks were planned" if "grades" in report else "## Why no schedule"
        lines += [heading, ""] + [f"- {line}" for line in report["explanation"]]
        lines.append("")
    if "grades" in report:
        lines += [
            "## Lesson minutes per grade and week",
            "",
            "| grade | week | lessons | lesson min | min per lesson day | rerun min |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for row in report["grades"]:
            lines.append(
                f"| {GRADE_NAMES.get(row.get('grade', 0), row.get('grade'))} | "
                f"{row.get('week', '')} | {row.get('lessons', '')} | "
                f"{row.get('lesson_minutes', '')} | {_round(row.get('minutes_per_lesson_day'))} | "
                f"{row.get('rerun_minutes', '')} |"
            )
        lines += [
            "",
            "## Courses",
            "",
            "| course | grade | aired | allowed | share |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in report["courses"]:
            lines.append(
                f"| {row.get('course')} {row.get('subject', '')} | {row.get('grade')} | "
                f"{row.get('aired')} | {row.get('allowed')} | {_percent(row.get('share'))} |"
            )
        lines += [
            "",
            "## Guaranteed cohorts",
            "",
            "| cohort | day | minutes | guaranteed | met |",
            "|---|---|---:|---:|---|",
        ]
        for row in report["cohorts"]:
            lines.append(
                f"| {row.get('cohort')} | {row.get('day')} | {row.get('minutes')} | "
                f"{row.get('guaranteed')} | {'yes' if row.get('met') else 'NO'} |"
            )
        lines += ["", "## What did not fit", ""]
        if report["unplaced"]:
            lines += [
                "| course | grade | lessons | minutes | kept out by | airtime taken by | "
                "smallest change |",
                "|---|---:|---:|---:|---|---|---|",
            ]
            for row in report["unplaced"]:
                lines.append(
                    f"| {row['course']} | {row['grade']} | {row['lessons']} | "
                    f"{row['minutes']} | {row['reason']} | {row.get('taken_by', '')} | "
                    f"{row.get('change', '')} |"
                )
        else:
            lines.append("Every lesson the pace allowed was aired.")
        lines.append("")
        lines += _timetable_markdown(report)
    lines += _calendar_markdown(report)
    return "\n".join(lines)


def _timetable_markdown(report: dict[str, Any]) -> list[str]:
    lines = [
        "## Timetable regularity",
        "",
        "| course | grade | premieres | start times / week | most in a week | at template "
        "periods | on non-lesson days |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report.get("timetable", []):
        lines.append(
            f"| {row['course']} {row['subject']} | {row['grade']} | {row['premieres']} | "
            f"{_round(row['start_times_per_week'])} | {row['max_start_times']} | "
            f"{_percent(row['template_share'])} | {row['off_day_lessons']} |"
        )
    minimums = report.get("subject_minimums", [])
    missed = [row for row in minimums if not row["met"]]
    lines += [
        "",
        "## Subject minimums",
        "",
        f"{len(minimums) - len(missed)} of {len(minimums)} course-weeks with a minimum met.",
    ]
    if missed:
        lines += ["", "| course | grade | week | due | premieres |", "|---|---:|---|---:|---:|"]
        lines += [
            f"| {row['course']} {row['subject']} | {row['grade']} | {row['week']} | "
            f"{row['due']} | {row['premieres']} |"
            for row in missed
        ]
    handed = report.get("handed_back", [])
    lines += ["", "## Airtime handed back to the channel (常规节目)", ""]
    if handed:
        lines += [
            f"{len(handed)} block(s), {sum(row['minutes'] for row in handed)} min: stretches "
            "no lesson, special or pinned item could use, or gaps longer than the promo.",
            "",
            "| channel | day | times | minutes |",
            "|---|---|---|---:|",
        ]
        lines += [
            f"| {row['channel']} | {row['day']} | {row['times']} | {row['minutes']} |"
            for row in handed
        ]
    else:
        lines.append("None.")
    lines += ["", "## Deviations from the timetable", ""]
    lines += [f"- {line}" for line in report.get("deviations", [])] or ["None."]
    return [*lines, ""]


def _calendar_markdown(report: dict[str, Any]) -> list[str]:
    lines = []
    if report.get("minimum_shortfalls"):
        lines += ["## Subject minimums that cannot fit", ""]
        lines += [f"- {line}" for line in report["minimum_shortfalls"]]
        lines.append("")
    lines += ["## Airtime nobody can use", ""]
    if report.get("unusable_airtime"):
        lines += [
            "Handed back to the channel's own programming (常规节目), one block each.",
            "",
            "| channel | window | unusable | days | min/day |",
            "|---|---|---|---:|---:|",
        ]
        lines += [
            f"| {row['channel']} | {row['window']} | {row['times']} | {row['days']} | "
            f"{row['minutes_per_day']} |"
            for row in report["unusable_airtime"]
        ]
    else:
        lines.append("None: every window minute is open to some lesson, special or pinned item.")
    return [*lines, ""]


def _round(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f}"


def _percent(value: Any) -> str:
    return "" if value is None else f"{float(value):.0%}"
