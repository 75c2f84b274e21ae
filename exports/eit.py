"""The satellite guide: DVB-SI event information tables (EIT, ETSI EN 300 468) per channel.

Families without cable or internet see the guide their direct-to-home receiver builds from the
EIT carried in the broadcast. Every channel with a ``[channels.dvb]`` setting is one DVB
service and gets

* ``eit/<channel>.ts``: the tables as an MPEG transport stream (188-byte packets on PID 0x12,
  each section starting a packet, continuity counters, 0xFF stuffing) a multiplexer can play
  out or a tester can read with ``dvbinfo``;
* ``eit/<channel>.xml``: the same tables in TSDuck's PSI/SI XML (``<tsduck><EIT …>``, element
  and attribute names from TSDuck's reference), for ``tstabcomp`` or the ``inject`` plugin.

Channels without ``[channels.dvb]`` have no DVB identity and are left out.

The tables (EN 300 468 §5.2.4, section layout per ETSI TS 101 211 §4.1.4):

* **present/following** (table_id 0x4E, actual TS): section 0 the event airing at the edition's
  reference instant — the start of the channel's first airing of the horizon — section 1 the
  next one. The file is the guide as it stands when the horizon begins on air.
* **schedule** (0x50 …): every airing (fillers too, so the guide has no holes) whose start
  lies within 64 days of the reference day's midnight (UTC), in 3-hour segments from that
  midnight: segment *k* is sections 8·(k mod 32) … of table 0x50 + k // 32, each segment up
  to its last event present (an empty one as a single section without events), with
  ``segment_last_section_number``, ``last_section_number`` per table and ``last_table_id``.

Each event carries a short_event_descriptor (name and sub-title), extended_event_descriptors
(the description, numbered), and a content_descriptor (education genres). Texts are GB2312
(first byte 0x13; characters GB2312 lacks become ``？``) or UTF-8 (0x15), per the channel's
``encoding``. Times are UTC: start as MJD and BCD, duration in BCD.

``event_id`` is derived from the airing's publication UID, so it stays with the airing across
editions; two airings of one service that hash alike are told apart in the order they were
first published. ``version_number`` is the edition's number modulo 32: a re-publish that
changes anything re-versions every table, an unchanged re-publish re-uses its edition and so
renders the same bytes.

The DVB encoding (descriptors, MJD/BCD times, CRC, TS packets) is :mod:`exports.dvb`; the
XML is :mod:`exports.eit_xml`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from exports.common import Edition, utc
from exports.dvb import (
    MAX_EXTENDED,
    NOT_RUNNING,
    PID,
    PRESENT_FOLLOWING,
    RUNNING,
    SCHEDULE,
    UNDEFINED,
    Event,
    Table,
    _decode,
    bcd_duration,
    content,
    crc32,
    dvb_text,
    extended_events,
    mjd_bcd,
    packets,
    short_event,
    short_texts,
)
from exports.eit_xml import tsduck_xml
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Channel, DvbService
from scheduler.domain.schedule import Kind, Programme

FOLDER = "eit"


SCHEDULE_TABLES = 16
SEGMENT = timedelta(hours=3)
SECTIONS_PER_SEGMENT = 8
SEGMENTS_PER_TABLE = 32
MAX_SECTION = 4096  # bytes of an EIT section, header and CRC included
HEADER = 14  # table_id … last_table_id
CRC = 4


# content_descriptor nibbles (EN 300 468 table 29)
EDUCATION = 0x9  # Education/Science/Factual topics
CHILDREN = 0x5  # Children's/Youth programmes
SCHOOL_PROGRAMME = 0x4  # with CHILDREN: informational/educational/school programmes
LEISURE_FITNESS = (0xA, 0x3)  # Leisure hobbies: fitness and health
# level 2 under EDUCATION: 0 general, 2 technology/natural sciences, 3 medicine/physiology/
# psychology, 5 social/spiritual sciences, 6 further education, 7 languages
SUBJECT_GENRE = {
    "数学": 0x2,
    "科学": 0x2,
    "物理": 0x2,
    "化学": 0x2,
    "生物": 0x2,
    "信息技术": 0x2,
    "语文": 0x7,
    "英语": 0x7,
    "道德与法治": 0x5,
    "思想政治": 0x5,
    "历史": 0x5,
    "地理": 0x1,
}
TOPIC_GENRE = {
    "疫情防护": 0x3,
    "心理健康": 0x3,
    "生命教育": 0x3,
    "公共安全": 0x5,
    "爱国主义": 0x5,
    "阅读": 0x7,
}
CHILDREN_UP_TO = 9  # grades 1–9 are children's programmes; senior classes further education


def ts_path(channel: Channel) -> str:
    return f"{FOLDER}/{channel.id}.ts"


def xml_path(channel: Channel) -> str:
    return f"{FOLDER}/{channel.id}.xml"


def render(edition: Edition) -> dict[str, bytes]:
    """``eit/<channel>.ts`` and ``eit/<channel>.xml`` for every channel that is a DVB service."""
    files: dict[str, bytes] = {}
    version = (edition.number or 0) % 32
    for channel in edition.channels:
        service = channel.dvb
        if service is None:
            continue
        events = service_events(edition, channel, service)
        if not events:
            continue
        tables = service_tables(events)
        sections = [
            section(table, service, version, number, tables[-1].table_id)
            for table in tables
            for number in range(len(table.sections))
        ]
        files[ts_path(channel)] = packets(sections)
        files[xml_path(channel)] = tsduck_xml(service, version, tables)
    return files


# -- events ---------------------------------------------------------------------------------------
def service_events(edition: Edition, channel: Channel, service: DvbService) -> list[Event]:
    """The channel's airings as events, in time order, within the schedule's 64 days."""
    airings = edition.schedule.on_channel(channel.id)
    if not airings:
        return []
    first = min(utc(p.start) for p in airings)
    limit = midnight(first) + SEGMENT * SEGMENTS_PER_TABLE * SCHEDULE_TABLES
    ids = event_ids(edition, airings)
    events = []
    for programme in sorted(airings, key=lambda p: (p.start, p.id)):
        if utc(programme.start) >= limit:
            continue
        events.append(_event(edition, programme, ids[programme.id], service))
    return events


def event_ids(edition: Edition, airings: Sequence[Programme]) -> dict[str, int]:
    """A 16-bit id per airing from its UID; a clash goes to the airing published later."""
    taken: set[int] = set()
    ids: dict[str, int] = {}
    order = sorted(airings, key=lambda p: (edition.stamp(p).created, edition.stamp(p).uid))
    for programme in order:
        wanted = int.from_bytes(
            hashlib.sha256(edition.stamp(programme).uid.encode()).digest()[:2], "big"
        )
        while wanted in taken:
            wanted = (wanted + 1) % 0x10000
        taken.add(wanted)
        ids[programme.id] = wanted
    return ids


def event_name(edition: Edition, programme: Programme) -> str:
    """What the guide's grid shows: ``三年级数学 第5课`` (reruns say so), else the title."""
    if not programme.is_lesson:
        return programme.title
    label = edition.lesson_label(programme)
    name = f"{edition.series(programme)} {label}" if label else edition.series(programme)
    return f"（重播）{name}" if programme.kind is Kind.RERUN else name


