"""What every rule module shares: the readable violation and the solver-free checking context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True, order=True)
class Violation:
    """One breach of a rule in a schedule, with the numbers a planner needs to fix it."""

    rule: str
    channel: str | None
    day: date | None
    time: str | None
    grade: int | None
    course: str | None
    message: str

    def __str__(self) -> str:
        where = " ".join(
            part
            for part in (
                self.channel,
                self.day.isoformat() if self.day else None,
                self.time,
                f"grade {self.grade}" if self.grade is not None else None,
                self.course,
            )
            if part
        )
        return (
            f"[{self.rule}] {where}: {self.message}" if where else f"[{self.rule}] {self.message}"
        )
