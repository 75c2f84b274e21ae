"""Fixtures of the fault tests: two reference editions and a fresh scenario folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from publishing_case import Case, snapshot


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Edition 1 and edition 2 as an uninterrupted pair of publishes writes them."""
    case = Case(tmp_path_factory.mktemp("reference"))
    out = case.folder / "out" / "publish"
    for schedule_file in (case.first, case.second):
        done = case.run(schedule_file, out)
        assert done.returncode == 0, done.stderr
        if schedule_file == case.first:
            first = snapshot(out)
    return first, snapshot(out)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    """A fresh scenario folder with its two schedules."""
    return Case(tmp_path)
