"""The comparison as one HTML page with its charts."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import pandas as pd

from scheduler.analysis.compare.figures import headline
from scheduler.analysis.compare.tables import _safe, _value_columns, show
from scheduler.analysis.runner import Outcome
from scheduler.domain.model import GRADE_NAMES

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
