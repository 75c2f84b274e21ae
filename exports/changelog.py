"""An edition's changes since the previous one, as ``changes.txt`` and ``changes.json``."""

from __future__ import annotations

import json
from datetime import datetime

from exports import CHANGES_JSON, CHANGES_TEXT
from exports.published import Report

CHANGE_NAMES = {"added": "新增", "moved": "调整时间", "changed": "修改内容", "dropped": "撤下"}


def changes(report: Report) -> dict[str, bytes]:
    """The changes report as ``changes.txt`` (people) and ``changes.json`` (tools)."""
    counts = report.counts()
    lines = [
        f"节目变更报告 · 第{report.edition}版 · 发布于 {report.published_at:%Y-%m-%d %H:%M} UTC",
        (
            f"上一版：第{report.previous}版（{report.previous_at:%Y-%m-%d %H:%M} UTC）"
            if report.previous is not None and report.previous_at is not None
            else "上一版：无（首次发布）"
        ),
        f"范围：{'、'.join(report.channels)} {report.first}–{report.last}，"
        f"共 {report.airings} 个节目",
        " · ".join(f"{CHANGE_NAMES[what]} {what} {count}" for what, count in counts.items()),
    ]
    for what in CHANGE_NAMES:
        entries = report.of(what)
        if not entries:
            continue
        lines += ["", f"{CHANGE_NAMES[what]}（{what}）"]
        for change in entries:
            when = (
                f"{_span(change.before)} → {_span(change.after)}"
                if what in ("moved", "changed")
                else _span(change.after or change.before)
            )
            lines.append(
                f"  {change.channel} {when}  {change.title}  [{change.id}]"
                + (f" SEQUENCE {change.sequence}" if what in ("moved", "changed") else "")
            )
    text = "\n".join(lines) + "\n"
    data = json.dumps(report.to_record(), ensure_ascii=False, indent=1) + "\n"
    return {CHANGES_TEXT: text.encode("utf-8"), CHANGES_JSON: data.encode("utf-8")}


def _span(span: tuple[str, str] | None) -> str:
    if span is None:
        return "—"
    start, end = (datetime.fromisoformat(text) for text in span)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


__all__ = ["CHANGE_NAMES", "changes"]
