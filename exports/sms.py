"""SMS digests: one text a day per grade, for families with only a basic phone.

Chinese text travels as UCS-2: one SMS segment holds 70 UTF-16 code units; a longer digest is
sent as numbered parts of at most 67 units each, ``(1/2)…``, ``(2/2)…`` (the number counts
toward the 67), split between items so no item is cut. Units are UTF-16 code units, so an
emoji counts twice and is never cut in half.

``三年级 2月18日 CETV-4：数学08:10 语文08:35 数学16:00重播 疫情防护16:20``
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from exports.common import Edition, date_zh, grade_file, weekday_zh
from scheduler.model import GRADE_NAMES
from scheduler.schedule import Kind, Programme

SEGMENT_UNITS = 70
PART_UNITS = 67
FOLDER = "sms"
TABLE = f"{FOLDER}/digests.csv"


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
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["grade", "date", "part", "parts", "units", "text"])
    for grade in edition.grades:
        lines: list[str] = []
        for day in edition.days:
            found = digest(edition, grade, day)
            lines.append(
                f"{day.isoformat()} {weekday_zh(day)} · {found.segments} 条短信"
                + (f"（{units(found.text)}/{SEGMENT_UNITS} 字）" if found.segments == 1 else "")
            )
            lines.extend(found.parts)
            lines.append("")
            for number, part in enumerate(found.parts, start=1):
                writer.writerow(
                    [grade, day.isoformat(), number, found.segments, units(part), part]
                )
        files[f"{FOLDER}/{grade_file(grade)}.txt"] = "\n".join(lines).encode("utf-8")
    files[TABLE] = table.getvalue().encode("utf-8")
    return files


def digest(edition: Edition, grade: int, day: date) -> Digest:
    """The day's digest for a grade: lessons, reruns, specials and pinned items in time order."""
    airings = sorted(
        (
            p for p in edition.on_day(day)
            if p.kind is not Kind.FILLER and p.is_for(grade)
        ),
        key=lambda p: (p.start, p.channel),
    )
    channels = {p.channel for p in airings}
    several = len(edition.scenario.channels) > 1 and len(channels) > 1
    header = f"{GRADE_NAMES[grade]} {date_zh(day)}"
    if airings and not several:
        header += f" {_short(edition, airings[0])}"
    items = [_item(edition, p, several) for p in airings] or ["今日无节目"]
    text = f"{header}：{' '.join(items)}"
    return Digest(grade, day, text, split(header + "：", items))


def _short(edition: Edition, p: Programme) -> str:
    """A channel's short name for a text: the first word of its English name (``CETV-4``)."""
    channel = edition.channel(p)
    return channel.name_en.split()[0] if channel.name_en.strip() else channel.id


def _item(edition: Edition, p: Programme, several: bool) -> str:
    time = f"{edition.local(p.start, p):%H:%M}"
    if p.is_lesson:
        name = edition.subject(p) or edition.series(p)
    elif p.kind is Kind.SPECIAL:
        name = edition.topic(p) or p.title
    else:
        name = p.title
    name = " ".join(name.split())
    text = f"{name}{time}" + ("重播" if p.kind is Kind.RERUN else "")
    return f"{text}@{_short(edition, p)}" if several else text


def split(head: str, items: list[str]) -> tuple[str, ...]:
    """One segment when ``head + items`` fits 70 units, else numbered parts of ≤ 67 units."""
    whole = head + " ".join(items)
    if units(whole) <= SEGMENT_UNITS:
        return (whole,)
    digits = 1
    while True:
        budget = PART_UNITS - units(f"({'9' * digits}/{'9' * digits})")
        bodies = _pack(head, items, budget)
        if len(bodies) < 10**digits:
            count = len(bodies)
            return tuple(f"({i}/{count}){body}" for i, body in enumerate(bodies, start=1))
        digits += 1


def _pack(head: str, items: list[str], budget: int) -> list[str]:
    """Greedy packing of ``head`` and the items (space-separated) into bodies ≤ ``budget``."""
    bodies: list[str] = []
    current = ""
    pieces = [head, *items]
    for index, piece in enumerate(pieces):
        glue = "" if index <= 1 or not current else " "
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


__all__ = ["PART_UNITS", "SEGMENT_UNITS", "Digest", "digest", "render", "split", "units"]
