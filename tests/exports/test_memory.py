"""The publication memory: stable UIDs, rising SEQUENCE, changes, idempotent re-publishes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from export_fixtures import PUBLISHED_AT, retitled, swapped

from exports.memory import PublicationMemory
from exports.memory_plan import Plan
from exports.published import now
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule

LATER = PUBLISHED_AT + timedelta(days=3)


def _publish(
    memory: PublicationMemory,
    scenario: Scenario,
    schedule: Schedule,
    at: datetime = PUBLISHED_AT,
) -> Plan:
    plan = memory.plan(scenario, schedule, at=at)
    memory.record(plan)
    return plan


def test_first_edition_adds_every_airing(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    plan = _publish(memory, tiny_scenario, tiny_schedule)
    assert plan.edition == 1 and not plan.reused
    assert plan.report.counts() == {
        "added": len(tiny_schedule),
        "moved": 0,
        "changed": 0,
        "dropped": 0,
    }
    assert plan.stamps["g3-math-1"].uid == "g3-math-1@cetv4.cn"
    assert {s.sequence for s in plan.stamps.values()} == {0}


def test_unchanged_republish_keeps_uids_and_reuses_the_edition(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    first = _publish(memory, tiny_scenario, tiny_schedule)
    again = _publish(memory, tiny_scenario, tiny_schedule, at=LATER)
    assert again.reused and again.edition == first.edition
    assert again.published_at == first.published_at
    assert dict(again.stamps) == dict(first.stamps)
    assert again.report == first.report
    assert len(memory.editions()) == 1


def test_a_moved_airing_keeps_its_uid_and_raises_sequence(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    first = _publish(memory, tiny_scenario, tiny_schedule)
    replanned = swapped(tiny_schedule, "g3-math-1-r", "g3-chinese-1-r")
    second = _publish(memory, tiny_scenario, replanned, at=LATER)
    assert second.edition == 2 and not second.reused
    for ident in ("g3-math-1-r", "g3-chinese-1-r"):
        assert second.stamps[ident].uid == first.stamps[ident].uid
        assert second.stamps[ident].sequence == 1
        assert second.stamps[ident].last_modified == LATER
        assert second.stamps[ident].created == PUBLISHED_AT
    untouched = second.stamps["g3-math-1"]
    assert untouched == first.stamps["g3-math-1"]
    moved = second.report.of("moved")
    assert {c.id for c in moved} == {"g3-math-1-r", "g3-chinese-1-r"}
    assert second.report.previous == 1 and second.report.counts()["added"] == 0


def test_a_retitled_airing_is_changed(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _publish(memory, tiny_scenario, tiny_schedule)
    second = _publish(
        memory, tiny_scenario, retitled(tiny_schedule, "opening", "开学典礼"), at=LATER
    )
    assert [c.id for c in second.report.of("changed")] == ["opening"]
    assert second.stamps["opening"].sequence == 1


def test_a_renamed_airing_keeps_its_uid(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    """A re-solve may name an unchanged airing differently; its UID must not change."""
    first = _publish(memory, tiny_scenario, tiny_schedule)
    renamed = Schedule(
        tuple(replace(p, id="new-eye") if p.id == "d0-0830-eye" else p for p in tiny_schedule)
    )
    second = _publish(memory, tiny_scenario, renamed, at=LATER)
    assert second.stamps["new-eye"] == first.stamps["d0-0830-eye"]
    assert not second.report.changes
    third = _publish(memory, tiny_scenario, renamed, at=LATER + timedelta(days=1))
    assert third.reused


def test_dropped_and_added_airings_are_reported(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    _publish(memory, tiny_scenario, tiny_schedule)
    gone = tiny_schedule.by_id()["g12-math-2"]
    fewer = Schedule(tuple(p for p in tiny_schedule if p.id != "g12-math-2"))
    second = _publish(memory, tiny_scenario, fewer, at=LATER)
    assert [c.id for c in second.report.of("dropped")] == ["g12-math-2"]
    back = _publish(
        memory, tiny_scenario, Schedule((*fewer.programmes, gone)), at=LATER + timedelta(days=1)
    )
    assert [c.id for c in back.report.of("added")] == ["g12-math-2"]
    assert back.stamps["g12-math-2"].uid == "g12-math-2@cetv4.cn"
    assert back.stamps["g12-math-2"].sequence == 1


def test_an_unrecorded_plan_leaves_the_memory_untouched(
    memory: PublicationMemory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    with memory.prepare(tiny_scenario, tiny_schedule, at=PUBLISHED_AT):
        pass
    assert memory.stamps() == {} and memory.editions() == []
    with pytest.raises(RuntimeError), memory.prepare(tiny_scenario, tiny_schedule, at=PUBLISHED_AT):
        raise RuntimeError("an exporter failed")
    assert memory.editions() == []


def test_the_store_survives_on_disk(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    path = tmp_path / "store.sqlite"
    with PublicationMemory(path) as memory:
        first = _publish(memory, tiny_scenario, tiny_schedule)
    with PublicationMemory(path) as memory:
        assert memory.stamps() == dict(first.stamps)
        assert memory.editions()[0] == first.report


def test_a_file_that_is_not_a_store_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    path.write_text("not a database, just text " * 100)
    with pytest.raises(ScenarioError, match="not a skyclass publication store"):
        PublicationMemory(path)


def test_source_date_epoch_fixes_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(PUBLISHED_AT.timestamp())))
    assert now() == PUBLISHED_AT
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ScenarioError):
        now()