def event_text(edition: Edition, programme: Programme) -> str:
    """The sub-title under the name: a lesson's title, or what kind of airing it is."""
    if programme.is_lesson:
        return programme.title
    topic = edition.topic(programme)
    kind = edition.kind_zh(programme)
    return f"{kind}（{topic}）" if topic else kind


def genres(edition: Edition, programme: Programme) -> tuple[tuple[int, int], ...]:
    """content_descriptor nibbles: education by subject or topic; children's for grades 1–9."""
    if programme.kind is Kind.FILLER:
        kind = edition.filler_kind(programme)
        return (LEISURE_FITNESS,) if kind in ("eye_exercise", "exercise") else ()
    if programme.is_lesson:
        subject = edition.subject(programme) or ""
        level_2 = SUBJECT_GENRE.get(subject, 0x0)
        if level_2 == 0x0 and programme.grades and min(programme.grades) > CHILDREN_UP_TO:
            level_2 = 0x6  # further education
    elif programme.kind is Kind.SPECIAL:
        level_2 = TOPIC_GENRE.get(edition.topic(programme) or "", 0x0)
    else:
        level_2 = 0x0
    found = [(EDUCATION, level_2)]
    if programme.grades and max(programme.grades) <= CHILDREN_UP_TO:
        found.append((CHILDREN, SCHOOL_PROGRAMME))
    return tuple(found)


def _event(edition: Edition, programme: Programme, event_id: int, service: DvbService) -> Event:
    name, text = short_texts(
        service, event_name(edition, programme), event_text(edition, programme)
    )
    description = edition.description(programme)
    found = genres(edition, programme)
    descriptors = short_event(service, name, text)
    if description:
        descriptors += extended_events(service, description)
    if found:
        descriptors += content(found)
    return Event(
        event_id,
        programme,
        _decode(name, service),
        _decode(text, service),
        description,
        found,
        descriptors,
    )


