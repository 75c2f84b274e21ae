"""The comparison folder, written atomically: tables, page, charts and a folder per scenario."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from scheduler.analysis.compare.page import render_charts, to_html
from scheduler.analysis.compare.tables import (
    _safe,
    course_table,
    scenario_report,
    table,
    to_markdown,
)
from scheduler.analysis.metrics import Coverage
from scheduler.analysis.runner import Outcome
from scheduler.domain.schedule import Schedule
from scheduler.io.files import relative_path, staged_folder


def write(outcomes: Sequence[Outcome], out: Path, twins: Mapping[int, int] | None = None) -> None:
    """Write the comparison folder atomically (a failure leaves ``out`` as it was);
    ``twins`` as for :func:`table`.

    Scenario paths are written relative to ``out``, so the reports do not depend on where the
    checkout lies."""
    outcomes = [
        replace(o, path=relative_path(o.path, out)) if o.path is not None else o for o in outcomes
    ]
    frame = table(outcomes, twins)
    with staged_folder(out) as stage:
        (stage / "comparison.csv").write_text(frame.to_csv(index=False), encoding="utf-8")
        (stage / "comparison.md").write_text(to_markdown(frame, outcomes), encoding="utf-8")
        course_table(outcomes).to_csv(stage / "courses.csv", index=False)
        made = render_charts(outcomes)
        (stage / "charts").mkdir()
        for chart in made:
            (stage / "charts" / chart.name).write_bytes(chart.png)
        (stage / "comparison.html").write_text(to_html(frame, outcomes, made), encoding="utf-8")
        for number, outcome in enumerate(outcomes, start=1):
            folder = stage / "scenarios" / f"{number:02d}-{_safe(outcome.label)}"
            folder.mkdir(parents=True)
            (folder / "report.md").write_text(scenario_report(outcome), encoding="utf-8")
            if outcome.schedule is not None:
                schedule = Schedule.from_json(outcome.schedule)
                if schedule.scenario is not None:  # as seen from the folder it ends up in
                    where = relative_path(schedule.scenario, out / "scenarios" / folder.name)
                    schedule = replace(schedule, scenario=where)
                (folder / "schedule.json").write_text(schedule.to_json(), encoding="utf-8")
                for name in Coverage.FRAMES:
                    pd.DataFrame(outcome.metrics[name]).to_csv(folder / f"{name}.csv", index=False)
