"""Corrections: what families holding the previous edition must be told, and nothing more.

When an edition replaces a previous one of the same channels (the publication memory's report
names it), the airings it moved, dropped, added or changed are written to ``corrections/``:

* ``corrections/sms.txt`` and ``corrections/sms.csv``: one correction SMS per affected grade and
  broadcast day, ``【更正】2月20日 三年级（北京时间）：数学 第4课 改至 15:00``, under the SMS
  budget and the gateway signature rules of :mod:`exports.sms` (the same :func:`exports.sms.split`
  and :func:`exports.sms.units`); ``sms.csv`` has the columns of ``sms/digests.csv``;
* ``corrections/errata.html`` and ``.pdf``: an A4 errata page listing only what changed, each
  item with what was published and what airs now, times in the channel's clock as posters
  print them.

A change is filed under the day families were told (the previous edition's broadcast day) and,
for an added airing, under the day it now airs. A grade is affected by its own lessons and
reruns and by specials and pinned items meant for it or for everyone; fillers never cause a
correction, and a grade nothing changed for gets nothing. The first edition, an edition that
changed nothing families see, and an export outside the memory write no corrections at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime

from exports.common import (
    Edition,
    clock_name,
    date_zh,
    grades_zh,
    tune_in,
    weekday_zh,
)
from exports.printable import environment, printed, weasyprint_pdf
from exports.sms import SEPARATOR, TABLE_FIELDS, Digest, split, units
from scheduler.domain.changes import Change, Move, diff
from scheduler.domain.model import GRADE_NAMES, Channel
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day

FOLDER = "corrections"
SMS_TEXT = f"{FOLDER}/sms.txt"
SMS_TABLE = f"{FOLDER}/sms.csv"
ERRATA = f"{FOLDER}/errata.html"
ERRATA_PDF = f"{FOLDER}/errata.pdf"
PREFIX = "【更正】"
MOVES_ZH = {
    Move.DAY: "改日期",
    Move.TIME: "改时间",
    Move.CHANNEL: "改频道",
    Move.RETITLED: "改内容",
    Move.DROPPED: "取消",
    Move.ADDED: "新增",
}

PdfRenderer = Callable[[str], bytes]


def corrections(edition: Edition) -> tuple[Change, ...]:
    """What ``edition`` changed that families see (none for a first edition or without a
    memory): the airings the memory's report names, before and after, through the one
    :func:`scheduler.domain.changes.diff`; a lesson whose title alone changed is kept with its
    new title (``after``) and corrected too."""
    report = edition.report
    if report is None or report.previous is None:
        return ()
    current = edition.schedule.by_id()
    before = [c.previous for c in report.changes if c.what != "added" and c.previous is not None]
    after = [current[c.id] for c in report.changes if c.what != "dropped" and c.id in current]
    found = diff(edition.scenario, Schedule(tuple(before)), Schedule(tuple(after)))
    return tuple(c for c in found if c.changed or _retitled(c))


def _retitled(change: Change) -> bool:
    """Kept in its slot with a new title (a catalog's title corrected)."""
    return (
        change.before is not None
        and change.after is not None
        and change.before.title != change.after.title
    )


def _grades(edition: Edition, change: Change) -> tuple[int, ...]:
    """The grades a change reaches: its own, or every grade for an all-grade item."""
    return change.grades or edition.grades


def notices(edition: Edition) -> tuple[Digest, ...]:
    """One correction SMS per affected grade and broadcast day, grade by grade, day by day."""
    found = corrections(edition)
    signature = edition.scenario.publishing.sms_signature
    texts = []
    for grade in edition.grades:
        mine = [c for c in found if grade in _grades(edition, c)]
        clocks = _clocks(edition, mine)
        days: dict[date, list[tuple[datetime, str]]] = {}
        for correction in mine:
            for day, instant, text in _items(edition, correction, mixed=len(clocks) > 1):
                days.setdefault(day, []).append((instant, text))
        for day in sorted(days):
            items = [text for _, text in sorted(days[day])]
            head = f"{PREFIX}{date_zh(day)} {GRADE_NAMES[grade]}"
            head += f"（{clocks[0]}）：" if len(clocks) == 1 else "："
            parts = split(head, items, reserve=units(signature))
            texts.append(Digest(grade, day, head + SEPARATOR.join(items), parts))
    return tuple(texts)


def render(edition: Edition, *, pdf: PdfRenderer | None = weasyprint_pdf) -> dict[str, bytes]:
    """The corrections folder (empty when there is nothing to correct); no PDF when ``pdf`` is
    None."""
    found = corrections(edition)
    if not found:
        return {}
    signature = edition.scenario.publishing.sms_signature
    sent = notices(edition)
    lines: list[str] = []
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(TABLE_FIELDS)
    for notice in sent:
        lines.append(
            f"{GRADE_NAMES[notice.grade]} {notice.day.isoformat()} {weekday_zh(notice.day)}"
            f" · {notice.segments} 条短信"
        )
        lines.extend(signature + part for part in notice.parts)
        lines.append("")
        for number, part in enumerate(notice.parts, start=1):
            writer.writerow(
                [
                    notice.grade,
                    notice.day.isoformat(),
                    number,
                    notice.segments,
                    units(signature + part),
                    part,
                ]
            )
    html = errata(edition, found)
    files = {
        SMS_TEXT: "\n".join(lines).encode("utf-8"),
        SMS_TABLE: table.getvalue().encode("utf-8"),
        ERRATA: html.encode("utf-8"),
    }
    if pdf is not None:
        files[ERRATA_PDF] = pdf(html)
    return files


def errata(edition: Edition, found: tuple[Change, ...]) -> str:
    """The errata page: every correction once, by the day families were told, with its grades,
    what was published and what airs now."""
    rows = []
    for change in found:
        shown = change.before or change.after
        assert shown is not None
        rows.append(
            {
                "day": f"{date_zh(change.day)} {weekday_zh(change.day)}",
                "grades": grades_zh(change.grades),
                "name": printed(_title(edition, shown)),
                "what": MOVES_ZH[change.move] if change.changed else "改标题",
                "before": _when(edition, change.before) if change.before else "—",
                "after": _when(
                    edition, change.after, name=change.move in (Move.RETITLED, Move.KEPT)
                )
                if change.after
                else "取消",
            }
        )
    report = edition.report
    assert report is not None
    channels = tuple(
        dict.fromkeys(
            channel
            for c in found
            for p in (c.before, c.after)
            if p is not None
            for channel in (_channel(edition, p),)
            if channel is not None
        )
    )
    return (
        environment()
        .get_template("errata.html.j2")
        .render(
            edition={
                "title": edition.scenario.title,
                "number": edition.number,
                "previous": report.previous,
                "published": edition.published_day.isoformat(),
            },
            rows=rows,
            clocks="、".join(dict.fromkeys(clock_name(c) for c in channels)),
            tune_in=[tune_in(c) for c in channels],
        )
    )


# -- how an airing is named and placed ----------------------------------------------------------
def _channel(edition: Edition, p: Programme) -> Channel | None:
    """The airing's channel, None for one the scenario no longer has."""
    try:
        return edition.scenario.channel(p.channel)
    except KeyError:
        return None


def _day(edition: Edition, p: Programme) -> date:
    """The broadcast day families were told (a window past midnight keeps its evening's day)."""
    found = broadcast_day(edition.scenario, p)
    return found[0] if found is not None else _local(edition, p, p.start).date()


def _local(edition: Edition, p: Programme, instant: datetime) -> datetime:
    channel = _channel(edition, p) or edition.channels[0]
    return instant.astimezone(channel.zone)


def _clocks(edition: Edition, found: list[Change]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            clock_name(channel)
            for c in found
            for p in (c.before, c.after)
            if p is not None
            for channel in (_channel(edition, p) or edition.channels[0],)
        )
    )


