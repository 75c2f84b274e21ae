"""Balance (soft): spread a grade's lessons over the week.

    penalty = Σ_{grade g, week w} balance_weight · (max_d minutes(g, d) − min_d minutes(g, d))

over the days d of w on which g could have lessons. Soft: it lowers the objective and never
makes a schedule invalid, so the checker reports nothing.
"""

from __future__ import annotations

import math

from constraints.base import Violation
from constraints.engine import INF, IntervalModel, LinearModel
from scheduler.domain.model import Scenario
from scheduler.domain.objective import balance_days, balance_rate
from scheduler.domain.schedule import Kind, Schedule

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


def post_grid(g: LinearModel) -> None:
    """Two extra columns per grade, its busiest and quietest day, bounding each day's
    minutes; their difference is the penalty (unless the grid is built without balance)."""
    rate = balance_rate(g.scenario)
    if not rate or not g.balance:
        return
    for grade in g.scenario.grade_numbers:
        days = balance_days(g.scenario, grade, g.week)
        if not days:
            continue
        lengths_of_grade = [c.length for c in g.cells if c.kind is Kind.LESSON and c.grade == grade]
        # a grade's daily minutes are multiples of its lessons' common step, and so are the
        # busiest and quietest day: counting them in steps lets branching on them cut the
        # relaxation (measured: the balance step proves in far fewer nodes)
        step = math.gcd(*lengths_of_grade) if lengths_of_grade else 1
        top = g.scenario.band_of(grade).daily_cap_minutes // step
        high = g.extra(0, top, -rate * step)
        low = g.extra(0, top, rate * step)
        g.balance_pairs.append((grade, days, high, low, step))
        for day in days:
            ids = [
                i
                for (_, d), cells in g.premieres.items()
                if d == day
                for i in cells
                if g.cells[i].grade == grade
            ]
            lengths = [g.cells[i].length for i in ids]
            g.rows.append(
                (
                    0,
                    INF,
                    [high, *ids],
                    [step, *(-x for x in lengths)],
                    f"balance high {grade} {day}",
                )
            )
            g.rows.append(
                (-INF, 0, [low, *ids], [step, *(-x for x in lengths)], f"balance low {grade} {day}")
            )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    """Soft rule: nothing is ever a violation (see module docstring)."""
    return []
