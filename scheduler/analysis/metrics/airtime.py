"""Coverage tables of the airtime: special topics, and each channel's minutes per kind."""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from scheduler.analysis.metrics.frames import DEAD_AIR, KINDS, _frame, place
from scheduler.domain import facts
from scheduler.domain.facts import Placed
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule


# -- specials ----------------------------------------------------------------------------------
def special_minutes(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per special topic: airings and minutes against the quota over the horizon."""
    placed = place(scenario, schedule)
    weeks = len(scenario.weeks())
    topics: dict[str, dict[str, int]] = {}
    for special in scenario.specials:
        entry = topics.setdefault(special.topic, {"airings": 0, "minutes": 0, "quota": 0})
        entry["quota"] += special.minutes * special.per_week * weeks
    known = {special.id: special.topic for special in scenario.specials}
    for item in placed:
        if item.programme.kind is not Kind.SPECIAL:
            continue
        topic = known.get(item.programme.item or "", item.programme.title)
        entry = topics.setdefault(topic, {"airings": 0, "minutes": 0, "quota": 0})
        entry["airings"] += 1
        entry["minutes"] += item.minutes
    rows = [
        {
            "topic": topic,
            "airings": e["airings"],
            "minutes": e["minutes"],
            "quota_minutes": e["quota"],
        }
        for topic, e in topics.items()
    ]
    return _frame(rows, "specials")


# -- channels ----------------------------------------------------------------------------------
def airtime_use(scenario: Scenario, schedule: Schedule | list[Placed]) -> pd.DataFrame:
    """Per channel and kind: minutes on air and their share of the channel's window minutes.

    The ``dead_air`` row is window time that no airing covers.
    """
    placed = place(scenario, schedule)
    gaps = facts.dead_air(scenario, placed)
    rows = []
    for channel in scenario.channels:
        mine = [item for item in placed if item.programme.channel == channel.id]
        window = sum(span.minutes for day in scenario.days for span in channel.spans_on(day))
        by_kind: dict[str, int] = defaultdict(int)
        for item in mine:
            by_kind[item.programme.kind.value] += item.minutes
        by_kind[DEAD_AIR] = sum(gap.minutes for on, _, gap in gaps if on == channel.id)
        for kind in (*KINDS, DEAD_AIR):
            rows.append(
                {
                    "channel": channel.id,
                    "channel_name": channel.name_zh,
                    "kind": kind,
                    "minutes": by_kind[kind],
                    "window_minutes": window,
                    "share": by_kind[kind] / window if window else math.nan,
                }
            )
    return _frame(rows, "airtime")


def _covered(pieces: list[tuple[int, int]], start: int, end: int) -> int:
    """Minutes of ``[start, end)`` covered by the union of sorted intervals ``pieces``."""
    total, reach = 0, start
    for first, last in pieces:
        first, last = max(first, reach), min(last, end)
        if last > first:
            total += last - first
            reach = last
    return total
