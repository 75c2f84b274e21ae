"""The solver's front door and the planner commands: solve, check, explanations, determinism."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from builders import CHANNEL, MONDAY, course, scenario, solved
from click.testing import CliRunner

from scheduler.analysis.checking import check
from scheduler.cli import main
from scheduler.domain.model import Pace
from scheduler.domain.objective import evaluate
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.io.loading import load
from scheduler.io.saving import dump
from scheduler.io.schedules import read_schedule
from scheduler.solver.solving import solve


@pytest.fixture(scope="module")
def default_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default scenario solved once by the CLI (proven optimal in ≈ 2 s; the limit leaves
    room for a loaded machine)."""
    out = tmp_path_factory.mktemp("week") / "out"
    result = CliRunner().invoke(main, ["solve", "--out", str(out), "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    return out


def test_solve_writes_schedule_and_report(default_week: Path) -> None:
    for name in ("schedule.json", "schedule.csv", "report.md", "report.json"):
        assert (default_week / name).is_file(), name
    report = json.loads((default_week / "report.json").read_text(encoding="utf-8"))
    assert report["status"] in ("OPTIMAL", "FEASIBLE")
    assert report["objective"] <= report["bound"]
    assert {row["grade"] for row in report["grades"]} == {1, 2, 3, 4, 5, 6, 9, 12}
    assert all(row["met"] for row in report["cohorts"])
    markdown = (default_week / "report.md").read_text(encoding="utf-8")
    for heading in (
        "Lesson minutes per grade",
        "Courses",
        "Guaranteed cohorts",
        "What did not fit",
    ):
        assert heading in markdown


def test_solved_default_passes_check_and_knows_its_objective(default_week: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(default_week / "schedule.json")])
    assert result.exit_code == 0, result.output
    assert "every rule holds" in result.output
    scenario = load(None)
    schedule = read_schedule(default_week / "schedule.json")
    report = json.loads((default_week / "report.json").read_text(encoding="utf-8"))
    assert evaluate(scenario, schedule).total == pytest.approx(report["objective"])
    csv_copy = read_schedule(default_week / "schedule.csv")
    assert csv_copy.programmes == schedule.programmes


def test_hand_edited_default_is_reported(default_week: Path, tmp_path: Path) -> None:
    """Overlap two airings, give grade 1 a too-long day and swap two lesson numbers."""
    document = json.loads((default_week / "schedule.json").read_text(encoding="utf-8"))
    records = document["programmes"]
    grade1 = [r for r in records if r["kind"] == "lesson" and r["grade"] == 1]
    first_day = grade1[0]["start"][:10]
    same_day = [r for r in grade1 if r["start"][:10] == first_day]
    # too long a day: copy the day's lessons of grade 1 onto the evening (outside band hours
    # too, but the cap is what we assert)
    extra = []
    for index, record in enumerate(same_day * 3):
        copy = dict(record, id=f"extra-{index}")
        extra.append(copy)
    records += extra
    # out of order: swap the lesson numbers of the two first premieres of one course
    course_id = grade1[0]["course"]
    premieres = [r for r in records if r["kind"] == "lesson" and r["course"] == course_id]
    premieres[0]["lesson"], premieres[1]["lesson"] = premieres[1]["lesson"], premieres[0]["lesson"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(edited)])
    assert result.exit_code == 1
    for rule in ("[airtime]", "[screen_time]", "[course_order]"):
        assert rule in result.output, rule


def _at(hour: int, minute: int) -> datetime:
    zone = scenario().channel(CHANNEL).zone
    return datetime(MONDAY.year, MONDAY.month, MONDAY.day, hour, minute, tzinfo=zone)


