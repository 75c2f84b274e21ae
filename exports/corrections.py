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
from dataclasses import dataclass
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
from exports.sms import TABLE_FIELDS, Digest, split, units
from scheduler.domain.model import GRADE_NAMES, Channel
from scheduler.domain.schedule import Kind, Programme, broadcast_day

FOLDER = "corrections"
SMS_TEXT = f"{FOLDER}/sms.txt"
SMS_TABLE = f"{FOLDER}/sms.csv"
ERRATA = f"{FOLDER}/errata.html"
ERRATA_PDF = f"{FOLDER}/errata.pdf"
PREFIX = "【更正】"
SEPARATOR = "；"
WHAT_ZH = {"moved": "改时间", "dropped": "取消", "added": "新增", "changed": "改内容"}

PdfRenderer = Callable[[str], bytes]


@dataclass(frozen=True, slots=True)
class Correction:
    """One airing families were told of that now airs otherwise (or a new one).

    ``what`` is the memory's kind of change (``moved``, ``dropped``, ``added``, ``changed``);
    ``before`` is the airing as the previous edition published it, ``after`` as it airs now.
    """

    what: str
    before: Programme | None
    after: Programme | None

    @property
    def shown(self) -> Programme:
        """The airing that names the correction: as published before, else as added."""
        found = self.before or self.after
        assert found is not None
        return found

    def is_for(self, grade: int) -> bool:
        """Whether families of ``grade`` held it or will watch it (fillers never)."""
        return any(
            p is not None and p.kind is not Kind.FILLER and p.is_for(grade)
            for p in (self.before, self.after)
        )


def corrections(edition: Edition) -> tuple[Correction, ...]:
    """The changes of ``edition`` families see, from the memory's report (none without one)."""
    report = edition.report
    if report is None or report.previous is None:
        return ()
    current = edition.schedule.by_id()
    found = []
    for change in report.changes:
        after = current.get(change.id) if change.what != "dropped" else None
        before = change.previous if change.what != "added" else None
        if before is None and after is None:
            continue  # a report from a store older than corrections: nothing to say
        correction = Correction(change.what, before, after)
        if any(p is not None and p.kind is not Kind.FILLER for p in (before, after)):
            found.append(correction)
    return tuple(found)


def notices(edition: Edition) -> tuple[Digest, ...]:
    """One correction SMS per affected grade and broadcast day, grade by grade, day by day."""
    found = corrections(edition)
    signature = edition.scenario.publishing.sms_signature
    texts = []
    for grade in edition.grades:
        mine = [c for c in found if c.is_for(grade)]
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


def errata(edition: Edition, found: tuple[Correction, ...]) -> str:
    """The errata page: every correction once, by the day families were told, with its grades,
    what was published and what airs now."""
    rows = []
    for correction in sorted(found, key=lambda c: _order(edition, c)):
        shown = correction.shown
        day = _day(edition, shown)
        rows.append(
            {
                "day": f"{date_zh(day)} {weekday_zh(day)}",
                "grades": grades_zh(shown.grades),
                "name": printed(_title(edition, shown)),
                "what": WHAT_ZH[correction.what],
                "before": _when(edition, correction.before) if correction.before else "—",
                "after": _when(edition, correction.after, name=correction.what == "changed")
                if correction.after
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


def _clocks(edition: Edition, found: list[Correction]) -> tuple[str, ...]:
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


def _items(
    edition: Edition, correction: Correction, *, mixed: bool
) -> list[tuple[date, datetime, str]]:
    """A correction's SMS item: ``(day it is filed under, order within the day, text)``."""
    before, after = correction.before, correction.after
    if correction.what == "added" and after is not None:
        text = f"新增 {_time(edition, after, mixed)} {_name(edition, after)}"
        return [(_day(edition, after), after.start, text)]
    if before is None:
        return []
    day = _day(edition, before)
    name = _name(edition, before)
    if after is None:
        return [(day, before.start, f"{_time(edition, before, mixed)} {name} 取消")]
    if not before.is_lesson:  # a lesson's number names it; a special, its time
        name = f"{_time(edition, before, mixed)} {name}"
    if correction.what == "changed":
        now = _name(edition, after)
        change = f"改为 {now}" if now != name else f"改为《{' '.join(after.title.split())}》"
        return [(day, before.start, f"{_time(edition, before, mixed)} {name} {change}")]
    target = _time(edition, after, mixed)
    if after.channel != before.channel:
        channel = _channel(edition, after)
        target = f"{edition.scenario.short_name(channel) if channel else after.channel} {target}"
    if _day(edition, after) != day:
        target = f"{date_zh(_day(edition, after))} {target}"
    return [(day, before.start, f"{name} 改至 {target}")]


def _order(edition: Edition, correction: Correction) -> tuple[date, datetime, str, str]:
    shown = correction.shown
    return _day(edition, shown), shown.start, shown.channel, shown.id


__all__ = [
    "ERRATA",
    "ERRATA_PDF",
    "FOLDER",
    "SMS_TABLE",
    "SMS_TEXT",
    "Correction",
    "corrections",
    "errata",
    "notices",
    "render",
]
