"""The timetable engine: periods, lesson days and a weekly template, on tiny exact cases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from builders import MONDAY, course, scenario, solved, span

from scheduler.domain.model import (
    Calendar,
    Cohort,
    Holiday,
    PeriodPlan,
    Pinned,
    Scenario,
    Timetable,
)
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Schedule
from scheduler.solver.periods import choose_periods

TEMPLATE = Timetable(mode="template")
SCHOOL_WEEK = Calendar()  # Monday to Friday
TWO = (course("a", 1, 20, 20, per_week=5), course("b", 1, 20, 20, per_week=5, subject="语文"))


def week_scenario(**changes: object) -> Scenario:
    """One channel on air 08:00–09:00 every day for a week; grade 1 has two courses of 20-min
    lessons, five a week each; rest 10 min; lessons Monday to Friday in periods."""
    parts: dict[str, object] = dict(
        windows=("08:00-09:00",),
        days=7,
        rest=10,
        courses=TWO,
        calendar=SCHOOL_WEEK,
        timetable=TEMPLATE,
    )
    parts.update(changes)
    return scenario(**parts)  # type: ignore[arg-type]


def starts(schedule: Schedule, kind: Kind = Kind.LESSON) -> dict[str, set[str]]:
    """Clock times each course's airings of ``kind`` start at."""
    found: dict[str, set[str]] = defaultdict(set)
    for programme in schedule.of_kind(kind):
        assert programme.course is not None
        found[programme.course].add(f"{programme.start:%H:%M}")
    return found


def lesson_dates(schedule: Schedule) -> set[date]:
    return {programme.start.date() for programme in schedule.of_kind(Kind.LESSON)}


def test_periods_fill_the_window_a_rest_apart() -> None:
    """60 min hold two 20-min periods 10 min apart (20 + 10 + 20 = 50 ≤ 60), not three
    (20 + 10 + 20 + 10 + 20 = 80): the MIP picks two, the earliest such pair."""
    periods = choose_periods(week_scenario())
    assert [p.span.label for p in periods[1]] == ["08:00–08:20", "08:30–08:50"]
    assert [p.number for p in periods[1]] == [1, 2]


def test_optimum_two_periods_on_five_lesson_days() -> None:
    """Two periods × five lesson days × 20 min = 200 points, nothing on the weekend, and each
    course at one clock time all week (a: 5 lessons, b: 5 lessons)."""
    result = solved(week_scenario())
    assert result.status is Status.OPTIMAL
    assert result.objective == 200
    assert result.schedule is not None
    assert {d.weekday() for d in lesson_dates(result.schedule)} == {0, 1, 2, 3, 4}
    assert all(len(times) == 1 for times in starts(result.schedule).values())
    assert sorted(next(iter(t)) for t in starts(result.schedule).values()) == ["08:00", "08:30"]


def test_free_placement_uses_the_weekend_when_every_day_is_a_lesson_day() -> None:
    """The same week with lessons allowed every day and placed freely: 7 days × 2 lessons but
    each course at most 5 a week: 10 lessons = 200 points; with per_week 7, 14 = 280."""
    every_day = Calendar(lesson_weekdays=(0, 1, 2, 3, 4, 5, 6))
    result = solved(
        week_scenario(
            calendar=every_day,
            courses=(
                course("a", 1, 20, 20, per_week=7),
                course("b", 1, 20, 20, per_week=7, subject="语文"),
            ),
        )
    )
    assert result.objective == 280


def test_fixed_periods_are_kept() -> None:
    """A planner's period 08:10–08:30 only: one lesson a day at 08:10, 5 × 20 = 100 points."""
    fixed = Timetable(periods=(PeriodPlan((1,), (span("08:10-08:30"),)),))
    result = solved(week_scenario(timetable=fixed))
    assert result.status is Status.OPTIMAL
    assert result.objective == 100
    assert result.schedule is not None
    assert {t for times in starts(result.schedule).values() for t in times} == {"08:10"}


def test_holiday_has_no_lessons() -> None:
    """A holiday on Wednesday: four lesson days × two periods × 20 min = 160 points."""
    holiday = Calendar(holidays=(Holiday("节日", MONDAY + timedelta(2), MONDAY + timedelta(2)),))
    result = solved(week_scenario(calendar=holiday))
    assert result.objective == 160
    assert result.schedule is not None
    assert MONDAY + timedelta(2) not in lesson_dates(result.schedule)


def test_later_weeks_keep_the_first_weeks_timetable() -> None:
    """Two weeks, the second with a holiday on Wednesday: every course keeps its clock time
    and weekday layout; only Wednesday differs (no lessons). 200 + 160 = 360 points."""
    holiday = Calendar(holidays=(Holiday("节日", MONDAY + timedelta(9), MONDAY + timedelta(9)),))
    result = solved(week_scenario(days=14, calendar=holiday))
    assert result.objective == 360
    assert result.schedule is not None
    assert all(len(times) == 1 for times in starts(result.schedule).values())
    layout: dict[tuple[int, int], set[str]] = defaultdict(set)
    for programme in result.schedule.of_kind(Kind.LESSON):
        week = (programme.start.date() - MONDAY).days // 7
        layout[(week, programme.start.weekday())].add(f"{programme.course}@{programme.start:%H:%M}")
    for weekday in (0, 1, 3, 4):
        assert layout[(0, weekday)] == layout[(1, weekday)]
    assert (1, 2) not in layout


def test_pin_takes_its_period_that_day_only() -> None:
    """A pin 08:00–08:20 on Tuesday blocks period 1 that day: 200 − 20 = 180 points."""
    pin = Pinned("relay", "tv.test", MONDAY + timedelta(1), span("08:00-08:20"), "直播")
    result = solved(week_scenario(pinned=(pin,)))
    assert result.objective == 180


