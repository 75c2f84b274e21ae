"""Printable timetables: a weekly poster per grade and a day grid per channel, HTML and PDF.

Made for village notice boards: A4, Chinese fonts named by family (WenQuanYi Micro Hei, then
Noto Sans CJK SC) and embedded in the PDF, and legible when photocopied in black and white:
every kind of airing carries a printed label in a box with its own border (solid black for a
new lesson, dashed for a rerun, double for a special, dotted for a pinned item), never colour
alone. HTML comes from the Jinja2 templates in ``exports/templates``; PDF from WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from exports.common import Edition, date_zh, grade_file, grades_zh, weekday_zh
from scheduler.model import GRADE_NAMES, Channel
from scheduler.schedule import Kind, Programme

POSTERS = "posters"
GRIDS = "grids"
FONT_FAMILY = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
DAYPARTS = (("上午", 0, 12 * 60), ("下午", 12 * 60, 18 * 60), ("晚间", 18 * 60, 48 * 60))
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

PdfRenderer = Callable[[str], bytes]


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
    return Markup("".join(
        f"\\{ord(char):06x}" if char in '"\\<>&\'' or ord(char) < 0x20 else char
        for char in text
    ))


def weasyprint_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint (fonts found by family name and embedded)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def poster_path(grade: int, suffix: str = "html") -> str:
    return f"{POSTERS}/{grade_file(grade)}.{suffix}"


def grid_path(channel: Channel, suffix: str = "html") -> str:
    return f"{GRIDS}/{channel.id}.{suffix}"


def render(edition: Edition, *, pdf: PdfRenderer | None = weasyprint_pdf) -> dict[str, bytes]:
    """Posters and grids as HTML, and as PDF unless ``pdf`` is None."""
    pages: dict[str, str] = {}
    for grade in edition.grades:
        pages[poster_path(grade)] = poster(edition, grade)
    for channel in edition.channels:
        pages[grid_path(channel)] = grid(edition, channel)
    files = {path: html.encode("utf-8") for path, html in pages.items()}
    if pdf is not None:
        for path, html in pages.items():
            files[path[: -len("html")] + "pdf"] = pdf(html)
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
        # catalogs without known titles call a lesson "科学 第1课": no need to print it twice
        detail = "" if "".join(p.title.split()) == "".join(heading.split()) else p.title
    else:
        heading, detail = p.title, ""
    if p.kind is Kind.FILLER:
        label = edition.kind_zh(p)[:2]
    return Line(
        time=edition.clock(p), mark=label, css=css, heading=heading, detail=detail,
        grades=grades_zh(p.grades) if p.grades or p.kind is not Kind.FILLER else "",
        minutes=p.minutes,
    )


def poster(edition: Edition, grade: int) -> str:
    """A grade's weekly poster: one A4 page per week, a row per day, a column per daypart."""
    weeks = []
    for week in edition.scenario.weeks():
        rows = []
        for day in week:
            todays = sorted(
                (p for p in edition.on_day(day) if p.is_for(grade)),
                key=lambda p: p.start,
            )
            cells = [
                [_line(edition, p) for p in todays if low <= edition.minute_of(p) < high]
                for _, low, high in DAYPARTS
            ]
            rows.append({"date": date_zh(day), "weekday": weekday_zh(day), "cells": cells})
        weeks.append({"first": date_zh(week[0]), "last": date_zh(week[-1]), "rows": rows})
    channels = {p.channel for p in edition.schedule.for_grade(grade)}
    names = [c.name_zh for c in edition.channels if c.id in channels] or [
        c.name_zh for c in edition.channels
    ]
    return environment().get_template("poster.html.j2").render(
        edition=_meta(edition), grade=GRADE_NAMES[grade], channels="、".join(names),
        dayparts=[name for name, _, _ in DAYPARTS], weeks=weeks, marks=_legend(),
    )


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
                    first, time=f"{first.time.split('–')[0]}–{line.time.split('–')[1]}",
                    heading=f"{first.heading}、{line.heading}", detail="", grades="",
                    minutes=first.minutes + line.minutes,
                )
                continue
            rows.append(line)
            last_background = background
        days.append({
            "date": date_zh(day), "weekday": weekday_zh(day), "iso": day.isoformat(),
            "windows": [span.label for span in channel.spans_on(day)], "rows": rows,
        })
    return environment().get_template("grid.html.j2").render(
        edition=_meta(edition), channel=channel, days=days, marks=_legend(),
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


__all__ = ["FONT_FAMILY", "grid", "grid_path", "poster", "poster_path", "render",
           "weasyprint_pdf"]
