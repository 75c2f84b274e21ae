"""Special-topic quotas: each special airs its weekly quota, spread over the days.

    ∀ special s, ISO week w of the horizon:  #airings(s, w) ≥ per_week(s)
    ∀ special s, day d:  #airings(s, d) ≤ ⌈per_week(s) / days(w)⌉
    ∀ airing a of s:  minutes(a) = minutes(s),  a ⊆ hours(s) when given

A week cut by the horizon asks for a share of the quota in proportion to its days; so does a
week whose outages leave the special no airtime on some days (its other days, rounded down).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from datetime import date

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, Draft, Guard, IntervalModel, LinearModel
from scheduler.domain.model import Scenario, Special
from scheduler.domain.rooms import special_rooms
from scheduler.domain.schedule import Kind, Schedule

NAME = "specials"
TITLE = "weekly quotas of each special topic"


def quota(special: Special, week: tuple[date, ...], scenario: Scenario | None = None) -> int:
    """Airings due in a (possibly partial) week. Given the scenario, a week in which outages
    leave the special no airtime on some days owes the quota only for its other days, rounded
    down: what the outage took is not owed elsewhere."""
    due = math.ceil(special.per_week * len(week) / 7)
    if scenario is None:
        return due
    outages = [o for c in scenario.channels for o in c.outages]
    lost = sum(
        1
        for day in week
        if any(o.covers(day) for o in outages) and not special_rooms(scenario, special, day)
    )
    if not lost:
        return due
    return min(due, special.per_week * (len(week) - lost) // 7)


def lesson_day_share(scenario: Scenario, special: Special, week: tuple[date, ...]) -> int:
    """Airings of the week's quota that its days without lessons cannot hold at the daily
    limit (0 when they can): what the special needs of the lesson days."""
    off = sum(
        1
        for day in week
        if not scenario.is_lesson_day(day) and special_rooms(scenario, special, day)
    )
    return max(0, quota(special, week, scenario) - daily_limit(special, week) * off)


def daily_limit(special: Special, week: tuple[date, ...]) -> int:
    return max(1, math.ceil(special.per_week / len(week)))


def post(m: IntervalModel) -> None:
    for special in m.homeless:
        due = quota(special, m.week, m.scenario)
        if due:
            guard = m.guard(
                Guard(
                    NAME,
                    f"special {special.id} {due}× {special.minutes} min in "
                    f"the week of {m.week_start}, but its hours meet no "
                    "window",
                )
            )
            m.model.add(m.model.new_constant(0) >= 1).only_enforce_if(guard)
    by_special = defaultdict(list)
    for activity in m.specials:
        assert activity.special is not None
        by_special[activity.special.id].append(activity)
    for special_id, activities in by_special.items():
        special = m.scenario.special(special_id)
        due = quota(special, m.week, m.scenario)
        guard = m.guard(
            Guard(
                NAME,
                f"special {special_id} {due}× {special.minutes} min in the week of {m.week_start}",
            )
        )
        for activity in activities[:due]:
            m.model.add(activity.present == 1).only_enforce_if(guard)
        for activity in activities[due:]:
            m.model.add(activity.present == 0)
        for before, after in itertools.pairwise(activities):
            m.model.add(after.start > before.start).only_enforce_if(after.present)
        limit = daily_limit(special, m.week)
        for day in m.week:
            m.model.add(
                sum(p.present for a in activities for p in a.placements if p.room.day == day)
                <= limit
            )


def post_grid(g: LinearModel) -> None:
    for special in g.scenario.specials:
        ids = g.specials.get(special.id, [])
        due = quota(special, g.week, g.scenario)
        g.rows.append((due, due, ids, [1] * len(ids), f"quota {special.id}"))
        limit = daily_limit(special, g.week)
        for day in g.week:
            daily = [i for i in ids if g.cells[i].room.day == day]
            g.row(-INF, limit, daily, [1] * len(daily), f"daily {special.id} {day}")


def allows(d: Draft, special: Special, week: tuple[date, ...]) -> bool:
    """Whether ``special`` is still due in the week and under its daily limit."""
    return d.specials_aired.get(special.id, 0) < quota(
        special, week, d.scenario
    ) and d.specials.get(special.id, 0) < daily_limit(special, week)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    items = airings(scenario, schedule, Kind.SPECIAL)
    known = {s.id: s for s in scenario.specials}
    per_week: Counter[tuple[str, tuple[int, int]]] = Counter()
    per_day: Counter[tuple[str, date]] = Counter()
    for airing in items:
        special = known.get(airing.programme.item or "")
        if special is None:
            found.append(airing.violation(NAME, f"unknown special {airing.programme.item!r}"))
            continue
        per_week[(special.id, airing.day.isocalendar()[:2])] += 1
        per_day[(special.id, airing.day)] += 1
        if airing.programme.minutes != special.minutes:
            found.append(
                airing.violation(
                    NAME,
                    f"{special.title} runs {airing.programme.minutes} min, not {special.minutes}",
                )
            )
        if special.hours and not any(h.covers(airing.start, airing.end) for h in special.hours):
            found.append(airing.violation(NAME, f"{special.title} is outside its hours"))
    for week in scenario.weeks():
        key = week[0].isocalendar()[:2]
        for special in scenario.specials:
            due = quota(special, week, scenario)
            got = per_week[(special.id, key)]
            if got < due:
                found.append(
                    Violation(
                        NAME,
                        None,
                        week[0],
                        None,
                        None,
                        None,
                        f"special {special.title} ({special.id}) aired {got}× in the week of "
                        f"{week[0]}, quota {due}",
                    )
                )
            limit = daily_limit(special, week)
            for day in week:
                if per_day[(special.id, day)] > limit:
                    found.append(
                        Violation(
                            NAME,
                            None,
                            day,
                            None,
                            None,
                            None,
                            f"special {special.title} aired {per_day[(special.id, day)]}× in one "
                            f"day; at most {limit}",
                        )
                    )
    return found
