"""The satellite guide (DVB-SI EIT): decoded by independent decoders and checked by rule.

``dvbinfo`` (Debian's dvbpsi-utils, libdvbpsi) and GStreamer's MPEG-TS library (run by Debian's
``/usr/bin/python3`` through ``eit_gstreamer.py``) read the published ``eit/cetv4.cn.ts``; every
event must match ``schedule.json`` in start, duration and title. What the decoders do not
enforce — packets, continuity, CRCs, p/f sections, segments, numbering, overlaps — is checked
here by a small reader of our own, written from EN 300 468 / TS 101 211, not from the exporter.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_fixtures import G12_MATH, PUBLISHED_AT, scenario, schedule, swapped
from lxml import etree

from exports import eit
from exports.common import Edition
from exports.memory import PublicationMemory
from exports.publish import publish
from scheduler.cli import main
from scheduler.domain.model import DvbService, Scenario
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import DEFAULT_SCENARIO

DEBIAN_PYTHON = Path("/usr/bin/python3")
GSTREAMER = Path(__file__).parent / "eit_gstreamer.py"
TS = "eit/cetv4.cn.ts"
XML = "eit/cetv4.cn.xml"


# -- a reader of our own ----------------------------------------------------------------------
def crc32_mpeg2(data: bytes) -> int:
    """Bit by bit, to stay independent of the exporter's table-driven CRC."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else crc << 1
    return crc


@dataclass
class Event:
    event_id: int
    start: datetime
    duration: timedelta
    running_status: int
    descriptors: list[tuple[int, bytes]]

    def texts(self) -> tuple[str, str]:
        """The short_event_descriptor's name and text, decoded by their table byte."""
        body = next(data for tag, data in self.descriptors if tag == 0x4D)
        size = body[3]
        name, rest = body[4 : 4 + size], body[4 + size :]
        return decode(name), decode(rest[1 : 1 + rest[0]])


@dataclass
class Section:
    table_id: int
    service_id: int
    version: int
    number: int
    last: int
    transport_stream_id: int
    original_network_id: int
    segment_last: int
    last_table_id: int
    events: list[Event]
    size: int


def decode(text: bytes) -> str:
    if not text:
        return ""
    return text[1:].decode({0x13: "gb2312", 0x15: "utf-8"}[text[0]])


def bcd(byte: int) -> int:
    assert byte >> 4 <= 9 and byte & 0xF <= 9, f"{byte:#x} is not BCD"
    return (byte >> 4) * 10 + (byte & 0xF)


def payloads(stream: bytes) -> Iterator[tuple[bool, bytes]]:
    """Each packet's (payload_unit_start_indicator, payload), checking the packet layer."""
    assert len(stream) % 188 == 0
    expected = 0
    for offset in range(0, len(stream), 188):
        packet = stream[offset : offset + 188]
        assert packet[0] == 0x47
        assert ((packet[1] & 0x1F) << 8 | packet[2]) == 0x12
        assert packet[1] & 0x80 == 0  # no transport error
        assert packet[3] >> 4 == 0x1  # not scrambled, payload only
        assert packet[3] & 0xF == expected, f"continuity counter jumps at packet {offset // 188}"
        expected = (expected + 1) % 16
        yield bool(packet[1] & 0x40), packet[4:]
    assert expected == 0, "a looped file would break the continuity counter"


def sections(stream: bytes) -> list[Section]:
    found: list[Section] = []
    buffer = b""
    for start, payload in payloads(stream):
        if start:
            assert payload[0] == 0 and not buffer.strip(b"\xff")
            buffer = payload[1:]
        else:
            buffer += payload
        while len(buffer) >= 3 and buffer[0] != 0xFF:
            size = ((buffer[1] & 0x0F) << 8 | buffer[2]) + 3
            if len(buffer) < size:
                break
            found.append(parse(buffer[:size]))
            buffer = buffer[size:]
    return found


