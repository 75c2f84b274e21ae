"""Headline figures of one solved scenario, by section, and the price of regularity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scheduler.analysis.metrics import DEAD_AIR, Coverage
from scheduler.analysis.runner import Outcome
from scheduler.domain.model import GRADE_NAMES

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
