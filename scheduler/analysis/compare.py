"""The side-by-side comparison of solved scenarios: headline figures, deltas, charts, files.

One column per scenario and, after each but the first, its delta against the first. A failed
scenario (bad file, infeasible, no schedule in time) keeps its column: status and reason,
blanks for the figures.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.analysis.metrics import DEAD_AIR, Coverage
from scheduler.analysis.runner import Outcome
from scheduler.domain.model import GRADE_NAMES
from scheduler.domain.schedule import Schedule
from scheduler.io.files import relative_path, staged_folder

SECTIONS = (
    ("solve", "求解 Solve"),
    ("grade", "年级课时 Lesson minutes per grade"),
    ("coverage", "课程播出比例 Course coverage"),
    ("unmet", "未满足需求 Unmet demand"),
    ("cohort", "考试年级保障 Guaranteed cohorts"),
    ("reruns", "重播覆盖 Rerun coverage"),
    ("special", "专题 Special topics"),
    ("airtime", "频道时间使用 Airtime use"),
    ("timetable", "课表规律 Timetable regularity"),
    ("price", "规律的代价 Price of regularity"),
)
SECTION_TITLES = dict(SECTIONS)
KIND_ZH = {
    "lesson": "首播课",
    "rerun": "重播",
    "special": "专题",
    "filler": "填充",
    "pinned": "固定节目",
    DEAD_AIR: "未覆盖",
}


@dataclass(frozen=True, slots=True)
class Metric:
    """One headline figure of one scenario. ``unit``: min, %, lessons, days, s or text."""

    key: str
    label: str
    unit: str
    value: float | str | None

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]


# -- headline figures --------------------------------------------------------------------------
def headline(outcome: Outcome, free: Outcome | None = None) -> list[Metric]:
    """The figures of one scenario's column, section by section; ``free`` is its twin solved
    with ``timetable.mode = "free"``, for the price of regularity."""
    metrics = [
        Metric("solve.status", "状态 status", "text", outcome.status),
        Metric("solve.reason", "原因 reason", "text", outcome.reason or None),
        Metric("solve.objective", "目标值 objective", "", outcome.objective),
        Metric("solve.bound", "上界 bound", "", outcome.bound),
        Metric("solve.gap", "差距 gap", "%", outcome.gap),
        Metric("solve.runtime", "用时 runtime", "s", round(outcome.runtime, 1)),
    ]
    if not outcome.ok:
        return metrics
    frames = Coverage.from_records(outcome.metrics).frames()
    days, courses, cohorts = frames["grade_days"], frames["courses"], frames["cohorts"]
    reruns = frames["reruns"]
    weeks = frames["grade_weeks"]["week"].nunique() or 1
    grades = list(dict.fromkeys(int(g) for g in days["grade"]))
    for grade in grades:
        mine = days[days["grade"] == grade]
        total = float(mine["lesson_minutes"].sum())
        open_days = int(mine["lesson_day"].sum())
        name = GRADE_NAMES[grade]
        metrics.append(Metric(f"grade.{grade}.per_week", f"{name} 分钟/周", "min", total / weeks))
        metrics.append(
            Metric(
                f"grade.{grade}.per_day",
                f"{name} 分钟/天",
                "min",
                total / open_days if open_days else None,
            )
        )
    for grade in grades:
        mine = courses[courses["grade"] == grade]
        metrics.append(
            Metric(
                f"coverage.{grade}.share",
                f"{GRADE_NAMES[grade]} 已播/允许",
                "%",
                _ratio(mine["aired"].sum(), mine["allowed"].sum()),
            )
        )
    metrics.append(
        Metric(
            "coverage.all.share",
            "全部 all",
            "%",
            _ratio(courses["aired"].sum(), courses["allowed"].sum()),
        )
    )
    for grade in grades:
        mine = courses[courses["grade"] == grade]
        metrics.append(
            Metric(
                f"unmet.{grade}.lessons",
                f"{GRADE_NAMES[grade]} 课次",
                "lessons",
                int(mine["unmet"].sum()),
            )
        )
    metrics.append(
        Metric("unmet.all.lessons", "全部 课次 lessons", "lessons", int(courses["unmet"].sum()))
    )
    metrics.append(
        Metric("unmet.all.minutes", "全部 分钟 minutes", "min", int(courses["unmet_minutes"].sum()))
    )
    for cohort in dict.fromkeys(cohorts["cohort"]):
        days_of = cohorts[cohorts["cohort"] == cohort]
        name = days_of["cohort_name"].iloc[0]
        metrics += [
            Metric(f"cohort.{cohort}.days", f"{name} 保障天数", "days", len(days_of)),
            Metric(f"cohort.{cohort}.met", f"{name} 达标天数", "days", int(days_of["met"].sum())),
            Metric(
                f"cohort.{cohort}.mean",
                f"{name} 窗口内分钟/天（保障 {int(days_of['guaranteed'].iloc[0])}）",
                "min",
                float(days_of["minutes"].mean()),
            ),
            Metric(
                f"cohort.{cohort}.shortfall",
                f"{name} 缺口分钟",
                "min",
                int(days_of["shortfall"].sum()),
            ),
        ]
    records = outcome.metrics
    for row in records["reruns"]:
        metrics.append(
            Metric(
                f"reruns.{row['grade']}.share",
                f"{row['grade_name']} 有重播的首播",
                "%",
                row["share"],
            )
        )
    metrics.append(
        Metric(
            "reruns.all.share",
            "全部 all",
            "%",
            _ratio(reruns["with_rerun"].sum(), reruns["premieres"].sum()),
        )
    )
    for row in records["specials"]:
        metrics.append(
            Metric(
                f"special.{row['topic']}.minutes",
                f"{row['topic']} 分钟（配额 {row['quota_minutes']}）",
                "min",
                row["minutes"],
            )
        )
    channels = list(dict.fromkeys(row["channel"] for row in records["airtime"]))
    for channel in channels:
        rows = [row for row in records["airtime"] if row["channel"] == channel]
        for row in rows:
            metrics.append(
                Metric(
                    f"airtime.{channel}.{row['kind']}.minutes",
                    f"{channel} {KIND_ZH.get(row['kind'], row['kind'])} 分钟",
                    "min",
                    row["minutes"],
                )
            )
        for row in rows:
            metrics.append(
                Metric(
                    f"airtime.{channel}.{row['kind']}.share",
                    f"{channel} {KIND_ZH.get(row['kind'], row['kind'])} 占比",
                    "%",
                    row["share"],
                )
            )
    metrics += timetable_metrics(outcome)
    if free is not None:
        metrics += price_of_regularity(outcome, free)
    return metrics


def timetable_metrics(outcome: Outcome) -> list[Metric]:
    """Per grade: start times per course per week, share at its template periods, new
    lessons on non-lesson days; subject minimums met; airtime nobody can use."""
    records = outcome.metrics
    rows = records.get("timetable", [])
    metrics = []
    for grade in dict.fromkeys(int(row["grade"]) for row in rows):
        mine = [row for row in rows if row["grade"] == grade and row["premieres"]]
        name = GRADE_NAMES[grade]
        weeks = [
            row["start_times_per_week"] for row in mine if row["start_times_per_week"] is not None
        ]
        shares = [
            (row["template_share"], row["premieres"] - row["off_day_lessons"])
            for row in mine
            if row["template_share"] is not None
        ]
        counted = sum(n for _, n in shares)
        metrics += [
            Metric(
                f"timetable.{grade}.start_times",
                f"{name} 每课程每周开始时刻数",
                "",
                sum(weeks) / len(weeks) if weeks else None,
            ),
            Metric(
                f"timetable.{grade}.template_share",
                f"{name} 按课表节次播出",
                "%",
                sum(share * n for share, n in shares) / counted if counted else None,
            ),
            Metric(
                f"timetable.{grade}.off_days",
                f"{name} 非上课日新课",
                "lessons",
                sum(row["off_day_lessons"] for row in mine),
            ),
        ]
    minimums = records.get("minimums", [])
    if minimums:
        metrics.append(
            Metric(
                "timetable.all.minimums_met",
                "最低课次达标 course-weeks",
                "%",
                _ratio(sum(1 for row in minimums if row["met"]), len(minimums)),
            )
        )
    unusable = records.get("unusable", [])
    metrics.append(
        Metric(
            "timetable.all.unusable",
            "无法使用的播出时间 unusable airtime",
            "min",
            sum(row["minutes"] for row in unusable),
        )
    )
    return metrics


def weighted_minutes(outcome: Outcome) -> float:
    """Premiere minutes × band weight × course weight: the coverage part of the objective."""
    return float(sum(row["weighted_minutes"] for row in outcome.metrics.get("timetable", [])))


def price_of_regularity(template: Outcome, free: Outcome) -> list[Metric]:
    """Objective and weighted lesson minutes of the template schedule against its twin solved
    without the template, and their ratios (1.0: regularity costs nothing)."""
    metrics = [
        Metric(
            "price.free_objective", "无课表 目标值 objective without template", "", free.objective
        )
    ]
    metrics.append(
        Metric(
            "price.objective_ratio",
            "目标值 课表/无课表 objective ratio",
            "%",
            _ratio(template.objective or 0, free.objective or 0)
            if template.ok and free.ok
            else None,
        )
    )
    if template.ok and free.ok:
        metrics += [
            Metric(
                "price.weighted_minutes",
                "加权课时 weighted lesson minutes",
                "",
                weighted_minutes(template),
            ),
            Metric(
                "price.free_weighted_minutes",
                "无课表 加权课时 without template",
                "",
                weighted_minutes(free),
            ),
            Metric(
                "price.weighted_ratio",
                "加权课时 课表/无课表 ratio",
                "%",
                _ratio(weighted_minutes(template), weighted_minutes(free)),
            ),
        ]
    return metrics


def _ratio(numerator: Any, denominator: Any) -> float | None:
    return float(numerator) / float(denominator) if float(denominator) else None


# -- the table ---------------------------------------------------------------------------------
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


# -- rendering -----------------------------------------------------------------------------------
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


HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>方案对比 Scenario comparison</title>
<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 2em;
       color: #111; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #999; padding: 0.2em 0.6em; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { text-align: right; color: #444; font-style: italic; }
th.d { font-style: italic; }
tr.failed td, td.failed { background: #f4f4f4; }
.status-ERROR, .status-INFEASIBLE, .status-UNKNOWN { font-weight: bold;
       text-decoration: underline; }
figure { margin: 1em 0; } img { max-width: 100%; border: 1px solid #ccc; }
</style>
</head>
<body>
<h1>方案对比 Scenario comparison</h1>
<h2>方案 Scenarios</h2>
<ul>
{% for o in outcomes %}<li><b>{{ o.label }}</b>:
 <span class="status-{{ o.status }}">{{ o.status }}</span> — {{ o.path or "default scenario" }}
 {% if o.overrides %}(--set
 {%- for k, v in o.overrides.items() %} {{ k }}={{ v }}{% if not loop.last %},{% endif %}
 {%- endfor %}){% endif %}
 {% if o.reason %}<br>原因 reason: {{ o.reason }}{% endif %}
 {% if o.explanation %}<ul>
 {%- for line in o.explanation %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
</li>
{% endfor %}</ul>
{% for section, rows in sections %}
<h2>{{ section }}</h2>
<table>
<thead><tr><th>指标 metric</th>
{%- for label in labels %}
<th{% if label.startswith("Δ ") %} class="d"{% endif %}>{{ label }}</th>
{%- endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row.metric }}</td>
{%- for cell, cls in row.cells %}<td class="{{ cls }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% endfor %}
<p>Δ: difference against the first scenario (pp: percentage points).</p>
<h2>图表 Charts</h2>
{% for chart in charts %}<figure><figcaption>{{ chart.title }}</figcaption>
<img alt="{{ chart.title }}" src="data:image/png;base64,{{ chart.data }}"></figure>
{% endfor %}
</body>
</html>
"""


