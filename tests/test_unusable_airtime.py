"""Airtime nobody can use, and how fill hands it back as one station block."""

from __future__ import annotations

from datetime import date

from builders import CHANNEL, MONDAY, aired, band, course, school, span

from constraints import filler_repeats
from scheduler.domain.airtime import Stretch, minutes_by_window, unusable
from scheduler.domain.fill import fill
from scheduler.domain.model import STATION_FILLER, Filler, Pinned, Special
from scheduler.domain.schedule import Kind, Schedule

MORNING_ONLY = (band("b", (1,), hours=("08:00-09:00",)),)


def subject(**extra):  # type: ignore[no-untyped-def]
    """Windows 08:00–09:00 and 19:00–20:00 every day; grade 1 may only use the morning."""
    extra.setdefault("bands", MORNING_ONLY)
    extra.setdefault("windows", ("08:00-09:00", "19:00-20:00"))
    return school(courses=(course("c", 1, 9, 20),), **extra)


def test_evening_is_unusable_and_weekends_without_specials_too() -> None:
    """Monday: only the evening; Saturday (not a lesson day, no special): both windows."""
    week = subject(days=6)
    found = unusable(week)
    assert [(s.day, s.span.label) for s in found if s.day == MONDAY] == [(MONDAY, "19:00–20:00")]
    assert [s.span.label for s in found if s.day == date(2020, 2, 22)] == [
        "08:00–09:00",
        "19:00–20:00",
    ]
    assert minutes_by_window(found) == [
        (CHANNEL, "08:00–09:00", "08:00–09:00", 1, 60),
        (CHANNEL, "19:00–20:00", "19:00–20:00", 6, 60),
    ]


def test_specials_and_pins_make_airtime_usable() -> None:
    """A special allowed 19:00–19:30 and a pin at 19:40–19:50 leave 19:30–19:40 and
    19:50–20:00."""
    day = subject(
        specials=(Special("s", "专题", "专题", 15, 1, hours=(span("19:00-19:30"),)),),
        pinned=(Pinned("p", CHANNEL, MONDAY, span("19:40-19:50"), "直播"),),
    )
    assert [s.span.label for s in unusable(day)] == ["19:30–19:40", "19:50–20:00"]
    assert sum(s.minutes for s in unusable(day)) == 20


def test_fill_hands_each_unusable_stretch_back_as_one_station_block() -> None:
    """No lessons on Monday: the morning gap (60 min, usable) is longer than the promo's
    30 min and the evening is unusable; each window becomes one 常规节目 airing."""
    day = subject()
    fillers = fill(day, [])
    assert [(p.title, p.item, p.minutes) for p in fillers] == [
        ("常规节目", "station", 60),
        ("常规节目", "station", 60),
    ]
    assert day.station_filler is STATION_FILLER


def test_fill_after_a_lesson_opens_with_eye_exercises() -> None:
    """A lesson 08:00–08:20: eye exercises, then the 35 min left (over 30) handed back as one
    block; a 20-min gap instead gets eye exercises and a 15-min promo."""
    day = subject()
    long_gap = fill(day, [aired(day, "c", "08:00", 20)])
    assert [(p.item, p.minutes) for p in long_gap if p.start.hour == 8] == [
        ("eye", 5),
        ("station", 35),
    ]
    short = day.replace(channels=school(windows=("08:00-08:40",)).channels)
    assert [(p.item, p.minutes) for p in fill(short, [aired(short, "c", "08:00", 20)])] == [
        ("eye", 5),
        ("promo", 15),
    ]


def test_fill_opens_the_hand_back_with_one_spot_and_merges_station_blocks() -> None:
    """With a PSA and a declared station filler: 60 unusable minutes are PSA + station; a
    usable 40-min gap followed by an unusable hour becomes PSA + ONE station airing."""
    fillers = (
        *subject().fillers,
        Filler("psa", "公益广告", "psa", 2),
        Filler("own", "本台节目", "station", 1, 600),
    )
    day = subject(windows=("08:00-10:00",)).replace(fillers=fillers)
    placed = fill(day, [aired(day, "c", "08:00", 20)])
    assert [(p.item, p.minutes) for p in placed] == [("eye", 5), ("psa", 2), ("own", 93)]
    schedule = Schedule((aired(day, "c", "08:00", 20), *placed))
    assert filler_repeats.violations(day, schedule) == []


def test_stretch_minutes() -> None:
    assert Stretch(CHANNEL, MONDAY, span("19:00-19:45"), "晚间").minutes == 45
    assert Kind.FILLER.value == "filler"


def test_station_blocks_are_not_merged_across_touching_windows() -> None:
    """Windows 08:00–10:00 and 10:00–10:45 touch: each gets its own airing, so none lies
    outside a window (found by the random solve test)."""
    from constraints import airtime

    day = subject(windows=("08:00-10:00", "10:00-10:45"))
    placed = fill(day, [])
    assert [(p.item, p.minutes) for p in placed] == [("station", 120), ("station", 45)]
    assert airtime.violations(day, Schedule(tuple(placed))) == []
