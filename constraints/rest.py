"""Rest between two lessons of one grade, across all channels (eye exercises, movement).

∀ grade g, lesson airings a, b of g (premieres and reruns), a before b:
    b.start − a.end ≥ rest
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from constraints._timeline import airings, lessons_by_grade
from constraints.airtime import Stretch
from constraints.base import Violation
from constraints.engine import INF, DayModel, Draft, GridCell, IntervalModel, LinearModel
from scheduler.domain.model import Scenario
from scheduler.domain.rooms import window_of
from scheduler.domain.schedule import Kind, Schedule

NAME = "rest"
TITLE = "rest between two lessons of one grade"


def post(m: IntervalModel) -> None:
    rest = m.scenario.rules.rest.minutes
    by_grade = defaultdict(list)
    for activity in m.lessons():
        by_grade[activity.grade].append(
            m.model.new_optional_interval_var(
                activity.start,
                activity.size + rest,
                activity.end + rest,
                activity.present,
                f"rest/{activity.key}",
            )
        )
    for intervals in by_grade.values():
        m.model.add_no_overlap(intervals)
    # Redundant: inside one window, n lessons of a grade need their minutes plus n−1 rests.
    for grade, _ in by_grade.items():
        spans = defaultdict(list)
        for activity in m.lessons():
            if activity.grade != grade:
                continue
            for placement in activity.placements:
                room = placement.room
                spans[(room.channel, room.day, window_of(m.scenario, room))].append(
                    placement.minutes + rest * placement.present
                )
        for (_, _, window), terms in spans.items():
            if len(terms) > 1:
                m.model.add(sum(terms) <= window.minutes + rest)


def post_grid(g: LinearModel) -> None:
    """A grade watching several channels needs its rests between them too: for every
    stretch ``[a, b)`` of the common time line between the grade's room boundaries that day,
    ``Σ (L + rest) ≤ (b − a) + rest`` over its lessons in rooms inside the stretch."""
    rest = g.scenario.rules.rest.minutes
    by_grade_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    for index, cell in enumerate(g.cells):
        if cell.grade is not None:
            by_grade_day[(cell.grade, cell.room.day)].append(index)
    for (grade, day), ids in by_grade_day.items():
        if len({g.cells[i].room.channel for i in ids}) < 2:
            continue

        def line(minute: int, cell: GridCell) -> int:
            return minute - cell.room.shift

        points = sorted(
            {line(m, g.cells[i]) for i in ids for m in (g.cells[i].room.start, g.cells[i].room.end)}
        )
        for a_index, a in enumerate(points):
            for b in points[a_index + 1 :]:
                inside = [
                    i
                    for i in ids
                    if a <= line(g.cells[i].room.start, g.cells[i])
                    and line(g.cells[i].room.end, g.cells[i]) <= b
                ]
                if len(inside) > 1:
                    g.row(
                        -INF,
                        (b - a) + rest,
                        inside,
                        [g.cells[i].length + rest for i in inside],
                        f"rest across channels grade {grade} {day} {a}-{b}",
                    )


def post_grid_stretch(g: LinearModel, stretch: Stretch) -> None:
    """A grade's lessons in a stretch of one window need a gap of ``rest`` between each two; a
    gap is idle time unless another airing fills it, and one airing fills one gap:

        Σ_g (L + rest) + Σ_others (L − rest) ≤ (b − a) − pinned + rest · (1 + #pinned)

    Valid when every airing is at least ``rest`` long (else only the grade's own rests are
    counted)."""
    rest = g.scenario.rules.rest.minutes
    inside, a, b = stretch.inside, stretch.a, stretch.b
    lengths_ok = all(g.cells[i].length >= rest for i in inside)
    pinned = [(s, e) for s, e in stretch.blocked if a <= s and e <= b]
    for grade in sorted({g.cells[i].grade for i in inside} - {None}):  # type: ignore[type-var]
        mine = [i for i in inside if g.cells[i].grade == grade]
        if len(mine) == 1 and g.cells[mine[0]].upper == 1:
            continue
        others = [i for i in inside if g.cells[i].grade != grade] if lengths_ok else []
        separators = sum(1 for s, e in pinned if e - s >= rest) if lengths_ok else 0
        g.row(
            -INF,
            stretch.free + rest * (1 + separators),
            mine + others,
            [g.cells[i].length + rest for i in mine] + [g.cells[i].length - rest for i in others],
            f"rest grade {grade} {stretch.channel} {stretch.day} {a}-{b}",
        )


def post_grid_stand_ins(g: LinearModel, moved: dict[tuple[int | None, date], list[int]]) -> None:
    """A lesson moved into another grade's period (``moved``: such cells by grade and day)
    keeps its rest to the grade's others (fixed times, so pairwise by room): of two of its
    rooms closer than the rest, at most one holds an airing of the grade."""
    rest = g.scenario.rules.rest.minutes
    for (grade, day), ids in moved.items():
        if grade is None:  # specials in a period: no rest between them
            continue
        rooms: dict[tuple[str, int, int], list[int]] = defaultdict(list)
        for index, cell in enumerate(g.cells):
            if cell.grade == grade and cell.room.day == day and cell.room.period:
                rooms[(cell.room.channel, cell.room.start, cell.room.end)].append(index)
        stand_ins = {
            (g.cells[i].room.channel, g.cells[i].room.start, g.cells[i].room.end) for i in ids
        }
        for a, b in itertools.combinations(sorted(rooms), 2):
            if a[0] != b[0] or not {a, b} & stand_ins:
                continue
            longest = max(g.cells[i].length for i in rooms[a])
            if b[1] - (a[1] + longest) < rest:
                both = rooms[a] + rooms[b]
                g.row(-INF, 1, both, [1] * len(both), f"moved rest {grade} {day}")


def post_day(d: DayModel) -> None:
    """A grade's lessons of the day, across channels and after the lessons carried from the
    day before, keep their rest (each blocks its minutes plus the rest)."""
    rest = d.scenario.rules.rest.minutes
    grades: dict[int, list[Any]] = defaultdict(list)
    for item in d.items:
        if item.cell.grade is not None:
            grades[item.cell.grade].append(d.interval(item, item.cell.length + rest))
    for grade, first, last in d.carried:
        if grade in grades:
            grades[grade].append(d.fixed(first, last - first + rest, "carried"))
    for intervals in grades.values():
        d.model.add_no_overlap(intervals)


def allows(d: Draft, grade: int, channel: str, start: int, end: int) -> bool:
    """Whether a lesson of ``grade`` at ``[start, end)`` on ``channel`` keeps its rest to the
    grade's lessons so far, in real minutes (across channels and midnight)."""
    rest = d.scenario.rules.rest.minutes
    begin, finish = d.real(channel, start, end)
    return all(finish + rest <= a or b + rest <= begin for a, b in d.lessons.get(grade, ()))


def keeps_carried(
    scenario: Scenario,
    day: date,
    lessons: Iterable[tuple[int, str, int, int]],
    carried: Iterable[tuple[int, int, int]],
) -> bool:
    """Whether ``day``'s lessons (grade, channel, wall-clock start and end) keep their rest
    after the lessons carried into it from the day before (grade, start and end on ``day``'s
    real time line)."""
    rest = scenario.rules.rest.minutes
    before = list(carried)
    for grade, channel, start, end in lessons:
        shift = scenario.channel(channel).utc_shift(day, start)
        begin, finish = start - shift, end - shift
        if any(
            g == grade and begin < last + rest and first < finish + rest
            for g, first, last in before
        ):
            return False
    return True


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    rest = scenario.rules.rest.minutes
    grouped = lessons_by_grade(airings(scenario, schedule, Kind.LESSON, Kind.RERUN))
    for grade, items in sorted(grouped.items()):
        # compare with the lesson that ends last so far, not just the previous one, so a short
        # lesson inside a long one (on another channel) does not hide the next clash
        before = None
        for after in items:
            if before is not None:
                gap = (after.programme.start - before.programme.end).total_seconds() / 60
                if gap < rest:
                    found.append(
                        after.violation(
                            NAME,
                            f"{after.programme.title} starts {gap:.0f} min after "
                            f"{before.programme.title} ends ({before.time}); needs {rest} min "
                            "rest",
                            grade=grade,
                        )
                    )
            if before is None or after.programme.end > before.programme.end:
                before = after
    return found
