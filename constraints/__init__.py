"""The policy rules, one module each, in the order of the SPEC's constraint catalogue.

Each module has ``NAME``, ``TITLE``, a docstring stating the rule as a formula, its posting
for every engine that needs it, on the protocols of :mod:`constraints.engine` (``post`` for the
interval model, ``post_grid`` for the week grid, ``post_day`` for the day sequencer, ``allows``
for the greedy planners), and ``violations(scenario, schedule)`` checking it on any schedule
without a solver.
"""

from __future__ import annotations

from types import ModuleType

from constraints import (
    airtime,
    availability,
    balance,
    cohorts,
    continuity,
    course_order,
    filler_repeats,
    lesson_days,
    lesson_length,
    outages,
    pace,
    pinned,
    regularity,
    reruns,
    rest,
    screen_time,
    specials,
    subject_minimums,
    term_end,
    term_start,
    time_of_day,
)
from constraints.base import Violation

RULES: tuple[ModuleType, ...] = (
    airtime,
    continuity,
    pinned,
    cohorts,
    lesson_length,
    screen_time,
    rest,
    time_of_day,
    course_order,
    pace,
    term_start,
    term_end,
    outages,
    availability,
    specials,
    reruns,
    balance,
    regularity,
    lesson_days,
    subject_minimums,
    filler_repeats,
)

__all__ = ["RULES", "Violation"]
