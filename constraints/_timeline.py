"""Airings placed on their broadcast day, for the checkers (no solver needed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from constraints.base import Violation
from scheduler.domain.facts import Placed
from scheduler.domain.model import Scenario, format_clock
from scheduler.domain.schedule import Kind, Schedule, broadcast_day


@dataclass(frozen=True, slots=True)
class Airing(Placed):
    """A programme on its broadcast day (:class:`scheduler.domain.facts.Placed`), as a checker
    reports it."""

    @property
    def time(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"

    def violation(self, rule: str, message: str, *, grade: int | None = None) -> Violation:
        p = self.programme
        return Violation(
            rule=rule,
            channel=p.channel,
            day=self.day,
            time=self.time,
            grade=grade if grade is not None else p.grade,
            course=p.course,
            message=message,
        )


def airings(scenario: Scenario, schedule: Schedule, *kinds: Kind) -> list[Airing]:
    """Airings of the given kinds (all when none given) on known channels, in time order."""
    found = []
    for programme in schedule:
        if kinds and programme.kind not in kinds:
            continue
        located = broadcast_day(scenario, programme)
        if located is not None:
            found.append(Airing(programme, *located))
    return found


def lessons_by_grade(items: Iterable[Airing]) -> dict[int, list[Airing]]:
    grouped: dict[int, list[Airing]] = defaultdict(list)
    for airing in items:
        for grade in airing.programme.grades:
            grouped[grade].append(airing)
    for group in grouped.values():
        group.sort(key=lambda a: a.programme.start)
    return grouped
