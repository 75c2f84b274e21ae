"""``skyclass publish --replan-from``: one command from a disruption to a new edition and the
corrections the affected families need."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from scheduler.cli import main
from tests.asrun.published import SCENARIO

RELAY = """extends = "{base}"

[[pinned]]
id = "relay"
channel = "tiny.cn"
date = 2020-02-18
start = "08:00"
end = "08:30"
title = "新闻发布会直播"
grades = [12]
"""


def publish(*args: object) -> Result:
    return CliRunner().invoke(main, ["publish", *map(str, args)])


def test_a_replanned_edition_carries_corrections_for_the_affected_grades(tmp_path: Path) -> None:
    out = tmp_path / "out" / "publish"
    first = publish(SCENARIO, "--out", out, "--published-at", "2020-02-14T18:00:00+08:00")
    assert first.exit_code == 0, first.output
    assert not (out / "corrections").exists()  # a first edition corrects nothing
    variant = tmp_path / "relay.toml"
    variant.write_text(RELAY.format(base=SCENARIO.as_posix()), encoding="utf-8")
    second = publish(
        variant,
        "--replan-from",
        out,
        "--today",
        "2020-02-18",
        "--out",
        out,
        "--published-at",
        "2020-02-17T20:00:00+08:00",
        "--time-limit",
        10,
    )
    assert second.exit_code == 0, second.output
    assert "(edition 2)" in second.output
    sms = (out / "corrections" / "sms.csv").read_text(encoding="utf-8").splitlines()
    # the relay takes 08:00–08:30 on Tuesday from grade 3's math 2 and grade 12's math 2
    assert [line.split(",")[:2] for line in sms[1:]] == [
        ["3", "2020-02-18"],
        ["12", "2020-02-18"],
    ]
    assert "【更正】2月18日 三年级（北京时间）：08:00 数学 第2课" in sms[1]
    assert "新增 08:00 新闻发布会直播" in sms[2] and "新闻发布会" not in sms[1]
    assert (out / "corrections" / "errata.pdf").read_bytes().startswith(b"%PDF")
    assert "corrections/errata.html" in (out / "index.html").read_text(encoding="utf-8")


def test_replan_from_and_today_go_together(tmp_path: Path) -> None:
    out = tmp_path / "out"
    alone = publish(SCENARIO, "--replan-from", tmp_path, "--out", out)
    assert alone.exit_code == 2 and "--today" in alone.output
    missing = publish(
        SCENARIO, "--replan-from", tmp_path / "nowhere", "--today", "2020-02-18", "--out", out
    )
    assert missing.exit_code == 2 and "--replan-from" in missing.output
    assert not out.exists()
