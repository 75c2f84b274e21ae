"""The ``publish`` and ``export`` commands: exit codes, one-line errors, nothing written on bad
input.

The solver is replaced by one returning the tiny schedule (the solver has its own tests), and
PDFs by a stand-in (test_printable renders a real one); the rule check is the real one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_fixtures import PUBLISHED_AT, scenario, schedule

import exports.printable
import scheduler.analysis.checking
import scheduler.solver.solving
from constraints.base import Violation
from scheduler.cli import main
from scheduler.domain.model import Scenario
from scheduler.domain.result import Result, Status
from scheduler.domain.schedule import Schedule
from scheduler.io.saving import dump

STAMP = "--published-at=2020-02-14T18:00:00+08:00"


@pytest.fixture
def scenario_folder(tmp_path: Path) -> Path:
    """The tiny scenario written as files, as a planner would keep it."""
    return dump(scenario(), tmp_path / "scenario").parent


@pytest.fixture
def schedule_file(tmp_path: Path, scenario_folder: Path) -> Path:
    """The tiny schedule as schedule.json, naming its scenario folder."""
    path = tmp_path / "schedule.json"
    tiny = schedule(scenario())
    path.write_text(Schedule(tiny.programmes, scenario=str(scenario_folder), seed=0).to_json())
    return path


@pytest.fixture(autouse=True)
def fake_solver_and_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solver that returns the tiny schedule at once, and a PDF stand-in."""

    def solve(scenario_: Scenario, **settings: object) -> Result:
        return Result(Status.OPTIMAL, schedule(scenario_), 1.0, 1.0, 0.01, 0)

    monkeypatch.setattr(scheduler.solver.solving, "solve", solve)
    monkeypatch.setattr(
        exports.printable,
        "weasyprint_pdf",
        lambda html: b"%PDF-stand-in " + hashlib.sha1(html.encode()).digest(),
    )


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_publish_writes_the_folder_and_the_memory_beside_it(
    tmp_path: Path, scenario_folder: Path
) -> None:
    out = tmp_path / "out" / "publish"
    code, stdout, stderr = _run("publish", str(scenario_folder), "--out", str(out), STAMP)
    assert code == 0, stderr
    assert "edition 1" in stdout and "27 added" in stdout
    assert (out / "index.html").is_file() and (out / "posters" / "grade-03.pdf").is_file()
    assert (tmp_path / "out" / ".publish.skyclass-publications.sqlite").is_file()
    first = {p: (out / p).read_bytes() for p in _tree(out) if (out / p).is_file()}
    code, stdout, _ = _run(
        "publish",
        str(scenario_folder),
        "--out",
        str(out),
        "--published-at=2020-03-01T00:00:00+08:00",
    )
    assert code == 0 and "unchanged" in stdout
    assert {p: (out / p).read_bytes() for p in _tree(out) if (out / p).is_file()} == first