def to_html(frame: pd.DataFrame, outcomes: Sequence[Outcome], charts: Sequence[Any]) -> str:
    import jinja2

    labels = _value_columns(frame)
    failed = {o.label for o in outcomes if o.failed}
    sections = []
    for section in dict.fromkeys(frame["section"]):
        rows = []
        for row in frame[frame["section"] == section].to_dict(orient="records"):
            cells = []
            for label in labels:
                is_delta = label.startswith("Δ ")
                css = "d" if is_delta else ("n" if row["unit"] != "text" else "")
                if label in failed:
                    css += " failed"
                cells.append((show(row[label], row["unit"], delta=is_delta), css.strip()))
            rows.append({"metric": row["metric"], "cells": cells})
        sections.append((section, rows))
    environment = jinja2.Environment(autoescape=True)
    template = environment.from_string(HTML_TEMPLATE)
    return template.render(
        outcomes=outcomes,
        labels=labels,
        sections=sections,
        charts=[
            {"title": c.title, "data": base64.b64encode(c.png).decode("ascii")} for c in charts
        ],
    )


def render_charts(outcomes: Sequence[Outcome]) -> list[Any]:
    """All charts of a comparison: minutes per grade, course coverage, a day grid per channel."""
    from scheduler.analysis import charts

    done = [o for o in outcomes if o.ok]
    if not done:
        return []
    made = []
    with charts.chinese_text():
        series = []
        for outcome in done:
            metrics = {m.key: m.value for m in headline(outcome)}
            series.append(
                (
                    outcome.label,
                    {
                        int(key.split(".")[1]): float(value)
                        for key, value in metrics.items()
                        if key.startswith("grade.")
                        and key.endswith(".per_week")
                        and isinstance(value, float | int)
                    },
                )
            )
        made.append(
            _chart(
                "minutes_per_grade.png",
                "各年级每周课时分钟 Lesson minutes per grade",
                charts.minutes_per_grade(series),
            )
        )
        courses: dict[str, str] = {}
        shares = []
        for outcome in done:
            values: dict[str, float | None] = {}
            for row in outcome.metrics["courses"]:
                name = f"{GRADE_NAMES[row['grade']]} {row['subject']}"
                courses.setdefault(row["course"], name)
                values[row["course"]] = row["share"]
            shares.append((outcome.label, values))
        ordered = list(courses)
        figure = charts.course_coverage(
            [courses[c] for c in ordered],
            [(label, {courses[c]: v.get(c) for c in ordered}) for label, v in shares],
        )
        made.append(_chart("course_coverage.png", "课程播出比例 Course coverage", figure))
        for number, outcome in enumerate(outcomes, start=1):
            if not outcome.ok:
                continue
            for channel in outcome.grid["channels"]:
                name = f"grid-{number:02d}-{_safe(outcome.label)}-{_safe(channel['id'])}.png"
                figure = charts.day_grid(outcome.grid, channel, outcome.label)
                made.append(
                    _chart(name, f"{outcome.label} · {channel['name']} 日程网格 day grid", figure)
                )
    return made


