"""Comparison charts as PNG with Chinese labels, legible when printed without colour.

Every series has a hatch as well as a colour, and grid cells carry their grade as text.
Figures are built with :class:`matplotlib.figure.Figure` (no pyplot state), so charts can be
drawn from worker threads and tests alike.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from scheduler.domain.model import GRADE_NAMES, Scenario
from scheduler.domain.schedule import Kind, Schedule, broadcast_day

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
GRID_DAYS = 7
# Okabe–Ito colours (safe for colour-blind readers) and a distinct hatch per band
BAND_STYLES = (
    ("#E69F00", "..."),
    ("#56B4E9", "///"),
    ("#009E73", "xxx"),
    ("#CC79A7", "\\\\\\"),
    ("#D55E00", "ooo"),
    ("#0072B2", "---"),
    ("#F0E442", "+++"),
    ("#999999", "|||"),
)
KIND_STYLES = {
    Kind.SPECIAL.value: ("#F0E442", "oo", "专题 special"),
    Kind.FILLER.value: ("#DDDDDD", "", "眼保健操/填充 filler"),
    Kind.PINNED.value: ("#444444", "", "固定节目 pinned"),
}
SERIES_HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++", "|||", "**")
SERIES_COLOURS = (
    "#4D4D4D",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#0072B2",
    "#F0E442",
    "#999999",
    "#000000",
)


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: file name inside the charts folder, title, PNG bytes."""

    name: str
    title: str
    png: bytes


def font_family() -> str | None:
    """The first installed Chinese font of :data:`FONTS`, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in FONTS if name in installed), None)


@contextmanager
def chinese_text() -> Iterator[None]:
    """Matplotlib settings for Chinese labels (falls back to the default font)."""
    import matplotlib

    family = font_family()
    settings: dict[str, Any] = {"axes.unicode_minus": False, "font.size": 9}
    if family:
        settings["font.family"] = "sans-serif"
        settings["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    with matplotlib.rc_context(cast(Any, settings)):
        yield


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


# -- plain data for the day grid -----------------------------------------------------------------
def grid_data(scenario: Scenario, schedule: Schedule, days: int = GRID_DAYS) -> dict[str, Any]:
    """What a day-grid picture needs, as plain data: the first ``days`` days of each channel."""
    shown = scenario.days[:days]
    index = {day: i for i, day in enumerate(shown)}
    band_of = {g: scenario.band_of(g).id for g in scenario.grade_numbers}
    channels = []
    for channel in scenario.channels:
        windows = [
            [i, span.start, span.end] for day, i in index.items() for span in channel.spans_on(day)
        ]
        airings = []
        for programme in schedule.on_channel(channel.id):
            where = broadcast_day(scenario, programme)
            if where is None or where[0] not in index:
                continue
            bands = {band_of.get(g) for g in programme.grades}
            band = bands.pop() if len(bands) == 1 else None
            airings.append(
                [index[where[0]], where[1], where[2], programme.kind.value, band, programme.grade]
            )
        channels.append(
            {"id": channel.id, "name": channel.name_zh, "windows": windows, "airings": airings}
        )
    return {
        "days": [day.isoformat() for day in shown],
        "total_days": len(scenario.days),
        "bands": [{"id": b.id, "name": b.name_zh} for b in scenario.bands],
        "channels": channels,
    }


# -- charts ------------------------------------------------------------------------------------
def minutes_per_grade(series: Sequence[tuple[str, dict[int, float]]]) -> Figure:
    """Grouped bars: lesson minutes per week per grade, one hatched bar per scenario."""
    from matplotlib.figure import Figure

    grades = sorted({g for _, values in series for g in values})
    figure = Figure(figsize=(max(6.0, 1.0 + 0.35 * len(grades) * max(1, len(series))), 4.0))
    axes = figure.add_subplot()
    width = 0.8 / max(1, len(series))
    for position, (label, values) in enumerate(series):
        xs = [i - 0.4 + width * (position + 0.5) for i in range(len(grades))]
        heights = [values.get(g, 0.0) for g in grades]
        bars = axes.bar(
            xs,
            heights,
            width,
            label=label,
            edgecolor="black",
            linewidth=0.6,
            color=SERIES_COLOURS[position % len(SERIES_COLOURS)],
            hatch=SERIES_HATCHES[position % len(SERIES_HATCHES)],
        )
        if len(series) <= 4:
            axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    axes.set_xticks(range(len(grades)), [GRADE_NAMES.get(g, str(g)) for g in grades])
    axes.set_ylabel("每周课时分钟（首播） lesson min/week")
    axes.set_title("各年级每周课时分钟 Lesson minutes per grade")
    axes.grid(axis="y", linestyle=":", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(
        title="方案 scenario",
        fontsize=8,
        ncols=min(4, max(1, len(series))),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
    )
    return figure


def course_coverage(
    courses: Sequence[str], series: Sequence[tuple[str, dict[str, float | None]]]
) -> Figure:
    """A grey heat map of each course's aired share per scenario, every cell with its number."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    rows, cols = len(courses), len(series)
    figure = Figure(figsize=(3.0 + 0.9 * cols, 1.0 + 0.22 * rows))
    axes = figure.add_subplot()
    values = [
        [math.nan if (v := dict(values).get(c)) is None else float(v) for _, values in series]
        for c in courses
    ]
    # light greys only, so black numbers stay readable and a photocopy keeps its contrast
    greys = ListedColormap(colormaps["Greys"](np.linspace(0.0, 0.5, 64)))
    image = axes.imshow(values, cmap=greys, vmin=0.0, vmax=1.0, aspect="auto")
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            text = "—" if math.isnan(value) else f"{value:.0%}"
            axes.text(c, r, text, ha="center", va="center", fontsize=7, color="black")
    axes.set_xticks(range(cols), [label for label, _ in series], rotation=30, ha="right")
    axes.set_yticks(range(rows), list(courses), fontsize=7)
    axes.set_title("课程播出比例（已播/进度允许） Course coverage (aired / pace allowance)")
    figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02, format="{x:.0%}")
    return figure


