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
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from lxml import etree  # no stubs in the dev extras

from exports.common import Edition, utc
from exports.xmltv import xml_text
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Channel, DvbService
from scheduler.domain.schedule import Kind, Programme

FOLDER = "eit"
PID = 0x12
PRESENT_FOLLOWING = 0x4E
SCHEDULE = 0x50
SCHEDULE_TABLES = 16
SEGMENT = timedelta(hours=3)
SECTIONS_PER_SEGMENT = 8
SEGMENTS_PER_TABLE = 32
MAX_SECTION = 4096  # bytes of an EIT section, header and CRC included
HEADER = 14  # table_id … last_table_id
CRC = 4
PACKET = 188
# running_status: TSDuck's and TS 101 211's usage — p/f says what runs, schedules leave it open
UNDEFINED, NOT_RUNNING, RUNNING = 0, 1, 4
# the first byte of a text: its character table (EN 300 468 Annex A.2)
TEXT_TABLE = {"gb2312": b"\x13", "utf-8": b"\x15"}
SHORT_EVENT, EXTENDED_EVENT, CONTENT = 0x4D, 0x4E, 0x54
MAX_EXTENDED = 8  # descriptors per event: keeps one event well inside one section
MJD_EPOCH = date(1858, 11, 17)

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


@dataclass(frozen=True, slots=True)
class Event:
    """One airing as an EIT event: its id, times and encoded descriptor loop."""

    event_id: int
    programme: Programme
    name: str
    text: str
    description: str | None
    genres: tuple[tuple[int, int], ...]
    descriptors: bytes

    @property
    def start(self) -> datetime:
        return utc(self.programme.start)

    @property
    def duration(self) -> timedelta:
        return self.programme.end - self.programme.start

    def brief(self) -> Event:
        """The event without its extended descriptors, for a segment too full to hold them."""
        kept = b""
        rest = self.descriptors
        while rest:
            size = 2 + rest[1]
            if rest[0] != EXTENDED_EVENT:
                kept += rest[:size]
            rest = rest[size:]
        return replace(self, description=None, descriptors=kept)

    def entry(self, running_status: int) -> bytes:
        """The event's part of a section: id, start, duration, status and descriptors."""
        loop = len(self.descriptors)
        return (
            self.event_id.to_bytes(2, "big")
            + mjd_bcd(self.start)
            + bcd_duration(self.duration)
            + ((running_status << 13) | loop).to_bytes(2, "big")  # free_CA_mode 0: free to air
            + self.descriptors
        )


@dataclass(frozen=True, slots=True)
class Table:
    """One sub-table as sections: table_id and, per section, its running statuses and events."""

    table_id: int
    sections: tuple[tuple[Event, ...], ...]
    segment_last: tuple[int, ...]  # segment_last_section_number of each section
    running: tuple[int, ...]  # running_status used in each section


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


# -- descriptors ----------------------------------------------------------------------------------
def dvb_text(text: str, encoding: str, limit: int = 255) -> bytes:
    """``text`` in the DVB character table of ``encoding``, at most ``limit`` bytes.

    The first byte names the table; a text too long is cut at a character, never inside one.
    """
    table = TEXT_TABLE[encoding]
    data = bytearray(table)
    for char in _printable(text):
        if encoding == "gb2312":
            try:
                code = char.encode("gb2312")
            except UnicodeEncodeError:
                code = "？".encode("gb2312")
        else:
            code = char.encode("utf-8")
        if len(data) + len(code) > limit:
            break
        data += code
    return bytes(data) if len(data) > 1 else b""


