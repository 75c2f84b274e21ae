"""As-run reconciliation on the tiny export schedule: each verdict, the as-aired schedule, and
bad logs named by file, line and field (solver-free)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from scheduler.analysis.asrun import (
    Status,
    as_aired,
    classify,
    last_day,
    parse_log,
    read_log,
)
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule
from tests.exports.export_fixtures import scenario, schedule

# Day 1 (2020-02-17) as it aired: the opening on time; math lesson 1 stopped 8 minutes early;
# the epidemic special 10 minutes late; Chinese lesson 1 not at all; the math rerun a minute
# late (found by its title, which the premiere shares); the Chinese rerun by its id; grade 12's
# lesson only 5 of 40 minutes; and a press conference nobody planned. Times without an offset
# are on the channel's clock.
LOG = """channel,start,end,title,id
cetv4.cn,2020-02-17T08:00,2020-02-17T08:10,空中课堂开播致辞,
cetv4.cn,2020-02-17T08:10,2020-02-17T08:22,观察物体（一）,
cetv4.cn,2020-02-17T08:45,2020-02-17T09:00,疫情防护知识,
cetv4.cn,2020-02-17T16:01:00+08:00,2020-02-17T16:20:30+08:00,观察物体 （一）,
cetv4.cn,2020-02-17T16:30,2020-02-17T16:50,,g3-chinese-1-r
cetv4.cn,2020-02-17T17:00,2020-02-17T17:30,新闻发布会直播,
cetv4.cn,2020-02-17T19:00,2020-02-17T19:05,函数的概念与性质,
"""


@pytest.fixture
def tiny() -> tuple[Scenario, Schedule]:
    """The tiny export scenario and its two-day schedule."""
    found = scenario()
    return found, schedule(found)


def test_each_planned_airing_gets_its_verdict(tiny: tuple[Scenario, Schedule]) -> None:
    sc, published = tiny
    reconciled = classify(sc, published, parse_log(LOG, sc))
    verdicts = reconciled.verdicts
    by_id = {v.planned.id: v.status for v in verdicts if v.planned is not None}
    assert by_id == {
        "opening": Status.AIRED,
        "g3-math-1": Status.CUT_SHORT,
        "d0-epidemic": Status.MOVED,
        "g3-chinese-1": Status.MISSED,
        "g3-math-1-r": Status.AIRED,
        "g3-chinese-1-r": Status.AIRED,
        "g12-math-1": Status.MISSED,  # 5 of 40 minutes: less than half
    }  # fillers are not judged, nor day 2, which the log does not cover
    extras = [v.logged.title for v in verdicts if v.status is Status.EXTRA and v.logged]
    assert extras == ["新闻发布会直播"]
    assert reconciled.counts()[Status.MISSED] == 2
    math = next(v for v in verdicts if v.planned and v.planned.id == "g3-math-1-r")
    assert math.start_offset == timedelta(minutes=1)


def test_a_day_the_log_covers_but_shows_nothing_of_is_missed(
    tiny: tuple[Scenario, Schedule],
) -> None:
    sc, published = tiny
    verdicts = classify(sc, published, parse_log(LOG, sc), through=date(2020, 2, 18)).verdicts
    day_two = [v for v in verdicts if v.planned and v.planned.start.day == 18]
    assert day_two and all(v.status is Status.MISSED for v in day_two)
    assert last_day(sc, parse_log(LOG, sc)) == date(2020, 2, 17)


def test_the_as_aired_schedule_drops_the_missed_and_keeps_what_aired(
    tiny: tuple[Scenario, Schedule],
) -> None:
    sc, published = tiny
    aired = as_aired(sc, published, classify(sc, published, parse_log(LOG, sc)))
    ids = aired.by_id()
    assert "g3-chinese-1" not in ids and "g12-math-1" not in ids
    assert "g3-chinese-2" in ids  # day 2 was not judged: it stays as planned
    assert ids["d0-epidemic"].start == published.by_id()["d0-epidemic"].start + timedelta(
        minutes=10
    )
    extra = ids["asrun-line-7"]
    assert (extra.kind, extra.title, extra.minutes) == (Kind.PINNED, "新闻发布会直播", 30)
    watched = [p for p in aired if p.kind is not Kind.FILLER]
    assert len(watched) == len([p for p in published if p.kind is not Kind.FILLER]) - 2 + 1
    # fillers laid anew around what aired on day 1: no overlap, no gap inside a window
    day_one = sorted((p for p in aired if p.start.day == 17), key=lambda p: p.start)
    for earlier, later in itertools.pairwise(day_one):
        assert earlier.end <= later.start
    assert [p.id for p in day_one if p.kind is Kind.FILLER and p.start.hour == 17] == []
    assert not [p for p in aired if p.id == "d0-0830-eye"]  # the planned fillers went


def test_an_airing_on_another_channel_is_moved(tiny: tuple[Scenario, Schedule]) -> None:
    sc, published = tiny
    second = replace(sc.channels[0], id="cetv2.cn", short_name="CETV-2")
    both = sc.replace(channels=(sc.channels[0], second))
    # the log covers both channels: the opening on cetv4.cn, Chinese lesson 1 on cetv2.cn
    log = (
        "channel,start,end,title,id\n"
        "cetv4.cn,2020-02-17T08:00,2020-02-17T08:10,,opening\n"
        "cetv2.cn,2020-02-17T08:50,2020-02-17T09:10,,g3-chinese-1\n"
    )
    verdicts = {
        v.planned.id: v.status
        for v in classify(both, published, parse_log(log, both)).verdicts
        if v.planned
    }
    assert verdicts["opening"] is Status.AIRED
    assert verdicts["g3-chinese-1"] is Status.MOVED
    assert verdicts["g3-math-1"] is Status.MISSED


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("channel,start,title\n", 1, None),
        ("channel,start,end\n", 1, None),
        ("channel,start,end,title\nnowhere.tv,2020-02-17T08:00,2020-02-17T08:10,x\n", 2, "channel"),
        ("channel,start,end,title\ncetv4.cn,2020-02-17 8h,2020-02-17T08:10,x\n", 2, "start"),
        ("channel,start,end,title\ncetv4.cn,2020-02-17T08:10,2020-02-17T08:00,x\n", 2, "end"),
        ("channel,start,end,title,id\ncetv4.cn,2020-02-17T08:00,2020-02-17T08:10,,\n", 2, "title"),
        (
            "channel,start,end,title,id\ncetv4.cn,2020-02-17T08:00,2020-02-17T08:10,x,../x\n",
            2,
            "id",
        ),
        ("channel,start,end,title\ncetv4.cn,2020-02-17T08:00,,x\n", 2, "end"),
        ("channel,start,end,title\n", 1, None),
    ],
)
def test_a_bad_log_names_file_line_and_field(
    tiny: tuple[Scenario, Schedule], text: str, line: int, field: str | None
) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_log(text, tiny[0], file="asrun.csv")
    assert (raised.value.file, raised.value.line, raised.value.field) == ("asrun.csv", line, field)


def test_a_log_file_is_read_with_its_byte_order_mark(
    tiny: tuple[Scenario, Schedule], tmp_path: Path
) -> None:
    path = tmp_path / "asrun.csv"
    path.write_text("\ufeff" + LOG, encoding="utf-8")
    assert len(read_log(path, tiny[0])) == 7
