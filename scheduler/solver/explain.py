"""Why a week cannot be planned: a minimal set of rule groups that conflict, found by CP-SAT.

Each switchable rule group (a cohort's guarantee on a day, a grade's cap on a day, a special's
weekly quota, a pinned item, a course's pace, a required rerun) gets an assumption literal.
CP-SAT returns a set of assumptions sufficient for infeasibility; a deletion pass shrinks it to
a minimal one. The sentences then give the numbers behind each group.
"""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from constraints import RULES
from constraints.engine import Guard
from scheduler.domain.model import Scenario
from scheduler.domain.rooms import cohort_room
from scheduler.solver.cpmodel import WeekModel

CORE_SOLVE_SECONDS = 5.0


def explain_week(
    scenario: Scenario, week: tuple[date, ...], progress: dict[str, int], seed: int
) -> tuple[str, ...]:
    """Sentences naming the conflicting rules, channel and day, or one saying that no conflict
    was proven; core extraction runs on one CP-SAT worker."""
    proof = prove_week(scenario, week, progress, seed)
    if proof is None:
        return (
            f"the week of {week[0]} could not be planned within the time limit, and no "
            "conflict between rules was proven",
        )
    return proof


def prove_week(
    scenario: Scenario, week: tuple[date, ...], progress: dict[str, int], seed: int
) -> tuple[str, ...] | None:
    """The proof that a week cannot be planned: sentences naming a minimal set of conflicting
    rules (CP-SAT proved the week infeasible), or None when no proof was found in time."""
    m = WeekModel(scenario, week, progress, explain=True)
    for rule in RULES:
        rule.post(m)
    literals = [literal for literal, _ in m.guards]
    guards = {literal.index: guard for literal, guard in m.guards}

    def infeasible(assumed: list[cp_model.IntVar]) -> tuple[bool, list[int]]:
        m.model.clear_assumptions()
        m.model.add_assumptions(assumed)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = CORE_SOLVE_SECONDS
        code = solver.solve(m.model)
        if code != cp_model.INFEASIBLE:
            return False, []
        return True, list(solver.sufficient_assumptions_for_infeasibility())

    found, core = infeasible(literals)
    if not found:
        return None
    if not core:
        return (
            f"the week of {week[0]} is impossible even with every guarantee, quota and "
            "pinned item switched off: check the windows and band hours",
        )
    by_index = {literal.index: literal for literal in literals}
    kept = [by_index[i] for i in core if i in by_index]
    for literal in list(kept):
        trial = [other for other in kept if other is not literal]
        if trial and infeasible(trial)[0]:
            kept = trial
    conflict = [guards[literal.index] for literal in kept]
    sentences = [_sentence(scenario, guard) for guard in conflict]
    if len(sentences) == 1:
        return (sentences[0],)
    return (f"these rules cannot all hold in the week of {week[0]}:", *sentences)


def _sentence(scenario: Scenario, guard: Guard) -> str:
    if guard.rule == "cohorts" and guard.day is not None:
        cohort = next(c for c in scenario.cohorts if guard.description.startswith(c.id))
        room = cohort_room(scenario, cohort.id, guard.day)
        minutes = sum(piece.minutes for _, piece in room)
        where = ", ".join(f"{channel} {piece.label}" for channel, piece in room) or "no airtime"
        band = scenario.band_of(cohort.grade)
        text = (
            f"{guard.description} cannot fit: the {band.name_en.lower()} window "
            f"{cohort.window.label} has {minutes} min on air ({where})"
        )
        if minutes >= cohort.guaranteed_minutes:
            text += (
                f", shared with pinned items and specials; screen-time cap "
                f"{band.daily_cap_minutes} min, rest {scenario.rules.rest.minutes} min "
                "between lessons"
            )
        return text
    return guard.description
