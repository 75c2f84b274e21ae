"""The one result of a solve: status, schedule, objective, proven bound, gap, runtime."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from scheduler.domain.changes import Change
from scheduler.domain.schedule import Schedule


def gap(objective: float | None, bound: float | None) -> float | None:
    """The relative optimality gap ``(bound - objective) / bound``, never below 0.

    None when either figure is missing or not finite (no bound proven yet); 0 when the bound is
    0 or less (nothing left to gain). Objectives are maximised, so the bound is never below the
    objective except by solver rounding, which the clamp hides.
    """
    if objective is None or bound is None:
        return None
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return None
    if bound <= 0:
        return 0.0
    return max(0.0, (bound - objective) / bound)


class Status(StrEnum):
    """How a solve ended."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"

    @property
    def has_schedule(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """Demand that did not fit, and the rule that kept it out."""

    grade: int
    course: str
    lessons: int
    minutes: int
    reason: str


@dataclass(frozen=True, slots=True)
class Result:
    """What ``solve`` returns. Infeasible is a status with an explanation, never an exception.

    ``objective`` and ``bound`` are in objective points (see :mod:`scheduler.domain.objective`);
    ``gap`` is ``(bound - objective) / bound``.
    """

    status: Status
    schedule: Schedule | None
    objective: float | None
    bound: float | None
    runtime: float
    seed: int
    explanation: tuple[str, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)
    #: A re-plan's changes against the published edition (:func:`scheduler.replan`); () else.
    changes: tuple[Change, ...] = ()

    @property
    def gap(self) -> float | None:
        return gap(self.objective, self.bound)

    def summary(self) -> str:
        """One readable paragraph for logs and the command line."""
        parts = [f"status {self.status.value}"]
        if self.objective is not None:
            parts.append(f"objective {self.objective:,.2f}")
        if self.bound is not None:
            parts.append(f"bound {self.bound:,.2f}")
        if self.gap is not None:
            parts.append(f"gap {self.gap:.3%}")
        parts.append(f"{self.runtime:.1f} s, seed {self.seed}")
        text = ", ".join(parts)
        if self.explanation:
            text += "\n" + "\n".join(f"  - {line}" for line in self.explanation)
        return text
