"""Golden files: every text format of the tiny publication, compared byte for byte.

The goldens live in ``tests/exports/golden``. When an export changes on purpose, regenerate
them and review the diff before committing::

    SKYCLASS_REGENERATE_GOLDEN=1 pytest tests/exports/test_golden.py

The workbook (``.xlsx``) and ``manifest.json`` (which hashes it) are left out: their bytes
depend on the openpyxl version; ``test_tables`` checks the workbook's content instead. PDFs are
not rendered here (``test_printable`` renders one).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from export_fixtures import GOLDEN, PUBLISHED_AT, REGENERATE, schedule, swapped

from exports.common import Edition
from exports.folder import published_files
from exports.memory import PublicationMemory
from exports.publish import publish, render
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule

SKIPPED = (".xlsx", "manifest.json")


def _compare(produced: dict[str, bytes], folder: Path) -> None:
    if REGENERATE:
        for path, data in produced.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    expected = (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )
    assert sorted(produced) == expected, "files differ from the goldens; regenerate on purpose"
    for path, data in produced.items():
        golden = (folder / path).read_bytes()
        assert data == golden, f"{path} differs from {folder / path}"


def _published(out: Path) -> dict[str, bytes]:
    return {
        path: (out / path).read_bytes()
        for path in published_files(out)
        if not path.endswith(SKIPPED)
    }


@pytest.fixture
def two_editions(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> tuple[Path, Path]:
    """The tiny schedule published, then re-planned with two reruns swapped."""
    with PublicationMemory(None) as memory:
        first = tmp_path / "first" / "publish"
        publish(tiny_scenario, tiny_schedule, first, memory=memory, at=PUBLISHED_AT, pdf=False)
        second = tmp_path / "second" / "publish"
        publish(
            tiny_scenario,
            swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r"),
            second,
            memory=memory,
            at=PUBLISHED_AT + timedelta(days=7),
            pdf=False,
        )
    return first, second


def test_first_edition_matches_the_goldens(two_editions: tuple[Path, Path]) -> None:
    _compare(_published(two_editions[0]), GOLDEN / "edition-1")


def test_second_edition_feeds_and_report_match_the_goldens(two_editions: tuple[Path, Path]) -> None:
    files = _published(two_editions[1])
    wanted = {"changes.txt", "changes.json", "ical/grade-03.ics"}
    _compare({k: v for k, v in files.items() if k in wanted}, GOLDEN / "edition-2")


def test_berlin_guide_and_feed_match_the_goldens(berlin_scenario: Scenario) -> None:
    edition = Edition.unrecorded(berlin_scenario, schedule(berlin_scenario), at=PUBLISHED_AT)
    files = render(edition, ["xmltv", "ical"])
    wanted = {"xmltv/guide.xml", "ical/channel-tv.example.de.ics"}
    _compare({k: v for k, v in files.items() if k in wanted}, GOLDEN / "berlin")
