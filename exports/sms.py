"""SMS digests: one text a day per grade, for families with only a basic phone.

Chinese text travels as UCS-2: one SMS segment holds 70 UTF-16 code units; a longer digest is
sent as numbered parts of at most 67 units each, ``(1/2)…``, ``(2/2)…`` (the number counts
toward the 67), split between items so no item is cut. Units are UTF-16 code units, so an
emoji counts twice and is never cut in half. Chinese gateways add a mandatory 【签名】 to every
text and count it: the scenario's ``[publishing] sms_signature`` is left room for in every
part (``digests.csv`` holds the text without it, its ``units`` with it; the readable ``.txt``
shows it as families see it).

``三年级2月18日 CETV-4（北京时间）：08:10数学《比例的意义》；16:00数学重播；收看：户户通第4频道``

Each item names its channel (``@CETV-4``) when the grade has several, and its clock when they
keep different ones.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from exports.common import Edition, clock_name, date_zh, grade_file, weekday_zh
from scheduler.domain.model import GRADE_NAMES, Channel
from scheduler.domain.schedule import Kind, Programme

SEGMENT_UNITS = 70
PART_UNITS = 67
FOLDER = "sms"
TABLE = f"{FOLDER}/digests.csv"
#: The columns of ``digests.csv`` (and of the corrections' ``sms.csv``) for a gateway.
TABLE_FIELDS = ("grade", "date", "part", "parts", "units", "text")
SEPARATOR = "；"


def units(text: str) -> int:
    """Length in UTF-16 code units, as UCS-2 SMS counts it."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Digest:
    """A grade's digest for one broadcast day and the parts it is sent as."""

    grade: int
    day: date
    text: str
    parts: tuple[str, ...]

    @property
    def segments(self) -> int:
        return len(self.parts)


def render(edition: Edition) -> dict[str, bytes]:
    """``sms/grade-03.txt`` per grade (readable) and ``sms/digests.csv`` (for a gateway)."""
    files: dict[str, bytes] = {}
    signature = edition.scenario.publishing.sms_signature
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(TABLE_FIELDS)
    for grade in edition.grades:
        lines: list[str] = []
        for day in edition.days:
            found = digest(edition, grade, day)
            lines.append(
                f"{day.isoformat()} {weekday_zh(day)} · {found.segments} 条短信"
                + (
                    f"（{units(signature + found.parts[0])}/{SEGMENT_UNITS} 字）"
                    if found.segments == 1
                    else ""
                )
            )
            lines.extend(signature + part for part in found.parts)
            lines.append("")
            for number, part in enumerate(found.parts, start=1):
                writer.writerow(
                    [grade, day.isoformat(), number, found.segments, units(signature + part), part]
                )
        files[f"{FOLDER}/{grade_file(grade)}.txt"] = "\n".join(lines).encode("utf-8")
    files[TABLE] = table.getvalue().encode("utf-8")
    return files


def digest(edition: Edition, grade: int, day: date) -> Digest:
    """The day's digest for a grade: lessons, reruns, specials and pinned items in time order.

    The tune-in footer, then lesson titles (``《比例的意义》``) in time order, are added where
    they fit without another segment; the gateway's signature is counted in every part.
    """
    airings = sorted(
        (p for p in edition.on_day(day) if p.kind is not Kind.FILLER and p.is_for(grade)),
        key=lambda p: (p.start, p.channel),
    )
    channels = edition.channels_for(grade)
    several = len(channels) > 1
    clocks = edition.clock_names(grade)
    mixed = len(clocks) > 1
    header = f"{GRADE_NAMES[grade]}{date_zh(day)}"
    if not several:
        header += f" {edition.scenario.short_name(channels[0])}"
    if not mixed:
        header += f"（{clocks[0]}）"
    reserve = units(edition.scenario.publishing.sms_signature)
    items = [_item(edition, p, several, mixed, topic=False) for p in airings] or ["今日无节目"]
    count = len(split(header + "：", items, reserve=reserve))
    footer = _footer(channels)
    if footer and len(split(header + "：", [*items, footer], reserve=reserve)) <= count:
        items = [*items, footer]
    for index, p in enumerate(airings):
        if edition.has_topic(p):
            trial = [
                *items[:index],
                _item(edition, p, several, mixed, topic=True),
                *items[index + 1 :],
            ]
            if len(split(header + "：", trial, reserve=reserve)) <= count:
                items = trial
    text = header + "：" + SEPARATOR.join(items)
    return Digest(grade, day, text, split(header + "：", items, reserve=reserve))


