"""Corrections: a re-published edition tells exactly the affected families what changed.

The tiny schedule is published, then re-planned by hand (``replanned``): two grade-3 reruns swap
times, grade 3's reading special and the all-grade epidemic special of day 2 are dropped, grade
12's second lesson gets a new title, grade 3's second math rerun moves to the first day's
evening, and a filler moves (which nobody is told). The goldens in
``tests/exports/golden/corrections`` are compared byte for byte (regenerate on purpose with
``SKYCLASS_REGENERATE_GOLDEN=1``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from export_fixtures import GOLDEN, PUBLISHED_AT, REGENERATE, swapped
from export_fixtures import scenario as scenario_of_fixture
from export_fixtures import schedule as _schedule
from hypothesis import given, settings
from hypothesis import strategies as st

from exports import corrections
from exports.common import Edition
from exports.folder import published_files
from exports.memory import PublicationMemory
from exports.publish import publish
from exports.sms import SEGMENT_UNITS, units
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Programme, Schedule

FOLDER = GOLDEN / "replanned"
LATER = PUBLISHED_AT + timedelta(days=7)


def _without(schedule: Schedule, *ids: str) -> Schedule:
    return Schedule(tuple(p for p in schedule if p.id not in ids), seed=schedule.seed)


def _changed(schedule: Schedule, ident: str, **fields: object) -> Schedule:
    return Schedule(
        tuple(replace(p, **fields) if p.id == ident else p for p in schedule),  # type: ignore[arg-type]
        seed=schedule.seed,
    )


def replanned(schedule: Schedule) -> Schedule:
    """The tiny schedule after a hand-made re-plan (see the module docstring)."""
    result = swapped(schedule, "g3-math-1-r", "g3-chinese-1-r")
    result = _without(result, "d1-reading", "d1-epidemic")
    result = _changed(result, "g12-math-2", title="导数的几何意义（修订）")
    evening = result.by_id()["g12-math-1"]
    rerun = result.by_id()["g3-math-2-r"]
    result = _changed(
        result,
        "g3-math-2-r",
        start=evening.end + timedelta(minutes=-20),
        end=evening.end,
    )
    assert rerun.minutes == 20
    eye = result.by_id()["d0-0910-eye"]
    return _changed(
        result,
        "d0-0910-eye",
        start=eye.start - timedelta(minutes=1),
        end=eye.end - timedelta(minutes=1),
    )


def _publish_twice(
    tmp_path: Path, scenario: Scenario, first: Schedule, second: Schedule, *, pdf: bool = False
) -> tuple[Path, Path]:
    with PublicationMemory(tmp_path / "store.sqlite") as memory:
        one = tmp_path / "one" / "publish"
        publish(scenario, first, one, memory=memory, at=PUBLISHED_AT, pdf=False)
        two = tmp_path / "two" / "publish"
        publish(scenario, second, two, memory=memory, at=LATER, pdf=pdf)
    return one, two


def _files(out: Path) -> dict[str, bytes]:
    return {
        path: (out / path).read_bytes()
        for path in published_files(out)
        if path.startswith(f"{corrections.FOLDER}/")
    }


def test_corrections_match_the_goldens(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, replanned(tiny_schedule))
    produced = _files(two)
    if REGENERATE:
        for path, data in produced.items():
            (FOLDER / path).parent.mkdir(parents=True, exist_ok=True)
            (FOLDER / path).write_bytes(data)
    expected = sorted(str(p.relative_to(FOLDER)) for p in FOLDER.rglob("*") if p.is_file())
    assert sorted(produced) == expected
    for path, data in produced.items():
        assert data == (FOLDER / path).read_bytes(), f"{path} differs from the golden"


def test_one_sms_per_affected_grade_and_day_saying_what_changed(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, replanned(tiny_schedule))
    text = (two / corrections.SMS_TABLE).read_text(encoding="utf-8").splitlines()
    rows = [line.split(",", 5) for line in text[1:]]
    assert [(grade, day) for grade, day, *_ in rows] == [
        ("3", "2020-02-17"),
        ("3", "2020-02-18"),
        ("12", "2020-02-18"),
    ]
    by_key = {(grade, day): row[-1] for grade, day, *row in rows}
    # the swap on day 1, and the rerun moved from day 2 into day 1's evening, filed under day 2
    assert by_key[("3", "2020-02-17")] == (
        "【更正】2月17日 三年级（北京时间）：数学 第1课 重播 改至 16:30；语文 第1课 重播 改至 16:00"
    )
    assert "数学 第2课 重播 改至 2月17日 19:20" in by_key[("3", "2020-02-18")]
    assert "08:25 阅读 取消" in by_key[("3", "2020-02-18")]
    # the all-grade special reaches grade 12 too; its retitled lesson says the new title
    assert "09:05 疫情防护 取消" in by_key[("12", "2020-02-18")]
    assert "19:00 数学 第2课 改为《导数的几何意义（修订）》" in by_key[("12", "2020-02-18")]
    # a filler moved: nobody is told
    assert "眼保健操" not in (two / corrections.SMS_TEXT).read_text(encoding="utf-8")


def test_unaffected_grades_get_nothing(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    swap = swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r")
    _, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, swap)
    text = (two / corrections.SMS_TEXT).read_text(encoding="utf-8")
    assert "三年级" in text and "高三" not in text
    assert "高三" not in (two / corrections.ERRATA).read_text(encoding="utf-8")


def test_first_edition_and_an_unchanged_one_write_no_corrections(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    one, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, tiny_schedule)
    assert _files(one) == {} and _files(two) == {}
    # a filler moving changes the edition but nothing families see
    eye = tiny_schedule.by_id()["d0-0910-eye"]
    shifted = _changed(
        tiny_schedule, "d0-0910-eye", start=eye.start - timedelta(minutes=1), end=eye.end
    )
    _, three = _publish_twice(tmp_path / "filler", tiny_scenario, tiny_schedule, shifted)
    assert _files(three) == {}


def test_republishing_the_same_edition_rewrites_the_same_corrections(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    """The re-used edition comes back from the store, with the airings as first published."""
    second = replanned(tiny_schedule)
    _, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, second)
    with PublicationMemory(tmp_path / "store.sqlite") as memory:
        again = publish(
            tiny_scenario, second, two, memory=memory, at=LATER + timedelta(1), pdf=False
        )
    assert again.reused
    assert _files(two) == _files(tmp_path / "two" / "publish")
    golden = {str(p.relative_to(FOLDER)): p.read_bytes() for p in FOLDER.rglob("*") if p.is_file()}
    assert _files(two) == golden


def test_calendar_events_keep_uids_and_raise_sequence_and_the_guide_follows(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    one, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, replanned(tiny_schedule))

    def events(out: Path) -> dict[str, tuple[str, str]]:
        text = (out / "ical" / "grade-03.ics").read_text(encoding="utf-8").replace("\r\n ", "")
        found = {}
        for block in text.split("BEGIN:VEVENT")[1:]:
            uid = re.search(r"^UID:(.+)$", block, re.M)
            seq = re.search(r"^SEQUENCE:(\d+)$", block, re.M)
            start = re.search(r"^DTSTART[^:]*:(\S+)$", block, re.M)
            assert uid and seq and start
            found[uid.group(1).strip()] = (seq.group(1), start.group(1))
        return found

    before, after = events(one), events(two)
    uid = "g3-math-1-r@cetv4.cn"
    assert before[uid] == ("0", "20200217T160000") and after[uid] == ("1", "20200217T163000")
    assert after["g3-math-2-r@cetv4.cn"] == ("1", "20200217T192000")
    assert after["g3-chinese-1@cetv4.cn"] == before["g3-chinese-1@cetv4.cn"]
    assert "d1-reading@cetv4.cn" not in after
    guide = (two / "xmltv" / "guide.xml").read_text(encoding="utf-8")
    assert 'start="20200217192000 +0800"' in guide


def test_long_corrections_split_within_the_budget_and_count_the_signature(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    signed = tiny_scenario.replace(
        publishing=replace(tiny_scenario.publishing, sms_signature="【空中课堂】")
    )
    day_two: list[Programme] = [p for p in tiny_schedule if p.id.startswith(("g3-", "d1-"))]
    second = _without(tiny_schedule, *(p.id for p in day_two if p.kind.value != "filler"))
    _, two = _publish_twice(tmp_path, signed, tiny_schedule, second)
    lines = (two / corrections.SMS_TABLE).read_text(encoding="utf-8").splitlines()[1:]
    parts = [line.split(",", 5) for line in lines if line.startswith("3,2020-02-18")]
    assert len(parts) >= 2
    for _, _, part, count, counted, text in parts:
        assert text.startswith(f"({part}/{count})")
        assert int(counted) == units("【空中课堂】" + text) <= 67
    readable = (two / corrections.SMS_TEXT).read_text(encoding="utf-8")
    assert all(
        units(line) <= SEGMENT_UNITS for line in readable.splitlines() if line.startswith("【空中")
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_errata_pdf_lists_what_changed(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _, two = _publish_twice(
        tmp_path, tiny_scenario, tiny_schedule, replanned(tiny_schedule), pdf=True
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(two / corrections.ERRATA_PDF), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "更正通知" in text and "代替第1版" in text
    assert "19:20–19:40" in text and "取消" in text
    assert "眼保健操" not in text


def test_a_lesson_the_replan_renamed_and_moved_is_corrected_as_a_move(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    """The memory sees a dropped and an added airing; families are told of one move."""
    lesson = tiny_schedule.by_id()["g3-chinese-2"]
    moved = replace(
        lesson,
        id="g3-chinese-2-v2",
        start=lesson.start + timedelta(minutes=25),
        end=lesson.end + timedelta(minutes=25),
    )
    second = Schedule((*_without(tiny_schedule, "g3-chinese-2", "d1-epidemic"), moved))
    _, two = _publish_twice(tmp_path, tiny_scenario, tiny_schedule, second)
    text = (two / corrections.SMS_TEXT).read_text(encoding="utf-8")
    assert "语文 第2课 改至 09:05" in text
    assert "新增" not in text and "语文 第2课 取消" not in text


def schedule_of_fixture() -> Schedule:
    return _schedule(scenario_of_fixture())


WATCHED = tuple(p.id for p in schedule_of_fixture() if p.kind.value != "filler")


@settings(max_examples=40, deadline=None)
@given(
    st.sets(st.sampled_from(WATCHED), min_size=1),
    st.text(alphabet="空中课堂教育", max_size=8).map(lambda s: f"【{s}】" if s else ""),
)
def test_any_drop_reaches_only_its_grades_within_the_budget(
    dropped: set[str], signature: str
) -> None:
    base = scenario_of_fixture()
    signed = base.replace(publishing=replace(base.publishing, sms_signature=signature))
    first = schedule_of_fixture()
    second = _without(first, *dropped)
    with PublicationMemory(None) as memory:
        memory.record(memory.plan(signed, first, at=PUBLISHED_AT))
        plan = memory.plan(signed, second, at=LATER)
        memory.record(plan)
    edition = Edition(signed, second, plan.stamps, plan.published_at, plan.edition, plan.report)
    by_id = first.by_id()
    reached = {
        grade for ident in dropped for grade in (by_id[ident].grades or signed.grade_numbers)
    }
    sent = corrections.notices(edition)
    assert {notice.grade for notice in sent} == reached
    for notice in sent:
        budget = SEGMENT_UNITS if notice.segments == 1 else 67
        assert all(units(signature + part) <= budget for part in notice.parts)
    assert corrections.render(edition, pdf=None)[corrections.SMS_TABLE].count(b"\n") == 1 + sum(
        notice.segments for notice in sent
    )
