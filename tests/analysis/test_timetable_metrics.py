"""Timetable metrics (start times, template periods, lesson days, minimums, unusable airtime)
on the hand-built schedule of ``conftest.hand_schedule``, and the price of regularity."""

from __future__ import annotations

import math
from pathlib import Path

from click.testing import CliRunner

from scheduler.analysis import metrics
from scheduler.analysis.compare import headline, price_of_regularity
from scheduler.analysis.runner import Outcome
from scheduler.cli import main
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import load

TINY = Path(__file__).resolve().parent / "tiny" / "scenario.toml"


def test_timetable_regularity(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.timetable_regularity(tiny, hand_schedule).set_index("course")
    # g3 math: Mon 08:00, Tue 08:00 — one start time in its week, both at the template
    assert frame.loc["g3-math", "start_times_per_week"] == 1
    assert frame.loc["g3-math", "template_share"] == 1.0
    # g12 math: Mon 09:05, Tue 19:10 — two start times; the grade's template has one period
    # (its busiest day has one lesson), the earlier on a tie: 09:05, so half are at it
    assert frame.loc["g12-math", "start_times_per_week"] == 2
    assert frame.loc["g12-math", "max_start_times"] == 2
    assert frame.loc["g12-math", "template_share"] == 0.5
    assert frame.loc["g12-math", "off_day_lessons"] == 0
    assert math.isnan(frame.loc["g12-physics", "template_share"])  # never aired
    # weighted minutes: premiere minutes × band weight × course weight
    band = tiny.band_of(12).weight
    assert frame.loc["g12-math", "weighted_minutes"] == 80 * band * tiny.course("g12-math").weight


def test_non_lesson_day_lessons_counted(tiny: Scenario, hand_schedule: Schedule) -> None:
    """With Tuesday a holiday, g3 math's Tuesday lesson is a new lesson on a non-lesson day."""
    off = load(TINY, overrides={"calendar.lesson_days": ["mon"]})
    frame = metrics.timetable_regularity(off, hand_schedule).set_index("course")
    assert frame.loc["g3-math", "off_day_lessons"] == 1
    assert frame.loc["g3-math", "template_share"] == 1.0  # of its lesson-day premieres


def test_minimums_and_unusable_frames(tiny: Scenario, hand_schedule: Schedule) -> None:
    needs = load(TINY, overrides={"course.g12-physics.min_per_week": 1})
    frame = metrics.subject_minimums(needs, hand_schedule)
    assert frame.to_dict(orient="records") == [
        {
            "course": "g12-physics",
            "grade": 12,
            "subject": "物理",
            "week": "2020-W08",
            "minimum": 1,
            "due": 1,
            "premieres": 0,
            "met": False,
        }
    ]
    assert list(metrics.unusable_airtime(tiny).columns) == [
        "channel",
        "day",
        "window",
        "times",
        "minutes",
    ]
    covered = metrics.coverage(tiny, hand_schedule)
    assert set(covered.to_records()) >= {"timetable", "minimums", "unusable"}


def test_price_of_regularity_ratios(tiny: Scenario, hand_schedule: Schedule) -> None:
    records = metrics.coverage(tiny, hand_schedule).to_records()
    template = Outcome(0, "t", None, {}, "OPTIMAL", objective=90.0, schedule="{}", metrics=records)
    free = Outcome(
        1, "t · free", None, {}, "OPTIMAL", objective=100.0, schedule="{}", metrics=records
    )
    figures = {m.key: m.value for m in price_of_regularity(template, free)}
    assert figures["price.objective_ratio"] == 0.9
    assert figures["price.weighted_ratio"] == 1.0
    keys = [m.key for m in headline(template, free)]
    assert "timetable.3.template_share" in keys and "price.free_objective" in keys


def test_compare_price_of_regularity_solves_the_free_twin(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(TINY),
            "--price-of-regularity",
            "--out",
            str(out),
            "--jobs",
            "1",
            "--time-limit",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (out / "comparison.md").read_text(encoding="utf-8")
    assert "规律的代价 Price of regularity" in text and "tiny · free" in text
    assert "timetable.mode=free" in text
