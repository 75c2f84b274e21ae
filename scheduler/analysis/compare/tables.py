"""The comparison as tables: figures side by side with deltas, courses, Markdown and the
per-scenario report."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from scheduler.analysis.compare.figures import SECTION_TITLES, SECTIONS, Metric, headline
from scheduler.analysis.runner import Outcome


def table(outcomes: Sequence[Outcome], twins: Mapping[int, int] | None = None) -> pd.DataFrame:
    """Rows of figures; columns ``key, section, metric, unit``, then per scenario its value
    and, after the first, ``Δ label`` (value − first's value; blank when either is missing).
    ``twins`` maps the position of a scenario to that of its ``free`` twin (price of
    regularity)."""
    twins = twins or {}
    columns: list[dict[str, Metric]] = [
        {m.key: m for m in headline(o, outcomes[twins[i]] if i in twins else None)}
        for i, o in enumerate(outcomes)
    ]
    order: dict[str, tuple[int, int]] = {}
    for metrics in columns:
        for key in metrics:
            if key not in order:
                section = key.split(".", 1)[0]
                rank = next(i for i, (name, _) in enumerate(SECTIONS) if name == section)
                order[key] = (rank, len(order))
    keys = sorted(order, key=lambda key: order[key])
    rows = []
    for key in keys:
        some = next(metrics[key] for metrics in columns if key in metrics)
        row: dict[str, Any] = {
            "key": key,
            "section": SECTION_TITLES[some.section],
            "metric": some.label,
            "unit": some.unit,
        }
        first = columns[0].get(key) if columns else None
        for position, (outcome, metrics) in enumerate(zip(outcomes, columns, strict=True)):
            value = metrics[key].value if key in metrics else None
            row[outcome.label] = value
            if position > 0:
                row[f"Δ {outcome.label}"] = _delta(value, first.value if first else None)
        rows.append(row)
    header = ["key", "section", "metric", "unit"]
    for position, outcome in enumerate(outcomes):
        header.append(outcome.label)
        if position > 0:
            header.append(f"Δ {outcome.label}")
    return pd.DataFrame(rows, columns=header)


def _delta(value: Any, first: Any) -> float | None:
    if not _number(value) or not _number(first):
        return None
    return float(value) - float(first)


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def show(value: Any, unit: str, *, delta: bool = False) -> str:
    """A figure as a person reads it: 12.5%, +3.0 pp, 1,240."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—" if not delta else ""
    if not _number(value):
        return str(value)
    number = float(value)
    if unit == "%":
        if delta:
            return "±0 pp" if round(number * 100, 1) == 0 else f"{number * 100:+.1f} pp"
        return f"{number:.1%}"
    text = f"{number:,.0f}" if number == round(number) else f"{number:,.1f}"
    if delta:
        return "±0" if number == 0 else ("+" if number > 0 else "") + text
    return text


def course_table(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """Per course: aired share and unmet lessons per scenario (the long detail)."""
    frames = []
    for outcome in outcomes:
        if not outcome.ok:
            continue
        frame = pd.DataFrame(outcome.metrics["courses"])
        frame = frame[["course", "grade", "subject", "allowed", "aired", "share", "unmet"]]
        frame.insert(0, "scenario", outcome.label)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(
            columns=["scenario", "course", "grade", "subject", "allowed", "aired", "share", "unmet"]
        )
    return pd.concat(frames, ignore_index=True)


def to_markdown(frame: pd.DataFrame, outcomes: Sequence[Outcome]) -> str:
    labels = _value_columns(frame)
    lines = ["# 方案对比 Scenario comparison", ""]
    lines += _status_lines(outcomes)
    for section in dict.fromkeys(frame["section"]):
        part = frame[frame["section"] == section]
        lines += ["", f"## {section}", ""]
        lines.append("| 指标 metric | " + " | ".join(_md(label) for label in labels) + " |")
        lines.append("|---|" + "---:|" * len(labels))
        for row in part.to_dict(orient="records"):
            cells = [
                show(row[label], row["unit"], delta=label.startswith("Δ ")) for label in labels
            ]
            lines.append(f"| {_md(row['metric'])} | " + " | ".join(map(_md, cells)) + " |")
    lines += ["", "Δ: difference against the first scenario (pp: percentage points).", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ("key", "section", "metric", "unit")]


def _status_lines(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        where = outcome.path or "default scenario"
        sets = ", ".join(f"{k}={v}" for k, v in outcome.overrides.items())
        line = f"- **{outcome.label}**: {outcome.status} — {where}"
        line += f" (--set {sets})" if sets else ""
        if outcome.reason:
            line += f"\n  - reason: {outcome.reason}"
        lines.append(line)
    return lines


def scenario_report(outcome: Outcome) -> str:
    """The per-scenario report: the same figures as its comparison column."""
    lines = [f"# {outcome.label}", "", f"- status: {outcome.status}"]
    if outcome.title:
        lines.append(f"- title: {outcome.title}")
    lines.append(f"- scenario: {outcome.path or 'default scenario'}")
    for key, value in outcome.overrides.items():
        lines.append(f"- --set {key}={value}")
    if outcome.reason:
        lines.append(f"- reason: {outcome.reason}")
    for line in outcome.explanation:
        lines.append(f"  - {line}")
    for item in outcome.unplaced:
        lines.append(
            f"- unplaced: grade {item['grade']} {item['course']}: {item['lessons']} "
            f"lessons, {item['minutes']} min — {item['reason']}"
        )
    lines += ["", "| key | 指标 metric | value |", "|---|---|---:|"]
    for metric in headline(outcome):
        if metric.value is not None:
            lines.append(
                f"| {metric.key} | {_md(metric.label)} | {_md(show(metric.value, metric.unit))} |"
            )
    lines.append("")
    return "\n".join(lines)


def _safe(label: str) -> str:
    """A label as a file-name part: letters (any script), digits and ``.=,+-`` kept."""
    text = re.sub(r"[^\w.=,+-]+", "_", label).strip("._") or "scenario"
    return text[:80]
