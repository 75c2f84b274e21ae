"""The independent rule check: every rule's checker on any schedule, no solver involved."""

from __future__ import annotations

from constraints import RULES
from constraints.base import Violation
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule


def check(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    """All violations of all rules, rule by rule in catalogue order."""
    found: list[Violation] = []
    for rule in RULES:
        found += rule.violations(scenario, schedule)
    return found
