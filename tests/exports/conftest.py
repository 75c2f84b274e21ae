"""Fixtures for the export tests: the tiny scenario, its schedule and editions of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from export_fixtures import PUBLISHED_AT, scenario, schedule

from exports.common import Edition
from exports.memory import PublicationMemory
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule


@pytest.fixture
def tiny_scenario() -> Scenario:
    """Grades 3 and 12 on cetv4.cn (Asia/Shanghai), 2020-02-17 and 2020-02-18."""
    return scenario()


@pytest.fixture
def tiny_schedule(tiny_scenario: Scenario) -> Schedule:
    """27 airings over two days: lessons, reruns, specials, fillers and a pinned opening."""
    return schedule(tiny_scenario)


@pytest.fixture
def memory() -> Iterator[PublicationMemory]:
    """An empty publication memory held in RAM."""
    with PublicationMemory(None) as store:
        yield store


@pytest.fixture
def edition(tiny_scenario: Scenario, tiny_schedule: Schedule) -> Edition:
    """The tiny schedule as a first edition published at PUBLISHED_AT."""
    with PublicationMemory(None) as store:
        plan = store.plan(tiny_scenario, tiny_schedule, at=PUBLISHED_AT)
        store.record(plan)
    return Edition(
        tiny_scenario, tiny_schedule, plan.stamps, plan.published_at, plan.edition, plan.report
    )


@pytest.fixture
def berlin_scenario() -> Scenario:
    """The tiny scenario in Europe/Berlin on 2020-03-28 (CET) and 2020-03-29 (CEST)."""
    return scenario(timezone="Europe/Berlin", first=date(2020, 3, 28), channel_id="tv.example.de")


@pytest.fixture
def berlin_edition(berlin_scenario: Scenario) -> Edition:
    """An unrecorded edition of the tiny schedule across the spring-forward change."""
    return Edition.unrecorded(berlin_scenario, schedule(berlin_scenario), at=PUBLISHED_AT)
