"""The static site: an ``index.html`` linking every poster, feed, digest, grid and table.

The output folder itself is the site: every link is relative, so any web server (or a USB stick
opened in a browser) serves it as it is. Only files that were written are linked.
"""

from __future__ import annotations

from collections.abc import Mapping

from exports import (
    CHANGES_JSON,
    CHANGES_TEXT,
    INDEX,
    SCHEDULE,
    corrections,
    ical,
    printable,
    sms,
    tables,
    xmltv,
)
from exports.common import Edition, clock_name, grade_file
from exports.printable import environment
from scheduler.domain.model import GRADE_NAMES


def render(edition: Edition, files: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The index page for ``files`` (the other formats' output)."""
    present = set(files or {})

    def links(*candidates: tuple[str, str]) -> list[tuple[str, str]]:
        return [(label, path) for label, path in candidates if path in present]

    grades = [
        {
            "name": GRADE_NAMES[grade],
            "posters": links(
                ("网页", printable.poster_path(grade)), ("PDF", printable.poster_path(grade, "pdf"))
            ),
            "feeds": links(
                (f"{grade_file(grade)}.ics", ical.grade_path(grade)),
                ("仅新课与重播", ical.lessons_path(grade)),
            ),
            "subscribe": subscribe(
                edition,
                present,
                ("订阅全部", ical.grade_path(grade)),
                ("订阅新课", ical.lessons_path(grade)),
            ),
            "sms": links(("短信文本", f"{sms.FOLDER}/{grade_file(grade)}.txt")),
        }
        for grade in edition.grades
    ]
    channel_rows = [
        {
            "name": channel.name_zh,
            "id": channel.id,
            "grids": links(
                ("网页", printable.grid_path(channel)), ("PDF", printable.grid_path(channel, "pdf"))
            ),
            "feeds": links((f"channel-{channel.id}.ics", ical.channel_path(channel))),
            "subscribe": subscribe(edition, present, ("订阅", ical.channel_path(channel))),
            "reception": channel.reception.text,
            "clock": clock_name(channel),
            "short": edition.scenario.short_name(channel),
            "lcn": channel.lcn,
        }
        for channel in edition.channels
    ]
    data = links(
        ("XMLTV 电子节目指南（机顶盒、节目指南服务）", xmltv.PATH),
        ("节目表 CSV", f"{tables.FOLDER}/schedule.csv"),
        ("节目表 Excel", f"{tables.FOLDER}/schedule.xlsx"),
        ("节目表 JSON", f"{tables.FOLDER}/schedule.json"),
        ("短信摘要 CSV（短信平台）", sms.TABLE),
        ("排播交换文件 schedule.json", SCHEDULE),
        ("变更报告", CHANGES_TEXT),
        ("变更报告 JSON", CHANGES_JSON),
        ("更正通知：勘误表", corrections.ERRATA),
        ("更正通知：勘误表 PDF", corrections.ERRATA_PDF),
        ("更正通知：短信文本", corrections.SMS_TEXT),
        ("更正短信 CSV（短信平台）", corrections.SMS_TABLE),
    )
    report = None
    if edition.report is not None and CHANGES_TEXT in present:
        report = {
            **edition.report.counts(),
            "link": CHANGES_TEXT,
            "first": edition.report.previous is None,
        }
    horizon = edition.scenario.horizon
    html = (
        environment()
        .get_template("index.html.j2")
        .render(
            edition={
                "title": edition.scenario.title,
                "number": edition.number,
                "published": edition.published_day.isoformat(),
                "first": f"{horizon.first:%Y-%m-%d}",
                "last": f"{horizon.last:%Y-%m-%d}",
            },
            channels=edition.channels,
            grades=grades,
            channel_rows=channel_rows,
            data=data,
            report=report,
            clocks="、".join(dict.fromkeys(clock_name(c) for c in edition.channels)),
            served=bool(edition.scenario.publishing.base_url),
        )
    )
    return {INDEX: html.encode("utf-8")}


def subscribe(
    edition: Edition, present: set[str], *candidates: tuple[str, str]
) -> list[tuple[str, str]]:
    """``webcal://`` links to the feeds that were written, when the site knows its address."""
    found = []
    for label, path in candidates:
        url = edition.url(path)
        if url and path in present:
            found.append((label, ical.webcal(url)))
    return found


__all__ = ["CHANGES_JSON", "CHANGES_TEXT", "INDEX", "SCHEDULE", "render"]