def _printable(text: str) -> str:
    """Control characters out: DVB reads 0x80–0x9F of a text as its own control codes."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


def short_texts(service: DvbService, name: str, text: str) -> tuple[bytes, bytes]:
    """Event name and text encoded to fit one short_event_descriptor (250 bytes together)."""
    name_bytes = dvb_text(name, service.encoding, 200)
    return name_bytes, dvb_text(text, service.encoding, 250 - len(name_bytes))


def short_event(service: DvbService, name: bytes, text: bytes) -> bytes:
    """short_event_descriptor (0x4D): language, event name, text (encoded, 250 bytes at most)."""
    body = service.language.encode("ascii") + bytes([len(name)]) + name + bytes([len(text)]) + text
    return bytes([SHORT_EVENT, len(body)]) + body


def _decode(data: bytes, service: DvbService) -> str:
    """What a receiver reads of an encoded text (its table byte left out)."""
    return data[1:].decode(service.encoding)


def extended_events(service: DvbService, description: str) -> bytes:
    """extended_event_descriptors (0x4E) carrying ``description``, numbered from 0.

    Each holds up to 249 bytes of text with its own character table byte, split between
    characters; at most :data:`MAX_EXTENDED` of them (a longer text is cut).
    """
    parts: list[bytes] = []
    rest = _printable(description)
    while rest and len(parts) < MAX_EXTENDED:
        chunk = dvb_text(rest, service.encoding, 249)
        if not chunk:
            break
        parts.append(chunk)
        rest = rest[_chars_in(chunk, service.encoding) :]
    last = len(parts) - 1
    data = b""
    for number, chunk in enumerate(parts):
        body = (
            bytes([(number << 4) | last])
            + service.language.encode("ascii")
            + b"\x00"
            + bytes([len(chunk)])
            + chunk
        )  # no items, then the text
        data += bytes([EXTENDED_EVENT, len(body)]) + body
    return data


def _chars_in(chunk: bytes, encoding: str) -> int:
    """How many characters of the source text an encoded chunk holds (after its table byte)."""
    return len(chunk[1:].decode(encoding))


def content(found: Iterable[tuple[int, int]]) -> bytes:
    """content_descriptor (0x54): one (level 1, level 2) nibble pair per genre, user byte 0."""
    body = b"".join(bytes([(one << 4) | two, 0]) for one, two in found)
    return bytes([CONTENT, len(body)]) + body


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


# -- transport stream -----------------------------------------------------------------------------
def packets(sections: Iterable[bytes | None]) -> bytes:
    """Sections as 188-byte TS packets on PID 0x12.

    Each section starts a packet (payload_unit_start_indicator, pointer_field 0) and goes on in
    the next ones; the rest of its last packet is 0xFF stuffing. Packets of stuffing alone
    round the count up to a multiple of 16, so a playout looping the file keeps the continuity
    counter running (a decoder drops a table whose counter jumps).
    """
    out = bytearray()
    counter = 0

    def packet(start: bool, chunk: bytes) -> None:
        nonlocal counter
        out.extend(
            bytes([0x47, (0x40 if start else 0x00) | (PID >> 8), PID & 0xFF, 0x10 | counter])
        )  # payload only
        out.extend(chunk + b"\xff" * (PACKET - 4 - len(chunk)))
        counter = (counter + 1) % 16

    for data in sections:
        if data is None:
            continue
        payload = b"\x00" + data  # pointer_field
        for offset in range(0, len(payload), PACKET - 4):
            packet(offset == 0, payload[offset : offset + PACKET - 4])
    while counter:
        packet(False, b"")
    return bytes(out)


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return tuple(table)


CRC_TABLE = _crc_table()


def crc32(data: bytes) -> int:
    """CRC-32/MPEG-2 (polynomial 0x04C11DB7, start 0xFFFFFFFF, no reflection, no final xor)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ CRC_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def mjd_bcd(instant: datetime) -> bytes:
    """A UTC instant as 16-bit Modified Julian Date and BCD hours, minutes, seconds."""
    moment = utc(instant)
    mjd = (moment.date() - MJD_EPOCH).days
    return mjd.to_bytes(2, "big") + _bcd(moment.hour, moment.minute, moment.second)


def bcd_duration(span: timedelta) -> bytes:
    """A duration as BCD hours, minutes, seconds (up to 99:59:59)."""
    seconds = int(span.total_seconds())
    if not 0 <= seconds < 100 * 3600:
        raise ValueError(f"an EIT duration must be under 100 hours, not {span}")
    return _bcd(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _bcd(*numbers: int) -> bytes:
    return bytes((n // 10) << 4 | n % 10 for n in numbers)


# -- TSDuck XML -----------------------------------------------------------------------------------
RUNNING_NAMES = {UNDEFINED: "undefined", NOT_RUNNING: "not-running", RUNNING: "running"}


def tsduck_xml(service: DvbService, version: int, tables: Sequence[Table]) -> bytes:
    """The tables in TSDuck's PSI/SI XML: ``<tsduck>`` with one ``<EIT>`` per sub-table."""
    root = etree.Element("tsduck")
    last_table_id = tables[-1].table_id
    for table in tables:
        pf = table.table_id == PRESENT_FOLLOWING
        element = etree.SubElement(root, "EIT")
        element.set("type", "pf" if pf else str(table.table_id - SCHEDULE))
        element.set("version", str(version))
        element.set("current", "true")
        element.set("actual", "true")
        element.set("service_id", _hex(service.service_id))
        element.set("transport_stream_id", _hex(service.transport_stream_id))
        element.set("original_network_id", _hex(service.original_network_id))
        element.set("last_table_id", f"0x{(table.table_id if pf else last_table_id):02X}")
        for events, running in zip(table.sections, table.running, strict=True):
            for event in events:
                element.append(_xml_event(service, event, running))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _xml_event(service: DvbService, event: Event, running: int) -> etree._Element:
    seconds = int(event.duration.total_seconds())
    element = etree.Element(
        "event",
        event_id=_hex(event.event_id),
        start_time=f"{event.start:%Y-%m-%d %H:%M:%S}",
        duration=f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
        running_status=RUNNING_NAMES[running],
        CA_mode="false",
    )
    short = etree.SubElement(element, "short_event_descriptor", language_code=service.language)
    etree.SubElement(short, "event_name").text = xml_text(event.name)
    etree.SubElement(short, "text").text = xml_text(event.text)
    texts = list(_extended_texts(service, event.description))
    for number, text in enumerate(texts):
        extended = etree.SubElement(
            element,
            "extended_event_descriptor",
            descriptor_number=str(number),
            last_descriptor_number=str(len(texts) - 1),
            language_code=service.language,
        )
        etree.SubElement(extended, "text").text = xml_text(text)
    if event.genres:
        genre = etree.SubElement(element, "content_descriptor")
        for one, two in event.genres:
            etree.SubElement(
                genre,
                "content",
                content_nibble_level_1=str(one),
                content_nibble_level_2=str(two),
                user_byte="0x00",
            )
    return element


def _extended_texts(service: DvbService, description: str | None) -> Iterator[str]:
    data = extended_events(service, description) if description else b""
    while data:
        length = data[1]
        yield _decode(data[2 + 6 : 2 + length], service)  # after number, language, lengths
        data = data[2 + length :]


def _hex(value: int) -> str:
    return f"0x{value:04X}"


__all__ = [
    "FOLDER",
    "PID",
    "bcd_duration",
    "crc32",
    "dvb_text",
    "event_ids",
    "mjd_bcd",
    "packets",
    "render",
    "service_events",
    "service_tables",
    "ts_path",
    "xml_path",
]
