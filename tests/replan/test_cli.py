"""``skyclass replan``: an undisturbed re-plan writes the published schedule byte for byte and a
changes report of none; bad input exits 2 with one line and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

WEEK = str(Path(__file__).resolve().parents[2] / "fixtures" / "cetv4-2020-spring" / "scenario.toml")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default week solved and written as a published folder."""
    out = tmp_path_factory.mktemp("published") / "week"
    run = CliRunner().invoke(main, ["solve", WEEK, "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out


def test_an_undisturbed_replan_changes_nothing(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "replan"
    run = CliRunner().invoke(
        main,
        [*("replan", WEEK, "--from", str(published), "--today", "2020-02-19"), "--out", str(out)],
    )
    assert run.exit_code == 0, run.output
    assert (out / "schedule.json").read_bytes() == (published / "schedule.json").read_bytes()
    assert (out / "schedule.csv").read_bytes() == (published / "schedule.csv").read_bytes()
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert changes["against_published"]["changed"] == 0
    assert changes["changes"] == []
    assert "from_scratch" in changes
    assert "0 airing(s) changed" in (out / "changes.md").read_text(encoding="utf-8")
    assert {p.name for p in out.iterdir()} >= {"report.md", "report.json"}


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--today", "2020-02-30"], "--today: '2020-02-30' is not a date"),
        (["--today", "soon"], "--today: 'soon' is not a date"),
        (["--today", "2020-02-19", "--from-missing"], "no such file or folder"),
        (["--today", "2020-02-19", "--from-folder"], "without schedule.json"),
        (["--today", "2020-02-19", "--from-broken"], "schedule.json"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    published: Path, tmp_path: Path, arguments: list[str], says: str
) -> None:
    source = str(published)
    if "--from-missing" in arguments:
        source = str(tmp_path / "nowhere")
    elif "--from-folder" in arguments:
        (tmp_path / "empty").mkdir()
        source = str(tmp_path / "empty")
    elif "--from-broken" in arguments:
        broken = tmp_path / "schedule.json"
        broken.write_text('{"format": "skyclass-schedule", "programmes": [', encoding="utf-8")
        source = str(broken)
    arguments = [a for a in arguments if not a.startswith("--from-")]
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["replan", WEEK, "--from", source, *arguments, "--out", str(out)]
    )
    assert run.exit_code == 2, run.output
    assert says in run.output
    assert "Traceback" not in run.output
    assert not out.exists()
