"""The figures ``skyclass validate`` prints, checked against arithmetic done by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.analysis.summary import Summary, guarantee_days, precheck, summarise
from scheduler.io.loading import DEFAULT_SCENARIO, load

TINY = Path(__file__).parent / "scenarios" / "tiny"


@pytest.fixture(scope="module")
def week() -> Summary:
    """The default scenario: CETV-4, the first published week 2020-02-17 .. 02-23."""
    return summarise(load())


# -- the tiny scenario -----------------------------------------------------------------------------
def test_tiny_figures() -> None:
    summary = summarise(load(TINY))
    (channel,) = summary.airtime
    by_day = dict(channel.minutes_by_day)
    # weekdays 08:00-10:00 (120) + 19:00-20:00 (60) = 180
    assert by_day[date(2020, 2, 17)] == 180
    # Saturday: the dated window 09:00-09:30 replaces the weekday windows
    assert by_day[date(2020, 2, 22)] == 30
    # Sunday: only the everyday evening window
    assert by_day[date(2020, 2, 23)] == 60
    # 5 × 180 + 30 + 60 = 990
    assert channel.total == 990 and summary.airtime_total == 990

    g3, g9 = summary.demand
    # grade 3 (band hours 08:00-10:00) has lesson hours Mon-Fri and on the dated Saturday, but
    # lessons are for the lesson days Monday to Friday: 5 days
    assert g3.lesson_days == 5
    # g3-math: 5 lessons left; g3-chinese: 4 lessons, 1 aired (progress) → 3 left; 5 + 3 = 8
    assert (g3.courses, g3.lessons_left) == (2, 8)
    # minutes left: math 5 × 20 = 100; chinese 15 + 20 + 15 = 50 → 150
    assert g3.minutes_left == 150
    # a full week at pace: math 20 min × 3/week = 60; chinese longest left 20 × min(5, 3 left) = 60
    assert g3.weekly_pace_minutes == 120
    # over the horizon: math min(3/week, 5 days) = 3 lessons = 60 min; chinese min(5, 5) = 5 ≥ 3
    # lessons left, so all 3 = 50 min → 110
    assert g3.pace_minutes == 110
    # grade 9 (hours 08:00-10:00 and 19:00-20:00) has lesson hours on every lesson day (Mon-Fri:
    # 5); g9-math 2/week × 30
    assert (g9.lesson_days, g9.weekly_pace_minutes, g9.pace_minutes) == (5, 60, 60)
    assert summary.demand_total == 110 + 60

    (cohort,) = summary.cohorts
    # zhongkao: Mon-Fri from the term start 2020-02-17 → 5 days of 30 min
    assert (cohort.days, cohort.guaranteed_minutes, cohort.window) == (5, 30, "19:00–20:00")
    # one special: 10 min × 2 a week
    assert summary.special_minutes_per_week == 20
    assert summary.problems == ()


# -- the default week and its variants -------------------------------------------------------------
# per week: weekdays 08:00-12:00 (240) + 14:00-17:30 (210) + 19:00-21:30 (150) = 600 min × 5
#           weekend  19:00-21:30 (150) + 09:00-11:30 (150) + 14:30-16:00 (90) = 390 min × 2
#           3000 + 780 = 3780 min a week
WEEK_AIRTIME = 5 * (240 + 210 + 150) + 2 * (150 + 150 + 90)

# a week at pace, from catalog/courses.csv (per_week) and lessons.csv (minutes):
#   grade 1, 2:   语文 5 + 数学 5 + 道法 2 + 音乐 2 + 美术 2 + 体育 2 = 18 lessons × 20 min = 360
#   grade 3–6:    语文 5 + 数学 5 + 英语 3 + 道法 2 + 科学 2 + 音乐 2 + 美术 2 + 体育 2
#                 = 23 × 20 = 460
#   grade 9:      语文 5 + 数学 5 + 英语 4 + 物理 4 + 化学 4 + 道法 3 + 历史 3 = 28 × 30 = 840
#   grade 12:     语文 5 + 数学 5 + 英语 4 + 6 subjects × 3 = 32 × 40 = 1280
WEEK_PACE = {1: 360, 2: 360, 3: 460, 4: 460, 5: 460, 6: 460, 9: 840, 12: 1280}
# 2 × 360 + 4 × 460 + 840 + 1280 = 4680 min a week: demand exceeds airtime, as in 2020
WEEK_DEMAND = 4680


def test_default_week_airtime(week: Summary) -> None:
    (channel,) = week.airtime
    assert channel.channel == "cetv4.cn"
    assert dict(channel.minutes_by_day)[date(2020, 2, 17)] == 600  # a Monday
    assert dict(channel.minutes_by_day)[date(2020, 2, 22)] == 390  # a Saturday
    assert channel.total == WEEK_AIRTIME and channel.per_week(week.weeks) == 3780
    assert week.weeks == 1


def test_default_week_demand(week: Summary) -> None:
    assert {d.grade: d.weekly_pace_minutes for d in week.demand} == WEEK_PACE
    g1 = week.demand[0]
    # grade 1: 语文 80 + 数学 80 + 4 subjects × 32 = 288 lessons of 20 min = 5760 min
    assert (g1.lessons_left, g1.minutes_left) == (288, 5760)
    assert (g1.band, g1.daily_cap_minutes) == ("lower-primary", 120)
    # lessons Monday to Friday only (the school calendar): 5 lesson days for every grade
    assert all(d.lesson_days == 5 for d in week.demand)
    # with 5 lesson days the weekly caps (at most 5) bind: the week's pace minutes are the weekly
    # figures
    assert {d.grade: d.pace_minutes for d in week.demand} == WEEK_PACE
    assert week.demand_total == WEEK_DEMAND
    assert week.demand_total > week.airtime_total


def test_default_week_guarantees_and_specials(week: Summary) -> None:
    zhongkao, gaokao = week.cohorts
    # Mon-Fri of the week, all on or after the term start 2020-02-17: 5 days
    assert (zhongkao.grade, zhongkao.guaranteed_minutes, zhongkao.days) == (9, 60, 5)
    assert (gaokao.grade, gaokao.guaranteed_minutes, gaokao.days) == (12, 80, 5)
    # specials a week: epidemic 15 × 5 + life 15 + safety 15 + mental 15 × 2 + patriotism 15
    #                  + reading 15 × 2 + exercise 10 × 5 = 75 + 15 + 15 + 30 + 15 + 30 + 50
    assert week.special_minutes_per_week == 230
    assert week.problems == ()


def test_term() -> None:
    summary = summarise(load(DEFAULT_SCENARIO / "term.toml"))
    # 2020-02-17 .. 2020-06-07 is 112 days = 16 ISO weeks of 3780 min
    assert (summary.weeks, summary.airtime_total) == (16, 16 * 3780)
    # guarantees: 16 weeks × 5 weekdays = 80 days, less the 4 weekday holidays (04-06, 05-01,
    # 05-04, 05-05), plus the 2 make-up days (04-26, 05-09): 78
    assert [c.days for c in summary.cohorts] == [78, 78]
    # the catalog holds exactly 16 weeks at pace (e.g. 语文 80 = 16 × 5, 道法 32 = 16 × 2), but
    # the 2020 holidays leave three weeks with 4 lesson days (清明 Mon 04-06; 劳动节 Fri 05-01;
    # Mon-Tue 05-04/05 with Saturday 05-09 made up), so 语文 and 数学 (5 a week) lose 3 lessons
    # each: grade 1 5760 - 6 × 20 = 5640 of its 5760 min
    g1 = summary.demand[0]
    assert (g1.pace_minutes, g1.minutes_left) == (16 * 360 - 120, 16 * 360)
    assert summary.problems == ()


def test_month() -> None:
    summary = summarise(load(DEFAULT_SCENARIO / "month.toml"))
    # 2020-02-17 .. 2020-03-15: 28 days = 4 weeks
    assert (summary.weeks, summary.airtime_total) == (4, 4 * 3780)
    assert [c.days for c in summary.cohorts] == [20, 20]
    assert summary.demand_total == 4 * WEEK_DEMAND


def test_preterm() -> None:
    summary = summarise(load(DEFAULT_SCENARIO / "preterm.toml"))
    # 2020-02-10 .. 02-16 is a Mon..Sun week with the same windows: 3780 min
    assert summary.airtime_total == 3780
    # every term starts 2020-02-17: no lesson days, no lesson demand, no guarantee days
    assert all(d.lesson_days == 0 and d.pace_minutes == 0 for d in summary.demand)
    assert summary.demand_total == 0
    assert [c.days for c in summary.cohorts] == [0, 0]
    # specials: epidemic 15 × 14 + life 15 + safety 15 + mental 15 × 7 + patriotism 15
    #           + reading 15 × 7 + exercise 10 × 5 = 210 + 15 + 15 + 105 + 15 + 105 + 50
    assert summary.special_minutes_per_week == 515
    assert summary.problems == ()


# -- pre-checks ------------------------------------------------------------------------------------
def test_a_guarantee_larger_than_its_window_is_a_problem() -> None:
    # the zhongkao window shrinks to 19:00-19:20: 20 min on air, 30 guaranteed
    scenario = load(TINY, overrides={"cohorts[0].window": "19:00-19:20"})
    problems = precheck(scenario)
    assert len(problems) == 5  # Mon .. Fri
    assert problems[0] == (
        "cohort zhongkao (中考（初三）): guarantee 30 min on 2020-02-17 cannot fit: its window "
        "19:00–19:20 has 20 min of lesson airtime (tv.test 19:00–19:20)"
    )


def test_a_guarantee_above_the_screen_time_cap_or_the_courses_is_a_problem() -> None:
    scenario = load(
        TINY, overrides={"cohorts[0].guaranteed_minutes": 100, "cohorts[0].window": "08:00-21:00"}
    )
    problems = precheck(scenario)
    # junior cap 90 < 100; g9-math gives at most 1 lesson × 30 min a day < 100
    assert "exceeds the 90 min screen-time cap of band junior" in problems[0]
    assert "exceeds the 30 min its courses can supply" in problems[1]
    # window: 08:00-10:00 + 19:00-20:00 = 180 min ≥ 100, so no window problem
    assert len(problems) == 2


def test_guarantees_start_with_the_term() -> None:
    scenario = load(TINY, overrides={"grades.term_starts": {"9": "2020-02-19"}})
    assert guarantee_days(scenario, "zhongkao") == (
        date(2020, 2, 19),
        date(2020, 2, 20),
        date(2020, 2, 21),
    )


def test_a_lesson_longer_than_every_window_is_a_problem() -> None:
    # primary lessons are 20 min; grade 3's lesson hours shrink to 08:00-08:15
    scenario = load(TINY, overrides={"bands[0].hours": ["08:00-08:15"]})
    problems = precheck(scenario)
    assert any("course g3-math: no window" in p and "a 20 min lesson" in p for p in problems)


def test_a_grade_whose_hours_never_air_is_a_problem() -> None:
    scenario = load(TINY, overrides={"bands[0].hours": ["12:00-13:00"]})
    assert any(
        p.startswith("grade 3 (三年级): its band's hours never meet") for p in precheck(scenario)
    )


def test_a_special_quota_larger_than_its_hours_is_a_problem() -> None:
    scenario = load(
        TINY, overrides={"specials[0].per_week": 100, "specials[0].hours": ["08:00-09:00"]}
    )
    (problem,) = precheck(scenario)
    # 5 weekdays × 60 min of 08:00-09:00 on air = 300 < 100 × 10
    assert problem == (
        "special epidemic needs 1000 min in the week of 2020-02-17 "
        "but its hours offer 300 min on air"
    )