def _name(edition: Edition, p: Programme) -> str:
    """``数学 第4课``, ``数学 第4课 重播``, a special's topic or a pinned item's title."""
    if p.is_lesson:
        name = f"{edition.subject(p) or edition.series(p)} 第{p.lesson}课"
        return name + (" 重播" if p.kind is Kind.RERUN else "")
    if p.kind is Kind.SPECIAL:
        return edition.topic(p) or p.title
    return " ".join(p.title.split())


def _title(edition: Edition, p: Programme) -> str:
    """The errata's name of an airing: its series and lesson with the lesson's title."""
    if p.is_lesson:
        text = f"{edition.series(p)} 第{p.lesson}课：{p.title}"
        return f"{text}（重播）" if p.kind is Kind.RERUN else text
    return p.title


def _when(edition: Edition, p: Programme, *, name: bool = False) -> str:
    """``2月20日 08:10–08:30 CETV-4`` as posters print times, the channel's short name last."""
    start, end = _local(edition, p, p.start), _local(edition, p, p.end)
    channel = _channel(edition, p)
    where = edition.scenario.short_name(channel) if channel else p.channel
    text = f"{date_zh(_day(edition, p))} {start:%H:%M}–{end:%H:%M} {where}"
    return f"{text} · {printed(_title(edition, p))}" if name else text


def _time(edition: Edition, p: Programme, mixed: bool) -> str:
    """``15:00``, with its clock when a grade's corrections use several."""
    text = f"{_local(edition, p, p.start):%H:%M}"
    if mixed:
        text += f"（{clock_name(_channel(edition, p) or edition.channels[0])}）"
    return text


def _items(edition: Edition, change: Change, *, mixed: bool) -> list[tuple[date, datetime, str]]:
    """A change's SMS item: ``(day it is filed under, order within the day, text)``."""
    before, after = change.before, change.after
    if before is None:
        assert after is not None
        return [
            (
                change.day,
                after.start,
                f"新增 {_time(edition, after, mixed)} {_name(edition, after)}",
            )
        ]
    name = _name(edition, before)
    at = _time(edition, before, mixed)
    if after is None:
        return [(change.day, before.start, f"{at} {name} 取消")]
    if change.move is Move.RETITLED:
        return [(change.day, before.start, f"{at} {name} 改为 {_name(edition, after)}")]
    if not change.changed:
        title = " ".join(after.title.split())
        return [(change.day, before.start, f"{at} {name} 改为《{title}》")]
    target = _time(edition, after, mixed)
    if after.channel != before.channel:
        channel = _channel(edition, after)
        target = f"{edition.scenario.short_name(channel) if channel else after.channel} {target}"
    if change.new_day is not None and change.new_day != change.day:
        target = f"{date_zh(change.new_day)} {target}"
    if not before.is_lesson:  # a lesson's number names it; a special, its time too
        name = f"{at} {name}"
    return [(change.day, before.start, f"{name} 改至 {target}")]


__all__ = [
    "ERRATA",
    "ERRATA_PDF",
    "FOLDER",
    "SMS_TABLE",
    "SMS_TEXT",
    "corrections",
    "errata",
    "notices",
    "render",
]
