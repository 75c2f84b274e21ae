"""Reading a scenario's disruptions (issue 12): ``[[outages]]``, ``term_end`` in ``[grades]`` and
the ``available_from`` column of ``lessons.csv``. Every bad value names its file, line or field.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from scheduler.domain.disruptions import DAY_END, Outage
from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import check_year
from scheduler.domain.model import Channel, Grade

if TYPE_CHECKING:
    from scheduler.io.loading.nodes import Node

OUTAGE_KEYS = ("channel", "date", "first", "last", "start", "end", "reason")
DATE = "a date like 2020-03-16"


def with_outages(nodes: list[Node], channels: tuple[Channel, ...]) -> tuple[Channel, ...]:
    """The channels with the ``[[outages]]`` that name them."""
    from scheduler.io.loading.values import _clock, _date, _id, _text

    known = {channel.id for channel in channels}
    found: dict[str, list[Outage]] = defaultdict(list)
    for node in nodes:
        channel = node.get("channel", _id, "a channel id")
        if channel not in known:
            raise node.error("channel", f"names unknown channel {channel!r}")
        if "date" in node.data:
            if "first" in node.data or "last" in node.data:
                raise node.error("date", "give either date, or first and last, not both")
            first = last = node.get("date", _date, DATE)
        else:
            first = node.get("first", _date, f"{DATE} (or give date for one day)")
            last = node.get("last", _date, DATE, default=first)
            if last < first:
                raise node.error("last", f"{last} is before first ({first})")
        if ("start" in node.data) != ("end" in node.data):
            missing = "end" if "start" in node.data else "start"
            raise node.error(missing, "is missing: give both start and end, or neither (all day)")
        start = node.get("start", _clock, "a time like 09:00", default=0)
        end = node.get("end", _clock, "a time like 12:00", default=DAY_END)
        if end <= start:
            raise node.error(
                "end",
                f"the outage ends ({node.data['end']}) before it starts ({node.data['start']})",
            )
        reason = node.get("reason", _text, "a text", default="")
        found[channel].append(
            node.build(lambda: Outage(channel, first, last, start, end, reason))  # noqa: B023
        )
    return tuple(
        replace(channel, outages=tuple(found[channel.id])) if found[channel.id] else channel
        for channel in channels
    )


def with_term_ends(node: Node, grades: tuple[Grade, ...]) -> tuple[Grade, ...]:
    """The grades with their ``term_end`` (``[grades] term_end``, ``[grades.term_ends]``)."""
    from scheduler.io.loading.values import _date

    common = node.get("term_end", _date, DATE, default=None)
    ends = node.table("term_ends", tuple(str(g.number) for g in grades))
    result = []
    for grade in grades:
        key = str(grade.number)
        term_end = ends.get(key, _date, DATE, default=common)
        if term_end is not None and term_end <= grade.term_start:
            where, field = (ends, key) if key in ends.data else (node, "term_end")
            raise where.error(
                field,
                f"grade {grade.number} would leave on {term_end}, not after its term start "
                f"{grade.term_start}",
            )
        result.append(replace(grade, term_end=term_end) if term_end is not None else grade)
    return tuple(result)


def available_from(value: str) -> date | None:
    """A ``lessons.csv`` ``available_from`` cell: empty, or a date like 2020-03-16."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(f"{value!r} is not {DATE}") from None
    check_year(day.year)
    return day


__all__ = ["OUTAGE_KEYS", "available_from", "with_outages", "with_term_ends"]