def test_publish_refuses_a_schedule_that_breaks_a_rule(
    tmp_path: Path, scenario_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Violation("rest", "cetv4.cn", None, "08:35–08:55", 3, "g3-chinese", "needs rest")
    monkeypatch.setattr(scheduler.analysis.checking, "check", lambda scenario_, schedule_: [broken])
    before = _tree(tmp_path)
    code, _, stderr = _run("publish", str(scenario_folder), "--out", str(tmp_path / "publish"))
    assert code == 1
    assert "1 rule violation" in stderr and "[rest]" in stderr
    assert _tree(tmp_path) == before  # nothing written, no store


def test_publish_refuses_when_there_is_no_schedule(
    tmp_path: Path, scenario_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        scheduler.solver.solving,
        "solve",
        lambda scenario_, **kw: Result(
            Status.INFEASIBLE,
            None,
            None,
            None,
            0.1,
            0,
            explanation=("grade 9 cannot get its 60 min",),
        ),
    )
    code, stdout, stderr = _run("publish", str(scenario_folder), "--out", str(tmp_path / "p"))
    assert code == 1 and "INFEASIBLE" in stdout and "no schedule" in stderr
    assert not (tmp_path / "p").exists()


def test_export_writes_the_formats_asked_for(tmp_path: Path, schedule_file: Path) -> None:
    out = tmp_path / "feeds"
    code, _, stderr = _run(
        "export",
        str(schedule_file),
        "--format",
        "ical,xmltv",
        "--format",
        "sms",
        "--out",
        str(out),
        STAMP,
    )
    assert code == 0, stderr
    assert _tree(out) == [
        "ical",
        "ical/channel-cetv4.cn.ics",
        "ical/grade-03-lessons.ics",
        "ical/grade-03.ics",
        "ical/grade-12-lessons.ics",
        "ical/grade-12.ics",
        "manifest.json",
        "sms",
        "sms/digests.csv",
        "sms/grade-03.txt",
        "sms/grade-12.txt",
        "xmltv",
        "xmltv/guide.xml",
        "xmltv/icons",
        "xmltv/icons/cetv4.cn.png",
    ]
    assert b"DTSTAMP:20200214T100000Z" in (out / "ical" / "grade-03.ics").read_bytes()
    assert json.loads((out / "manifest.json").read_text())["edition"] is None


def test_export_with_a_store_records_an_edition(tmp_path: Path, schedule_file: Path) -> None:
    out, store = tmp_path / "site", tmp_path / "memory.sqlite"
    code, stdout, _ = _run(
        "export", str(schedule_file), "--out", str(out), "--store", str(store), STAMP
    )
    assert code == 0 and "edition 1" in stdout
    assert (out / "changes.txt").is_file() and store.is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.json"], "missing.json: file not found"),
        (["{schedule}", "--format", "teletext"], "unknown format 'teletext'"),
        (["{schedule}", "--out", "{schedule}"], "exists and is not a folder"),
        (["{schedule}", "--out", "{foreign}"], "holds files skyclass did not write"),
        (["{schedule}", "--out", "."], "is the current folder"),
        (["{schedule}", "--published-at", "tuesday"], "not an ISO 8601 instant"),
        (["{schedule}", "--scenario", "nowhere/scenario.toml"], "nowhere"),
    ],
)
def test_export_bad_input_is_one_message_exit_2_and_nothing_written(
    tmp_path: Path,
    schedule_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    message: str,
) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious")
    monkeypatch.chdir(tmp_path)
    before = {p: (tmp_path / p).stat().st_mtime_ns for p in _tree(tmp_path)}
    values = {"schedule": str(schedule_file), "foreign": str(foreign)}
    args = [a.format(**values) for a in arguments]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    code, stdout, stderr = _run("export", *args)
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1 and stdout == ""
    assert {p: (tmp_path / p).stat().st_mtime_ns for p in _tree(tmp_path)} == before


def test_publish_bad_output_folder_is_exit_2_before_solving(
    tmp_path: Path, scenario_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> Result:
        raise AssertionError("solved although the output folder was refused")

    monkeypatch.setattr(scheduler.solver.solving, "solve", never)
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    code, _, stderr = _run("publish", str(scenario_folder), "--out", str(a_file))
    assert code == 2 and "exists and is not a folder" in stderr
    code, _, stderr = _run(
        "publish",
        str(scenario_folder),
        "--out",
        str(tmp_path / "o"),
        "--store",
        str(tmp_path / "o" / "memory.sqlite"),
    )
    assert code == 2 and "inside the output folder" in stderr


def test_help_texts_end_with_an_example() -> None:
    for command in ("publish", "export"):
        code, stdout, _ = _run(command, "--help")
        assert code == 0 and "Example:" in stdout and f"skyclass {command}" in stdout


def test_published_at_is_used_for_a_new_edition(tmp_path: Path, schedule_file: Path) -> None:
    out = tmp_path / "p"
    code, _, _ = _run(
        "export",
        str(schedule_file),
        "--format",
        "ical",
        "--out",
        str(out),
        "--published-at",
        PUBLISHED_AT.isoformat(),
    )
    assert code == 0
    assert b"DTSTAMP:20200214T100000Z" in (out / "ical" / "grade-12.ics").read_bytes()


def test_export_strict_refuses_a_schedule_that_breaks_a_rule(
    tmp_path: Path, schedule_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Violation("airtime", "cetv4.cn", None, None, None, None, "outside the windows")
    monkeypatch.setattr(scheduler.analysis.checking, "check", lambda scenario_, schedule_: [broken])
    code, _, stderr = _run("export", str(schedule_file), "--strict", "--out", str(tmp_path / "s"))
    assert code == 1 and "[airtime]" in stderr
    assert not (tmp_path / "s").exists()
    monkeypatch.undo()
    code, _, _ = _run(
        "export", str(schedule_file), "--strict", "--format", "xmltv", "--out", str(tmp_path / "s")
    )
    assert code == 0 and (tmp_path / "s" / "xmltv" / "guide.xml").is_file()


def test_a_schedule_on_an_unknown_channel_is_bad_input(
    tmp_path: Path, scenario_folder: Path
) -> None:
    elsewhere = schedule(scenario(channel_id="cctv1.cn"))
    path = tmp_path / "elsewhere.json"
    path.write_text(elsewhere.to_json())
    store = tmp_path / "memory.sqlite"
    code, _, stderr = _run(
        "export",
        str(path),
        "--scenario",
        str(scenario_folder),
        "--out",
        str(tmp_path / "o"),
        "--store",
        str(store),
    )
    assert code == 2 and "'cctv1.cn'" in stderr
    assert not store.exists() and not (tmp_path / "o").exists()
