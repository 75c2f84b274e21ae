"""Publishing: the folder it writes, atomic failure, byte-identical re-runs, refused folders."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import ical_reader
import pytest
from export_fixtures import PUBLISHED_AT, swapped

import exports.sms
from exports.folder import check_destination, published_files
from exports.memory import PublicationMemory
from exports.publish import Publication, export, publish
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule
from scheduler.io.schedules import read_schedule

LATER = PUBLISHED_AT + timedelta(days=7)


def fake_pdf(html: str) -> bytes:
    """Stands in for WeasyPrint, which test_printable exercises once."""
    return b"%PDF-1.7 stand-in " + hashlib.sha256(html.encode()).hexdigest().encode()


def _publish(
    scenario: Scenario, schedule: Schedule, out: Path, at: datetime = PUBLISHED_AT
) -> Publication:
    return publish(scenario, schedule, out, at=at, pdf=fake_pdf)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {path: (out / path).read_bytes() for path in published_files(out)}


EXPECTED = [
    "changes.json",
    "changes.txt",
    "eit/cetv4.cn.ts",
    "eit/cetv4.cn.xml",
    "grids/cetv4.cn.html",
    "grids/cetv4.cn.pdf",
    "ical/channel-cetv4.cn.ics",
    "ical/grade-03-lessons.ics",
    "ical/grade-03.ics",
    "ical/grade-12-lessons.ics",
    "ical/grade-12.ics",
    "index.html",
    "manifest.json",
    "posters/grade-03.html",
    "posters/grade-03.pdf",
    "posters/grade-12.html",
    "posters/grade-12.pdf",
    "schedule.json",
    "sms/digests.csv",
    "sms/grade-03.txt",
    "sms/grade-12.txt",
    "tables/schedule.csv",
    "tables/schedule.json",
    "tables/schedule.xlsx",
    "xmltv/guide.xml",
    "xmltv/icons/cetv4.cn.png",
]


def test_publish_writes_every_format(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    out = tmp_path / "publish"
    publication = _publish(tiny_scenario, tiny_schedule, out)
    assert published_files(out) == EXPECTED
    assert list(publication.files) == EXPECTED
    assert (tmp_path / ".publish.skyclass-publications.sqlite").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".publish.skyclass-publications.sqlite",
        "publish",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["edition"] == 1
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert read_schedule(out / "schedule.json") == tiny_schedule


def test_a_failing_exporter_leaves_the_previous_output_and_memory_intact(
    tmp_path: Path,
    tiny_scenario: Scenario,
    tiny_schedule: Schedule,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "publish"
    _publish(tiny_scenario, tiny_schedule, out)
    before = _snapshot(out)

    def broken(*args: object, **kwargs: object) -> dict[str, bytes]:
        raise RuntimeError("killed halfway")

    monkeypatch.setattr(exports.sms, "render", broken)  # after xmltv, ical and printable
    replanned = swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r")
    with pytest.raises(RuntimeError, match="killed halfway"):
        _publish(tiny_scenario, replanned, out, at=LATER)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".publish.stage")] == []
    with PublicationMemory(tmp_path / ".publish.skyclass-publications.sqlite") as memory:
        assert len(memory.editions()) == 1  # the failed edition was rolled back
        assert {s.sequence for s in memory.stamps().values()} == {0}


def test_republishing_an_unchanged_schedule_gives_identical_files(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    out = tmp_path / "publish"
    _publish(tiny_scenario, tiny_schedule, out)
    first = _snapshot(out)
    again = _publish(tiny_scenario, tiny_schedule, out, at=LATER)
    assert again.reused and again.edition == 1
    assert _snapshot(out) == first


def test_same_inputs_give_identical_files_in_a_fresh_store(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _publish(tiny_scenario, tiny_schedule, tmp_path / "a" / "publish")
    _publish(tiny_scenario, tiny_schedule, tmp_path / "b" / "publish")
    assert _snapshot(tmp_path / "a" / "publish") == _snapshot(tmp_path / "b" / "publish")


def test_a_moved_airing_raises_sequence_in_the_feeds_and_is_reported(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    out = tmp_path / "publish"
    _publish(tiny_scenario, tiny_schedule, out)

    def events(path: Path) -> dict[str, dict[str, str]]:
        calendar = ical_reader.parse(path.read_bytes())
        return {
            e.one("UID").value: {line.name: line.value for line in e.lines}
            for e in calendar.walk("VEVENT")
        }

    before = events(out / "ical" / "grade-03.ics")
    publication = _publish(
        tiny_scenario, swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r"), out, at=LATER
    )
    after = events(out / "ical" / "grade-03.ics")
    assert publication.edition == 2
    assert set(after) == set(before)  # same UIDs
    moved = "g3-math-1-r@cetv4.cn"
    assert (before[moved]["SEQUENCE"], after[moved]["SEQUENCE"]) == ("0", "1")
    assert after[moved]["DTSTART"] == before["g3-chinese-1-r@cetv4.cn"]["DTSTART"]
    assert after[moved]["LAST-MODIFIED"] == after[moved]["DTSTAMP"] == "20200221T100000Z"
    assert after["g3-math-1@cetv4.cn"] == before["g3-math-1@cetv4.cn"]
    report = (out / "changes.txt").read_text()
    assert "调整时间 moved 2" in report and "g3-math-1-r" in report
    assert json.loads((out / "changes.json").read_text())["counts"]["moved"] == 2


def test_a_partial_export_keeps_the_other_formats(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    out = tmp_path / "feeds"
    export(tiny_scenario, tiny_schedule, out, at=PUBLISHED_AT, formats=["xmltv"], pdf=False)
    export(tiny_scenario, tiny_schedule, out, at=PUBLISHED_AT, formats=["sms"], pdf=False)
    files = published_files(out)
    assert "xmltv/guide.xml" in files and "sms/grade-03.txt" in files
    manifest = json.loads((out / "manifest.json").read_text())
    assert {e["path"] for e in manifest["files"]} == set(files) - {"manifest.json"}


def test_foreign_or_unsafe_folders_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious")
    with pytest.raises(ScenarioError, match="did not write"):
        check_destination(foreign)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ScenarioError, match="not a folder"):
        check_destination(a_file)
    with pytest.raises(ScenarioError, match="inside the output folder"):
        check_destination(tmp_path / "out", tmp_path / "out" / "store.sqlite")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError, match="current folder"):
        check_destination(Path("."))
    with pytest.raises(ScenarioError, match="current folder"):
        check_destination(tmp_path.parent)
    check_destination(tmp_path / "new")  # a new folder is fine


def test_owned_folders_are_the_exporters_own() -> None:
    """exports/publish.py writes the exporters' folders out (so it loads none of them)."""
    from exports import eit, ical, printable, publish, sms, tables, xmltv

    assert publish.OWNED["xmltv"] == (f"{xmltv.FOLDER}/",)
    assert publish.OWNED["ical"] == (f"{ical.FOLDER}/",)
    assert publish.OWNED["printable"] == (f"{printable.POSTERS}/", f"{printable.GRIDS}/")
    assert publish.OWNED["sms"] == (f"{sms.FOLDER}/",)
    assert publish.OWNED["tables"] == (f"{tables.FOLDER}/",)
    assert publish.OWNED["eit"] == (f"{eit.FOLDER}/",)
