"""The timetable's figures on the command line: unusable airtime in validate, deviations in
check."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.io.loading import load

TINY = "tests/scenarios/tiny"
NO_EVENING = (
    "--set",
    'bands.junior.hours=["08:00-10:00"]',
    "--set",
    'specials[epidemic].hours=["08:00-10:00"]',
    "--set",
    'cohorts[zhongkao].window="08:00-10:00"',
)


def test_validate_lists_airtime_nobody_can_use() -> None:
    """With grade 9 and the special kept to the morning, the 19:00–20:00 evening is nobody's
    on six days (Saturday has only its dated morning window, open to the special)."""
    result = CliRunner().invoke(main, ["validate", TINY, *NO_EVENING])
    assert result.exit_code == 0, result.output
    assert "Airtime nobody can use" in result.output
    assert "│ tv.test │ 晚间   │ 19:00–20:00 │    6 │      60 │       360 │" in result.output
    assert "360 min of airtime nobody can use" in result.output
    plain = CliRunner().invoke(main, ["validate", TINY])
    assert "every window minute is usable" in plain.output


def test_check_reports_deviations_the_calendar_allows(tmp_path: Path) -> None:
    """Monday carries the pinned opening, so grade 3's lessons there are deviations (listed),
    not regularity violations."""
    scenario = load(TINY)
    channel = scenario.channel("tv.test")

    def lesson(day: int, clock: int, number: int) -> Programme:
        start = channel.instant(date(2020, 2, 17) + timedelta(days=day), clock)
        return Programme(
            start,
            start + timedelta(minutes=20),
            "tv.test",
            f"m{number}",
            Kind.LESSON,
            f"数学 第{number}课",
            (3,),
            "数学",
            "g3-math",
            number,
        )

    schedule = Schedule((lesson(0, 9 * 60 + 30, 1), lesson(1, 8 * 60, 2), lesson(2, 8 * 60, 3)))
    path = tmp_path / "schedule.json"
    path.write_text(schedule.to_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--scenario", TINY])
    assert "1 deviation(s) from the timetable the calendar allows:" in result.output
    assert (
        "2020-02-17 (周一) grade 3 — 固定节目：开播致辞: 09:30 数学 第1课 off the timetable"
        in result.output
    )
    assert "[regularity]" not in result.output