def _footer(channels: tuple[Channel, ...]) -> str:
    """``收看：户户通第4频道``: how to tune in, when every channel of the digest says so."""
    ways = []
    for channel in channels:
        reception = channel.reception
        way = reception.platform + (f"第{reception.number}频道" if reception.number else "")
        if not way:
            return ""
        ways.append(way)
    return "收看：" + "、".join(dict.fromkeys(ways))


def _item(edition: Edition, p: Programme, several: bool, mixed: bool, *, topic: bool) -> str:
    """``08:10数学《比例的意义》``, ``16:00数学重播``, with ``@CETV-4`` when a grade has several
    channels and the clock when they keep different ones."""
    time = f"{edition.local(p.start, p):%H:%M}"
    if mixed:
        time += f"（{clock_name(edition.channel(p))}）"
    if p.is_lesson:
        name = edition.subject(p) or edition.series(p)
    elif p.kind is Kind.SPECIAL:
        name = edition.topic(p) or p.title
    else:
        name = p.title
    name = " ".join(name.split())
    if topic:
        name += f"《{' '.join(p.title.split())}》"
    text = f"{time}{name}" + ("重播" if p.kind is Kind.RERUN else "")
    return f"{text}@{edition.short_name(p)}" if several else text


def split(head: str, items: list[str], *, reserve: int = 0) -> tuple[str, ...]:
    """One segment when ``head + items`` fits 70 units, else numbered parts of ≤ 67 units;
    ``reserve`` units of every segment are left for the gateway's signature. Items are joined
    by ``；``; the head always travels with the first item, never alone."""
    whole = head + SEPARATOR.join(items)
    if units(whole) <= SEGMENT_UNITS - reserve:
        return (whole,)
    digits = 1
    while True:
        budget = PART_UNITS - reserve - units(f"({'9' * digits}/{'9' * digits})")
        bodies = _pack(head, items, budget)
        if len(bodies) < 10**digits:
            count = len(bodies)
            return tuple(f"({i}/{count}){body}" for i, body in enumerate(bodies, start=1))
        digits += 1


def _pack(head: str, items: list[str], budget: int) -> list[str]:
    """Greedy packing of the items (``head`` glued to the first) into bodies ≤ ``budget``."""
    bodies: list[str] = []
    current = ""
    pieces = [head + items[0], *items[1:]] if items else [head]
    for piece in pieces:
        glue = SEPARATOR if current else ""
        if current and units(current + glue + piece) <= budget:
            current += glue + piece
            continue
        if current:
            bodies.append(current)
            current = ""
        for chunk in _cut(piece, budget):
            if current:
                bodies.append(current)
            current = chunk
    if current:
        bodies.append(current)
    return bodies


def _cut(text: str, budget: int) -> list[str]:
    """``text`` in chunks of ≤ ``budget`` units, never splitting a surrogate pair."""
    chunks: list[str] = []
    current = ""
    for char in text:
        if current and units(current + char) > budget:
            chunks.append(current)
            current = ""
        current += char
    return [*chunks, current] if current else chunks


__all__ = [
    "PART_UNITS",
    "SEGMENT_UNITS",
    "SEPARATOR",
    "TABLE_FIELDS",
    "Digest",
    "digest",
    "render",
    "split",
    "units",
]