def test_subject_minimum_takes_a_period_from_a_heavier_course() -> None:
    """One period a day (fixed 08:00), courses a (weight 1, 5 a week) and b (weight 0.5,
    minimum 1 a week): b gets one day, a four: 4 × 20 + 1 × 20 × 0.5 = 90 points, not 100."""
    fixed = Timetable(periods=(PeriodPlan((1,), (span("08:00-08:20"),)),))
    light = replace(course("b", 1, 20, 20, per_week=5, weight=0.5, subject="语文"), min_per_week=1)
    courses = (course("a", 1, 20, 20, per_week=5), light)
    result = solved(week_scenario(timetable=fixed, courses=courses))
    assert result.status is Status.OPTIMAL
    assert result.objective == 90


def test_cohort_guarantee_beyond_the_periods_is_infeasible() -> None:
    """Infeasible twin: a fixed single 20-min period cannot give grade 1 its guaranteed 40 min
    a day."""
    fixed = Timetable(periods=(PeriodPlan((1,), (span("08:00-08:20"),)),))
    guarantee = Cohort("exam", "考试", 1, 40, span("08:00-09:00"))
    result = solved(week_scenario(timetable=fixed, cohorts=(guarantee,)))
    assert result.status is Status.INFEASIBLE


def test_time_limit_bounds_the_whole_solve() -> None:
    """A 16-week term with a 2 s limit: the weeks not solved in time are planned the quick way
    and the solve returns near its limit (loosely: 2 × limit + 3 s, CI machines are noisy;
    before the limit covered the whole solve this took ≈ 25 s). A quick plan that breaks a rule
    is never given as a schedule: the answer is then UNKNOWN, saying what was tried."""
    from scheduler.analysis.checking import check
    from scheduler.io.loading import DEFAULT_SCENARIO, load
    from scheduler.solver.solving import solve

    term = load(DEFAULT_SCENARIO / "term.toml")
    result = solve(term, time_limit=2, workers=1, seed=0)
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN)
    if result.schedule is None:
        assert any("violation(s), so none is given" in line for line in result.explanation)
    else:
        assert check(term, result.schedule) == []
    assert result.runtime <= 2 * 2 + 3, result.runtime


def test_weeks_solved_ahead_give_the_same_schedule() -> None:
    """With two workers the next week is solved ahead in a forked child under its likely
    key; the schedule is byte for byte the one a single worker makes (four weeks, a pin in the
    second and a holiday in the third, so some guesses are right and some wrong)."""
    from scheduler.solver.solving import solve

    holiday = Calendar(holidays=(Holiday("节日", MONDAY + timedelta(16), MONDAY + timedelta(16)),))
    pin = Pinned("relay", "tv.test", MONDAY + timedelta(8), span("08:00-08:20"), "直播")
    subject = week_scenario(days=28, calendar=holiday, pinned=(pin,))
    alone = solve(subject, time_limit=20, workers=1, seed=0)
    ahead = solve(subject, time_limit=20, workers=2, seed=0)
    assert alone.schedule is not None and ahead.schedule is not None
    assert ahead.schedule.to_json() == alone.schedule.to_json()
    assert ahead.objective == alone.objective and ahead.bound == alone.bound
    assert ahead.stats["weeks_ahead"] >= 1 and alone.stats["weeks_ahead"] == 0


def test_an_outage_is_a_deviation_of_its_day_not_of_the_periods() -> None:
    """Off air the first Wednesday 08:00–08:30: the grade keeps the periods of the week
    without the outage (two, 08:00 and 08:30); only that day's lessons give way."""
    from scheduler.domain.disruptions import Outage

    plain = week_scenario()
    channel = plain.channels[0]
    outage = Outage(channel.id, MONDAY + timedelta(2), MONDAY + timedelta(2), 480, 510)
    disrupted = plain.replace(channels=(replace(channel, outages=(outage,)),))
    assert choose_periods(disrupted) == choose_periods(plain)
    result = solved(disrupted)
    assert result.schedule is not None
    wednesday = [
        p for p in result.schedule.of_kind(Kind.LESSON) if p.start.date() == MONDAY + timedelta(2)
    ]
    assert all(f"{p.start:%H:%M}" == "08:30" for p in wednesday)


def test_a_quick_plan_that_breaks_a_rule_is_refused() -> None:
    """A schedule with quickly planned weeks is checked whole: one that breaks rules (here an
    empty week: dead air, a subject minimum) gives UNKNOWN with what was tried and the first
    violations the checker finds; a clean one is given."""
    from scheduler.analysis.checking import check
    from scheduler.domain.schedule import Schedule
    from scheduler.solver.quick import refuse_broken

    subject = week_scenario(courses=(replace(TWO[0], min_per_week=1), TWO[1]))
    week = subject.weeks()[0]
    refusal = refuse_broken(subject, Schedule(()), [week[0]], ("week of …: fallback",))
    assert refusal is not None and refusal.status is Status.UNKNOWN
    assert refusal.schedule is None
    assert refusal.explanation[0] == "week of …: fallback"
    broken = check(subject, Schedule(()))
    assert any(v.rule == "subject_minimums" for v in broken)
    assert "planned them the quick way" in refusal.explanation[1]
    assert f"{len(broken)} violation(s), so none is given" in refusal.explanation[1]
    assert list(refusal.explanation[2:]) == [str(v) for v in broken[:5]]
    clean = solved(subject)
    assert clean.schedule is not None
    assert refuse_broken(subject, clean.schedule, [week[0]], ()) is None