def test_three_clear_violations(tmp_path: Path) -> None:
    """An overlap, a too-long day for grade 1 and a lesson out of order: exactly three."""
    subject = scenario(
        windows=("08:00-10:00",),
        courses=(course("c", 1, 10, 20),),
        pace=Pace(per_week=7, per_day=5),
        bands=None,
        grades=(1,),
    )
    subject = subject.replace(
        bands=(
            subject.bands[0].__class__(
                "b", "小学", "Primary", (1,), 40, 60, subject.bands[0].hours, 1.0
            ),
        )
    )

    def lesson(number: int, start: tuple[int, int], end: tuple[int, int]) -> Programme:
        return Programme(
            _at(*start),
            _at(*end),
            CHANNEL,
            f"c-l{number:03d}",
            Kind.LESSON,
            f"c 第{number}课",
            (1,),
            course="c",
            lesson=number,
        )

    def promo(start: tuple[int, int], end: tuple[int, int]) -> Programme:
        return Programme(
            _at(*start),
            _at(*end),
            CHANNEL,
            f"promo-{start[0]}{start[1]:02d}",
            Kind.FILLER,
            "节目预告",
            item="promo",
        )

    schedule = Schedule(
        (
            lesson(1, (8, 0), (8, 20)),
            lesson(3, (8, 20), (8, 40)),
            lesson(2, (8, 40), (9, 0)),
            promo((9, 0), (9, 10)),
            lesson(4, (9, 5), (9, 25)),
            promo((9, 25), (9, 55)),
            promo((9, 55), (10, 0)),
        )
    )
    found = check(subject, schedule)
    assert sorted(v.rule for v in found) == ["airtime", "course_order", "screen_time"]
    overlap = next(v for v in found if v.rule == "airtime")
    assert "overlaps" in overlap.message and "09:10" in overlap.message
    cap = next(v for v in found if v.rule == "screen_time")
    assert "80 min" in cap.message and "60 min" in cap.message
    order = next(v for v in found if v.rule == "course_order")
    assert "lesson 3 airs where lesson 2 is due" in order.message
    # the command line says the same, naming the scenario file it was given
    folder = dump(subject, tmp_path / "tiny")
    path = tmp_path / "edited.json"
    path.write_text(schedule.to_json(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--scenario", str(folder)])
    assert result.exit_code == 1
    assert "3 violation(s)" in result.output


def test_infeasible_guarantee_is_explained_by_the_solver() -> None:
    """A gaokao guarantee of 150 min on Monday in a 120-min window cannot hold."""
    subject = load(
        None,
        overrides={
            "cohorts[gaokao].guaranteed_minutes": 150,
            "cohorts[gaokao].window": "19:00-21:00",
            "cohorts[gaokao].days": ["mon"],
            "channels[cetv4.cn].windows[2].end": "21:00",
        },
    )
    result = solve(subject, time_limit=30, workers=1)
    assert result.status is Status.INFEASIBLE
    assert result.schedule is None
    text = " ".join(result.explanation)
    assert "gaokao guarantee 150 min on 2020-02-17 cannot fit" in text
    assert "19:00–21:00 has 120 min" in text


def test_infeasible_solve_exits_1_and_writes_the_explanation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "solve",
            "--out",
            str(out),
            "--time-limit",
            "30",
            "--set",
            "cohorts[gaokao].guaranteed_minutes=200",
        ],
    )
    assert result.exit_code == 1
    assert "INFEASIBLE" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "INFEASIBLE"
    assert any("gaokao" in line for line in report["explanation"])
    assert not (out / "schedule.json").exists()


def test_same_scenario_and_seed_give_the_same_schedule() -> None:
    subject = scenario(
        days=3,
        windows=("08:00-09:00", "14:00-15:00"),
        rest=10,
        courses=(course("a", 1, 10, 20), course("b", 1, 10, 20, weight=0.5)),
    )
    first = solved(subject)
    second = solved(subject)
    assert first.schedule is not None and second.schedule is not None
    assert first.schedule.to_json() == second.schedule.to_json()


def test_bad_input_gives_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["solve", "--out", str(out), "--set", "rules.rest.minutes=-3"]
    )
    assert result.exit_code == 2
    assert not out.exists()
    result = CliRunner().invoke(main, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "missing.json" in result.output


def test_progress_is_shown_while_solving(default_week: Path) -> None:
    """Live lines show the week's own objective (never the coverage-only value of the first
    grid step) and valid bounds: no line's objective beats the final schedule, no line's bound
    falls below it, and no line repeats the one before."""
    import json
    import re
    from itertools import pairwise

    out = default_week.parent / "again"
    result = CliRunner().invoke(main, ["solve", "--out", str(out), "--time-limit", "30"])
    assert result.exit_code == 0
    progress = [line for line in result.stderr.splitlines() if line.startswith("week 1/1")]
    assert progress, result.stderr
    assert all("objective" in line and "bound" in line and "gap" in line for line in progress)
    final = json.loads((out / "report.json").read_text(encoding="utf-8"))["objective"]
    figures = [re.search(r"objective ([\d,.]+)  bound ([\d,.]+|—)", line) for line in progress]
    assert all(figures), progress
    pairs = [(m.group(1), m.group(2)) for m in figures if m]
    assert all(a != b for a, b in pairwise(pairs)), progress
    for objective, bound in pairs:
        assert float(objective.replace(",", "")) <= final + 0.05, progress
        assert bound == "—" or float(bound.replace(",", "")) >= final - 0.05, progress


def test_ctrl_c_keeps_the_best_schedule(tmp_path: Path) -> None:
    """Interrupted during the first of four weeks: the best week found is kept, the rest is
    planned the quick way, and the schedule still passes every rule."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from scheduler.cli import main; main()",
            "solve",
            "fixtures/cetv4-2020-spring/month.toml",
            "--out",
            str(out),
            "--time-limit",
            "120",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    assert process.stderr is not None
    while time.monotonic() < deadline:  # wait for the first solution of week 1
        line = process.stderr.readline()
        if line.startswith("week 1/4"):
            break
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=120)
    assert process.returncode == 0, stdout
    assert "FEASIBLE" in stdout
    schedule = read_schedule(out / "schedule.json")
    assert check(load("fixtures/cetv4-2020-spring/month.toml"), schedule) == []
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["bound"] is None
