"""Printable timetables: a weekly poster per grade and a day grid per channel, HTML and PDF.

Made for village notice boards: A4, Chinese fonts named by family (WenQuanYi Micro Hei, then
Noto Sans CJK SC) and embedded in the PDF, and legible when photocopied in black and white:
every kind of airing carries a printed label in a box with its own border (solid black for a
new lesson, dashed for a rerun, double for a special, dotted for a pinned item), never colour
alone. HTML comes from the Jinja2 templates in ``exports/templates``; PDF from WeasyPrint.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from exports.common import (
    Edition,
    clock_name,
    date_zh,
    grade_file,
    grades_zh,
    tune_in,
    weekday_zh,
)
from exports.printing import PdfRenderer, Progress, pdfs, weasyprint_pdf
from scheduler.domain.model import GRADE_NAMES, Channel, format_clock
from scheduler.domain.schedule import Kind, Programme

POSTERS = "posters"
GRIDS = "grids"
FONT_FAMILY = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
# Emoji (pictographs, their joiners, variation selectors, keycaps, tags) are left out of what
# posters and grids print: the CJK fonts have no glyphs for them, and a colour emoji font does
# not embed in a PDF byte for byte the same twice. Feeds, guide, tables and SMS keep them.
EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f\u200d\u20e3\U000e0020-\U000e007f]")
# A printed label per kind; the CSS gives each its own border so it survives photocopying.
MARKS = {
    Kind.LESSON: ("新课", "mark-lesson"),
    Kind.RERUN: ("重播", "mark-rerun"),
    Kind.SPECIAL: ("专题", "mark-special"),
    Kind.PINNED: ("特别", "mark-pinned"),
    Kind.FILLER: ("课间", "mark-filler"),
}
# What the legend says each printed label means (interstitials need no explaining).
MEANINGS = {
    Kind.LESSON: "首播新课",
    Kind.RERUN: "重播（与首播内容相同，任选其一收看）",
    Kind.SPECIAL: "专题教育",
    Kind.PINNED: "特别节目",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("exports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["font_family"] = FONT_FAMILY
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """Text safe inside a double-quoted CSS string in a ``<style>`` element."""
    return Markup(
        "".join(
            f"\\{ord(char):06x}" if char in "\"\\<>&'" or ord(char) < 0x20 else char
            for char in text
        )
    )


def printed(text: str) -> str:
    """``text`` as posters and grids print it: without emoji (see :data:`EMOJI`)."""
    if not EMOJI.search(text):
        return text
    return " ".join(EMOJI.sub("", text).split())


def poster_path(grade: int, suffix: str = "html") -> str:
    return f"{POSTERS}/{grade_file(grade)}.{suffix}"


def grid_path(channel: Channel, suffix: str = "html") -> str:
    return f"{GRIDS}/{channel.id}.{suffix}"


def pages(edition: Edition) -> dict[str, str]:
    """Every poster's and grid's HTML, keyed by the path of its ``.html`` file."""
    found = {poster_path(grade): poster(edition, grade) for grade in edition.grades}
    found.update({grid_path(channel): grid(edition, channel) for channel in edition.channels})
    return found


def pdf_pages(html_pages: Mapping[str, str]) -> dict[str, str]:
    """The same pages keyed by the path of their ``.pdf`` file."""
    return {path.removesuffix(".html") + ".pdf": html for path, html in html_pages.items()}


def render(
    edition: Edition,
    *,
    pdf: PdfRenderer | None = weasyprint_pdf,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """Posters and grids as HTML, and as PDF unless ``pdf`` is None.

    ``progress`` is told ``(done, total, path)`` after each PDF.
    """
    html_pages = pages(edition)
    files = {path: html.encode("utf-8") for path, html in html_pages.items()}
    if pdf is not None:
        files.update(pdfs(pdf_pages(html_pages), pdf, progress))
    return files


@dataclass(frozen=True, slots=True)
class Line:
    """One airing as a poster or grid prints it."""

    time: str
    mark: str
    css: str
    heading: str
    detail: str
    grades: str
    minutes: int


def _line(edition: Edition, p: Programme) -> Line:
    label, css = MARKS[p.kind]
    if p.is_lesson:
        heading = f"{edition.subject(p) or ''} {edition.lesson_label(p)}".strip()
        detail = p.title if edition.has_topic(p) else ""
    else:
        heading, detail = p.title, ""
    if p.kind is Kind.FILLER:
        label = edition.kind_zh(p)[:2]
    heading, detail = printed(heading), printed(detail)
    return Line(
        time=edition.clock(p),
        mark=label,
        css=css,
        heading=heading,
        detail=detail,
        grades=grades_zh(p.grades) if p.grades or p.kind is not Kind.FILLER else "",
        minutes=p.minutes,
    )


@dataclass(frozen=True, slots=True)
class Period:
    """A row of a grade's 课表: the clock it is printed in and its start and end minute."""

    clock: str
    start: int
    end: int

    def label(self, number: int, clock_shown: bool) -> tuple[str, str]:
        """``("第1节", "08:30–08:50")``, the clock added when a grade's items use several."""
        times = f"{format_clock(self.start)}–{format_clock(self.end)}"
        return f"第{number}节", times + (f" {self.clock}" if clock_shown else "")


