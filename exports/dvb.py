"""The DVB-SI encoding under the satellite guide (ETSI EN 300 468): EIT events and sub-tables,
texts in the DVB character tables and their descriptors, times in MJD and BCD, the sections'
CRC-32, and 188-byte transport-stream packets."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from exports.common import utc
from scheduler.domain.model import DvbService
from scheduler.domain.schedule import Programme

PID = 0x12
PRESENT_FOLLOWING = 0x4E
SCHEDULE = 0x50


PACKET = 188
# running_status: TSDuck's and TS 101 211's usage — p/f says what runs, schedules leave it open
UNDEFINED, NOT_RUNNING, RUNNING = 0, 1, 4
# the first byte of a text: its character table (EN 300 468 Annex A.2)
TEXT_TABLE = {"gb2312": b"\x13", "utf-8": b"\x15"}
SHORT_EVENT, EXTENDED_EVENT, CONTENT = 0x4D, 0x4E, 0x54
MAX_EXTENDED = 8  # descriptors per event: keeps one event well inside one section
MJD_EPOCH = date(1858, 11, 17)


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
