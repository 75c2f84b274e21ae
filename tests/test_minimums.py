"""Whether the weekly subject minimums can fit (validate, the report), and what did not fit."""

from __future__ import annotations

from builders import CHANNEL, MONDAY, aired, band, course, scenario, span

from scheduler.analysis import report
from scheduler.analysis.minimums import can_grow, shortfalls, window_to_grow
from scheduler.analysis.summary import summarise
from scheduler.analysis.unplaced import crowding, locate, smallest_change, unplaced
from scheduler.domain.model import Cohort
from scheduler.domain.result import Result, Status
from scheduler.domain.schedule import Schedule

SUBJECTS = ("物理", "化学", "生物")
GAOKAO = Cohort("gaokao", "高考", 12, 0, span("08:00-09:00"), subjects=SUBJECTS)


def cramped(**extra):  # type: ignore[no-untyped-def]
    """Monday only; grade 12 may use 08:00–09:00 (band hours), windows 08:00–09:00 and
    17:00–20:00; physics, chemistry and biology of 40 min each, one a week each; rest 10."""
    extra.setdefault("bands", (band("senior", (12,), hours=("08:00-09:00", "17:00-18:00")),))
    return scenario(
        windows=("08:00-09:00", "17:00-20:00"),
        grades=(12,),
        cohorts=(GAOKAO,),
        rest=10,
        courses=tuple(course(f"c{i}", 12, 3, 40, subject=s) for i, s in enumerate(SUBJECTS)),
        **extra,
    )


def test_shortfall_names_the_subjects_and_the_minutes() -> None:
    """Three 40-min lessons and two rests need 140 min; 08:00–09:00 and 17:00–18:00 offer
    120. Packed shortest first (ties by id), 物理 and 化学 fit, 生物 does not."""
    found = shortfalls(cramped())
    assert len(found) == 1
    only = found[0]
    assert (only.grade, only.week, only.subjects, only.need, only.offer) == (
        12,
        MONDAY,
        ("生物",),
        140,
        120,
    )
    assert only.missing == 20 and only.per_day == 20
    # both windows already reach past the band's hours: more airtime alone would not help
    assert only.band_bound and str(only).endswith("(with the band's hours widened too)")
    assert str(only).startswith(
        "grade 12 (高三), week of 2020-02-17: 生物 cannot get their "
        "weekly minimum: the minimums need 140 min of lessons"
    )


def test_no_shortfall_when_the_hours_suffice() -> None:
    roomy = cramped(bands=(band("senior", (12,), hours=("08:00-09:00", "17:00-20:00")),))
    assert shortfalls(roomy) == []


def test_validate_lists_the_shortfall_as_a_problem() -> None:
    problems = summarise(cramped()).problems
    assert any("生物 cannot get their weekly minimum" in p for p in problems)
    assert summarise(cramped()).unusable  # 18:00–20:00 is nobody's


def test_window_to_grow_prefers_band_room_next_to_it() -> None:
    """Band hours 08:00–12:00 around a 09:00–10:00 window: 120 min of room next to it, none
    next to 19:00–19:30 (outside the band)."""
    subject = scenario(
        windows=("09:00-10:00", "19:00-19:30"),
        grades=(12,),
        bands=(band("senior", (12,), hours=("08:00-12:00",)),),
    )
    assert window_to_grow(subject, 12, (MONDAY,)) == "09:00–10:00"
    assert can_grow(subject, 12, (MONDAY,))
    filled = scenario(
        windows=("08:00-12:00",),
        grades=(12,),
        bands=(band("senior", (12,), hours=("08:00-12:00",)),),
    )
    assert not can_grow(filled, 12, (MONDAY,))


def test_report_shows_shortfalls_unusable_airtime_and_what_took_the_airtime() -> None:
    subject = cramped()
    schedule = Schedule((aired(subject, "c0", "08:00", 40, grade=12),))
    result = Result(
        status=Status.FEASIBLE,
        schedule=schedule,
        objective=40.0,
        bound=None,
        runtime=0.0,
        seed=0,
        unplaced=unplaced(subject, schedule),
    )
    built = report.build(subject, result)
    assert built["minimum_shortfalls"] == [str(shortfalls(subject)[0])]
    assert built["unusable_airtime"] == [
        {
            "channel": CHANNEL,
            "window": "17:00–20:00",
            "times": "18:00–20:00",
            "days": 1,
            "minutes_per_day": 120,
        }
    ]
    assert [(row["course"], row["premieres"], row["met"]) for row in built["subject_minimums"]] == [
        ("c0", 1, True),
        ("c1", 0, False),
        ("c2", 0, False),
    ]
    rows = {row["course"]: row for row in built["unplaced"]}
    assert rows["c1"]["taken_by"] == "高三 物理 40 min"
    assert rows["c1"]["change"].startswith("+50 min of ")
    text = report.to_markdown(built)
    assert built["handed_back"] == []  # the hand-made schedule has no fillers
    for heading in (
        "## Timetable regularity",
        "## Subject minimums",
        "## Deviations",
        "## Airtime handed back",
        "## Subject minimums that cannot fit",
        "## Airtime nobody can use",
    ):
        assert heading in text


def test_crowding_and_weight_suggestion() -> None:
    """c1 (weight 1) kept out by c0 (weight 2) in the same hour: c0 took 40 min, and weight
    2.1 would let c1 outbid it."""
    subject = cramped()
    heavy = subject.replace(
        courses=tuple(
            c if c.id != "c0" else course("c0", 12, 3, 40, subject="物理", weight=2.0)
            for c in subject.courses
        )
    )
    schedule = Schedule((aired(heavy, "c0", "08:00", 40, grade=12),))
    located = locate(heavy, schedule)
    assert crowding(heavy, located, "c1") == [("高三 物理", 40)]
    missing = next(u for u in unplaced(heavy, schedule) if u.course == "c1")
    assert smallest_change(heavy, located, missing).endswith(", or weight 2.1")
