"""The domain model: frozen objects that check themselves, and a scenario that checks references."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import (
    Channel,
    Cohort,
    Course,
    Filler,
    Grade,
    Horizon,
    Lesson,
    Pinned,
    Reruns,
    Scenario,
    TimeRange,
    Window,
    format_clock,
    intersect,
    parse_clock,
)
from scheduler.io.loading import load

TINY = Path(__file__).parent / "scenarios" / "tiny"


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    """The tiny test scenario: one channel, grades 3 and 9, three short courses."""
    return load(TINY)


# -- times of day ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("00:00", 0),
        ("08:30", 510),
        ("8:05", 485),
        ("24:00", 1440),
        ("25:30", 1530),
        ("48:00", 2880),
    ],
)
def test_clock_round_trip(text: str, minute: int) -> None:
    assert parse_clock(text) == minute
    assert parse_clock(format_clock(minute)) == minute


@pytest.mark.parametrize("text", ["48:01", "49:00", "08:60", "0830", "8", "", "-1:00", "08:00:00"])
def test_bad_clocks(text: str) -> None:
    with pytest.raises(ScenarioError):
        parse_clock(text)


def test_time_ranges_are_half_open() -> None:
    morning = TimeRange(480, 600)
    assert morning.minutes == 120 and morning.label == "08:00–10:00"
    assert not morning.overlaps(TimeRange(600, 660))  # touching is not overlapping
    assert morning.overlaps(TimeRange(599, 660))
    assert morning.covers(480, 600) and not morning.covers(470, 500)
    assert morning.clip(TimeRange(570, 700)) == TimeRange(570, 600)
    assert morning.clip(TimeRange(600, 700)) is None
    with pytest.raises(ScenarioError, match="ends before it starts"):
        TimeRange(600, 600)
    with pytest.raises(ScenarioError, match="outside the broadcast day"):
        TimeRange(0, 2881)


def test_intersect_keeps_time_order() -> None:
    spans = (TimeRange(1140, 1290), TimeRange(480, 720))
    assert intersect(spans, (TimeRange(510, 690), TimeRange(1200, 1500))) == (
        TimeRange(510, 690),
        TimeRange(1200, 1290),
    )


# -- objects check themselves ----------------------------------------------------------------------
def test_window_needs_weekdays_or_dates() -> None:
    with pytest.raises(ScenarioError, match="either weekdays or dates"):
        Window(TimeRange(0, 60))
    with pytest.raises(ScenarioError, match="either weekdays or dates"):
        Window(TimeRange(0, 60), weekdays=(0,), dates=(date(2020, 2, 17),))


def test_channel_checks_id_and_zone() -> None:
    window = Window(TimeRange(480, 600), weekdays=(0,))
    with pytest.raises(ScenarioError, match="not safe"):
        Channel("../x", "台", "TV", "Asia/Shanghai", (window,))
    with pytest.raises(ScenarioError, match="unknown time zone 'Asia/Beijing'"):
        Channel("tv", "台", "TV", "Asia/Beijing", (window,))
    with pytest.raises(ScenarioError, match="no broadcast windows"):
        Channel("tv", "台", "TV", "Asia/Shanghai", ())


def test_instants_are_aware_in_the_channel_zone(tiny: Scenario) -> None:
    channel = tiny.channels[0]
    start = channel.instant(date(2020, 2, 17), 19 * 60)
    assert start.isoformat() == "2020-02-17T19:00:00+08:00"
    # minutes past midnight belong to the next calendar day
    assert channel.instant(date(2020, 2, 17), 25 * 60).isoformat() == "2020-02-18T01:00:00+08:00"


def test_course_lessons_are_numbered_without_gaps() -> None:
    one, three = Lesson(1, "一", 20), Lesson(3, "三", 20)
    with pytest.raises(ScenarioError, match="found 3 where 2 was expected"):
        Course("c", 3, "数学", "Math", (one, three))
    course = Course("c", 3, "数学", "Math", (one, Lesson(2, "二", 15)), progress=1)
    assert course.remaining == (Lesson(2, "二", 15),)
    assert course.uniform_minutes is None
    with pytest.raises(ScenarioError, match=r"progress must be 0\.\.2"):
        Course("c", 3, "数学", "Math", (one, Lesson(2, "二", 15)), progress=3)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: Lesson(0, "x", 20), "must be 1 or more"),
        (lambda: Lesson(1, " ", 20), "empty title"),
        (lambda: Lesson(1, "x", 0), "at least one minute"),
        (lambda: Grade(13, date(2020, 2, 17)), "unknown grade 13"),
        (lambda: Filler("f", "x", "news", 5), "kind 'news'"),
        (lambda: Filler("f", "x", "promo", 5, 4), "min ≤ max"),
        (lambda: Reruns(mode="sometimes"), "rerun mode 'sometimes'"),
        (lambda: Horizon(date(2020, 2, 17), date(2020, 2, 16)), "ends before it starts"),
        (lambda: Horizon(date(2020, 1, 1), date(2021, 6, 1)), "longer than a year"),
    ],
)
def test_objects_refuse_bad_values(make: object, says: str) -> None:
    with pytest.raises(ScenarioError, match=says):
        make()  # type: ignore[operator]


def test_objects_are_frozen(tiny: Scenario) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny.channels[0].id = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny.name = "other"  # type: ignore[misc]


# -- the scenario checks references and computes lookups -------------------------------------------
def test_lookups(tiny: Scenario) -> None:
    assert tiny.band_of(3).id == "primary" and tiny.band_of(9).id == "junior"
    assert [c.id for c in tiny.courses_of(3)] == ["g3-math", "g3-chinese"]
    assert tiny.courses_of(7) == ()
    assert tiny.channels_of(9) == tiny.channels
    assert tiny.course("g9-math").grade == 9
    assert tiny.filler("promo").max_minutes == 30
    assert tiny.special("epidemic").per_week == 2
    assert tiny.weeks() == (tiny.days,)
    # grade 3 may have lessons 08:00-10:00; on the dated Saturday only 09:00-09:30 airs
    channel = tiny.channels[0]
    assert tiny.lesson_hours(3, channel, date(2020, 2, 22)) == (TimeRange(540, 570),)
    assert tiny.lesson_hours(3, channel, date(2020, 2, 23)) == ()


def test_weeks_are_iso_weeks(tiny: Scenario) -> None:
    # Wednesday 2020-02-19 .. Tuesday 2020-02-25: two partial ISO weeks
    shifted = tiny.replace(horizon=Horizon(date(2020, 2, 19), date(2020, 2, 25)))
    assert [len(week) for week in shifted.weeks()] == [5, 2]
    assert shifted.weeks()[1][0] == date(2020, 2, 24)


def test_replace_validates_again_and_equality_ignores_source(tiny: Scenario) -> None:
    renamed = tiny.replace(title="别名")
    assert renamed.title == "别名" and renamed != tiny
    assert dataclasses.replace(tiny, source="elsewhere") == tiny
    gaokao = Cohort("gaokao", "高考", 12, 40, TimeRange(1140, 1200))
    with pytest.raises(ScenarioError) as caught:
        tiny.replace(cohorts=(*tiny.cohorts, gaokao))
    assert caught.value.field == "cohorts[1].grade"
    assert "cohort 'gaokao' names unknown grade 12" in str(caught.value)


def test_reference_errors_name_the_field(tiny: Scenario) -> None:
    day = date(2020, 2, 17)
    cases: list[tuple[dict[str, object], str, str]] = [
        ({"channels": (*tiny.channels, tiny.channels[0])}, "channels[1].id", "defined twice"),
        ({"channels": ()}, "channels", "no channels"),
        (
            {"pinned": (Pinned("p", "tv.test", day, TimeRange(480, 490), "x", (12,)),)},
            "pinned[0].grades",
            "names unknown grade 12",
        ),
        (
            {"pinned": (Pinned("p", "tv.other", day, TimeRange(480, 490), "x"),)},
            "pinned[0].channel",
            "unknown channel",
        ),
        (
            {"pinned": (Pinned("p", "tv.test", day, TimeRange(700, 710), "x"),)},
            "pinned[0]",
            "outside the broadcast windows",
        ),
        (
            {
                "pinned": (
                    Pinned("a", "tv.test", day, TimeRange(480, 500), "x"),
                    Pinned("b", "tv.test", day, TimeRange(490, 510), "y"),
                )
            },
            "pinned[1]",
            "'a' and 'b' overlap",
        ),
        ({"fillers": (tiny.filler("eye"),)}, "fillers", "variable-length"),
        ({"fillers": (tiny.filler("promo"),)}, "fillers", "eye_exercise"),
        ({"grades": (*tiny.grades, Grade(5, day))}, "grades[2]", "grade 5 belongs to no band"),
    ]
    for changes, field, says in cases:
        with pytest.raises(ScenarioError) as caught:
            tiny.replace(**changes)
        assert caught.value.field == field, changes
        assert says in caught.value.message


def test_windows_crossing_a_daylight_saving_change_are_refused(tiny: Scenario) -> None:
    # Europe/Berlin springs forward at 02:00 on 2020-03-29
    night = Window(TimeRange(60, 240), dates=(date(2020, 3, 29),))
    berlin = dataclasses.replace(
        tiny.channels[0], timezone="Europe/Berlin", windows=(*tiny.channels[0].windows, night)
    )
    first = date(2020, 3, 23)
    shifted = tiny.replace(horizon=Horizon(first, first + timedelta(days=6)), pinned=())
    with pytest.raises(ScenarioError, match="crosses a daylight-saving change") as caught:
        shifted.replace(channels=(berlin,))
    assert caught.value.field == "channels[0].windows[3]"
    # split at the change it is fine
    split = (
        Window(TimeRange(60, 120), dates=(date(2020, 3, 29),)),
        Window(TimeRange(180, 240), dates=(date(2020, 3, 29),)),
    )
    fine = dataclasses.replace(berlin, windows=(*tiny.channels[0].windows, *split))
    assert shifted.replace(channels=(fine,)).channels[0].timezone == "Europe/Berlin"
