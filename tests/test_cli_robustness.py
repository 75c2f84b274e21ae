"""The command line with awkward input: text from files printed as it is, solver options with
the same bounds in every command, and one live progress line for everyone."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scheduler.cli import main
from scheduler.cli.options import progress_text
from scheduler.domain.result import gap
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import MAX_SEED


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_brackets_in_a_title_print_literally() -> None:
    """Rich markup in user text would raise (a closing tag with no opening) or vanish."""
    result = run("validate", "--set", 'title="a [/b] c"')
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "a [/b] c" in result.stdout


def test_markup_and_emoji_codes_in_names_are_not_swallowed() -> None:
    result = run(
        "validate", "--set", 'title="[bold]loud :tv:"', "--set", 'cohorts[0].name_zh="[red]中考"'
    )
    assert result.exit_code == 0, result.output
    assert "[bold]loud :tv:" in result.stdout
    assert "[red]中考" in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", ["solve", "publish", "compare"])
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", "-1"),  # HiGHS refuses negative seeds
        ("--seed", str(2**40)),  # CP-SAT raises TypeError past 32 bits
        ("--seed", str(MAX_SEED + 1)),
        ("--time-limit", "0"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--workers", "0"),
    ],
)
def test_solver_options_have_the_same_bounds_everywhere(
    tmp_path: Path, command: str, option: str, value: str
) -> None:
    result = run(command, option, value, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"'{option}'" in result.stderr
    assert _tree(tmp_path) == []  # nothing written, not even a publication memory


def test_the_largest_seed_is_accepted_by_the_option() -> None:
    """MAX_SEED passes option parsing (shown by --help parsing after it, not by solving)."""
    result = run("solve", "--seed", str(MAX_SEED), "--help")
    assert result.exit_code == 0
    assert f"0 to {MAX_SEED}" in " ".join(result.stdout.split())


def test_check_names_the_schedule_field_when_its_scenario_is_gone(tmp_path: Path) -> None:
    """Like export: the schedule's scenario field points nowhere, so say which file and field."""
    schedule_file = tmp_path / "schedule.json"
    schedule_file.write_text(
        Schedule((), scenario=str(tmp_path / "gone"), seed=0).to_json(), encoding="utf-8"
    )
    result = run("check", str(schedule_file))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"skyclass: error: {schedule_file}: scenario: names scenario "
        f"{str(tmp_path / 'gone')!r}, which does not exist here; pass --scenario"
    ]


EVENT = {
    "week": 1,
    "weeks": 1,
    "first": date(2020, 2, 17),
    "objective": 24857.5,
    "bound": 24863.5,
    "elapsed": 6.0,
}


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({}, "week 1/1 (2020-02-17): objective 24,857.5  bound 24,863.5  gap 0.024%  6.0 s"),
        ({"bound": math.inf}, "week 1/1 (2020-02-17): objective 24,857.5  bound —  gap —  6.0 s"),
        ({"bound": math.nan}, "week 1/1 (2020-02-17): objective 24,857.5  bound —  gap —  6.0 s"),
        ({"bound": None}, "week 1/1 (2020-02-17): objective 24,857.5  bound —  gap —  6.0 s"),
    ],
)
def test_progress_line(changes: dict[str, object], line: str) -> None:
    assert progress_text({**EVENT, **changes}) == line


@pytest.mark.parametrize(
    ("objective", "bound", "expected"),
    [
        (90.0, 100.0, 0.1),
        (100.0, 100.0, 0.0),
        (100.5, 100.0, 0.0),  # solver rounding: never a negative gap
        (0.0, 0.0, 0.0),  # nothing to gain
        (-1.0, -0.5, 0.0),
        (90.0, math.inf, None),  # no bound proven yet
        (90.0, math.nan, None),
        (math.nan, 100.0, None),
        (None, 100.0, None),
        (90.0, None, None),
    ],
)
def test_gap(objective: float | None, bound: float | None, expected: float | None) -> None:
    found = gap(objective, bound)
    assert found == (None if expected is None else pytest.approx(expected))
