"""Fixtures of the analysis tests: the tiny scenario and a hand-built schedule of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.io.loading import load

HERE = Path(__file__).resolve().parent
TINY = HERE / "tiny" / "scenario.toml"
ZONE = ZoneInfo("Asia/Shanghai")
MON, TUE = date(2020, 2, 17), date(2020, 2, 18)


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    """One channel, Mon–Tue 2020-02-17/18, 08:00–10:00 and 19:00–20:00; grades 3 and 12."""
    return load(TINY)


def make_airing(
    day: date,
    start: str,
    end: str,
    kind: Kind,
    title: str,
    ident: str,
    *,
    grades: tuple[int, ...] = (),
    course: str | None = None,
    lesson: int | None = None,
    repeat_of: str | None = None,
    item: str | None = None,
) -> Programme:
    def at(clock: str) -> datetime:
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(day, datetime.min.time(), ZONE) + timedelta(
            hours=hours, minutes=minutes
        )

    return Programme(
        start=at(start),
        end=at(end),
        channel="tiny.cn",
        id=ident,
        kind=kind,
        title=title,
        grades=grades,
        subject=None,
        course=course,
        lesson=lesson,
        repeat_of=repeat_of,
        item=item,
    )


@pytest.fixture
def airing() -> Callable[..., Programme]:
    """Builds one airing on the tiny channel: ``airing(day, "08:00", "08:20", kind, …)``."""
    return make_airing


@pytest.fixture(scope="session")
def hand_schedule() -> Schedule:
    """A hand-made schedule of the tiny scenario whose figures are worked out in the tests.

    Mon 08:00 m1 (g3 math 1, 20) · 08:20 eye 5 · 08:25 promo 5 · 08:30 c1 (g3 chinese 1, 20)
        08:50 special epidemic 15 · 09:05 h1 (g12 math 1, 40) · 09:45 promo 5 · 09:50–10:00
        nothing (10 min dead air) · 19:00 rerun of h1 (40) · 19:40 promo 20
    Tue 08:00 m2 (g3 math 2, 20) · 08:20 pinned 20 · 08:40 rerun of c1 without repeat_of (20)
        09:00 psa 60 · 19:00 eye 10 · 19:10 h2 (g12 math 2, 40) · 19:50 promo 10
    """
    airing = make_airing
    lesson, rerun = Kind.LESSON, Kind.RERUN
    filler, special, pinned = Kind.FILLER, Kind.SPECIAL, Kind.PINNED
    return Schedule(
        (
            airing(
                MON,
                "08:00",
                "08:20",
                lesson,
                "数学 第1课",
                "m1",
                grades=(3,),
                course="g3-math",
                lesson=1,
            ),
            airing(MON, "08:20", "08:25", filler, "眼保健操", "f1", item="eye"),
            airing(MON, "08:25", "08:30", filler, "节目预告", "f2", item="promo"),
            airing(
                MON,
                "08:30",
                "08:50",
                lesson,
                "语文 第1课",
                "c1",
                grades=(3,),
                course="g3-chinese",
                lesson=1,
            ),
            airing(MON, "08:50", "09:05", special, "疫情防护知识", "s1", item="epidemic"),
            airing(
                MON,
                "09:05",
                "09:45",
                lesson,
                "高考复习·数学 第1讲",
                "h1",
                grades=(12,),
                course="g12-math",
                lesson=1,
            ),
            airing(MON, "09:45", "09:50", filler, "节目预告", "f3", item="promo"),
            airing(
                MON,
                "19:00",
                "19:40",
                rerun,
                "高考复习·数学 第1讲（重播）",
                "h1r",
                grades=(12,),
                course="g12-math",
                lesson=1,
                repeat_of="h1",
            ),
            airing(MON, "19:40", "20:00", filler, "节目预告", "f4", item="promo"),
            airing(
                TUE,
                "08:00",
                "08:20",
                lesson,
                "数学 第2课",
                "m2",
                grades=(3,),
                course="g3-math",
                lesson=2,
            ),
            airing(TUE, "08:20", "08:40", pinned, "开学典礼", "p1", item="ceremony"),
            airing(
                TUE,
                "08:40",
                "09:00",
                rerun,
                "语文 第1课（重播）",
                "c1r",
                grades=(3,),
                course="g3-chinese",
                lesson=1,
            ),
            airing(TUE, "09:00", "10:00", filler, "公益广告", "f5", item="psa"),
            airing(TUE, "19:00", "19:10", filler, "眼保健操", "f6", item="eye"),
            airing(
                TUE,
                "19:10",
                "19:50",
                lesson,
                "高考复习·数学 第2讲",
                "h2",
                grades=(12,),
                course="g12-math",
                lesson=2,
            ),
            airing(TUE, "19:50", "20:00", filler, "节目预告", "f7", item="promo"),
        ),
        scenario=str(TINY),
        seed=0,
    )
