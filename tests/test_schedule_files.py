"""``skyclass check`` on hand-edited schedule files: whatever is wrong with one, the planner gets
exit code 2 and one line naming the file and where in it, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import scheduler
from scheduler.cli import main
from scheduler.domain.schedule import Schedule
from scheduler.io.schedules import read_schedule
from scheduler.solver.solving import solve

TINY = Path(__file__).resolve().parent / "analysis" / "tiny" / "scenario.toml"


@pytest.fixture(scope="module")
def tiny_schedule() -> Schedule:
    """The tiny scenario's schedule, solved once; it names TINY as its scenario."""
    result = solve(scheduler.load(TINY), time_limit=2)
    assert result.schedule is not None
    return result.schedule


def check(path: Path) -> Result:
    return CliRunner().invoke(main, ["check", str(path), "--scenario", str(TINY)])


def _json(edit: Callable[[dict[str, object]], object]) -> Callable[[Schedule], bytes]:
    """A JSON schedule edited as a document."""

    def make(schedule: Schedule) -> bytes:
        document = json.loads(schedule.to_json())
        edit(document)
        return json.dumps(document, ensure_ascii=False).encode()

    return make


def _first(document: dict[str, object]) -> dict[str, object]:
    programmes = document["programmes"]
    assert isinstance(programmes, list)
    first = programmes[0]
    assert isinstance(first, dict)
    return first


def _csv(edit: Callable[[list[str]], object]) -> Callable[[Schedule], bytes]:
    """A CSV schedule edited line by line (line 1 is the header)."""

    def make(schedule: Schedule) -> bytes:
        lines = schedule.to_csv().split("\n")
        edit(lines)
        return "\n".join(lines).encode()

    return make


def _set_cell(line: int, column: int, value: str) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        cells = lines[line - 1].split(",")
        cells[column] = value
        lines[line - 1] = ",".join(cells)

    return edit


BROKEN: dict[str, tuple[str, Callable[[Schedule], bytes], str]] = {
    # name: (file name, contents, where the message must point)
    "bad JSON": ("s.json", lambda s: s.to_json().replace('"id"', "'id'", 1).encode(), ".json:8:"),
    "JSON not UTF-8": (
        "s.json",
        lambda s: s.to_json().encode().replace(b"\xe7", b"\xff", 1),
        ".json:",
    ),
    "missing start": ("s.json", _json(lambda d: _first(d).pop("start")), "programmes[0].start:"),
    "start without offset": (
        "s.json",
        _json(lambda d: _first(d).update(start="2020-02-17T08:00:00")),
        "programmes[0].start:",
    ),
    "unknown kind": (
        "s.json",
        _json(lambda d: _first(d).update(kind="advert")),
        "programmes[0].kind:",
    ),
    "grade 13": (
        "s.json",
        _json(lambda d: _first(d).update(grade=13, grades=[13])),
        "programmes[0].grades:",
    ),
    "duplicate id": (
        "s.json",
        _json(lambda d: _first(d).update(id=d["programmes"][1]["id"])),  # type: ignore[index]
        "programmes[1].id:",
    ),
    "deep nesting": (
        "s.json",
        lambda s: b'{"programmes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "s.json:",
    ),
    "CSV missing column": (
        "s.csv",
        _csv(lambda lines: lines.__setitem__(0, lines[0].replace("start,", "begin,"))),
        ".csv:1:",
    ),
    "CSV bad kind": ("s.csv", _csv(_set_cell(3, 4, "advert")), ".csv:3: line 3.kind:"),
    "CSV grade 13": ("s.csv", _csv(_set_cell(2, 7, "13")), ".csv:2: line 2.grades:"),
    "CSV grade not a number": ("s.csv", _csv(_set_cell(2, 6, "twelve")), ".csv:2: grade:"),
    "CSV duplicate id": (
        "s.csv",
        _csv(lambda lines: lines.__setitem__(4, lines[2])),
        ".csv:5: line 5.id:",
    ),
    "CSV huge field": ("s.csv", _csv(_set_cell(2, 5, "x" * 200_000)), ".csv:2:"),
    "CSV not UTF-8": (
        "s.csv",
        lambda s: s.to_csv().encode().replace(b"\xe7", b"\xff", 1),
        ".csv:2:",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_a_broken_schedule_gives_one_line_and_exit_2(
    tmp_path: Path, tiny_schedule: Schedule, case: str
) -> None:
    name, make, where = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(make(tiny_schedule))
    result = check(path)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"skyclass: error: {path}"), lines
    assert where in lines[0], lines
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_schedule_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, tiny_schedule: Schedule, suffix: str
) -> None:
    """Spreadsheet programs save CSV as UTF-8 with a BOM; the valid schedule still checks."""
    path = tmp_path / f"schedule.{suffix}"
    text = tiny_schedule.to_csv() if suffix == "csv" else tiny_schedule.to_json()
    path.write_text(text, encoding="utf-8-sig")
    result = check(path)
    assert result.exit_code == 0, result.output
    assert "every rule holds" in result.stdout
    assert read_schedule(path).programmes == tiny_schedule.programmes
