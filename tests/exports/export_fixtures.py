"""A tiny hand-built scenario and schedule the export tests share (no solver needed).

One channel, two broadcast days, three windows a day (08:00–09:30, 16:00–17:00, 19:00–19:40):
grade 3 lessons with same-day reruns, a grade 12 evening lesson, specials for everyone and for
grade 3, eye exercises and promos filling every gap, and a pinned opening address. It breaks no
rule (``scheduler.check`` finds nothing), so ``publish`` accepts it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.domain.model import (
    Band,
    Channel,
    Course,
    DvbService,
    Filler,
    Grade,
    Horizon,
    Lesson,
    Pinned,
    Reception,
    Scenario,
    Special,
    TimeRange,
    Window,
    parse_clock,
)
from scheduler.domain.schedule import Kind, Programme, Schedule

PUBLISHED_AT = datetime(2020, 2, 14, 10, 0, tzinfo=UTC)
DTD_FOLDER = Path("/usr/share/sgml/xmltv/dtd/0.5")
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SKYCLASS_REGENERATE_GOLDEN") == "1"
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
FIRST = date(2020, 2, 17)

G3_CHINESE = ("识字1 春夏秋冬（第1课时）", "识字1 春夏秋冬（第2课时）", "识字2 姓氏歌（第1课时）")
# titles with characters every format must escape: & < > in XML and HTML, ; , in iCal
G3_MATH = ("观察物体（一）", "位置与方向 <东南西北> & 路线图", "两位数乘两位数")
G12_MATH = ("函数的概念与性质", "导数的几何意义; 切线方程, 例题")


def scenario(
    *,
    timezone: str = "Asia/Shanghai",
    first: date = FIRST,
    days: int = 2,
    channel_id: str = "cetv4.cn",
) -> Scenario:
    """The tiny scenario: grades 3 and 12 on one channel, ``days`` broadcast days."""
    channel = Channel(
        id=channel_id,
        name_zh="中国教育电视台第四频道",
        name_en="CETV-4 China Education Television 4",
        timezone=timezone,
        windows=(
            Window(TimeRange(8 * 60, 9 * 60 + 30), weekdays=EVERY_DAY, label="上午"),
            Window(TimeRange(16 * 60, 17 * 60), weekdays=EVERY_DAY, label="下午"),
            Window(TimeRange(19 * 60, 19 * 60 + 40), weekdays=EVERY_DAY, label="晚间"),
        ),
        dvb=DvbService(service_id=104, transport_stream_id=6, original_network_id=1),
        reception=Reception(platform="户户通", number="4"),
        short_name="CETV-4",
        lcn=4,
    )
    last = date.fromordinal(first.toordinal() + days - 1)
    return Scenario(
        name="tiny",
        title="空中课堂 测试周",
        horizon=Horizon(first, last),
        channels=(channel,),
        bands=(
            Band(
                "upper-primary",
                "小学高年级",
                "Upper primary",
                (3,),
                20,
                120,
                (TimeRange(8 * 60, 17 * 60 + 30),),
                10,
            ),
            Band(
                "senior",
                "高中",
                "Senior secondary",
                (12,),
                40,
                240,
                (TimeRange(8 * 60, 21 * 60 + 30),),
                4,
            ),
        ),
        grades=(Grade(3, first), Grade(12, first)),
        cohorts=(),
        courses=(
            Course(
                "g3-chinese",
                3,
                "语文",
                "Chinese",
                tuple(Lesson(i, t, 20) for i, t in enumerate(G3_CHINESE, start=1)),
            ),
            Course(
                "g3-math",
                3,
                "数学",
                "Mathematics",
                tuple(Lesson(i, t, 20) for i, t in enumerate(G3_MATH, start=1)),
            ),
            Course(
                "g12-math",
                12,
                "数学",
                "Mathematics",
                tuple(Lesson(i, t, 40) for i, t in enumerate(G12_MATH, start=1)),
            ),
        ),
        specials=(
            Special("epidemic", "疫情防护知识", "疫情防护", 15, 5),
            Special("reading", "国学经典诵读", "阅读", 15, 2, grades=(3,)),
        ),
        fillers=(
            Filler("eye", "眼保健操", "eye_exercise", 5),
            Filler("promo", "空中课堂节目预告", "promo", 1, 30),
        ),
        pinned=(
            Pinned(
                "opening", channel_id, first, TimeRange(8 * 60, 8 * 60 + 10), "空中课堂开播致辞"
            ),
        ),
    )


# (day index, start, end, kind, id, title, grades, course, lesson, repeat_of, item)
_PLAN: tuple[tuple[object, ...], ...] = (
    (
        0,
        "08:00",
        "08:10",
        Kind.PINNED,
        "opening",
        "空中课堂开播致辞",
        (),
        None,
        None,
        None,
        "opening",
    ),
    (0, "08:10", "08:30", Kind.LESSON, "g3-math-1", G3_MATH[0], (3,), "g3-math", 1, None, None),
    (0, "08:30", "08:35", Kind.FILLER, "d0-0830-eye", "眼保健操", (), None, None, None, "eye"),
    (
        0,
        "08:35",
        "08:50",
        Kind.SPECIAL,
        "d0-epidemic",
        "疫情防护知识",
        (),
        None,
        None,
        None,
        "epidemic",
    ),
    (
        0,
        "08:50",
        "09:10",
        Kind.LESSON,
        "g3-chinese-1",
        G3_CHINESE[0],
        (3,),
        "g3-chinese",
        1,
        None,
        None,
    ),
    (0, "09:10", "09:15", Kind.FILLER, "d0-0910-eye", "眼保健操", (), None, None, None, "eye"),
    (
        0,
        "09:15",
        "09:30",
        Kind.FILLER,
        "d0-0915-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (
        0,
        "16:00",
        "16:20",
        Kind.RERUN,
        "g3-math-1-r",
        G3_MATH[0],
        (3,),
        "g3-math",
        1,
        "g3-math-1",
        None,
    ),
    (0, "16:20", "16:25", Kind.FILLER, "d0-1620-eye", "眼保健操", (), None, None, None, "eye"),
    (
        0,
        "16:25",
        "16:30",
        Kind.FILLER,
        "d0-1625-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (
        0,
        "16:30",
        "16:50",
        Kind.RERUN,
        "g3-chinese-1-r",
        G3_CHINESE[0],
        (3,),
        "g3-chinese",
        1,
        "g3-chinese-1",
        None,
    ),
    (0, "16:50", "16:55", Kind.FILLER, "d0-1650-eye", "眼保健操", (), None, None, None, "eye"),
    (
        0,
        "16:55",
        "17:00",
        Kind.FILLER,
        "d0-1655-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (0, "19:00", "19:40", Kind.LESSON, "g12-math-1", G12_MATH[0], (12,), "g12-math", 1, None, None),
    (1, "08:00", "08:20", Kind.LESSON, "g3-math-2", G3_MATH[1], (3,), "g3-math", 2, None, None),
    (1, "08:20", "08:25", Kind.FILLER, "d1-0820-eye", "眼保健操", (), None, None, None, "eye"),
    (
        1,
        "08:25",
        "08:40",
        Kind.SPECIAL,
        "d1-reading",
        "国学经典诵读",
        (3,),
        None,
        None,
        None,
        "reading",
    ),
    (
        1,
        "08:40",
        "09:00",
        Kind.LESSON,
        "g3-chinese-2",
        G3_CHINESE[1],
        (3,),
        "g3-chinese",
        2,
        None,
        None,
    ),
    (1, "09:00", "09:05", Kind.FILLER, "d1-0900-eye", "眼保健操", (), None, None, None, "eye"),
    (
        1,
        "09:05",
        "09:20",
        Kind.SPECIAL,
        "d1-epidemic",
        "疫情防护知识",
        (),
        None,
        None,
        None,
        "epidemic",
    ),
    (
        1,
        "09:20",
        "09:30",
        Kind.FILLER,
        "d1-0920-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (
        1,
        "16:00",
        "16:20",
        Kind.RERUN,
        "g3-math-2-r",
        G3_MATH[1],
        (3,),
        "g3-math",
        2,
        "g3-math-2",
        None,
    ),
    (1, "16:20", "16:25", Kind.FILLER, "d1-1620-eye", "眼保健操", (), None, None, None, "eye"),
    (
        1,
        "16:25",
        "16:30",
        Kind.FILLER,
        "d1-1625-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (
        1,
        "16:30",
        "16:50",
        Kind.RERUN,
        "g3-chinese-2-r",
        G3_CHINESE[1],
        (3,),
        "g3-chinese",
        2,
        "g3-chinese-2",
        None,
    ),
    (
        1,
        "16:50",
        "17:00",
        Kind.FILLER,
        "d1-1650-promo",
        "空中课堂节目预告",
        (),
        None,
        None,
        None,
        "promo",
    ),
    (1, "19:00", "19:40", Kind.LESSON, "g12-math-2", G12_MATH[1], (12,), "g12-math", 2, None, None),
)


def schedule(scenario: Scenario, *, seed: int = 0) -> Schedule:
    """The tiny schedule, placed on ``scenario``'s first channel and days."""
    channel = scenario.channels[0]
    days = scenario.days
    programmes = []
    for day, start, end, kind, ident, title, grades, course, lesson, repeat_of, item in _PLAN:
        assert isinstance(day, int) and isinstance(start, str) and isinstance(end, str)
        programmes.append(
            Programme(
                start=channel.instant(days[day], parse_clock(start)),
                end=channel.instant(days[day], parse_clock(end)),
                channel=channel.id,
                id=str(ident),
                kind=Kind(kind),
                title=str(title),
                grades=tuple(grades),  # type: ignore[arg-type]
                subject={"g3-math": "数学", "g3-chinese": "语文", "g12-math": "数学"}.get(
                    str(course)
                ),
                course=course,  # type: ignore[arg-type]
                lesson=lesson,  # type: ignore[arg-type]
                repeat_of=repeat_of,  # type: ignore[arg-type]
                item=item,  # type: ignore[arg-type]
            )
        )
    return Schedule(tuple(programmes), scenario=None, seed=seed)


def retitled(schedule_: Schedule, ident: str, title: str) -> Schedule:
    """The same schedule with one airing's title replaced."""
    return Schedule(
        tuple(replace(p, title=title) if p.id == ident else p for p in schedule_),
        scenario=schedule_.scenario,
        seed=schedule_.seed,
    )


def swapped(schedule_: Schedule, first: str, second: str) -> Schedule:
    """The same schedule with two equally long airings swapping their times (a re-plan)."""
    by_id = schedule_.by_id()
    a, b = by_id[first], by_id[second]
    assert a.minutes == b.minutes
    moved = {
        first: replace(a, start=b.start, end=b.end),
        second: replace(b, start=a.start, end=a.end),
    }
    return Schedule(
        tuple(moved.get(p.id, p) for p in schedule_),
        scenario=schedule_.scenario,
        seed=schedule_.seed,
    )
