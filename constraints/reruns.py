"""Reruns: a lesson is repeated later the same broadcast day, in another daypart.

∀ rerun r of premiere p:  day(r) = day(p),  p.end ≤ r.start ≤ p.end + within,
                           daypart(r) ≠ daypart(p),  lesson(r) = lesson(p)
mode = required:  every premiere has a rerun;  mode = off: no reruns;
mode = soft: reruns are rewarded in the objective (rerun weight).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from constraints._timeline import airings
from constraints.base import Violation
from constraints.engine import INF, DayModel, Draft, Guard, IntervalModel, LinearModel
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Kind, Schedule

NAME = "reruns"
TITLE = "reruns at another daypart within a set time"


def post(m: IntervalModel) -> None:
    reruns = m.scenario.rules.reruns
    if reruns.mode == "off":
        return
    for key, rerun in m.reruns.items():
        premiere = m.premieres[key]
        dayparts = {p.room.daypart for p in premiere.placements}
        m.model.add(rerun.start >= premiere.end).only_enforce_if(rerun.present)
        m.model.add(rerun.start <= premiere.end + reruns.within_minutes).only_enforce_if(
            rerun.present
        )
        for part in dayparts:
            m.model.add(
                sum(p.present for p in premiere.placements if p.room.daypart == part)
                + sum(p.present for p in rerun.placements if p.room.daypart == part)
                <= 1
            )
        if reruns.mode == "required":
            guard = m.guard(
                Guard(
                    NAME,
                    f"rerun of {premiere.key} required",
                    day=premiere.day,
                    grade=premiere.grade,
                )
            )
            m.model.add(rerun.present == premiere.present).only_enforce_if(guard)


def post_grid(g: LinearModel) -> None:
    """Per course, day and order: reruns no more than premieres (as many when required), each
    rerun after a premiere it can follow, and at most ``per_day`` airings of the course in a
    daypart."""
    required = g.scenario.rules.reruns.mode == "required"
    for key, rerun_ids in g.reruns.items():
        premiere_ids = g.ordered.get(key, [])
        g.rows.append(
            (
                0 if required else -INF,
                0,
                rerun_ids + premiere_ids,
                [1] * len(rerun_ids) + [-1] * len(premiere_ids),
                f"rerun {key}",
            )
        )
        for i in rerun_ids:
            # each rerun in room i repeats its own premiere, from a room it can follow
            # (implied by the daypart rows below when it can follow every earlier one)
            sources = [p for p in premiere_ids if follows(g, p, i)]
            earlier = [p for p in premiere_ids if g.cells[p].room.daypart < g.cells[i].room.daypart]
            if len(sources) < len(earlier):
                g.row(
                    -INF,
                    0,
                    [i, *sources],
                    [1] + [-1] * len(sources),
                    f"rerun source {key} {g.cells[i].room.label}",
                )
        parts = sorted({g.cells[i].room.daypart for i in premiere_ids})
        for part in parts:
            later = [i for i in rerun_ids if g.cells[i].room.daypart == part]
            earlier = [
                i
                for i in premiere_ids
                if g.cells[i].room.daypart < part and any(follows(g, i, j) for j in later)
            ]
            g.row(
                -INF,
                0,
                later + earlier,
                [1] * len(later) + [-1] * len(earlier),
                f"rerun order {key} {part}",
            )
            same = [i for i in premiere_ids + rerun_ids if g.cells[i].room.daypart == part]
            g.row(
                -INF,
                g.scenario.rules.pace.per_day,
                same,
                [1] * len(same),
                f"rerun daypart {key} {part}",
            )


def follows(g: LinearModel, premiere: int, rerun: int) -> bool:
    """Whether a rerun in cell ``rerun``'s room can follow a premiere in ``premiere``'s: a
    later daypart, starting 0..within minutes after the premiere ends (on the UTC line)."""
    first, then = g.cells[premiere].room, g.cells[rerun].room
    length = g.cells[premiere].length
    gap_min = (then.start - then.shift) - (first.end - first.shift)
    gap_max = (then.end - then.shift - length) - (first.start - first.shift + length)
    within = g.scenario.rules.reruns.within_minutes
    return first.daypart < then.daypart and gap_min <= within and gap_max >= 0


def post_day(d: DayModel) -> None:
    """Each rerun repeats one premiere of the course in another daypart, starting 0..within
    minutes after it ends; the pairing is chosen here and kept (``d.partners``), so the
    published ``repeat_of`` is the pairing these rules hold for. A premiere has at most one
    rerun (exactly one when reruns are required)."""
    reruns = d.scenario.rules.reruns
    for course_id, firsts in d.premieres.items():
        paired: dict[int, list[Any]] = defaultdict(list)
        for rerun in d.repeats.get(course_id, []):
            options = []
            for premiere in firsts:
                if premiere.cell.room.daypart == rerun.cell.room.daypart or (
                    premiere.cell.order != rerun.cell.order
                ):
                    continue
                pair = d.model.new_bool_var("")
                end = premiere.start + premiere.cell.length
                d.model.add(rerun.start >= end).only_enforce_if(pair)
                d.model.add(rerun.start <= end + reruns.within_minutes).only_enforce_if(pair)
                options.append((premiere, pair))
                paired[id(premiere)].append(pair)
            d.model.add(sum(pair for _, pair in options) == rerun.present)
            d.partners[id(rerun)] = options
        for premiere in firsts:
            if reruns.mode == "required":
                d.model.add(sum(paired[id(premiere)]) == premiere.present)
            else:
                d.model.add(sum(paired[id(premiere)]) <= premiere.present)


def allows(d: Draft, premiere: tuple[str, int, int], channel: str, start: int, end: int) -> bool:
    """Whether a rerun at ``[start, end)`` on ``channel`` may repeat the premiere at
    ``premiere`` (channel, start, end): it starts 0..within real minutes after the premiere
    ends, in another daypart."""
    reruns = d.scenario.rules.reruns
    delay = d.real(channel, start, end)[0] - d.real(*premiere)[1]
    return 0 <= delay <= reruns.within_minutes and reruns.daypart(start) != reruns.daypart(
        premiere[1]
    )


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    reruns = scenario.rules.reruns
    premieres = {a.programme.id: a for a in airings(scenario, schedule, Kind.LESSON)}
    repeated: Counter[str] = Counter()
    for airing in airings(scenario, schedule, Kind.RERUN):
        programme = airing.programme
        if reruns.mode == "off":
            found.append(airing.violation(NAME, "reruns are off in this scenario"))
            continue
        premiere = premieres.get(programme.repeat_of or "")
        if premiere is None:
            found.append(
                airing.violation(
                    NAME,
                    f"rerun {programme.id} repeats {programme.repeat_of!r}, which is not a "
                    "premiere in this schedule",
                )
            )
            continue
        repeated[premiere.programme.id] += 1
        first = premiere.programme
        if (programme.course, programme.lesson) != (first.course, first.lesson):
            found.append(
                airing.violation(NAME, f"rerun {programme.id} is not the same lesson as {first.id}")
            )
        if airing.day != premiere.day:
            found.append(airing.violation(NAME, "a rerun airs the same broadcast day"))
        delay = (programme.start - first.end).total_seconds() / 60
        if delay < 0 or delay > reruns.within_minutes:
            found.append(
                airing.violation(
                    NAME,
                    f"rerun starts {delay:.0f} min after the premiere ends; allowed 0.."
                    f"{reruns.within_minutes}",
                )
            )
        if reruns.daypart(airing.start) == reruns.daypart(premiere.start):
            found.append(airing.violation(NAME, "rerun in the same daypart as its premiere"))
    for premiere_id, count in repeated.items():
        if count > 1:
            found.append(premieres[premiere_id].violation(NAME, f"{premiere_id} rerun {count}×"))
    if reruns.mode == "required":
        for premiere_id, airing in premieres.items():
            if not repeated[premiere_id]:
                found.append(airing.violation(NAME, f"premiere {premiere_id} has no rerun"))
    return found
