"""Bad input: every malformed scenario gives exit 2 and one clear line; the loader never crashes.

Each case under ``tests/scenarios/bad/`` lists the substrings its message must contain: the file
it names, the field (or CSV line) and the words of the complaint, so a wrong message fails.
"""

from __future__ import annotations

import copy
import csv
import io
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli import main
from scheduler.domain.errors import ScenarioError
from scheduler.io.loading import load

SCENARIOS = Path(__file__).parent / "scenarios"
BAD = SCENARIOS / "bad"
TINY = SCENARIOS / "tiny"


@dataclass(frozen=True)
class Case:
    """A malformed scenario: the file to validate and what its one-line message must say."""

    path: str  # relative to tests/scenarios/bad
    names: str  # the file the message must name (basename, with ``:line`` where there is one)
    field: str | None  # the field path, CSV column, or None where the line is the place
    says: tuple[str, ...]  # further words of the complaint


CASES = [
    Case("syntax-error.toml", "syntax-error.toml:3", None, ("TOML syntax error",)),
    Case("empty.toml", "empty.toml", None, ("is empty",)),
    Case("bad-encoding.toml", "bad-encoding.toml:3", None, ("not UTF-8",)),
    Case("unknown-key.toml", "unknown-key.toml", "solver.threads", ("unknown key 'threads'",)),
    Case("wrong-type.toml", "wrong-type.toml", "rules.rest.minutes", ("'ten' is not minutes",)),
    Case("unknown-grade.toml", "unknown-grade.toml", "grades.numbers", ("13 is not a grade",)),
    Case(
        "grade-without-band.toml",
        "grade-without-band.toml",
        "grades.numbers[2]",
        ("grade 12 belongs to no band",),
    ),
    Case(
        "lesson-too-long.toml",
        "lessons.csv:2",
        "minutes",
        ("g3-math", "lasts 20 min", "longer than the 15 min band 'primary'"),
    ),
    Case(
        "window-end-before-start.toml",
        "window-end-before-start.toml",
        "channels[0].windows[1].end",
        ("ends (18:00) before it starts (19:00)",),
    ),
    Case(
        "window-outside-day.toml",
        "window-outside-day.toml",
        "channels[0].windows[1].end",
        ("'49:00' is beyond 48:00",),
    ),
    Case(
        "windows-overlap.toml",
        "windows-overlap.toml",
        "channels[0].windows",
        ("08:00–10:00 and 09:00–11:00 overlap on 2020-02-17",),
    ),
    Case(
        "window-days-and-dates.toml",
        "window-days-and-dates.toml",
        "channels[0].windows[0]",
        ("either days (weekdays) or dates",),
    ),
    Case(
        "unknown-weekday.toml",
        "unknown-weekday.toml",
        "channels[0].windows[0].days",
        ("'funday' is not a weekday",),
    ),
    Case("bad-date.toml", "bad-date.toml", "horizon.last", ("'2020-02-30' is not a date",)),
    Case("horizon-backwards.toml", "horizon-backwards.toml", "horizon", ("ends before it starts",)),
    Case("bad-time.toml", "bad-time.toml", "cohorts[0].window", ("'7pm' is not a time of day",)),
    Case(
        "pinned-overlap.toml",
        "pinned-overlap.toml",
        "pinned[1]",
        ("'opening' and 'press' overlap on 2020-02-17",),
    ),
    Case(
        "pinned-outside-windows.toml",
        "pinned-outside-windows.toml",
        "pinned[0]",
        ("12:00–12:10 lies outside the broadcast windows",),
    ),
    Case(
        "pinned-unknown-channel.toml",
        "pinned-unknown-channel.toml",
        "pinned[0].channel",
        ("unknown channel 'cctv1.cn'",),
    ),
    Case(
        "duplicate-id.toml",
        "duplicate-id.toml",
        "specials[1].id",
        ("'mental' is defined twice",),
    ),
    Case(
        "unsafe-id-dotdot.toml", "unsafe-id-dotdot.toml", "specials[1].id", ("'../x' is not safe",)
    ),
    Case("unsafe-id-slash.toml", "unsafe-id-slash.toml", "fillers[2].id", ("'a/b' is not safe",)),
    Case(
        "missing-catalog.toml",
        "missing-catalog.toml",
        "catalog.lessons",
        ("'catalog/no-such-lessons.csv', which does not exist",),
    ),
    Case(
        "catalog-escape.toml",
        "catalog-escape.toml",
        "catalog.courses",
        ("must be a path inside the scenario folder",),
    ),
    Case("extends-loop/a.toml", "a.toml", "extends", ("extends loop: a.toml → b.toml → a.toml",)),
    Case(
        "extends-missing.toml",
        "extends-missing.toml",
        "extends",
        ("'no-such-scenario.toml', which does not exist",),
    ),
    Case(
        "missing-required.toml",
        "missing-required.toml",
        "cohorts[1].guaranteed_minutes",
        ("is missing",),
    ),
    Case(
        "cohort-unknown-grade.toml",
        "cohort-unknown-grade.toml",
        "cohorts[1].grade",
        ("cohort 'gaokao' names unknown grade 12",),
    ),
    Case(
        "unknown-timezone.toml",
        "unknown-timezone.toml",
        "channels[0].timezone",
        ("'Asia/Beijing' is not an IANA time zone",),
    ),
    Case(
        "dst-crossing.toml",
        "dst-crossing.toml",
        "channels[0].windows[0]",
        (
            "01:00–04:00 on 2020-03-29 crosses a daylight-saving change",
            "02:00) does not exist (the clocks skip it) in Europe/Berlin",
        ),
    ),
    Case(
        "remove-unknown.toml",
        "remove-unknown.toml",
        "pinned[0].remove",
        ("removes unknown id 'closing'",),
    ),
    Case(
        "negative-minutes.toml",
        "negative-minutes.toml",
        "cohorts[0].guaranteed_minutes",
        ("-30 must not be negative",),
    ),
    Case("nan-weight.toml", "nan-weight.toml", "bands[1].weight", ("nan is not a finite number",)),
    Case(
        "band-hours-overlap.toml",
        "band-hours-overlap.toml",
        "bands[1].hours",
        ("08:00–10:00 and 09:30–11:00 overlap",),
    ),
    Case(
        "unknown-course-override.toml",
        "unknown-course-override.toml",
        "course.g7-math",
        ("names unknown course 'g7-math'",),
    ),
    Case(
        "progress-too-far.toml",
        "progress-too-far.toml",
        "course.g9-math.progress",
        ("4 is more than the 3 lessons",),
    ),
    Case(
        "bad-filler-kind.toml", "bad-filler-kind.toml", "fillers[2].kind", ("'news' is not one of",)
    ),
    # catalog CSVs: the message names the CSV and its line
    Case(
        "csv-wrong-column/scenario.toml",
        "courses.csv:1",
        None,
        ("missing column 'subject_en'",),
    ),
    Case(
        "csv-not-number/scenario.toml",
        "lessons.csv:3",
        "minutes",
        ("'twenty' is not a whole number",),
    ),
    Case(
        "csv-course-unknown-grade/scenario.toml",
        "courses.csv:4",
        "grade",
        ("course 'g9-math' names unknown grade 7",),
    ),
    Case(
        "csv-duplicate-course/scenario.toml",
        "courses.csv:5",
        "id",
        ("'g3-math' is defined twice (also line 2)",),
    ),
    Case(
        "csv-duplicate-lesson/scenario.toml",
        "lessons.csv:3",
        "number",
        ("'g3-math' has lesson 1 twice",),
    ),
    Case(
        "csv-lesson-gap/scenario.toml",
        "lessons.csv:4",
        "number",
        ("lesson 3 is missing",),
    ),
    Case(
        "csv-lesson-unknown-course/scenario.toml",
        "lessons.csv:14",
        "course",
        ("unknown course 'g3-music'",),
    ),
    Case(
        "csv-missing-field/scenario.toml",
        "lessons.csv:5",
        None,
        ("has 3 fields where the header has 4",),
    ),
    Case("csv-unsafe-id/scenario.toml", "courses.csv:2", "id", ("'g3/math' is not safe",)),
    Case("csv-bad-encoding/scenario.toml", "lessons.csv:2", None, ("not UTF-8",)),
    Case("csv-empty/scenario.toml", "lessons.csv:1", None, ("is empty",)),
]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_there_are_enough_cases_and_each_file_has_one() -> None:
    assert len(CASES) >= 20
    files = {str(p.relative_to(BAD)) for p in BAD.rglob("*.toml")}
    covered = {case.path for case in CASES} | {"extends-loop/b.toml"}
    assert files == covered


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
def test_validate_rejects_bad_input_with_one_clear_line(case: Case, tmp_path: Path) -> None:
    before = _snapshot(SCENARIOS)
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        result = runner.invoke(main, ["validate", str(BAD / case.path)])
        written = list(Path(cwd).iterdir())
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert "Traceback" not in result.stderr
    assert message.startswith("skyclass: error: ")
    assert f"{case.names}:" in message
    if case.field is not None:
        assert f": {case.field}: " in message
    for words in case.says:
        assert words in message
    assert written == []
    assert _snapshot(SCENARIOS) == before


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES
        if c.path in ("syntax-error.toml", "bad-encoding.toml", "lesson-too-long.toml")
    ],
    ids=lambda c: c.path,
)
def test_validate_in_a_real_process(case: Case, tmp_path: Path) -> None:
    """The installed entry point behaves the same: exit 2, one line on stderr, no traceback."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from scheduler.cli import main; main()",
            "validate",
            str(BAD / case.path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert case.names in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_scenario_file_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"skyclass: error: {tmp_path / 'nope.toml'}: file not found"


def test_a_folder_without_scenario_file_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "scenario.toml: file not found" in result.stderr


# -- the loader never crashes ------------------------------------------------------------------
TINY_DATA = tomllib.loads((TINY / "scenario.toml").read_text(encoding="utf-8"))


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


# every key of the tiny scenario, and known keys it leaves out
KNOWN = sorted(
    {
        *_paths(TINY_DATA),
        ("extends",),
        ("rules", "rest", "minutes"),
        ("rules", "reruns", "mode"),
        ("rules", "reruns", "weight"),
        ("rules", "reruns", "within_minutes"),
        ("rules", "reruns", "dayparts"),
        ("rules", "balance", "weight"),
        ("grades", "term_starts"),
        ("grades", "term_starts", "3"),
        ("grades", "channels"),
        ("grades", "channels", "9"),
        ("course", "g3-math"),
        ("course", "g9-math", "weight"),
        ("course", "g9-math", "per_week"),
        ("channels", 0, "windows", 0, "dates"),
        ("specials", 0, "grades"),
        ("specials", 0, "hours"),
        ("fillers", 0, "max_minutes"),
        ("pinned", 0, "grades"),
        ("pinned", 0, "remove"),
        ("cohorts", 0, "remove"),
    },
    key=str,
)


def _get(node: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


TABLES = sorted(
    {p for p in _paths(TINY_DATA) if isinstance(_get(TINY_DATA, p), dict)} | {()}, key=str
)

# values that reach deeper into validation than random ones would
NEAR_MISSES = st.sampled_from(
    [
        "08:00-12:00",
        "19:00-18:00",
        "24:00-48:00",
        "00:00-49:00",
        "08:00",
        "47:59",
        "48:01",
        "mon",
        "Monday",
        "funday",
        "2020-02-17",
        "2020-02-30",
        "Asia/Shanghai",
        "Mars/Olympus",
        "../x",
        "a/b",
        "tv.test",
        "primary",
        "g3-math",
        "promo",
        "eye_exercise",
        "soft",
        "",
        " ",
        "catalog/courses.csv",
        "scenario.toml",
        "../tiny/scenario.toml",
        "/etc/passwd",
        "a" * 300,
        0,
        1,
        -1,
        3,
        9,
        12,
        13,
        20,
        2**31,
        2**63 - 1,
        0.5,
        float("nan"),
        float("inf"),
        True,
        False,
        date(2020, 2, 17),
        date(2021, 2, 17),
        [],
        {},
        [1, 2],
        ["mon", "tue"],
        ["08:00-10:00", "09:00-11:00"],
        [{"id": "x"}],
        [{"id": ["x"]}],
        [{"id": "opening", "remove": True}],
        [{"id": "opening", "remove": "yes"}],
        {"remove": True},
        {"id": "tv.test"},
    ]
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.times(),
    NEAR_MISSES,
)
TOML_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["id", "remove", "days"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
VALUES = st.one_of(NEAR_MISSES, SCALARS, TOML_VALUES)


@pytest.fixture(scope="module")
def playground() -> Iterator[Path]:
    """A scratch copy of the tiny scenario's folder (the catalogs) to write variants into."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(TINY / "catalog", Path(folder) / "catalog")
        shutil.copy(TINY / "scenario.toml", Path(folder) / "base.toml")
        yield Path(folder)


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for part in path[:-1]:
        node = node.setdefault(part, {}) if isinstance(node, dict) else node[part]
    last = path[-1]
    if isinstance(last, int) or isinstance(node, dict):
        node[last] = value


