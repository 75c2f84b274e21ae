"""The grade poster as a 课表: periods as rows, days as columns, exceptions on their day."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from export_fixtures import PUBLISHED_AT, scenario
from lxml import html as lxml_html

from exports import printable, printing
from exports.common import Edition
from scheduler.domain.model import Channel, Reception, Scenario, parse_clock
from scheduler.domain.schedule import Kind, Programme, Schedule

WEEK = timedelta(days=7)


def week_scenario(*, second_zone: str | None = None) -> Scenario:
    """The tiny scenario over a whole week (Mon 2020-02-17 … Sun 2020-02-23), optionally with
    a second channel in another zone that carries grade 3 too."""
    base = scenario(days=7)
    (channel,) = base.channels
    channel = replace(
        channel, reception=Reception(platform="户户通", number="4"), short_name="CETV-4"
    )
    channels: tuple[Channel, ...] = (channel,)
    if second_zone is not None:
        channels += (
            replace(
                channel,
                id="xj.example",
                name_zh="新疆转播台",
                name_en="Xinjiang relay",
                timezone=second_zone,
                short_name="新疆台",
                reception=Reception(platform="有线电视", number="12"),
            ),
        )
    return base.replace(channels=channels)


def airing(
    subject: Scenario,
    day: int,
    start: str,
    minutes: int,
    kind: Kind,
    ident: str,
    *,
    course: str | None = "g3-math",
    lesson: int | None = 1,
    channel: int = 0,
    repeat_of: str | None = None,
    grades: tuple[int, ...] = (3,),
) -> Programme:
    on = subject.channels[channel]
    first = on.instant(subject.days[day], parse_clock(start))
    return Programme(
        start=first,
        end=on.instant(subject.days[day], parse_clock(start) + minutes),
        channel=on.id,
        id=ident,
        kind=kind,
        title=f"标题{ident}",
        grades=grades,
        subject="数学" if course else None,
        course=course,
        lesson=lesson,
        repeat_of=repeat_of,
        item=None if course else "epidemic",
    )


def regular_week(subject: Scenario) -> Schedule:
    """Maths at 08:10 Monday to Thursday, Chinese at 08:50 Monday to Wednesday, nothing new on
    Friday (a holiday), one maths lesson at 10:00 on Thursday, a rerun and a special."""
    items = [airing(subject, d, "08:10", 20, Kind.LESSON, f"m{d}", lesson=d + 1) for d in range(3)]
    items += [
        airing(subject, d, "08:50", 20, Kind.LESSON, f"c{d}", course="g3-chinese", lesson=d + 1)
        for d in range(3)
    ]
    items.append(airing(subject, 3, "09:00", 20, Kind.LESSON, "m3", lesson=3))
    items.append(airing(subject, 0, "16:00", 20, Kind.RERUN, "m0-r", repeat_of="m0"))
    items.append(
        airing(subject, 1, "16:30", 15, Kind.SPECIAL, "s1", course=None, lesson=None, grades=())
    )
    return Schedule(tuple(items), scenario=None, seed=0)


def test_periods_are_the_start_times_used_on_two_days_or_more() -> None:
    subject = week_scenario()
    edition = Edition.unrecorded(subject, regular_week(subject), at=PUBLISHED_AT)
    found = printable.periods(edition, 3, subject.weeks()[0])
    assert [(p.start, p.end) for p in found] == [(490, 510), (530, 550)]  # 08:10, 08:50
    assert found[0].label(1, False) == ("第1节", "08:10–08:30")


def test_kebiao_has_period_rows_weekday_columns_and_marks_exceptions() -> None:
    subject = week_scenario()
    edition = Edition.unrecorded(subject, regular_week(subject), at=PUBLISHED_AT)
    tree = lxml_html.fromstring(printable.poster(edition, 3))
    assert tree.findtext(".//h1") == "三年级 空中课堂课表"
    assert "时间为北京时间" in tree.findtext(".//h2")
    assert "户户通 第4频道" in tree.find_class("tune")[0].text_content()
    heads = [th.text_content() for th in tree.findall(".//thead//th")]
    assert heads[0] == "节次" and heads[1] == "周一 2月17日" and heads[-1] == "周日 2月23日"
    rows = tree.findall(".//tbody/tr")
    labels = [r.find("td").text_content() for r in rows]
    assert labels[:3] == ["第1节08:10–08:30", "第2节08:50–09:10", "其他时间"]
    first = [td.text_content() for td in rows[0].findall("td")[1:]]
    assert first[:3] == ["数学 第1课 标题m0", "数学 第2课 标题m1", "数学 第3课 标题m2"]
    # Friday to Sunday have no new lesson: one cell down the period rows says so
    rest = [td.text_content() for td in tree.find_class("rest")]
    assert rest == ["本日无新课", "周末", "周末"]
    assert all(td.get("rowspan") == "2" for td in tree.find_class("rest"))
    # Thursday's 09:00 lesson is an exception, printed with its own time on its day
    other = [td.text_content() for td in rows[2].findall("td")[1:]]
    assert other[3].startswith("09:00") and "数学 第3课" in other[3]
    text = tree.text_content()
    assert "16:00" in text and "重播" in text and "16:30" in text  # rerun and special rows


def test_a_grade_on_two_channels_gets_channel_marks_and_each_clock() -> None:
    subject = week_scenario(second_zone="Asia/Urumqi")
    items = list(regular_week(subject))
    items.append(airing(subject, 0, "10:00", 20, Kind.LESSON, "x0", channel=1, lesson=9))
    items.append(airing(subject, 1, "10:00", 20, Kind.LESSON, "x1", channel=1, lesson=10))
    edition = Edition.unrecorded(
        subject, Schedule(tuple(items), scenario=None, seed=0), at=PUBLISHED_AT
    )
    tree = lxml_html.fromstring(printable.poster(edition, 3))
    assert "北京时间、Asia/Urumqi 时间" in tree.findtext(".//h2")
    labels = [r.find("td").text_content() for r in tree.findall(".//tbody/tr")]
    assert "第1节08:10–08:30 北京时间" in labels
    assert "第3节10:00–10:20 Asia/Urumqi 时间" in labels
    marks = {span.text_content() for span in tree.find_class("channel")}
    assert marks == {"CETV-4", "新疆台"}
    assert "有线电视 第12频道" in tree.find_class("tune")[0].text_content()


def test_grid_names_its_clock_and_how_to_tune_in() -> None:
    subject = week_scenario()
    edition = Edition.unrecorded(subject, regular_week(subject), at=PUBLISHED_AT)
    tree = lxml_html.fromstring(printable.grid(edition, subject.channels[0]))
    assert tree.findtext(".//h1") == "中国教育电视台第四频道（CETV-4） 节目表"
    heading = tree.find(".//h2").text_content()
    assert "时间为北京时间" in heading and "收看：户户通 第4频道" in heading


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_every_week_is_one_landscape_a4_page(tmp_path: Path) -> None:
    week = week_scenario()
    subject = week.replace(horizon=replace(week.horizon, last=week.horizon.last + WEEK))
    first = list(regular_week(subject))
    second = [
        replace(
            p,
            id=f"{p.id}-w2",
            start=p.start + WEEK,
            end=p.end + WEEK,
            repeat_of=p.repeat_of and f"{p.repeat_of}-w2",
        )
        for p in first
    ]
    edition = Edition.unrecorded(
        subject, Schedule((*first, *second), scenario=None, seed=0), at=PUBLISHED_AT
    )
    path = tmp_path / "grade-03.pdf"
    path.write_bytes(printing.weasyprint_pdf(printable.poster(edition, 3)))
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "Pages:           2" in info
    assert "841.89 x 595.276 pts (A4)" in info  # landscape


def test_pdfs_in_parallel_processes_equal_pdfs_printed_here(
    edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {
        printable.poster_path(3, "pdf"): printable.poster(edition, 3),
        printable.grid_path(edition.channels[0], "pdf"): printable.grid(
            edition, edition.channels[0]
        ),
    }
    seen: list[tuple[int, int, str]] = []
    monkeypatch.setenv(printing.WORKERS_VARIABLE, "2")
    assert printing.pdf_workers(len(pages)) == 2
    parallel = printing.pdfs(
        pages, printing.weasyprint_pdf, lambda done, total, path: seen.append((done, total, path))
    )
    assert list(parallel) == list(pages)
    assert sorted(seen) == [(1, 2, seen[0][2]), (2, 2, seen[1][2])]
    monkeypatch.setenv(printing.WORKERS_VARIABLE, "1")
    assert printing.pdf_workers(len(pages)) == 1
    assert printing.pdfs(pages, printing.weasyprint_pdf) == parallel  # same bytes
