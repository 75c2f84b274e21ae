"""``skyclass asrun`` end to end on the two-day analysis scenario: the reconciliation table,
the make-up re-plan (which passes the rule checker), and bad input (exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scheduler.analysis.checking import check
from scheduler.cli import main
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule
from tests.asrun.published import SCENARIO

# Monday as it aired: grade 3's math lesson 1 (08:00) did not, grade 12's physics stopped 10
# minutes early, the epidemic special ran 5 minutes late, and a relay nobody planned.
LOG = """channel,start,end,title,id
tiny.cn,2020-02-17T08:20,2020-02-17T09:00,高考复习·数学 第1讲,
tiny.cn,2020-02-17T09:10,2020-02-17T09:25,新闻发布会,
tiny.cn,2020-02-17T19:00,2020-02-17T19:30,,g12-physics-l001
tiny.cn,2020-02-17T19:45,2020-02-17T20:00,疫情防护知识,
"""


def asrun(*args: object) -> Result:
    return CliRunner().invoke(main, ["asrun", *map(str, args)])


def text(result: Result) -> str:
    return " ".join(result.output.split())


def test_the_reconciliation_is_printed(published: Path, tmp_path: Path) -> None:
    log = tmp_path / "asrun.csv"
    log.write_text(LOG, encoding="utf-8")
    result = asrun(published, log)
    assert result.exit_code == 0, result.output
    assert "4 planned airings judged through 2020-02-17: 1 aired, 1 cut short, 1 moved, " in text(
        result
    )
    assert "1 missed, 1 extra" in text(result)
    assert "missed │ 2020-02-17 │ 08:00–08:20" in text(result)


def test_missed_lessons_are_made_up_from_the_next_day(published: Path, tmp_path: Path) -> None:
    log = tmp_path / "asrun.csv"
    log.write_text(LOG, encoding="utf-8")
    out = tmp_path / "makeup"
    result = asrun(published, log, "--out", out, "--time-limit", 10)
    assert result.exit_code == 0, result.output
    assert "make-up: 数学 第1课 (g3-math #1) on 2020-02-18" in text(result)
    replanned = read_schedule(out / "schedule.json")
    scenario = load(str(SCENARIO))
    assert check(scenario, replanned) == []
    # Monday is kept as it aired: the missed lesson is gone from it, the extra and the late
    # special stand as logged
    monday = {p.id: p for p in replanned if p.start.day == 17 and p.kind.value != "filler"}
    assert "g3-math-l001" not in monday
    math = [p for p in replanned if p.course == "g3-math"]
    assert [p.lesson for p in sorted(math, key=lambda p: p.start)] == [1]
    rows = (out / "asrun.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("status,day,id,channel,planned,aired")
    assert sorted(row.split(",")[0] for row in rows[1:]) == [
        "aired",
        "cut short",
        "extra",
        "missed",
        "moved",
    ]
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert changes["against_published"]["dropped"] >= 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("channel,start,end,title\ntiny.cn,2020-02-17T08:00,soon,x\n", "asrun.csv:2: end:"),
        ("channel,start,end,title\nmars.tv,2020-02-17T08:00,2020-02-17T08:10,x\n", ":2: channel:"),
        ("channel,end,title\n", "asrun.csv:1: missing column 'start'"),
    ],
)
def test_a_bad_log_exits_2_naming_file_line_and_field_and_writes_nothing(
    published: Path, tmp_path: Path, content: str, message: str
) -> None:
    log = tmp_path / "asrun.csv"
    log.write_text(content, encoding="utf-8")
    out = tmp_path / "makeup"
    result = asrun(published, log, "--out", out)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


def test_bad_arguments_exit_2(published: Path, tmp_path: Path) -> None:
    log = tmp_path / "asrun.csv"
    log.write_text(LOG, encoding="utf-8")
    missing = asrun(tmp_path / "nowhere", log)
    assert missing.exit_code == 2 and "PUBLISHED" in missing.output
    empty = asrun(tmp_path, log)  # a folder without schedule.json
    assert empty.exit_code == 2 and "without schedule.json" in empty.output
    bad_day = asrun(published, log, "--today", "2020-02-30")
    assert bad_day.exit_code == 2 and "--today" in bad_day.output