def _load_must_not_crash(file: Path, **options: Any) -> None:
    try:
        load(file, **options)
    except ScenarioError as error:
        assert "\n" not in str(error)
        assert str(error)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(path=st.sampled_from(KNOWN), value=VALUES)
def test_any_value_at_a_known_key_loads_or_errors_cleanly(
    playground: Path, path: tuple[str | int, ...], value: Any
) -> None:
    data = copy.deepcopy(TINY_DATA)
    _set(data, path, value)
    file = playground / "scenario.toml"
    file.write_text(tomli_w.dumps(data), encoding="utf-8")
    _load_must_not_crash(file)


@FUZZ
@given(table=st.sampled_from(TABLES), key=st.text(min_size=1, max_size=10), value=VALUES)
def test_unknown_keys_error_cleanly(
    playground: Path, table: tuple[str | int, ...], key: str, value: Any
) -> None:
    data = copy.deepcopy(TINY_DATA)
    _get(data, table)[key] = value
    file = playground / "scenario.toml"
    file.write_text(tomli_w.dumps(data), encoding="utf-8")
    _load_must_not_crash(file)


@FUZZ
@given(
    section=st.sampled_from([p for p in KNOWN if len(p) == 1 and p != ("extends",)]),
    value=VALUES,
)
def test_any_override_in_an_extending_file_loads_or_errors_cleanly(
    playground: Path, section: tuple[str], value: Any
) -> None:
    """Merging (tables key by key, arrays by id, remove = true) survives any child file."""
    file = playground / "child.toml"
    file.write_text(tomli_w.dumps({"extends": "base.toml", section[0]: value}), encoding="utf-8")
    _load_must_not_crash(file)