def parse(data: bytes) -> Section:
    assert len(data) <= 4096
    assert crc32_mpeg2(data[:-4]) == int.from_bytes(data[-4:], "big"), "bad CRC"
    assert data[1] & 0xF0 == 0xF0 and data[5] & 0xC1 == 0xC1
    events = []
    position = 14
    while position < len(data) - 4:
        entry = data[position:]
        mjd = int.from_bytes(entry[2:4], "big")
        day = date(1858, 11, 17) + timedelta(days=mjd)
        start = datetime(
            day.year, day.month, day.day, bcd(entry[4]), bcd(entry[5]), bcd(entry[6]), tzinfo=UTC
        )
        duration = timedelta(hours=bcd(entry[7]), minutes=bcd(entry[8]), seconds=bcd(entry[9]))
        loop = (entry[10] & 0x0F) << 8 | entry[11]
        descriptors = []
        cursor = 12
        while cursor < 12 + loop:
            tag, size = entry[cursor], entry[cursor + 1]
            descriptors.append((tag, entry[cursor + 2 : cursor + 2 + size]))
            cursor += 2 + size
        assert cursor == 12 + loop
        events.append(
            Event(int.from_bytes(entry[:2], "big"), start, duration, entry[10] >> 5, descriptors)
        )
        position += 12 + loop
    assert position == len(data) - 4
    return Section(
        data[0],
        int.from_bytes(data[3:5], "big"),
        (data[5] >> 1) & 0x1F,
        data[6],
        data[7],
        int.from_bytes(data[8:10], "big"),
        int.from_bytes(data[10:12], "big"),
        data[12],
        data[13],
        events,
        len(data),
    )


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny schedule published (every format, no PDFs) as a first edition."""
    tiny = scenario()
    out = tmp_path_factory.mktemp("eit") / "publish"
    with PublicationMemory(None) as memory:
        publish(tiny, schedule(tiny), out, memory=memory, at=PUBLISHED_AT, pdf=False)
    return out


@pytest.fixture(scope="module")
def airings(published: Path) -> list[dict[str, object]]:
    """schedule.json's records of the published folder."""
    document = json.loads((published / "schedule.json").read_text(encoding="utf-8"))
    records = document["programmes"]
    assert records
    return list(records)


def expected(airings: list[dict[str, object]]) -> list[tuple[datetime, timedelta, str]]:
    """(UTC start, duration, title) of every airing, in time order."""
    rows = []
    for record in airings:
        start = datetime.fromisoformat(str(record["start"]))
        end = datetime.fromisoformat(str(record["end"]))
        rows.append((start.astimezone(UTC), end - start, str(record["title"])))
    return sorted(rows)


def title_of(name: str, text: str, airings: list[dict[str, object]]) -> str:
    """A lesson's title is the short event's text (its name is the series), others' the name."""
    titles = {str(record["title"]) for record in airings}
    return text if text in titles and name not in titles else name


def schedule_events(found: list[Section]) -> list[Event]:
    return [event for s in found if s.table_id >= 0x50 for event in s.events]


