"""iCal feeds: parse in icalendar and in a strict independent reader, RFC 5545/7986 details."""

from __future__ import annotations

from datetime import timedelta

import ical_reader
import pytest
from icalendar import Calendar

from exports import ical
from exports.common import Edition


@pytest.fixture
def feeds(edition: Edition) -> dict[str, bytes]:
    """Every feed of the tiny edition."""
    return ical.render(edition)


def test_one_feed_per_grade_and_per_channel(feeds: dict[str, bytes]) -> None:
    assert sorted(feeds) == ["ical/channel-cetv4.cn.ics", "ical/grade-03.ics",
                             "ical/grade-12.ics"]


def test_every_feed_parses_strictly_and_in_icalendar(feeds: dict[str, bytes]) -> None:
    for path, data in feeds.items():
        calendar = ical_reader.parse(data)  # CRLF, ≤ 75 octets, folds, BEGIN/END
        events = calendar.walk("VEVENT")
        assert events, path
        tzids = {z.one("TZID").value for z in calendar.walk("VTIMEZONE")}
        for event in events:
            event.one("UID")
            assert event.one("DTSTAMP").value.endswith("Z")
            for name in ("DTSTART", "DTEND"):
                line = event.one(name)
                assert line.params["TZID"] in tzids  # every TZID has its VTIMEZONE
                ical_reader.resolve(calendar, line)
            ical_reader.text(event.one("SUMMARY").value)
            ical_reader.text(event.one("DESCRIPTION").value)
        parsed = Calendar.from_ical(data)
        assert len(parsed.walk("VEVENT")) == len(events)
        assert all(e.get("UID") and e.get("DTSTAMP") for e in parsed.walk("VEVENT"))


def test_lines_end_crlf_and_fold_at_75_octets(feeds: dict[str, bytes]) -> None:
    data = feeds["ical/grade-03.ics"]
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long Chinese lines were folded
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_calendar_names_and_refresh(feeds: dict[str, bytes]) -> None:
    calendar = ical_reader.parse(feeds["ical/grade-03.ics"])
    assert calendar.one("VERSION").value == "2.0"
    assert calendar.one("PRODID").value
    assert calendar.one("NAME").value == "三年级 空中课堂课程表"
    assert calendar.one("X-WR-CALNAME").value == "三年级 空中课堂课程表"
    refresh = calendar.one("REFRESH-INTERVAL")
    assert (refresh.params, refresh.value) == ({"VALUE": "DURATION"}, "PT12H")
    assert calendar.one("X-WR-TIMEZONE").value == "Asia/Shanghai"


def _summaries(data: bytes) -> list[str]:
    calendar = ical_reader.parse(data)
    return [ical_reader.text(e.one("SUMMARY").value) for e in calendar.walk("VEVENT")]


def test_grade_feed_holds_its_lessons_reruns_and_specials(feeds: dict[str, bytes]) -> None:
    summaries = _summaries(feeds["ical/grade-03.ics"])
    assert "三年级数学 第1课：观察物体（一）" in summaries
    assert "（重播）三年级数学 第1课：观察物体（一）" in summaries
    assert "疫情防护知识" in summaries and "国学经典诵读" in summaries
    assert "空中课堂开播致辞" in summaries
    assert not any("高三" in s or "眼保健操" in s for s in summaries)
    assert "国学经典诵读" not in _summaries(feeds["ical/grade-12.ics"])  # a grade-3 special


def test_channel_feed_leaves_out_background_fillers(feeds: dict[str, bytes]) -> None:
    summaries = _summaries(feeds["ical/channel-cetv4.cn.ics"])
    assert "眼保健操" in summaries
    assert "空中课堂节目预告" not in summaries
    assert any(s.startswith("高三数学") for s in summaries)


def test_an_airing_has_one_uid_in_every_feed(feeds: dict[str, bytes]) -> None:
    def uids(data: bytes) -> dict[str, str]:
        calendar = ical_reader.parse(data)
        return {e.one("DTSTART").value: e.one("UID").value for e in calendar.walk("VEVENT")}

    grade, channel = uids(feeds["ical/grade-03.ics"]), uids(feeds["ical/channel-cetv4.cn.ics"])
    assert grade["20200217T081000"] == channel["20200217T081000"] == "g3-math-1@cetv4.cn"
    assert all(channel[start] == uid for start, uid in grade.items())


def test_stamps_come_from_the_edition_not_the_clock(feeds: dict[str, bytes]) -> None:
    calendar = ical_reader.parse(feeds["ical/grade-03.ics"])
    for event in calendar.walk("VEVENT"):
        assert event.one("DTSTAMP").value == "20200214T100000Z"
        assert event.one("LAST-MODIFIED").value == "20200214T100000Z"
        assert event.one("SEQUENCE").value == "0"


def test_berlin_events_resolve_to_the_right_offsets(berlin_edition: Edition) -> None:
    data = ical.render(berlin_edition)["ical/channel-tv.example.de.ics"]
    calendar = ical_reader.parse(data)
    starts = {e.one("DTSTART").value: ical_reader.resolve(calendar, e.one("DTSTART"))
              for e in calendar.walk("VEVENT")}
    assert starts["20200328T080000"].utcoffset() == timedelta(hours=1)
    assert starts["20200329T080000"].utcoffset() == timedelta(hours=2)
    parsed = {str(e.get("UID")): e.decoded("DTSTART")
              for e in Calendar.from_ical(data).walk("VEVENT")}
    offsets = {dt.date().isoformat(): dt.utcoffset() for dt in parsed.values()}
    assert offsets == {"2020-03-28": timedelta(hours=1), "2020-03-29": timedelta(hours=2)}
    zone = calendar.walk("VTIMEZONE")[0]
    assert zone.one("TZID").value == "Europe/Berlin"
    assert {c.name for c in zone.children} == {"STANDARD", "DAYLIGHT"}


def test_the_strict_reader_rejects_what_clients_reject() -> None:
    good = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    ical_reader.parse(good)
    with pytest.raises(ical_reader.Malformed):
        ical_reader.parse(good.replace(b"\r\n", b"\n"))
    with pytest.raises(ical_reader.Malformed):
        ical_reader.parse(good.replace(b"VERSION:2.0", b"X-LONG:" + b"a" * 80))
    with pytest.raises(ical_reader.Malformed):
        ical_reader.unfold("X:春\r\n".encode()[:-4] + b"\r\n " + "春".encode()[-2:] + b"\r\n")
    with pytest.raises(ical_reader.Malformed):
        ical_reader.text("a;b")