def _chart(name: str, title: str, figure: Any) -> Any:
    from scheduler.analysis.charts import Chart, png

    return Chart(name=name, title=title, png=png(figure))


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


def write(outcomes: Sequence[Outcome], out: Path, twins: Mapping[int, int] | None = None) -> None:
    """Write the comparison folder atomically (a failure leaves ``out`` as it was);
    ``twins`` as for :func:`table`.

    Scenario paths are written relative to ``out``, so the reports do not depend on where the
    checkout lies."""
    outcomes = [
        replace(o, path=relative_path(o.path, out)) if o.path is not None else o for o in outcomes
    ]
    frame = table(outcomes, twins)
    with staged_folder(out) as stage:
        (stage / "comparison.csv").write_text(frame.to_csv(index=False), encoding="utf-8")
        (stage / "comparison.md").write_text(to_markdown(frame, outcomes), encoding="utf-8")
        course_table(outcomes).to_csv(stage / "courses.csv", index=False)
        made = render_charts(outcomes)
        (stage / "charts").mkdir()
        for chart in made:
            (stage / "charts" / chart.name).write_bytes(chart.png)
        (stage / "comparison.html").write_text(to_html(frame, outcomes, made), encoding="utf-8")
        for number, outcome in enumerate(outcomes, start=1):
            folder = stage / "scenarios" / f"{number:02d}-{_safe(outcome.label)}"
            folder.mkdir(parents=True)
            (folder / "report.md").write_text(scenario_report(outcome), encoding="utf-8")
            if outcome.schedule is not None:
                schedule = Schedule.from_json(outcome.schedule)
                if schedule.scenario is not None:  # as seen from the folder it ends up in
                    where = relative_path(schedule.scenario, out / "scenarios" / folder.name)
                    schedule = replace(schedule, scenario=where)
                (folder / "schedule.json").write_text(schedule.to_json(), encoding="utf-8")
                for name in Coverage.FRAMES:
                    pd.DataFrame(outcome.metrics[name]).to_csv(folder / f"{name}.csv", index=False)


def _safe(label: str) -> str:
    """A label as a file-name part: letters (any script), digits and ``.=,+-`` kept."""
    text = re.sub(r"[^\w.=,+-]+", "_", label).strip("._") or "scenario"
    return text[:80]


__all__ = [
    "Metric",
    "course_table",
    "headline",
    "price_of_regularity",
    "render_charts",
    "scenario_report",
    "show",
    "table",
    "timetable_metrics",
    "to_html",
    "to_markdown",
    "weighted_minutes",
    "write",
]