def day_grid(grid: dict[str, Any], channel: dict[str, Any], scenario_label: str) -> Figure:
    """One channel's first days as a grid: columns are days, time runs down, blocks by band."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    days = [date.fromisoformat(d) for d in grid["days"]]
    starts = [w[1] for w in channel["windows"]] or [8 * 60]
    ends = [w[2] for w in channel["windows"]] or [22 * 60]
    top, bottom = (min(starts) // 60) * 60, -(-max(ends) // 60) * 60
    figure = Figure(figsize=(1.6 + 1.25 * max(1, len(days)), 1.5 + (bottom - top) / 60 * 0.55))
    axes = figure.add_subplot()
    axes.set_facecolor("#EFEFEF")
    styles = {band["id"]: BAND_STYLES[i % len(BAND_STYLES)] for i, band in enumerate(grid["bands"])}
    for day_index, start, end in channel["windows"]:
        axes.add_patch(
            Rectangle(
                (day_index + 0.04, start),
                0.92,
                end - start,
                facecolor="white",
                edgecolor="#888888",
                linewidth=0.5,
            )
        )
    for day_index, start, end, kind, band, grade in channel["airings"]:
        colour, hatch = "#DDDDDD", ""
        alpha, line = 1.0, "solid"
        if kind in (Kind.LESSON.value, Kind.RERUN.value) and band in styles:
            colour, hatch = styles[band]
            if kind == Kind.RERUN.value:
                alpha, line = 0.45, "dashed"
        elif kind in KIND_STYLES:
            colour, hatch, _ = KIND_STYLES[kind]
        axes.add_patch(
            Rectangle(
                (day_index + 0.06, start),
                0.88,
                end - start,
                facecolor=colour,
                hatch=hatch,
                alpha=alpha,
                edgecolor="black",
                linewidth=0.4,
                linestyle=line,
            )
        )
        if grade is not None and end - start >= 15 and kind in ("lesson", "rerun"):
            text = GRADE_NAMES.get(grade, str(grade)) + ("·重" if kind == "rerun" else "")
            axes.text(
                day_index + 0.5,
                (start + end) / 2,
                text,
                ha="center",
                va="center",
                fontsize=6.5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85},
            )
    axes.set_xlim(0, max(1, len(days)))
    axes.set_ylim(bottom, top)
    axes.set_xticks(
        [i + 0.5 for i in range(len(days))],
        [f"{d.month}/{d.day} {WEEKDAY_ZH[d.weekday()]}" for d in days],
    )
    axes.xaxis.tick_top()
    hours = range(top, bottom + 1, 60)
    axes.set_yticks(list(hours), [f"{h // 60:02d}:00" for h in hours])
    axes.grid(axis="y", linestyle=":", linewidth=0.5, color="#999999")
    shown = f"前{len(days)}天" if grid["total_days"] > len(days) else f"{len(days)}天"
    axes.set_title(f"{channel['name']} {channel['id']} · {scenario_label} · {shown}", pad=24)
    handles = [
        Patch(
            facecolor=styles[band["id"]][0],
            hatch=styles[band["id"]][1],
            edgecolor="black",
            label=f"{band['name']} 首播",
        )
        for band in grid["bands"]
    ]
    handles.append(
        Patch(
            facecolor="#BBBBBB",
            alpha=0.45,
            edgecolor="black",
            linestyle="dashed",
            label="重播 rerun（浅色虚框，标“重”）",
        )
    )
    handles += [
        Patch(facecolor=c, hatch=h, edgecolor="black", label=label)
        for c, h, label in KIND_STYLES.values()
    ]
    handles.append(Patch(facecolor="white", edgecolor="#888888", label="播出窗口（空白=未覆盖）"))
    handles.append(Patch(facecolor="#EFEFEF", edgecolor="#888888", label="非播出时段"))
    axes.legend(
        handles=handles,
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        title="图例 legend",
        title_fontsize=8,
    )
    return figure


__all__ = [
    "Chart",
    "chinese_text",
    "course_coverage",
    "day_grid",
    "font_family",
    "grid_data",
    "minutes_per_grade",
    "png",
]