@settings(max_examples=100, deadline=None)
@given(
    dotted=st.sampled_from(
        [
            "rules.rest.minutes",
            "channels[0].windows[1].end",
            "channels[tv.test].timezone",
            "pinned[opening].start",
            "course.g3-math.progress",
            "grades.numbers[5]",
            "horizon",
            "bands[9].weight",
            "solver",
            "x.y.z",
            "[0]",
            "channels.tv.test",
            "",
        ]
    )
    | st.text(max_size=20),
    value=VALUES,
)
def test_any_set_override_loads_or_errors_cleanly(dotted: str, value: Any) -> None:
    _load_must_not_crash(TINY / "scenario.toml", overrides={dotted: value})


CATALOG_TEXT = st.text(max_size=12) | st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "nan",
        "inf",
        "1e400",
        "99999999999999999999",
        "g3-math",
        "../x",
        '"',
        "a,b",
        "\r\n",
        "\x00",
        "３",
        "1_0",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    which=st.sampled_from(["courses.csv", "lessons.csv"]),
    row=st.integers(min_value=0, max_value=12),
    column=st.integers(min_value=0, max_value=6),
    text=CATALOG_TEXT,
)
def test_any_catalog_cell_loads_or_errors_cleanly(
    playground: Path, which: str, row: int, column: int, text: str
) -> None:
    original = (TINY / "catalog" / which).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original, newline="")))
    cells = rows[row % len(rows)]
    if column < len(cells):
        cells[column] = text
    else:
        cells.append(text)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    catalog = playground / "catalog"
    (catalog / which).write_text(buffer.getvalue(), encoding="utf-8")
    try:
        _load_must_not_crash(playground / "base.toml")
    finally:
        shutil.copy(TINY / "catalog" / which, catalog / which)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_load_or_error_cleanly(playground: Path, data: bytes) -> None:
    file = playground / "bytes.toml"
    file.write_bytes(data)
    _load_must_not_crash(file)


def test_time_values_are_not_times_of_day_strings(playground: Path) -> None:
    """A TOML local time (08:00:00 without quotes) is a wrong type, reported at its field."""
    data = copy.deepcopy(TINY_DATA)
    data["channels"][0]["windows"][0]["start"] = time(8, 0)
    file = playground / "scenario.toml"
    file.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(
        ScenarioError, match=r"channels\[0\]\.windows\[0\]\.start: .* is not a time"
    ):
        load(file)
