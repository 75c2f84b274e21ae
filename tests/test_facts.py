"""One definition of each derived fact: the rules, the coverage tables and the solve report
agree on hand-edited schedules (what ``check`` and ``export`` exist for)."""

from __future__ import annotations

from builders import CHANNEL, MONDAY, course, scenario, span

from scheduler.analysis.checking import check
from scheduler.analysis.metrics import coverage
from scheduler.analysis.report import build
from scheduler.analysis.unplaced import unplaced
from scheduler.domain.fill import fill
from scheduler.domain.model import Cohort, Scenario, parse_clock
from scheduler.domain.result import Result, Status
from scheduler.domain.schedule import Kind, Programme, Schedule


def lesson(
    subject: Scenario,
    course_id: str,
    number: int,
    start: str,
    *,
    ident: str = "",
    kind: Kind = Kind.LESSON,
) -> Programme:
    """A hand-placed airing of a course's lesson on the first day."""
    channel = subject.channel(CHANNEL)
    item = subject.course(course_id)
    begin = parse_clock(start)
    return Programme(
        start=channel.instant(MONDAY, begin),
        end=channel.instant(MONDAY, begin + item.lessons[number - 1].minutes),
        channel=CHANNEL,
        id=ident or f"{course_id}-l{number:03d}",
        kind=kind,
        title=item.lessons[number - 1].title,
        grades=(item.grade,),
        subject=item.subject,
        course=course_id,
        lesson=number,
    )


def filled(subject: Scenario, *programmes: Programme) -> Schedule:
    airings = list(programmes)
    return Schedule(tuple(airings + fill(subject, airings)))


def test_a_lesson_partly_inside_the_cohort_window_counts_nothing_anywhere() -> None:
    """A 20-min grade 9 lesson 08:20–08:40 half inside the zhongkao window 08:30–09:30."""
    subject = scenario(
        grades=(9,),
        courses=(course("g9", 9, 3, 20),),
        cohorts=(Cohort("zhongkao", "中考", 9, 10, span("08:30-09:30"), (0, 1, 2, 3, 4, 5, 6)),),
    )
    edited = filled(subject, lesson(subject, "g9", 1, "08:20"))
    found = [v for v in check(subject, edited) if v.rule == "cohorts"]
    assert len(found) == 1 and "got 0 min" in found[0].message
    row = coverage(subject, edited).cohorts.iloc[0]
    assert (int(row["minutes"]), bool(row["met"]), int(row["shortfall"])) == (0, False, 10)
    result = Result(Status.FEASIBLE, edited, 0.0, 0.0, 0.0, 0, unplaced=unplaced(subject, edited))
    assert build(subject, result)["cohorts"][0]["minutes"] == 0
    # wholly inside, it counts everywhere
    inside = filled(subject, lesson(subject, "g9", 1, "08:30"))
    assert [v for v in check(subject, inside) if v.rule == "cohorts"] == []
    assert int(coverage(subject, inside).cohorts.iloc[0]["minutes"]) == 20


def test_unplaced_lessons_agree_with_the_course_table() -> None:
    """Lesson 1 aired twice (a hand edit) is one lesson aired: with three allowed, two unmet."""
    subject = scenario(days=3, courses=(course("c", 1, 3, 20),), windows=("08:00-09:00",))
    twice = filled(
        subject, lesson(subject, "c", 1, "08:00"), lesson(subject, "c", 1, "08:30", ident="c-again")
    )
    table = coverage(subject, twice).courses.iloc[0]
    assert (int(table["allowed"]), int(table["aired"]), int(table["unmet"])) == (3, 1, 2)
    missing = unplaced(subject, twice)
    assert [(u.course, u.lessons, u.minutes) for u in missing] == [
        ("c", int(table["unmet"]), int(table["unmet_minutes"]))
    ]
    report = build(subject, Result(Status.FEASIBLE, twice, 0.0, 0.0, 0.0, 0, unplaced=missing))
    assert report["unplaced"][0]["lessons"] == report["courses"][0]["unmet"] == 2


def test_dead_air_is_the_same_in_check_and_in_the_airtime_table() -> None:
    subject = scenario(courses=(course("c", 1, 3, 20),), windows=("08:00-09:00",))
    edited = Schedule((lesson(subject, "c", 1, "08:10"),))  # nothing else: 40 min dead air
    gaps = [v for v in check(subject, edited) if v.rule == "continuity"]
    assert [v.time for v in gaps] == ["08:00–08:10", "08:30–09:00"]
    airtime = coverage(subject, edited).airtime
    dead = airtime[airtime["kind"] == "dead_air"]["minutes"].sum()
    assert dead == 40 == sum(int(v.message.split()[3]) for v in gaps)