# -- independent decoders -------------------------------------------------------------------------
def _has_gstreamer() -> bool:
    if not DEBIAN_PYTHON.exists():
        return False
    probe = subprocess.run(
        [
            str(DEBIAN_PYTHON),
            "-c",
            "import gi; gi.require_version('GstMpegts', '1.0'); "
            "gi.require_version('Gst', '1.0'); from gi.repository import Gst, GstMpegts; "
            "Gst.init(None); assert Gst.ElementFactory.find('tsparse')",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_dvbinfo = pytest.mark.skipif(
    shutil.which("dvbinfo") is None, reason="dvbinfo missing: apt-get install dvbpsi-utils"
)
needs_gstreamer = pytest.mark.skipif(
    not _has_gstreamer(),
    reason="GStreamer MPEG-TS for /usr/bin/python3 missing: apt-get install python3-gi "
    "gir1.2-gst-plugins-bad-1.0 gstreamer1.0-plugins-bad",
)


def gstreamer(path: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [str(DEBIAN_PYTHON), str(GSTREAMER), str(path)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return list(json.loads(done.stdout))


@dataclass
class DvbinfoTable:
    last_table_id: int
    service_id: int
    transport_stream_id: int
    original_network_id: int
    events: list[dict[str, object]]


def dvbinfo(path: Path, tmp: Path) -> tuple[list[DvbinfoTable], str]:
    """dvbinfo's tables and its log. libdvbpsi completes a table only when it sees its sections
    come round again, as they do on air: it reads the file looped twice."""
    looped = tmp / "looped.ts"
    looped.write_bytes(path.read_bytes() * 2)
    done = subprocess.run(
        ["dvbinfo", "-d", "error", "-f", str(looped)], capture_output=True, check=False, timeout=120
    )
    tables: list[DvbinfoTable] = []
    event: dict[str, object] | None = None
    for raw in done.stdout.split(b"\n"):
        line = raw.decode("latin-1").strip()
        if line == "EIT: Event Information Table":
            tables.append(DvbinfoTable(0, 0, 0, 0, []))
        elif not tables:
            continue
        elif match := re.match(
            r"(Service id|Transport stream id|Original network id|Last Table id)"
            r"\s*: (\d+)",
            line,
        ):
            key = {
                "Service id": "service_id",
                "Transport stream id": "transport_stream_id",
                "Original network id": "original_network_id",
                "Last Table id": "last_table_id",
            }[match[1]]
            setattr(tables[-1], key, int(match[2]))
        elif match := re.match(r"\| Event id: (\d+)", line):
            event = {"event_id": int(match[1]), "categories": []}
            tables[-1].events.append(event)
        elif event is not None and (
            match := re.match(
                r"\| (Start time|Duration|Running status)"
                r": (\d+)",
                line,
            )
        ):
            event[match[1]] = int(match[2])
        elif event is not None and b'] 0x4d : "' in raw:
            body = raw.split(b'] 0x4d : "', 1)[1]  # the descriptor's bytes as dvbinfo prints them
            size = body[3]
            event["name"] = decode(body[4 : 4 + size])
            rest = body[4 + size :]
            event["text"] = decode(rest[1 : 1 + rest[0]])
        elif event is not None and line.startswith("category:"):
            categories = event["categories"]
            assert isinstance(categories, list)
            categories.append(line.split(":", 1)[1].strip())
    return tables, done.stderr.decode("latin-1") + done.stdout.decode("latin-1")


def from_mjd_bcd(value: int) -> datetime:
    day = date(1858, 11, 17) + timedelta(days=value >> 24)
    return datetime(
        day.year,
        day.month,
        day.day,
        bcd(value >> 16 & 0xFF),
        bcd(value >> 8 & 0xFF),
        bcd(value & 0xFF),
        tzinfo=UTC,
    )


def from_bcd(value: int) -> timedelta:
    return timedelta(
        hours=bcd(value >> 16), minutes=bcd(value >> 8 & 0xFF), seconds=bcd(value & 0xFF)
    )


@needs_dvbinfo
def test_dvbinfo_reads_every_airing_of_schedule_json(
    published: Path, airings: list[dict[str, object]], tmp_path: Path
) -> None:
    tables, _ = dvbinfo(published / TS, tmp_path)
    # the p/f table, then the schedule: two days fit in table 0x50 (four days)
    assert [t.last_table_id for t in tables] == [0x4E, 0x50]
    assert {(t.service_id, t.transport_stream_id, t.original_network_id) for t in tables} == {
        (104, 6, 1)
    }
    schedule_table = tables[1]
    found = sorted(
        (
            from_mjd_bcd(int(str(e["Start time"]))),
            from_bcd(int(str(e["Duration"]))),
            title_of(str(e["name"]), str(e["text"]), airings),
        )
        for e in schedule_table.events
    )
    assert found == expected(airings)
    lessons = [e for e in schedule_table.events if e["text"] == "观察物体（一）"]
    assert lessons and all(e["categories"] == ["Education", "Children"] for e in lessons)
    present, following = tables[0].events
    assert (present["Running status"], following["Running status"]) == (4, 1)


@needs_gstreamer
def test_gstreamer_reads_every_airing_of_schedule_json(
    published: Path, airings: list[dict[str, object]]
) -> None:
    decoded = gstreamer(published / TS)
    assert {s["pid"] for s in decoded} == {0x12}
    pf = [s for s in decoded if s["table_id"] == 0x4E]
    assert [s["section_number"] for s in pf] == [0, 1]
    found = []
    for item in decoded:
        if item["table_id"] == 0x4E:
            continue
        for event in item["events"]:
            (names,) = event["names"]
            assert names["language"] == "chi"
            start = datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
            found.append(
                (
                    start,
                    timedelta(seconds=event["duration"]),
                    title_of(names["name"], names["text"], airings),
                )
            )
            assert event["tags"][0] == 0x4D  # the short event first, as receivers expect
    assert sorted(found) == expected(airings)


@needs_gstreamer
@needs_dvbinfo
def test_a_corrupted_copy_fails_the_crc(published: Path, tmp_path: Path) -> None:
    data = bytearray((published / TS).read_bytes())
    data[4 + 1 + 20] ^= 0x01  # a byte inside the first section (p/f, present)
    broken = tmp_path / "broken.ts"
    broken.write_bytes(bytes(data))
    with pytest.raises(AssertionError, match="bad CRC"):
        sections(bytes(data))
    decoded = gstreamer(broken)
    assert [s["section_number"] for s in decoded if s["table_id"] == 0x4E] == [1]
    tables, log = dvbinfo(broken, tmp_path)
    assert "Bad CRC_32 table 0x4e" in log
    # what is left of the p/f table is the following event alone
    assert [len(t.events) for t in tables if t.last_table_id == 0x4E] in ([], [1])


# -- rules the decoders do not enforce ------------------------------------------------------------
def test_packets_sections_and_crcs(published: Path) -> None:
    found = sections((published / TS).read_bytes())
    assert all(s.size <= 4096 for s in found)
    assert {(s.service_id, s.transport_stream_id, s.original_network_id) for s in found} == {
        (104, 6, 1)
    }
    ids = [e.event_id for e in schedule_events(found)]
    assert len(ids) == len(set(ids)), "event_id unique within the service"


def test_present_in_section_0_following_in_section_1(
    published: Path, airings: list[dict[str, object]]
) -> None:
    pf = [s for s in sections((published / TS).read_bytes()) if s.table_id == 0x4E]
    assert [(s.number, s.last, s.segment_last, s.last_table_id) for s in pf] == [
        (0, 1, 1, 0x4E),
        (1, 1, 1, 0x4E),
    ]
    (present,), (following,) = (s.events for s in pf)
    first, second = expected(airings)[:2]
    assert (present.start, present.duration, present.running_status) == (first[0], first[1], 4)
    assert (following.start, following.running_status) == (second[0], 1)


def test_schedule_segments_numbering_and_no_overlap(published: Path) -> None:
    found = [s for s in sections((published / TS).read_bytes()) if s.table_id >= 0x50]
    origin = datetime.combine(found[0].events[0].start.date(), datetime.min.time(), UTC)
    last_table = max(s.table_id for s in found)
    assert all(s.last_table_id == last_table for s in found)
    for table_id in {s.table_id for s in found}:
        table = [s for s in found if s.table_id == table_id]
        numbers = [s.number for s in table]
        assert numbers == sorted(numbers) and max(numbers) == table[0].last
        assert all(s.last == table[0].last for s in table)
        segments = sorted({n // 8 for n in numbers})
        assert segments == list(range(segments[-1] + 1)), "every segment up to the last is sent"
        for segment in segments:
            inside = [s for s in table if s.number // 8 == segment]
            first = segment * 8
            assert [s.number for s in inside] == list(range(first, first + len(inside)))
            assert all(s.segment_last == first + len(inside) - 1 for s in inside)
            begins = origin + timedelta(hours=3) * ((table_id - 0x50) * 32 + segment)
            for event in (e for s in inside for e in s.events):
                assert begins <= event.start < begins + timedelta(hours=3)
                assert event.running_status == 0
    events = [e for s in found for e in s.events]
    assert [e.start for e in events] == sorted(e.start for e in events)
    for before, after in itertools.pairwise(events):
        assert before.start + before.duration <= after.start, "events overlap"


def test_a_long_description_is_split_into_numbered_extended_descriptors() -> None:
    service = DvbService(1, 2, 3)
    text = "空中课堂" * 400  # 3200 bytes in GB2312: more than 8 descriptors hold
    data = eit.extended_events(service, text)
    parts = []
    while data:
        assert data[0] == 0x4E and data[1] <= 255
        body = data[2 : 2 + data[1]]
        parts.append((body[0] >> 4, body[0] & 0xF, body[1:4], decode(body[6 : 6 + body[5]])))
        data = data[2 + data[1] :]
    assert [p[0] for p in parts] == list(range(len(parts)))
    assert {p[1] for p in parts} == {len(parts) - 1} and {p[2] for p in parts} == {b"chi"}
    carried = "".join(p[3] for p in parts)
    assert len(parts) == eit.MAX_EXTENDED and carried == text[: len(carried)]
    assert len(carried) == 8 * (248 // 2), "each holds 248 bytes of text after its table byte"


def test_texts_in_utf8_and_characters_gb2312_lacks() -> None:
    assert eit.dvb_text("课", "utf-8") == b"\x15" + "课".encode()
    assert eit.dvb_text("课😀\x07", "gb2312") == b"\x13" + "课？".encode("gb2312")
    # cut at a character, never inside one
    assert eit.dvb_text("课" * 10, "utf-8", limit=8) == b"\x15" + "课课".encode()


def test_utf8_channel_and_channels_without_dvb(tiny_schedule: Schedule) -> None:
    tiny = scenario()
    channel = tiny.channels[0]
    assert channel.dvb is not None
    utf8 = tiny.replace(channels=(replace(channel, dvb=replace(channel.dvb, encoding="utf-8")),))
    files = eit.render(Edition.unrecorded(utf8, tiny_schedule, at=PUBLISHED_AT))
    names = {e.texts()[0] for e in schedule_events(sections(files[TS]))}
    assert "三年级数学 第1课" in names
    plain = tiny.replace(channels=(replace(channel, dvb=None),))
    assert eit.render(Edition.unrecorded(plain, tiny_schedule, at=PUBLISHED_AT)) == {}


def test_versions_rise_with_a_changed_edition_and_bytes_repeat_with_the_same(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    with PublicationMemory(None) as memory:
        runs = []
        for name, plan in (
            ("a", tiny_schedule),
            ("b", tiny_schedule),
            ("c", swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r")),
        ):
            publish(
                tiny_scenario,
                plan,
                tmp_path / name / "out",
                memory=memory,
                at=PUBLISHED_AT + timedelta(days=len(runs)),
                pdf=False,
                formats=["eit"],
            )
            runs.append((tmp_path / name / "out" / TS).read_bytes())
    assert runs[0] == runs[1], "an unchanged re-publish renders the same bytes"
    versions = [{s.version for s in sections(run)} for run in runs]
    assert versions == [{1}, {1}, {2}]
    # the re-plan moved two airings: their events keep their ids at their new times
    ids = [{e.event_id: e.texts() for e in schedule_events(sections(run))} for run in runs]
    assert ids[2] == ids[0]


def test_tsduck_xml_says_what_the_stream_says(published: Path) -> None:
    root = etree.fromstring((published / XML).read_bytes())
    assert root.tag == "tsduck"
    tables = root.findall("EIT")
    assert [t.get("type") for t in tables] == ["pf", "0"]
    stream = schedule_events(sections((published / TS).read_bytes()))
    events = tables[1].findall("event")
    assert len(events) == len(stream)
    for element, event in zip(events, stream, strict=True):
        assert int(element.get("event_id"), 16) == event.event_id
        assert element.get("start_time") == f"{event.start:%Y-%m-%d %H:%M:%S}"
        name, text = event.texts()
        assert element.findtext("short_event_descriptor/event_name") == name
        assert element.findtext("short_event_descriptor/text") == text
        assert element.get("running_status") == "undefined"


def test_later_days_go_to_later_tables_and_beyond_64_days_out() -> None:
    """Day 2 moved 5 days on lands in table 0x51; an airing 66 days on is past the schedule."""
    long = scenario(days=70)
    base = schedule(long)
    days = long.days
    moved = []
    for programme in base:
        if programme.start.date() == days[1]:
            programme = replace(
                programme,
                start=programme.start + timedelta(days=5),
                end=programme.end + timedelta(days=5),
            )
        if programme.id == "g12-math-1":
            programme = replace(
                programme,
                start=programme.start + timedelta(days=66),
                end=programme.end + timedelta(days=66),
            )
        moved.append(programme)
    plan = Schedule(tuple(sorted(moved, key=lambda p: p.start)), scenario=None, seed=0)
    files = eit.render(Edition.unrecorded(long, plan, at=PUBLISHED_AT))
    found = [s for s in sections(files[TS]) if s.table_id >= 0x50]
    assert sorted({s.table_id for s in found}) == [0x50, 0x51]
    assert {s.last_table_id for s in found} == {0x51}
    table_0 = [s for s in found if s.table_id == 0x50]
    assert table_0[-1].number == table_0[0].last == 31 * 8, "all 32 segments of the first table"
    events = schedule_events(found)
    assert len(events) == len(plan) - 1
    assert G12_MATH[0] not in {e.texts()[1] for e in events}
    assert all(e.start.date() in (days[0], days[6]) for e in events)


def test_a_crowded_segment_drops_descriptions_rather_than_fail(tiny_schedule: Schedule) -> None:
    service = DvbService(104, 6, 1)
    first = next(iter(tiny_schedule))
    events = []
    for minute in range(100):  # 100 one-minute airings, each with 2 KB of description
        start = first.start + timedelta(minutes=minute)
        programme = replace(
            first, id=f"spot-{minute}", start=start, end=start + timedelta(minutes=1)
        )
        descriptors = eit.short_event(
            service, *eit.short_texts(service, "节目", "预告")
        ) + eit.extended_events(service, "空" * 1000)
        events.append(eit.Event(minute, programme, "节目", "预告", "空" * 1000, (), descriptors))
    tables = eit.service_tables(events)
    schedule_table = tables[1]
    assert len([s for s in schedule_table.sections if s]) <= 8
    kept = [e for s in schedule_table.sections for e in s]
    assert len(kept) == 100 and all(e.description is None for e in kept)
    for event in kept:
        tags, loop = [], event.descriptors
        while loop:
            tags.append(loop[0])
            loop = loop[2 + loop[1] :]
        assert tags == [0x4D]
    assert tables[0].sections[0][0].description is not None, "p/f keeps the description"


# TSDuck's PSI/SI XML reference for EIT and the three descriptors (tsEIT.adoc, tsEIT.xml,
# tsShortEventDescriptor.adoc, tsExtendedEventDescriptor.adoc, tsContentDescriptor.adoc):
# the attributes each element may have and the children it may hold.
TSDUCK_MODEL = {
    "tsduck": (set(), {"EIT"}),
    "EIT": (
        {
            "type",
            "version",
            "current",
            "actual",
            "service_id",
            "transport_stream_id",
            "original_network_id",
            "last_table_id",
        },
        {"event"},
    ),
    "event": (
        {"event_id", "start_time", "duration", "running_status", "CA_mode"},
        {"short_event_descriptor", "extended_event_descriptor", "content_descriptor"},
    ),
    "short_event_descriptor": ({"language_code"}, {"event_name", "text"}),
    "extended_event_descriptor": (
        {"descriptor_number", "last_descriptor_number", "language_code"},
        {"text", "item"},
    ),
    "content_descriptor": (set(), {"content"}),
    "content": ({"content_nibble_level_1", "content_nibble_level_2", "user_byte"}, set()),
    "event_name": (set(), set()),
    "text": (set(), set()),
}


def test_tsduck_xml_uses_only_tsduck_names(published: Path) -> None:
    root = etree.fromstring((published / XML).read_bytes())
    for element in root.iter():
        attributes, children = TSDUCK_MODEL[element.tag]
        assert set(element.attrib) <= attributes, element.tag
        assert {child.tag for child in element} <= children, element.tag
    for event in root.iter("event"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", event.get("start_time", ""))
        assert re.fullmatch(r"\d\d:\d\d:\d\d", event.get("duration", ""))
        assert event.get("running_status") in {"undefined", "not-running", "running"}


def test_the_cli_exports_the_guide_alone(tmp_path: Path) -> None:
    """``skyclass export --format eit`` with the default scenario's [channels.dvb] ids."""
    golden = Path(__file__).parent / "golden" / "edition-1" / "schedule.json"
    out = tmp_path / "guide"
    result = CliRunner().invoke(
        main,
        [
            "export",
            str(golden),
            "--format",
            "eit",
            "--out",
            str(out),
            "--scenario",
            str(DEFAULT_SCENARIO),
            "--published-at",
            "2020-02-14T18:00:00+08:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "eit").iterdir()) == ["cetv4.cn.ts", "cetv4.cn.xml"]
    found = sections((out / TS).read_bytes())
    assert {
        (s.service_id, s.transport_stream_id, s.original_network_id, s.version) for s in found
    } == {(104, 6, 1, 0)}
    assert len(schedule_events(found)) == 27
