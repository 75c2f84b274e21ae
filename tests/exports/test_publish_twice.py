"""Same scenario and seed, published twice from scratch: byte-identical files.

The limit is generous: node budgets, not the clock, make solves repeatable, and a limit the
machine cannot meet (a loaded test runner) ends the search early by design."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main


def _publish(root: Path) -> Path:
    out = root / "out"
    result = CliRunner().invoke(
        main,
        [
            "publish",
            "--out",
            str(out),
            "--time-limit",
            "20",
            "--seed",
            "0",
            "--published-at",
            "2020-02-14T12:00:00+08:00",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_default_scenario_publishes_byte_identical_files(tmp_path: Path) -> None:
    first = _publish(tmp_path / "a")
    second = _publish(tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert {"xmltv/guide.xml", "schedule.json", "index.html"} <= {str(f) for f in files}
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
