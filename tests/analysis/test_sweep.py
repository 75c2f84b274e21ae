"""Sweep files expand into named variants; mistakes name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.analysis.sweep import expand, read_sweep
from scheduler.domain.errors import ScenarioError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_grid_is_the_product_in_file_order(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text("name = 'x'\n", encoding="utf-8")
    path = write(
        tmp_path,
        """
scenario = "base.toml"
[set]
"solver.time_limit" = 5
[grid]
"rules.rest.minutes" = [10, 20]
"bands.lower-primary.weight" = [10, 5]
""",
    )
    variants = read_sweep(path)
    # 2 × 2 combinations, the last key varying fastest
    assert [v.label for v in variants] == [
        "minutes=10,weight=10",
        "minutes=10,weight=5",
        "minutes=20,weight=10",
        "minutes=20,weight=5",
    ]
    assert variants[1].overrides == {
        "solver.time_limit": 5,
        "rules.rest.minutes": 10,
        "bands.lower-primary.weight": 5,
    }
    assert variants[0].path == str((tmp_path / "base.toml").resolve())


def test_nested_tables_are_dotted_paths_and_names_follow_the_template(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
name = "rest{rules.rest.minutes}"
[grid.rules.rest]
minutes = [10, 15]
""",
    )
    variants = read_sweep(path)
    assert [v.label for v in variants] == ["rest10", "rest15"]
    assert variants[0].path is None  # the default scenario
    assert variants[1].overrides == {"rules.rest.minutes": 15}


def test_short_names_tell_equal_last_parts_apart() -> None:
    variants = expand({"grid": {"bands.a.weight": [1], "bands.b.weight": [2]}}, base=Path("."))
    assert variants[0].label == "a.weight=1,b.weight=2"


def test_explicit_variants_follow_the_grid(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[set]
"solver.seed" = 1
[grid]
"rules.rest.minutes" = [10]
[[variants]]
name = "other"
scenario = "other.toml"
set = { "rules.rest.minutes" = 30 }
""",
    )
    variants = read_sweep(path)
    assert [v.label for v in variants] == ["minutes=10", "other"]
    assert variants[1].path == str((tmp_path / "other.toml").resolve())
    assert variants[1].overrides == {"solver.seed": 1, "rules.rest.minutes": 30}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[grid]\n'rules.rest.minutes' = []\n",
            "grid.rules.rest.minutes: must be a non-empty list",
        ),
        ("[grid]\n'rules.rest.minutes' = 10\n", "must be a non-empty list"),
        ("colour = 1\n[grid]\na = [1]\n", "unknown key 'colour'"),
        ("name = '{nope}'\n[grid]\na = [1]\n", "{nope} is not a key of [grid]"),
        ("[set]\na = 1\n", "names no variants"),
        ("[[variants]]\nscenario = 'x.toml'\n", "variants[0].name: needs a name"),
        ("[[variants]]\nname = 'x'\ncolour = 1\n", "unknown key 'colour'"),
        ("[grid\n", "TOML syntax error"),
    ],
)
def test_bad_sweep_files_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        read_sweep(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_sweep_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="sweep file not found"):
        read_sweep(tmp_path / "nope.toml")
