"""Correct in every clock: daylight-saving nights through load, solve, check and publish.

Wall-clock minutes are the planner's clock; every rule works in real instants made by one
function, :meth:`Channel.instant`. A time the zone skips or repeats is refused at load, a window
split at the change works end to end, and rests and durations are real minutes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from builders import ALL_DAYS, CHANNEL, MONDAY, band, course, scenario, solved, span
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_verdicts import greedy_schedule

import exports.printable
from scheduler.analysis.checking import check
from scheduler.cli import main
from scheduler.domain.model import Channel, ClockError, Reruns, Scenario, Window, format_clock
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, broadcast_day
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule

DST = Path(__file__).parent / "scenarios" / "dst"
#: scenario, broadcast day of the change, the pin as written, the zone's offsets before/after
NIGHTS = {
    "berlin-spring": (date(2020, 3, 28), "25:30–26:00", ("+0100", "+0200")),
    "berlin-autumn": (date(2020, 10, 24), "25:30–26:00", ("+0200", "+0100")),
    "newyork-spring": (date(2020, 3, 7), "25:30–26:00", ("-0500", "-0400")),
    "newyork-autumn": (date(2020, 10, 31), "24:30–25:00", ("-0400", "-0500")),
}


def test_one_instant_per_wall_clock_minute() -> None:
    berlin = Channel(
        CHANNEL, "t", "t", "Europe/Berlin", (Window(span("08:00-09:00"), weekdays=ALL_DAYS),)
    )
    night = date(2020, 3, 28)
    assert berlin.instant(night, 25 * 60 + 30).astimezone(UTC) == datetime(
        2020, 3, 29, 0, 30, tzinfo=UTC
    )
    # an end at the skipped hour is the instant the clocks jump, written in the new offset
    end = berlin.instant(night, 26 * 60)
    assert end.isoformat() == "2020-03-29T03:00:00+02:00"
    assert berlin.instant(night, 27 * 60) == end
    assert berlin.wall_minute(night, end) == 27 * 60
    with pytest.raises(ClockError, match="does not exist"):
        berlin.instant(night, 26 * 60 + 30)
    autumn = date(2020, 10, 24)
    assert berlin.instant(autumn, 26 * 60).isoformat() == "2020-10-25T02:00:00+02:00"
    with pytest.raises(ClockError, match="happens twice"):
        berlin.instant(autumn, 26 * 60 + 30)
    # real minutes: 01:20 CET to 03:00 CEST is 40 minutes
    assert berlin.instant(night, 27 * 60) - berlin.instant(night, 25 * 60 + 20) == timedelta(
        minutes=40
    )


@pytest.mark.parametrize(
    "name, field, says",
    [
        ("skipped-end", "channels[0].windows[1]", "(2020-03-29 02:00) does not exist"),
        ("repeated-hour", "channels[0].windows[1]", "(2020-10-25 02:00) happens twice"),
        (
            "pinned-skipped",
            "pinned[1]",
            "pinned 'relay' 02:30–02:45 on 2020-03-29 crosses a "
            "daylight-saving change: 02:30 of broadcast day 2020-03-29 (2020-03-29 02:30) "
            "does not exist",
        ),
        (
            "next-day-overlap",
            "channels[0].windows[1]",
            "window 23:00–25:30 of 2020-02-17 and window 01:00–02:00 of 2020-02-18 overlap in real "
            "time",
        ),
    ],
)
def test_times_the_clock_skips_or_repeats_are_refused_at_load(
    name: str, field: str, says: str
) -> None:
    path = DST / "bad" / f"{name}.toml"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}: {field}: " in result.stderr and says in result.stderr


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(NIGHTS))
def test_a_daylight_saving_night_through_validate_solve_check_and_publish(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        exports.printable,
        "weasyprint_pdf",
        lambda html: b"%PDF-stand-in " + hashlib.sha1(html.encode()).digest(),
    )
    path = DST / f"{name}.toml"
    night, pin, offsets = NIGHTS[name]
    assert _run("validate", str(path)).exit_code == 0
    solved_ = _run("solve", str(path), "--out", str(tmp_path / "solve"), "--time-limit", "2")
    assert solved_.exit_code == 0, solved_.output
    schedule_file = tmp_path / "solve" / "schedule.json"
    checked = _run("check", str(schedule_file), "--scenario", str(path))
    assert checked.exit_code == 0, checked.output
    subject = load(path)
    schedule = read_schedule(schedule_file)
    assert check(subject, schedule) == []
    # the pin reads back as written, and no two airings of the channel share an instant
    news = schedule.by_id()["night-news"]
    located = broadcast_day(subject, news)
    assert located is not None
    assert (located[0], f"{format_clock(located[1])}–{format_clock(located[2])}") == (night, pin)
    ordered = sorted(schedule, key=lambda p: p.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))
    # every window minute is covered: the night's airtime is the windows' real minutes
    on_night = [p for p in schedule if (broadcast_day(subject, p) or (None,))[0] == night]
    windows = subject.channel(CHANNEL).spans_on(night)
    assert sum(p.minutes for p in on_night) == sum(w.minutes for w in windows)
    out = tmp_path / "publish"
    published = _run(
        "publish",
        str(path),
        "--out",
        str(out),
        "--time-limit",
        "2",
        "--published-at=2020-03-01T00:00:00+00:00",
    )
    assert published.exit_code == 0, published.output
    guide = (out / "xmltv" / "guide.xml").read_text(encoding="utf-8")
    for offset in offsets:
        assert f'{offset}" channel="tv.test"' in guide
    feed = (out / "ical" / "channel-tv.test.ics").read_text(encoding="utf-8")
    assert "UID:night-news@tv.test" in feed
    assert json.loads((out / "tables" / "schedule.json").read_text(encoding="utf-8"))
    digests = (out / "sms" / "grade-09.txt").read_text(encoding="utf-8")
    assert "夜间新闻" in digests


def test_rest_is_counted_in_real_minutes_across_the_change() -> None:
    """Grade 12 lessons 01:20–02:00 CET and 03:00–03:40 CEST are 0 real minutes apart."""
    night = date(2020, 3, 28)
    berlin = Channel(
        CHANNEL,
        "t",
        "t",
        "Europe/Berlin",
        (
            Window(span("25:20-26:00"), dates=(night,)),
            Window(span("27:00-27:40"), dates=(night,)),
            Window(span("08:00-09:00"), weekdays=ALL_DAYS),
        ),
    )
    subject = scenario(
        first=night,
        days=1,
        channels=(berlin,),
        grades=(12,),
        rest=10,
        bands=(band("b", (12,), hours=("00:00-48:00",)),),
        term_start=night,
        courses=(course("a", 12, 3, 40), course("b", 12, 3, 40)),
    )
    assert check(subject, greedy_schedule(subject)) == []
    result = solved(subject)
    assert result.status.has_schedule and result.schedule is not None
    assert len(result.schedule.of_kind(Kind.LESSON)) == 1


def _changes(zone: str) -> list[date]:
    """Broadcast days of 2020 whose night (00:00–48:00) holds a change of UTC offset."""
    tz = ZoneInfo(zone)
    days = [date(2020, 1, 1) + timedelta(days=i) for i in range(366)]
    return [
        d
        for d in days
        if datetime(d.year, d.month, d.day, 12, tzinfo=tz).utcoffset()
        != (datetime(d.year, d.month, d.day, 12, tzinfo=tz) + timedelta(days=1)).utcoffset()
    ]


ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Tehran",
    "Pacific/Chatham",
    "America/Havana",
)


@st.composite
def dst_scenarios(draw: Any) -> Scenario:
    """Two broadcast days around a zone's change, 1–3 night windows, 1–2 grades."""
    zone = draw(st.sampled_from(ZONES))
    night = draw(st.sampled_from(_changes(zone)))
    windows, cursor = [], draw(st.integers(36, 52)) * 30  # from 18:00 to 26:00
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 6)) * 30
        if cursor + length > 48 * 60:
            break
        windows.append(span(f"{format_clock(cursor)}-{format_clock(cursor + length)}"))
        cursor += length + draw(st.integers(0, 4)) * 30
    channel = Channel(CHANNEL, "t", "t", zone, tuple(Window(w, weekdays=ALL_DAYS) for w in windows))
    grades = draw(st.sampled_from(((9,), (9, 12))))
    courses = tuple(
        course(f"c{g}{n}", g, 4, draw(st.sampled_from((15, 20, 30))))
        for g in grades
        for n in range(2)
    )
    try:
        return scenario(
            first=night - timedelta(days=1),
            days=2,
            channels=(channel,),
            grades=grades,
            term_start=night - timedelta(days=1),
            bands=(band("b", grades, hours=("00:00-48:00",)),),
            rest=draw(st.integers(0, 20)),
            courses=courses,
            reruns=Reruns(mode=draw(st.sampled_from(("off", "soft")))),
        )
    except ClockError:
        assume(False)
    except ValueError as error:  # a window across the change, or overlapping the next day's
        assume("daylight-saving" not in str(error) and "real time" not in str(error))
        raise


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(dst_scenarios())
def test_solver_output_passes_check_in_any_zone(subject: Scenario) -> None:
    result = solved(subject, time_limit=3)
    assert result.status is not Status.INFEASIBLE


@pytest.mark.parametrize("first", [MONDAY, MONDAY + timedelta(days=5)])
def test_rest_holds_from_a_window_past_midnight_to_the_next_days_first(first: date) -> None:
    """A lesson at 25:30–25:50 and the next day's at 02:00 are 10 real minutes apart, within
    a week and from Sunday into the next week (weeks are solved one after the other)."""
    subject = scenario(
        days=3,
        windows=("02:00-02:20", "25:30-25:50"),
        grades=(9,),
        rest=20,
        bands=(band("b", (9,), hours=("00:00-48:00",)),),
        first=first,
        term_start=first,
        courses=(course("a", 9, 5, 20), course("b", 9, 5, 20)),
    )
    assert check(subject, greedy_schedule(subject)) == []
    result = solved(subject)
    assert result.status.has_schedule
