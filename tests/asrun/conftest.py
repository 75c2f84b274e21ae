"""A published edition of the two-day analysis scenario, shared by the as-run and suggest tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.io.loading import load
from tests.asrun.published import LAYOUT, SCENARIO
from tests.builders import solved


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The analysis scenario solved (checked) and written as a published schedule.json."""
    result = solved(load(str(SCENARIO)))
    assert result.schedule is not None
    folder = tmp_path_factory.mktemp("published")
    schedule = replace(result.schedule, scenario=str(SCENARIO))
    (folder / "schedule.json").write_text(schedule.to_json(), encoding="utf-8")
    watched = {p.id: p.start.isoformat()[:16] for p in schedule if p.kind.value != "filler"}
    assert watched == LAYOUT
    return folder
