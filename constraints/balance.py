"""Balance (soft): spread a grade's lessons over the week.

    penalty = Σ_{grade g, week w} balance_weight · (max_d minutes(g, d) − min_d minutes(g, d))

over the days d of w on which g could have lessons. Soft: it lowers the objective and never
makes a schedule invalid, so the checker reports nothing.
"""

from __future__ import annotations

from constraints.base import Violation
from constraints.engine import IntervalModel
from scheduler.domain.model import Scenario
from scheduler.domain.objective import balance_days, balance_rate
from scheduler.domain.schedule import Schedule

NAME = "balance"
TITLE = "spread a grade's lessons over the week (soft)"


def post(m: IntervalModel) -> None:
    rate = balance_rate(m.scenario)
    if not rate:
        return
    for grade in m.scenario.grade_numbers:
        days = balance_days(m.scenario, grade, m.week)
        if not days:
            continue
        cap = m.scenario.band_of(grade).daily_cap_minutes
        daily = {
            day: sum(
                p.minutes
                for a in m.premieres.values()
                if a.grade == grade and a.day == day
                for p in a.placements
            )
            for day in days
        }
        high = m.model.new_int_var(0, cap, f"high/{grade}")
        low = m.model.new_int_var(0, cap, f"low/{grade}")
        for minutes in daily.values():
            m.model.add(high >= minutes)
            m.model.add(low <= minutes)
        m.objective_terms.append(-rate * (high - low))


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    """Soft rule: nothing is ever a violation (see module docstring)."""
    return []
