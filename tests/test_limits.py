"""Every number and text of a scenario or schedule has a range; values outside it are refused at
load with file, field and the range (exit 2), never a traceback, a hang or a blown-up model."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

TINY = Path(__file__).parent / "scenarios" / "tiny"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("assignment", "says"),
    [
        ("rules.pace.per_day=1000000000", "rules.pace.per_day: 1000000000 is not between 0 and 12"),
        ("rules.pace.per_week=9223372036854775807", "rules.pace.per_week"),
        ("rules.rest.minutes=9223372036854775808", "rules.rest.minutes"),
        ("bands[0].weight=1e20", "bands[0].weight: 1e+20 is not between"),
        ("bands[0].weight=1e308", "bands[0].weight"),
        ("rules.reruns.weight=-1e300", "rules.reruns.weight"),
        ("solver.time_limit=1e300", "solver.time_limit"),
        ("solver.workers=100000", "solver.workers"),
        ("solver.seed=4294967296", "solver.seed"),
        ("horizon.first=0001-01-01", "horizon.first: date year 1 is not between 1900 and 2100"),
        ("horizon.last=9999-12-31", "horizon.last: date year 9999"),
        ("cohorts[0].guaranteed_minutes=99999999", "cohorts[0].guaranteed_minutes"),
        ('specials[0].title="疫情\\u0000防护"', "specials[0].title: holds the character U+0000"),
        ('specials[0].title="疫情\\u000b防护"', "U+000B"),
        ('specials[0].title="疫情\\uffff"', "U+FFFF"),
        ('specials[0].title="疫情\\ufffe"', "U+FFFE"),
        ('specials[0].title="疫情防护\\n"', "U+000A"),
        ('specials[0].id="epidemic\\n"', "specials[0].id"),
        ('specials[0].id="epi demic"', "specials[0].id"),
        ('specials[0].id="g3-math"', "specials[0].id: special id 'g3-math' is already the id"),
        (
            'pinned=[{id="g3-math-l001", channel="tv.test", date=2020-02-18, start="08:00", '
            'end="08:10", title="x"}]',
            "pinned[0].id: pinned id 'g3-math-l001' has the shape",
        ),
        ('title="' + "长" * 2000 + '"', "title: is 2000 characters long"),
    ],
)
def test_out_of_range_values_are_refused_naming_the_field(assignment: str, says: str) -> None:
    code, stderr = _run("validate", str(TINY), "--set", assignment)
    assert code == 2, stderr
    assert says in stderr and "--set" in stderr
    assert len(stderr.strip().splitlines()) == 1


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def test_a_csv_title_with_nul_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lessons = folder / "catalog" / "lessons.csv"
    lines = lessons.read_text(encoding="utf-8").splitlines()
    course, number, _, minutes = lines[1].split(",")
    lines[1] = f"{course},{number},标题\x00,{minutes}"
    lessons.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stderr = _run("validate", str(folder))
    assert code == 2 and "lessons.csv:2: title: holds the character U+0000" in stderr


def test_a_csv_with_a_huge_header_line_is_refused_at_once(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    courses = folder / "catalog" / "courses.csv"
    courses.write_text("id," + ",".join(f"c{i}" for i in range(200_000)) + "\n", encoding="utf-8")
    code, stderr = _run("validate", str(folder))
    assert code == 2 and "courses.csv:1" in stderr and "longer than" in stderr


def test_a_huge_csv_cell_count_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    courses = folder / "catalog" / "courses.csv"
    courses.write_text(",".join(["id"] * 500) + "\n", encoding="utf-8")
    code, stderr = _run("validate", str(folder))
    assert code == 2 and "courses.csv:1" in stderr and "fields" in stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path, special: str) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "scenario.toml")
        os.mkfifo(path)
    code, stderr = _run("validate", path)
    assert code == 2 and "is not a regular file" in stderr


def test_a_toml_document_too_large_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "scenario.toml"
    big.write_text('name = "x"\n' + "# " + "x" * (5 * 2**20) + "\n", encoding="utf-8")
    code, stderr = _run("validate", str(big))
    assert code == 2 and "too large for a scenario file" in stderr


def _schedule(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    document = {
        "format": "skyclass-schedule",
        "version": 1,
        "scenario": str(TINY),
        "seed": 0,
        "programmes": [
            {
                "id": "g3-math-l001",
                "channel": "tv.test",
                "start": "2020-02-17T08:00:00+08:00",
                "end": "2020-02-17T08:20:00+08:00",
                "kind": "lesson",
                "title": "数一数",
                "grade": 3,
                "grades": [3],
                "subject": "数学",
                "course": "g3-math",
                "lesson": 1,
                "repeat_of": None,
                "item": None,
            }
        ],
    }
    return tmp_path / "schedule.json", document


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("start", "0001-01-01T00:00:00+08:00", "instant year 1 is not between 1900 and 2100"),
        ("end", "9999-12-31T23:59:00+08:00", "instant year 9999"),
        ("title", "数\x00一数", "U+0000"),
        ("title", "数一数\ud800", "U+D800"),
        ("id", "g3-math-l001\n", "programmes[0].id"),
        ("lesson", 2**70, "lesson number from 1 to"),
        ("end", "2020-02-20T08:20:00+08:00", "lasts more than 48 hours"),
    ],
)
def test_check_and_export_apply_the_limits_to_schedule_files(
    tmp_path: Path, field: str, value: object, says: str
) -> None:
    path, document = _schedule(tmp_path)
    document["programmes"][0][field] = value  # type: ignore[index]
    path.write_text(json.dumps(document), encoding="utf-8")
    for command in (
        ["check", str(path)],
        ["export", str(path), "--format", "sms", "--out", str(tmp_path / "o")],
    ):
        code, stderr = _run(*command)
        assert code == 2 and says in stderr, stderr
        assert "schedule.json" in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_schedule_spanning_centuries_is_refused(tmp_path: Path) -> None:
    path, document = _schedule(tmp_path)
    late = dict(document["programmes"][0])  # type: ignore[index]
    late.update(id="late", start="2099-02-17T08:00:00+08:00", end="2099-02-17T08:20:00+08:00")
    document["programmes"].append(late)  # type: ignore[attr-defined]
    path.write_text(json.dumps(document), encoding="utf-8")
    code, stderr = _run("check", str(path))
    assert code == 2 and "spans more than" in stderr


@pytest.mark.parametrize(
    "instant",
    ["0001-01-01T00:00:00+08:00", "9999-12-31T23:00:00-08:00", "2200-01-01T00:00:00+00:00"],
)
def test_published_at_out_of_range_is_refused(tmp_path: Path, instant: str) -> None:
    path, document = _schedule(tmp_path)
    path.write_text(json.dumps(document), encoding="utf-8")
    code, stderr = _run(
        "export",
        str(path),
        "--format",
        "sms",
        "--out",
        str(tmp_path / "o"),
        f"--published-at={instant}",
    )
    assert code == 2 and "--published-at" in stderr and "between the years" in stderr
    assert not (tmp_path / "o").exists()