# -- tables and sections --------------------------------------------------------------------------
def midnight(instant: datetime) -> datetime:
    """The UTC midnight that starts ``instant``'s day: where the schedule's segments start."""
    day = utc(instant).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def service_tables(events: Sequence[Event]) -> list[Table]:
    """The p/f sub-table, then the schedule sub-tables 0x50 … in order."""
    present = events[0]
    following = events[1:2]
    tables = [
        Table(PRESENT_FOLLOWING, ((present,), tuple(following)), (1, 1), (RUNNING, NOT_RUNNING))
    ]
    origin = midnight(present.start)
    by_segment: dict[int, list[Event]] = {}
    for event in events:
        by_segment.setdefault((event.start - origin) // SEGMENT, []).append(event)
    last_segment = max(by_segment)
    for index in range(last_segment // SEGMENTS_PER_TABLE + 1):
        sections: list[tuple[Event, ...]] = []
        segment_last: list[int] = []
        first = index * SEGMENTS_PER_TABLE
        for segment in range(first, min(first + SEGMENTS_PER_TABLE, last_segment + 1)):
            # sections of a segment: 8·(segment mod 32) …; unused numbers are skipped
            while len(sections) < (segment - first) * SECTIONS_PER_SEGMENT:
                sections.append(())
                segment_last.append(-1)  # a gap, not transmitted
            packed = _pack(by_segment.get(segment, []))
            if len(packed) > SECTIONS_PER_SEGMENT:  # rare: many short airings in 3 hours
                packed = _pack([event.brief() for event in by_segment[segment]])
            if len(packed) > SECTIONS_PER_SEGMENT:
                start = origin + segment * SEGMENT
                raise ScenarioError(
                    f"the airings of {start:%Y-%m-%d %H:%M} UTC and the 3 hours after do not fit "
                    "the 8 EIT sections of a segment even without descriptions; merge short "
                    "fillers into longer ones",
                    field="eit",
                )
            base = len(sections)
            sections.extend(packed)
            segment_last.extend([base + len(packed) - 1] * len(packed))
        tables.append(
            Table(
                SCHEDULE + index, tuple(sections), tuple(segment_last), (UNDEFINED,) * len(sections)
            )
        )
    return tables


def _pack(events: Sequence[Event]) -> list[tuple[Event, ...]]:
    """Events of one segment in as few sections as fit; an empty segment is one empty section."""
    room = MAX_SECTION - HEADER - CRC
    sections: list[tuple[Event, ...]] = []
    current: list[Event] = []
    used = 0
    for event in events:
        size = len(event.entry(UNDEFINED))
        if current and used + size > room:
            sections.append(tuple(current))
            current, used = [], 0
        current.append(event)
        used += size
    sections.append(tuple(current))
    return sections


def section(
    table: Table, service: DvbService, version: int, number: int, last_schedule_table: int
) -> bytes | None:
    """Section ``number`` of ``table`` with its CRC; None for a number a segment leaves out."""
    segment_last = table.segment_last[number]
    if segment_last < 0:
        return None
    events = b"".join(event.entry(table.running[number]) for event in table.sections[number])
    length = HEADER - 3 + len(events) + CRC
    last_table_id = last_schedule_table if table.table_id >= SCHEDULE else table.table_id
    head = (
        bytes([table.table_id])
        + (0xF000 | length).to_bytes(2, "big")  # syntax 1, reserved_future_use 1, reserved 11
        + service.service_id.to_bytes(2, "big")
        + bytes([0xC0 | (version << 1) | 1, number, len(table.sections) - 1])  # current_next 1
        + service.transport_stream_id.to_bytes(2, "big")
        + service.original_network_id.to_bytes(2, "big")
        + bytes([segment_last, last_table_id])
    )
    body = head + events
    assert len(body) + CRC <= MAX_SECTION
    return body + crc32(body).to_bytes(4, "big")


__all__ = [
    "FOLDER",
    "MAX_EXTENDED",
    "PID",
    "Event",
    "Table",
    "bcd_duration",
    "crc32",
    "dvb_text",
    "event_ids",
    "extended_events",
    "mjd_bcd",
    "packets",
    "render",
    "service_events",
    "service_tables",
    "short_event",
    "short_texts",
    "ts_path",
    "tsduck_xml",
    "xml_path",
]
