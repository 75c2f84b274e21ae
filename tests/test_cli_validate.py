"""``skyclass validate``: the summary of the default scenario and its variants, and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scheduler.cli import main
from scheduler.io.loading import DEFAULT_SCENARIO

SCENARIOS = Path(__file__).parent / "scenarios"


def validate(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args])


def text(result: Result) -> str:
    """The output with rich's line wrapping and table padding folded into single spaces."""
    return " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("argument", "lines"),
    [
        (
            None,  # no argument: the embedded default, the first published week
            [
                "CETV-4 空中课堂 2020年春 第一周 (cetv4-2020-spring)",
                "horizon 2020-02-17 .. 2020-02-23: 7 broadcast days, 1 week(s)",
                # 5 × 600 + 2 × 390 = 3780 min, the same in the week and in total
                "cetv4.cn │ 中国教育电视台第四频道 │ 390–600 │ 3780 │ 3780",
                # grade 1: 288 lessons left, 18 lessons × 20 min = 360 a week, cap 120, 5 lesson
                # days (Monday to Friday)
                "1 一年级 │ lower-primary │ 6 │ 288 │ 360 │ 120 │ 5",
                "lesson demand at pace 4680 min vs airtime 3780 min (1.24×); specials 230 min/week",
                # 5 weekdays × 60 = 300 and 5 × 80 = 400
                "zhongkao 中考（初三） │ 9 │ 60 │ 14:00–21:30 │ 5 │ 300",
                "gaokao 高考（高三） │ 12 │ 80 │ 19:00–21:30 │ 5 │ 400",
                "pre-checks passed",
            ],
        ),
        (
            "term.toml",
            [
                "horizon 2020-02-17 .. 2020-06-07: 112 broadcast days, 16 week(s)",
                # 16 × 3780 = 60480
                "│ 390–600 │ 3780 │ 60480",
                # 16 × 4680 = 74880, less the 2020 holidays: in three weeks of 4 lesson days the
                # 16 courses at 5 a week (语文, 数学 of 8 grades) lose a lesson each:
                # 3 × (12 × 20 + 2 × 30 + 2 × 40) = 1140 → 73740
                "lesson demand at pace 73740 min vs airtime 60480 min (1.22×)",
                # 78 guarantee days (80 weekdays, 4 of them holidays, 2 make-up days):
                # 78 × 60 = 4680 and 78 × 80 = 6240
                "│ 60 │ 14:00–21:30 │ 78 │ 4680",
                "│ 80 │ 19:00–21:30 │ 78 │ 6240",
            ],
        ),
        (
            "month.toml",
            [
                "horizon 2020-02-17 .. 2020-03-15: 28 broadcast days, 4 week(s)",
                # 4 × 3780 = 15120 and 4 × 4680 = 18720; 20 guarantee days
                "lesson demand at pace 18720 min vs airtime 15120 min",
                "│ 60 │ 14:00–21:30 │ 20 │ 1200",
            ],
        ),
        (
            "preterm.toml",
            [
                "CETV-4 2020年春 开课前一周（专题） (cetv4-2020-preterm)",
                "horizon 2020-02-10 .. 2020-02-16: 7 broadcast days, 1 week(s)",
                # no lesson days before the term start 2020-02-17: no demand, no guarantee days
                "1 一年级 │ lower-primary │ 6 │ 288 │ 360 │ 120 │ 0",
                "lesson demand at pace 0 min vs airtime 3780 min (0.00×); specials 515 min/week",
                "│ 60 │ 14:00–21:30 │ 0 │ 0",
                "pre-checks passed",
            ],
        ),
    ],
    ids=["default", "term", "month", "preterm"],
)
def test_summary_of_the_default_and_its_variants(argument: str | None, lines: list[str]) -> None:
    result = validate(*([str(DEFAULT_SCENARIO / argument)] if argument else []))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    output = text(result)
    for line in lines:
        assert line in output


def test_a_folder_means_its_scenario_file() -> None:
    result = validate(str(SCENARIOS / "tiny"))
    assert result.exit_code == 0
    # 5 × (120 + 60) + 30 (the dated Saturday) + 60 (Sunday) = 990
    assert "tv.test │ 小小测试台 │ 30–180 │ 990 │ 990" in text(result)


def test_a_guarantee_larger_than_its_window_exits_1_naming_cohort_day_and_minutes() -> None:
    result = validate(str(SCENARIOS / "problems" / "guarantee-too-big.toml"))
    assert result.exit_code == 1
    output = text(result)
    assert "5 problem(s) found:" in output
    assert (
        "cohort zhongkao (中考（初三）): guarantee 30 min on 2020-02-17 cannot fit: its window "
        "19:00–19:20 has 20 min of lesson airtime (tv.test 19:00–19:20)"
    ) in output
    assert "on 2020-02-21 cannot fit" in output
    assert "pre-checks passed" not in output


def test_set_overrides_a_field_without_a_file() -> None:
    result = validate(str(SCENARIOS / "tiny"), "--set", 'cohorts[0].window="19:00-19:20"')
    assert result.exit_code == 1
    assert "guarantee 30 min on 2020-02-17 cannot fit" in text(result)
    result = validate("--set", "horizon.last=2020-02-19")
    assert result.exit_code == 0
    assert "horizon 2020-02-17 .. 2020-02-19: 3 broadcast days" in text(result)


@pytest.mark.parametrize(
    ("assignment", "says"),
    [
        ("rules.rest.minutes=-5", "--set: rules.rest.minutes: -5 must not be negative"),
        ("solver.threads=4", "--set: solver.threads: unknown key 'threads'"),
        ("channels[7].id=x", "--set channels[7].id: has no entry 7"),
        ("no-equals-sign", "--set: 'no-equals-sign' is not PATH=VALUE"),
    ],
)
def test_a_bad_set_is_bad_input(assignment: str, says: str) -> None:
    result = validate("--set", assignment)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"skyclass: error: {says}")


def test_help_ends_with_an_example_and_version_is_known() -> None:
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "skyclass validate" in result.stdout
    version = CliRunner().invoke(main, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("skyclass, version ")