def periods(edition: Edition, grade: int, week: tuple[date, ...]) -> tuple[Period, ...]:
    """The grade's periods in a week: each clock time at which its premieres start on at least
    two days (on the only lesson day, every start), ending when most of them end."""
    starts: dict[tuple[str, int], dict[date, int]] = {}
    for day in week:
        for p in edition.on_day(day):
            if p.kind is Kind.LESSON and p.is_for(grade):
                key = (clock_name(edition.channel(p)), edition.minute_of(p))
                starts.setdefault(key, {})[day] = edition.minute_of(p) + p.minutes
    lesson_days = {day for days in starts.values() for day in days}
    found = []
    for (clock, start), ends in starts.items():
        if len(ends) >= 2 or len(lesson_days) == 1:
            end = Counter(ends.values()).most_common(1)[0][0]
            found.append(Period(clock, start, end))
    return tuple(sorted(found, key=lambda period: (period.start, period.clock)))


def poster(edition: Edition, grade: int) -> str:
    """A grade's 课表: one A4 landscape page per week, periods as rows and days as columns.

    Each premiere sits in its period on its day; a premiere at another time is printed in the
    row 其他时间 on its day, a weekday without premieres says so across the column, and reruns,
    specials and pinned items follow in rows of their own, each with its time. The row's label
    says what its items are, so only a pinned item among the specials carries a printed mark
    (boxed labels are also the costliest thing to lay out).
    """
    several = len(edition.channels_for(grade)) > 1
    clocks = edition.clock_names(grade)
    weeks = []
    for week in edition.scenario.weeks():
        rows = periods(edition, grade, week)
        index = {(period.clock, period.start): r for r, period in enumerate(rows)}
        cells: list[list[list[Entry]]] = [[[] for _ in week] for _ in rows]
        others: list[list[Entry]] = [[] for _ in week]
        reruns: list[list[Entry]] = [[] for _ in week]
        specials: list[list[Entry]] = [[] for _ in week]
        lesson_days = [False for _ in week]
        for d, day in enumerate(week):
            for p in sorted(edition.on_day(day), key=lambda p: (p.start, p.channel)):
                if not p.is_for(grade) or p.kind is Kind.FILLER:
                    continue
                entry = _entry(edition, p, several, len(clocks) > 1)
                if p.kind is Kind.LESSON:
                    lesson_days[d] = True
                    r = index.get((clock_name(edition.channel(p)), edition.minute_of(p)))
                    (others[d] if r is None else cells[r][d]).append(
                        entry if r is None else replace(entry, time="")
                    )
                elif p.kind is Kind.RERUN:
                    reruns[d].append(entry)
                else:
                    specials[d].append(entry)
        days = [
            {
                "weekday": weekday_zh(day),
                "date": date_zh(day),
                "rest": "" if lesson_days[d] else ("周末" if day.weekday() >= 5 else "本日无新课"),
            }
            for d, day in enumerate(week)
        ]
        extra = [
            (label, css, row)
            for label, css, row in (
                ("其他时间", "other", others),
                ("重播", "rerun", reruns),
                ("专题·特别节目", "special", specials),
            )
            if any(row)
        ]
        weeks.append(
            {
                "first": date_zh(week[0]),
                "last": date_zh(week[-1]),
                "days": days,
                "periods": [
                    {"label": period.label(r + 1, len(clocks) > 1), "cells": cells[r]}
                    for r, period in enumerate(rows)
                ],
                "extra": [{"label": label, "css": css, "cells": row} for label, css, row in extra],
                "lessons": any(lesson_days),
                "density": _density(
                    len(rows), max((len(cell) for _, _, row in extra for cell in row), default=0)
                ),
            }
        )
    return (
        environment()
        .get_template("poster.html.j2")
        .render(
            edition=_meta(edition),
            grade=GRADE_NAMES[grade],
            weeks=weeks,
            marks=_legend(),
            clocks="、".join(clocks),
            mixed=len(clocks) > 1,
            tune_in=[tune_in(channel) for channel in edition.channels_for(grade)],
        )
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One airing in a 课表 cell: its time (empty in a period row), label, heading, detail."""

    time: str
    mark: str
    css: str
    heading: str
    detail: str
    channel: str


def _entry(edition: Edition, p: Programme, several: bool, mixed: bool) -> Entry:
    line = _line(edition, p)
    time = line.time.split("–")[0]
    if mixed:
        time += f"（{clock_name(edition.channel(p))}）"
    return Entry(
        time=time,
        mark=line.mark,
        css=line.css,
        heading=line.heading,
        detail=line.detail,
        channel=edition.short_name(p) if several else "",
    )


def _density(periods: int, busiest: int) -> str:
    """How tightly a week's 课表 is set so that it fits one A4 page: ``normal`` prints lesson
    titles, ``compact`` cuts them to a line, ``tight`` leaves them out."""
    load = periods * 3 + busiest
    if load <= 26:
        return "normal"
    if load <= 40:
        return "compact"
    return "tight"


def grid(edition: Edition, channel: Channel) -> str:
    """A channel's day grid: one A4 page per broadcast day, every airing in time order.

    Background fillers next to each other are printed as one short line so a day fits a page.
    """
    days = []
    for day in edition.days:
        rows: list[Line] = []
        last_background = False
        for p in (p for p in edition.on_day(day) if p.channel == channel.id):
            line = _line(edition, p)
            background = edition.is_background(p)
            if background and last_background:
                first = rows[-1]
                rows[-1] = replace(
                    first,
                    time=f"{first.time.split('–')[0]}–{line.time.split('–')[1]}",
                    heading=f"{first.heading}、{line.heading}",
                    detail="",
                    grades="",
                    minutes=first.minutes + line.minutes,
                )
                continue
            rows.append(line)
            last_background = background
        days.append(
            {
                "date": date_zh(day),
                "weekday": weekday_zh(day),
                "iso": day.isoformat(),
                "windows": [span.label for span in channel.spans_on(day)],
                "rows": rows,
            }
        )
    return (
        environment()
        .get_template("grid.html.j2")
        .render(
            edition=_meta(edition),
            channel=channel,
            days=days,
            marks=_legend(),
            clock=clock_name(channel),
            reception=channel.reception.text,
            short_name=edition.scenario.short_name(channel),
        )
    )


def _legend() -> list[tuple[str, str, str]]:
    """``(label, css class, meaning)`` for each kind the legend explains, from :data:`MARKS`."""
    return [(*MARKS[kind], meaning) for kind, meaning in MEANINGS.items()]


def _meta(edition: Edition) -> dict[str, object]:
    horizon = edition.scenario.horizon
    return {
        "title": edition.scenario.title,
        "number": edition.number,
        "published": edition.published_day.isoformat(),
        "first": date_zh(horizon.first),
        "last": date_zh(horizon.last),
        "year": horizon.first.year,
    }


__all__ = [
    "FONT_FAMILY",
    "Period",
    "grid",
    "grid_path",
    "pages",
    "pdf_pages",
    "periods",
    "poster",
    "poster_path",
    "render",
]
