"""The solve report: how good the schedule is and what it gives each grade, as JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from scheduler.analysis.metrics import coverage
from scheduler.model import GRADE_NAMES, Scenario
from scheduler.objective import evaluate
from scheduler.result import Result


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
    if result.schedule is None:
        return report
    parts = evaluate(scenario, result.schedule)
    report["objective_parts"] = {
        "coverage": parts.coverage / 1e6, "reruns": parts.reruns / 1e6,
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
    return report


def _records(frame: Any) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    lines = [f"# {report['title']}", "",
             f"Scenario `{report['scenario']}`, {report['horizon'][0]} .. {report['horizon'][1]}",
             "", "| | |", "|---|---|", f"| status | {report['status']} |"]
    for key, label in (("objective", "objective"), ("bound", "proven bound")):
        value = report.get(key)
        lines.append(f"| {label} | {'—' if value is None else f'{value:,.2f}'} |")
    gap = report.get("gap")
    lines.append(f"| gap | {'—' if gap is None else f'{gap:.3%}'} |")
    lines += [f"| runtime | {report['runtime_seconds']:.1f} s |", f"| seed | {report['seed']} |",
              ""]
    if report["explanation"]:
        # with a schedule, the explanation says which fallback planned a week
        heading = "## How the weeks were planned" if "grades" in report else "## Why no schedule"
        lines += [heading, ""] + [f"- {line}" for line in report["explanation"]]
        lines.append("")
    if "grades" in report:
        lines += ["## Lesson minutes per grade and week", "",
                  "| grade | week | lessons | lesson min | min per lesson day | rerun min |",
                  "|---|---|---:|---:|---:|---:|"]
        for row in report["grades"]:
            lines.append(
                f"| {GRADE_NAMES.get(row.get('grade', 0), row.get('grade'))} | "
                f"{row.get('week', '')} | {row.get('lessons', '')} | "
                f"{row.get('lesson_minutes', '')} | {_round(row.get('minutes_per_lesson_day'))} | "
                f"{row.get('rerun_minutes', '')} |")
        lines += ["", "## Courses", "", "| course | grade | aired | allowed | share |",
                  "|---|---:|---:|---:|---:|"]
        for row in report["courses"]:
            lines.append(
                f"| {row.get('course')} {row.get('subject', '')} | {row.get('grade')} | "
                f"{row.get('aired')} | {row.get('allowed')} | {_percent(row.get('share'))} |")
        lines += ["", "## Guaranteed cohorts", "",
                  "| cohort | day | minutes | guaranteed | met |", "|---|---|---:|---:|---|"]
        for row in report["cohorts"]:
            lines.append(
                f"| {row.get('cohort')} | {row.get('day')} | {row.get('minutes')} | "
                f"{row.get('guaranteed')} | {'yes' if row.get('met') else 'NO'} |")
        lines += ["", "## What did not fit", ""]
        if report["unplaced"]:
            lines += ["| course | grade | lessons | minutes | kept out by |",
                      "|---|---:|---:|---:|---|"]
            for row in report["unplaced"]:
                lines.append(f"| {row['course']} | {row['grade']} | {row['lessons']} | "
                             f"{row['minutes']} | {row['reason']} |")
        else:
            lines.append("Every lesson the pace allowed was aired.")
        lines.append("")
    return "\n".join(lines)


def _round(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f}"


def _percent(value: Any) -> str:
    return "" if value is None else f"{float(value):.0%}"
