"""``skyclass compare`` on the tiny scenario: tables, charts, deltas, failures, Dask."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduler.analysis import charts
from scheduler.analysis.compare import show, table
from scheduler.analysis.runner import ERROR, Outcome, Settings, Task, run_dask, run_local
from scheduler.analysis.sweep import Variant, read_sweep
from scheduler.cli import main
from scheduler.domain.errors import ScenarioError

TINY = Path(__file__).resolve().parent / "tiny" / "scenario.toml"
LIMIT = "5"  # seconds per solve; the tiny scenario solves to optimality in well under that


@pytest.fixture
def capped(tmp_path: Path) -> Path:
    """The tiny scenario with grade 3 capped at 20 min a day (one lesson instead of two)."""
    path = tmp_path / "capped.toml"
    path.write_text(
        f'extends = "{TINY}"\nname = "tiny-capped"\n\n'
        '[[bands]]\nid = "upper-primary"\ndaily_cap_minutes = 20\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def sweep(tmp_path: Path) -> Path:
    """Four good variants of the tiny scenario (rest × grade-3 cap)."""
    path = tmp_path / "sweep.toml"
    path.write_text(
        f'scenario = "{TINY}"\n'
        'name = "rest{rules.rest.minutes}-cap{bands.upper-primary.daily_cap_minutes}"\n'
        "[grid]\n"
        '"rules.rest.minutes" = [10, 20]\n'
        '"bands.upper-primary.daily_cap_minutes" = [120, 20]\n',
        encoding="utf-8",
    )
    return path


def compare(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["compare", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_compare_writes_tables_charts_and_reports(tmp_path: Path, capped: Path) -> None:
    out = tmp_path / "out"
    code, output = compare(TINY, capped, "--out", out, "--jobs", "1", "--time-limit", LIMIT)
    assert code == 0, output
    for name in (
        "comparison.md",
        "comparison.csv",
        "comparison.html",
        "courses.csv",
        "charts/minutes_per_grade.png",
        "charts/course_coverage.png",
        "charts/grid-01-tiny-tiny.cn.png",
        "charts/grid-02-tiny-capped-tiny.cn.png",
        "scenarios/01-tiny/schedule.json",
        "scenarios/02-tiny-capped/report.md",
        "scenarios/02-tiny-capped/grade_weeks.csv",
    ):
        assert (out / name).is_file(), name
    frame = pd.read_csv(out / "comparison.csv").set_index("key")
    assert list(frame.columns) == [
        "section",
        "metric",
        "unit",
        "tiny",
        "tiny-capped",
        "Δ tiny-capped",
    ]
    assert frame.loc["solve.status", "tiny"] == "OPTIMAL"
    # the deltas agree with the per-scenario reports: minutes per week of each grade come from
    # scenarios/NN/grade_weeks.csv (one week in the horizon)
    for grade in (3, 12):
        values = []
        for folder in ("01-tiny", "02-tiny-capped"):
            weeks = pd.read_csv(out / "scenarios" / folder / "grade_weeks.csv")
            values.append(weeks[weeks["grade"] == grade]["lesson_minutes"].sum())
        key = f"grade.{grade}.per_week"
        assert float(frame.loc[key, "tiny"]) == values[0]
        assert float(frame.loc[key, "tiny-capped"]) == values[1]
        assert float(frame.loc[key, "Δ tiny-capped"]) == values[1] - values[0]
    # grade 3 has math every day and chinese once (per_week 1): 20 + 40 = 60 min; capped at
    # 20 min a day it keeps one lesson a day, 20 + 20 = 40 min, a delta of -20
    assert float(frame.loc["grade.3.per_week", "tiny"]) == 60
    assert float(frame.loc["grade.3.per_week", "Δ tiny-capped"]) == -20
    # every numeric delta is the column minus the first
    for key, row in frame.iterrows():
        if row["unit"] != "text" and not pd.isna(row["Δ tiny-capped"]):
            assert math.isclose(
                float(row["Δ tiny-capped"]), float(row["tiny-capped"]) - float(row["tiny"])
            ), key
    report = (out / "scenarios" / "02-tiny-capped" / "report.md").read_text(encoding="utf-8")
    assert "| grade.3.per_week | 三年级 分钟/周 | 40 |" in report  # the column's figure
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4  # two summary charts, two day grids
    assert "Δ tiny-capped" in html and "三年级" in html
    markdown = (out / "comparison.md").read_text(encoding="utf-8")
    assert "| 三年级 分钟/周 | 60 | 40 | -20 |" in markdown
    # scenario paths are relative to where each file lies, so the reports read the same anywhere
    assert f"— {TINY}" not in markdown and "— ../capped.toml" in markdown
    assert "- scenario: ../capped.toml" in report  # as seen from the output folder
    written = json.loads((out / "scenarios" / "01-tiny" / "schedule.json").read_text("utf-8"))
    assert (out / "scenarios" / "01-tiny" / written["scenario"]).resolve() == TINY.resolve()


def test_failing_scenarios_in_a_sweep_are_reported(tmp_path: Path, capped: Path) -> None:
    sweep = tmp_path / "failing.toml"
    sweep.write_text(
        f'scenario = "{TINY}"\n'
        "[grid]\n"
        '"rules.rest.minutes" = [10]\n'
        "[[variants]]\n"
        'name = "missing"\n'
        'scenario = "no-such-file.toml"\n'
        "[[variants]]\n"
        'name = "bad-value"\n'
        'set = { "rules.reruns.mode" = "sometimes" }\n'
        "[[variants]]\n"
        'name = "infeasible"\n'
        'set = { "cohorts.gaokao.guaranteed_minutes" = 60 }\n',  # 60 min in a 60-min window,
        encoding="utf-8",  # but lessons last 40 min
    )
    out = tmp_path / "out"
    code, output = compare(
        capped, "--sweep", sweep, "--out", out, "--jobs", "2", "--time-limit", LIMIT
    )
    assert code == 1, output
    assert "3 of 5 scenario(s) failed" in output
    frame = pd.read_csv(out / "comparison.csv").set_index("key")
    assert frame.loc["solve.status", "tiny-capped"] == "OPTIMAL"
    assert frame.loc["solve.status", "minutes=10"] == "OPTIMAL"
    assert frame.loc["solve.status", "missing"] == ERROR
    assert "not found" in frame.loc["solve.reason", "missing"]
    assert "no-such-file.toml" in frame.loc["solve.reason", "missing"]
    assert frame.loc["solve.status", "bad-value"] == ERROR
    assert "sometimes" in frame.loc["solve.reason", "bad-value"]
    assert frame.loc["solve.status", "infeasible"] == "INFEASIBLE"
    assert "gaokao" in frame.loc["solve.reason", "infeasible"]
    # the good ones have figures; the failed ones keep their column with blanks
    assert float(frame.loc["grade.3.per_week", "minutes=10"]) == 60
    assert pd.isna(frame.loc["grade.3.per_week", "infeasible"])
    assert pd.isna(frame.loc["grade.3.per_week", "Δ infeasible"])
    report = (out / "scenarios" / "05-infeasible" / "report.md").read_text(encoding="utf-8")
    assert "INFEASIBLE" in report and "gaokao" in report
    assert not (out / "scenarios" / "05-infeasible" / "schedule.json").exists()


def test_dask_cluster_gives_the_local_results(tmp_path: Path, sweep: Path) -> None:
    distributed = pytest.importorskip("distributed")
    tasks = [
        Task.of(i, v, Settings(time_limit=float(LIMIT), workers=1))
        for i, v in enumerate(read_sweep(sweep))
    ]
    assert len(tasks) == 4
    local = run_local(tasks, jobs=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = run_dask(tasks, cluster.scheduler_address)
        out_dask = tmp_path / "dask"
        code, output = compare(
            "--sweep",
            sweep,
            "--out",
            out_dask,
            "--time-limit",
            LIMIT,
            "--workers",
            "1",
            "--dask",
            cluster.scheduler_address,
        )
        assert code == 0, output
    assert all(o.ok for o in local)
    assert [o.comparable() for o in remote] == [o.comparable() for o in local]
    # the command line on Dask writes what a local run writes (wall-clock runtime aside)
    out_local = tmp_path / "local"
    code, output = compare(
        "--sweep", sweep, "--out", out_local, "--time-limit", LIMIT, "--workers", "1", "--jobs", "2"
    )
    assert code == 0, output
    frames = [
        pd.read_csv(out / "comparison.csv").set_index("key").drop("solve.runtime")
        for out in (out_dask, out_local)
    ]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    for schedule in sorted(out_local.glob("scenarios/*/schedule.json")):
        twin = out_dask / schedule.relative_to(out_local)
        assert twin.read_text(encoding="utf-8") == schedule.read_text(encoding="utf-8")


def test_an_unreachable_dask_scheduler_is_bad_input() -> None:
    pytest.importorskip("distributed")
    task = Task.of(0, Variant(str(TINY)), Settings())
    with pytest.raises(ScenarioError, match="cannot reach the Dask scheduler"):
        run_dask([task], "tcp://127.0.0.1:9", timeout=1.0)  # port 9 (discard): nobody listens


def test_bad_options_write_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, output = compare(TINY, "--out", blocker)
    assert code == 2 and "not a folder" in output
    code, output = compare(TINY, "--out", tmp_path / "o", "--set", "no-equals-sign")
    assert code == 2 and "PATH=VALUE" in output
    code, output = compare("--sweep", tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert code == 2 and "sweep file not found" in output
    assert not (tmp_path / "o").exists()


def outcome(label: str, status: str = "OPTIMAL", **values: float) -> Outcome:
    return Outcome(
        index=0,
        label=label,
        path=None,
        overrides={},
        status=status,
        objective=values.get("objective"),
        reason="" if status == "OPTIMAL" else "x",
    )


def test_table_deltas_against_the_first_and_blank_for_failures() -> None:
    frame = table(
        [outcome("a", objective=10.0), outcome("b", objective=12.5), outcome("c", status=ERROR)]
    ).set_index("key")
    assert frame.loc["solve.objective", "Δ b"] == 2.5
    assert pd.isna(frame.loc["solve.objective", "Δ c"])
    assert frame.loc["solve.status", "c"] == ERROR
    assert list(frame.columns)[3:] == ["a", "b", "Δ b", "c", "Δ c"]


@pytest.mark.parametrize(
    ("value", "unit", "delta", "text"),
    [
        (0.125, "%", False, "12.5%"),
        (0.05, "%", True, "+5.0 pp"),
        (0.0, "%", True, "±0 pp"),
        (1240, "min", False, "1,240"),
        (-40, "min", True, "-40"),
        (0, "min", True, "±0"),
        (102.86, "min", False, "102.9"),
        (None, "min", False, "—"),
        (None, "min", True, ""),
        ("OPTIMAL", "text", False, "OPTIMAL"),
    ],
)
def test_show(value: object, unit: str, delta: bool, text: str) -> None:
    assert show(value, unit, delta=delta) == text


def test_chinese_labels_render_without_missing_glyphs() -> None:
    family = charts.font_family()
    if family is None:
        pytest.skip("no Chinese font installed (apt-get install fonts-wqy-microhei)")
    grid = {
        "days": ["2020-02-17"],
        "total_days": 1,
        "bands": [{"id": "senior", "name": "高中"}],
        "channels": [
            {
                "id": "tiny.cn",
                "name": "测试频道",
                "windows": [[0, 480, 600]],
                "airings": [
                    [0, 480, 520, "lesson", "senior", 12],
                    [0, 520, 560, "rerun", "senior", 12],
                ],
            }
        ],
    }
    with warnings.catch_warnings(record=True) as caught, charts.chinese_text():
        warnings.simplefilter("always")
        picture = charts.png(charts.day_grid(grid, grid["channels"][0], "方案"))
    assert picture.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message)]
