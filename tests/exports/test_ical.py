"""iCal feeds: parse in icalendar and in a strict independent reader, RFC 5545/7986 details."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
    assert sorted(feeds) == [
        "ical/channel-cetv4.cn.ics",
        "ical/grade-03-lessons.ics",
        "ical/grade-03.ics",
        "ical/grade-12-lessons.ics",
        "ical/grade-12.ics",
    ]


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
    starts = {
        e.one("DTSTART").value: ical_reader.resolve(calendar, e.one("DTSTART"))
        for e in calendar.walk("VEVENT")
    }
    assert starts["20200328T080000"].utcoffset() == timedelta(hours=1)
    assert starts["20200329T080000"].utcoffset() == timedelta(hours=2)
    parsed = {
        str(e.get("UID")): e.decoded("DTSTART") for e in Calendar.from_ical(data).walk("VEVENT")
    }
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


def _with_publishing(edition: Edition, **settings: object) -> Edition:
    scenario = edition.scenario.replace(publishing=replace(edition.scenario.publishing, **settings))
    return Edition(
        scenario,
        edition.schedule,
        edition.stamps,
        edition.published_at,
        edition.number,
        edition.report,
    )


def test_the_lessons_feed_holds_only_lessons_and_reruns(feeds: dict[str, bytes]) -> None:
    lessons = _summaries(feeds["ical/grade-03-lessons.ics"])
    everything = _summaries(feeds["ical/grade-03.ics"])
    assert lessons and set(lessons) < set(everything)
    assert all(s.startswith(("三年级", "（重播）三年级")) for s in lessons)
    assert "疫情防护知识" in everything and "疫情防护知识" not in lessons


def test_location_and_description_say_where_and_in_which_clock(
    feeds: dict[str, bytes],
) -> None:
    calendar = ical_reader.parse(feeds["ical/grade-03.ics"])
    for event in calendar.walk("VEVENT"):
        assert ical_reader.text(event.one("LOCATION").value) == "CETV-4 中国教育电视台第四频道"
        assert ical_reader.text(event.one("DESCRIPTION").value).endswith(
            "收看：户户通 第4频道。时间为北京时间。"
        )


def test_no_alarm_and_no_url_unless_the_scenario_asks(feeds: dict[str, bytes]) -> None:
    assert b"BEGIN:VALARM" not in feeds["ical/grade-03.ics"]
    assert b"\r\nURL" not in feeds["ical/grade-03.ics"]


def test_alarm_minutes_add_a_reminder_and_base_url_the_feed_address(edition: Edition) -> None:
    served = _with_publishing(edition, alarm_minutes=10, base_url="https://example.org/kb")
    data = ical.render(served)["ical/grade-03.ics"]
    calendar = ical_reader.parse(data)
    assert calendar.one("URL").value == "https://example.org/kb/ical/grade-03.ics"
    assert calendar.one("SOURCE").value == "https://example.org/kb/ical/grade-03.ics"
    parsed = Calendar.from_ical(data)
    events = parsed.walk("VEVENT")
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm.get("ACTION") == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
        assert alarm.get("DESCRIPTION") == event.get("SUMMARY")
    assert ical.webcal("https://example.org/kb/ical/grade-03.ics") == (
        "webcal://example.org/kb/ical/grade-03.ics"
    )


ICALJS = Path(__file__).parents[2] / ".ci" / "node" / "node_modules" / "ical.js"
ICALJS_SCRIPT = """
import ICAL from %s;
import { readFileSync } from "node:fs";
const out = {};
for (const file of process.argv.slice(1)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  out[file] = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const alarm = component.getFirstSubcomponent("valarm");
    return {
      uid: event.uid, summary: event.summary, location: event.location,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      trigger: alarm ? alarm.getFirstPropertyValue("trigger").toSeconds() : null,
    };
  });
}
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(
    not (ICALJS / "package.json").is_file(), reason="ical.js is not installed (run .ci/setup)"
)
def test_icaljs_reads_every_feed_with_its_times_and_alarms(
    edition: Edition,
    tmp_path: Path,
) -> None:
    served = _with_publishing(edition, alarm_minutes=15, base_url="https://example.org/kb/")
    files = ical.render(served)
    paths = []
    for name, data in files.items():
        path = tmp_path / Path(name).name
        path.write_bytes(data)
        paths.append(str(path))
    script = ICALJS_SCRIPT % json.dumps((ICALJS / "dist" / "ical.js").as_uri())
    result = subprocess.run(
        [str(shutil.which("node")), "--input-type=module", "-e", script, *paths],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    read = json.loads(result.stdout)
    by_id = edition.schedule.by_id()
    for path, events in read.items():
        assert events, path
        for event in events:
            airing = by_id[event["uid"].split("@")[0]]
            assert datetime.fromisoformat(event["start"]) == airing.start.astimezone(UTC)
            assert datetime.fromisoformat(event["end"]) == airing.end.astimezone(UTC)
            assert event["trigger"] == -15 * 60
            assert event["location"] == "CETV-4 中国教育电视台第四频道"
