"""Coverage metrics on the hand-built schedule of ``conftest.hand_schedule``: known numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from scheduler.analysis import metrics
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.io.loading import load

TINY = Path(__file__).resolve().parent / "tiny" / "scenario.toml"


def test_grade_days(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.grade_days(tiny, hand_schedule).set_index(["grade", "day"])
    # grade 3: Mon m1 + c1 = 20 + 20 = 40 min; Tue m2 = 20 min, plus the c1 rerun (20)
    assert frame.loc[(3, "2020-02-17"), "lessons"] == 2
    assert frame.loc[(3, "2020-02-17"), "lesson_minutes"] == 40
    assert frame.loc[(3, "2020-02-18"), "lesson_minutes"] == 20
    assert frame.loc[(3, "2020-02-18"), "rerun_minutes"] == 20
    # grade 12: Mon h1 = 40 and its rerun 40; Tue h2 = 40
    assert frame.loc[(12, "2020-02-17"), "lesson_minutes"] == 40
    assert frame.loc[(12, "2020-02-17"), "rerun_minutes"] == 40
    assert frame.loc[(12, "2020-02-18"), "lesson_minutes"] == 40
    assert frame["lesson_day"].all()  # both days are weekdays from term start


def test_grade_weeks(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.grade_weeks(tiny, hand_schedule).set_index("grade")
    # one ISO week (2020-W08) of which the horizon holds two lesson days
    assert list(frame["week"]) == ["2020-W08", "2020-W08"]
    assert frame.loc[3, "lesson_minutes"] == 60  # 40 + 20
    assert frame.loc[3, "minutes_per_lesson_day"] == 30  # 60 / 2
    assert frame.loc[12, "lesson_minutes"] == 80  # 40 + 40
    assert frame.loc[12, "rerun_minutes"] == 40
    assert frame.loc[12, "lessons"] == 2


def test_pace_allowance(tiny: Scenario) -> None:
    # one week with two lesson days and per_day 1: min(per_week, 1 × 2) lessons, at most the
    # remaining ones
    assert metrics.pace_allowance(tiny, "g3-math") == 2  # min(10, min(5, 2))
    assert metrics.pace_allowance(tiny, "g3-chinese") == 1  # per_week 1: min(3, min(1, 2))
    assert metrics.pace_allowance(tiny, "g12-physics") == 2  # min(5, min(5, 2))
    later = load(TINY, overrides={"course.g3-math.progress": 9})
    assert metrics.pace_allowance(later, "g3-math") == 1  # only lesson 10 is left


def test_course_coverage_and_unmet_demand(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.course_coverage(tiny, hand_schedule).set_index("course")
    assert frame.loc["g3-math", "aired"] == 2 and frame.loc["g3-math", "share"] == 1.0
    assert frame.loc["g3-math", "aired_minutes"] == 40
    # the c1 rerun is not a second lesson: 1 aired of 1 allowed
    assert frame.loc["g3-chinese", "aired"] == 1 and frame.loc["g3-chinese", "share"] == 1.0
    assert frame.loc["g12-math", "share"] == 1.0  # h1, h2 of 2 allowed
    # physics never aired: 0 of 2 allowed; unmet = lessons 1 and 2 = 2 × 40 min
    assert frame.loc["g12-physics", "share"] == 0.0
    assert frame.loc["g12-physics", "unmet"] == 2
    assert frame.loc["g12-physics", "unmet_minutes"] == 80
    assert frame["unmet"].sum() == 2


def test_unmet_minutes_are_the_next_lessons(tiny: Scenario) -> None:
    # nothing aired: g3-math could have aired lessons 1 and 2 (20 min each)
    frame = metrics.course_coverage(tiny, Schedule(())).set_index("course")
    assert frame.loc["g3-math", "unmet"] == 2
    assert frame.loc["g3-math", "unmet_minutes"] == 40
    assert frame.loc["g3-math", "share"] == 0.0


def test_share_is_nan_without_allowance(tiny: Scenario) -> None:
    done = load(TINY, overrides={"course.g3-math.progress": 10})  # all 10 lessons aired before
    frame = metrics.course_coverage(done, Schedule(())).set_index("course")
    assert frame.loc["g3-math", "allowed"] == 0
    assert math.isnan(frame.loc["g3-math", "share"])


def test_cohort_minutes(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.cohort_minutes(tiny, hand_schedule).set_index("day")
    # Mon: h1 airs at 09:05, outside 19:00–20:00; its evening rerun is not a premiere → 0 of 40
    assert frame.loc["2020-02-17", "minutes"] == 0
    assert not frame.loc["2020-02-17", "met"]
    assert frame.loc["2020-02-17", "shortfall"] == 40
    # Tue: h2 19:10–19:50 lies inside → 40 of 40
    assert frame.loc["2020-02-18", "minutes"] == 40
    assert frame.loc["2020-02-18", "met"]


def test_cohort_minutes_count_only_lessons_wholly_inside_the_window(
    hand_schedule: Schedule,
) -> None:
    narrow = load(TINY, overrides={"cohorts.gaokao.window": "19:30-20:00"})
    frame = metrics.cohort_minutes(narrow, hand_schedule).set_index("day")
    # h2 19:10–19:50 is only partly inside 19:30–20:00: the guarantee rule counts nothing
    assert frame.loc["2020-02-18", "minutes"] == 0


def test_rerun_coverage(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.rerun_coverage(tiny, hand_schedule).set_index("grade")
    # grade 3: premieres m1, c1, m2; c1 is repeated (matched by course and lesson) → 1/3
    assert frame.loc[3, "premieres"] == 3 and frame.loc[3, "with_rerun"] == 1
    assert frame.loc[3, "share"] == pytest.approx(1 / 3)
    # grade 12: premieres h1, h2; h1r names h1 in repeat_of → 1/2, 40 rerun minutes
    assert frame.loc[12, "share"] == 0.5
    assert frame.loc[12, "rerun_minutes"] == 40


def test_special_minutes(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.special_minutes(tiny, hand_schedule).set_index("topic")
    # one 15-min epidemic special against a quota of 15 min × 1 a week × 1 week
    assert frame.loc["疫情防护", "airings"] == 1
    assert frame.loc["疫情防护", "minutes"] == 15
    assert frame.loc["疫情防护", "quota_minutes"] == 15


def test_airtime_use(tiny: Scenario, hand_schedule: Schedule) -> None:
    frame = metrics.airtime_use(tiny, hand_schedule).set_index("kind")
    window = 2 * (120 + 60)  # two days of 08:00–10:00 and 19:00–20:00 = 360 min
    expected = {
        "lesson": 20 + 20 + 40 + 20 + 40,  # m1 c1 h1 m2 h2 = 140
        "rerun": 40 + 20,  # h1r c1r = 60
        "special": 15,
        "filler": (5 + 5 + 5 + 20) + (60 + 10 + 10),  # Mon 35 + Tue 80 = 115
        "pinned": 20,
        "dead_air": 10,  # Mon 09:50–10:00; 140+60+15+115+20+10 = 360
    }
    for kind, minutes in expected.items():
        assert frame.loc[kind, "minutes"] == minutes, kind
        assert frame.loc[kind, "share"] == pytest.approx(minutes / window), kind
    assert (frame["window_minutes"] == window).all()


def test_airings_outside_the_horizon_are_left_out(
    tiny: Scenario, hand_schedule: Schedule, airing: Callable[..., Programme]
) -> None:
    later = airing(
        date(2020, 2, 19),
        "08:00",
        "08:20",
        Kind.LESSON,
        "数学 第3课",
        "m3",
        grades=(3,),
        course="g3-math",
        lesson=3,
    )
    more = Schedule((*hand_schedule.programmes, later))
    frame = metrics.course_coverage(tiny, more).set_index("course")
    assert frame.loc["g3-math", "aired"] == 2


def test_coverage_records_round_trip(tiny: Scenario, hand_schedule: Schedule) -> None:
    tables = metrics.coverage(tiny, hand_schedule)
    records = tables.to_records()
    again = metrics.Coverage.from_records(records)
    assert again.to_records() == records
    assert set(records) == set(metrics.Coverage.FRAMES)
    # plain Python values only: they pickle to Dask workers and compare equal
    for rows in records.values():
        for row in rows:
            assert all(isinstance(v, str | int | float | bool | type(None)) for v in row.values())
