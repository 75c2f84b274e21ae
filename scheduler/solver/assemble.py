"""A horizon's weekly answers turned into airings: lessons numbered in time order, stable ids.

A course's premieres of a week are numbered after the lessons aired before it, in the order they
start (in real time, across channels), and get ids ``g3-math-l012`` (its rerun
``g3-math-l012-r``); specials are numbered per ISO week, pins keep their own ids. So an
unchanged airing keeps its id across re-solves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from scheduler.domain.fill import fill
from scheduler.domain.model import Course, Horizon, Scenario
from scheduler.domain.objective import evaluate
from scheduler.domain.result import Status
from scheduler.domain.schedule import Kind, Programme, Schedule
from scheduler.solver.solve_types import Placed, WeekAnswer


def week_airings(
    scenario: Scenario, weeks: list[tuple[tuple[date, ...], dict[str, int], WeekAnswer]]
) -> list[Programme]:
    """Turn weekly answers into airings with lesson numbers in time order and stable ids."""
    programmes: list[Programme] = []
    for week, progress, answer in weeks:
        start_of_week = week[0]
        counts: dict[str, int] = defaultdict(int)
        premiere_ids: dict[tuple[str, int, int], tuple[str, int]] = {}
        special_counts: dict[str, int] = defaultdict(int)
        lessons = sorted(
            (p for p in answer.placed if p.kind is Kind.LESSON),
            key=lambda p: (p.day_index, p.start - _shift(scenario, p, start_of_week), p.ref),
        )
        for item in lessons:
            course = scenario.course(item.ref)
            counts[item.ref] += 1
            number = progress[item.ref] + counts[item.ref]
            identifier = f"{course.id}-l{number:03d}"
            premiere_ids[(item.ref, item.day_index, item.slot)] = (identifier, number)
            programmes.append(_lesson(scenario, course, item, start_of_week, number, identifier))
        for item in answer.placed:
            day = start_of_week + timedelta(days=item.day_index)
            channel = scenario.channel(item.channel)
            if item.kind is Kind.RERUN:
                course = scenario.course(item.ref)
                premiere_id, number = premiere_ids[(item.ref, item.day_index, item.slot)]
                programme = _lesson(
                    scenario, course, item, start_of_week, number, f"{premiere_id}-r"
                )
                programmes.append(replace(programme, kind=Kind.RERUN, repeat_of=premiere_id))
            elif item.kind is Kind.SPECIAL:
                special = scenario.special(item.ref)
                special_counts[item.ref] += 1
                year, number, _ = day.isocalendar()
                programmes.append(
                    Programme(
                        start=channel.instant(day, item.start),
                        end=channel.instant(day, item.end),
                        channel=item.channel,
                        id=f"{special.id}-{year}w{number:02d}-{special_counts[item.ref]}",
                        kind=Kind.SPECIAL,
                        title=special.title,
                        grades=special.grades,
                        subject=special.topic,
                        item=special.id,
                    )
                )
            elif item.kind is Kind.PINNED:
                pinned = next(p for p in scenario.pinned if p.id == item.ref)
                programmes.append(
                    Programme(
                        start=channel.instant(day, item.start),
                        end=channel.instant(day, item.end),
                        channel=item.channel,
                        id=pinned.id,
                        kind=Kind.PINNED,
                        title=pinned.title,
                        grades=pinned.grades,
                        item=pinned.id,
                    )
                )
    return programmes


def _shift(scenario: Scenario, item: Placed, week_start: date) -> int:
    day = week_start + timedelta(days=item.day_index)
    return scenario.channel(item.channel).utc_shift(day, item.start)


def _lesson(
    scenario: Scenario, course: Course, item: Placed, week_start: date, number: int, identifier: str
) -> Programme:
    day = week_start + timedelta(days=item.day_index)
    channel = scenario.channel(item.channel)
    lesson = course.lessons[number - 1]
    return Programme(
        start=channel.instant(day, item.start),
        end=channel.instant(day, item.start + lesson.minutes),
        channel=item.channel,
        id=identifier,
        kind=Kind.LESSON,
        title=lesson.title,
        grades=(course.grade,),
        subject=course.subject,
        course=course.id,
        lesson=number,
    )


def week_objective(
    scenario: Scenario, week: tuple[date, ...], progress: dict[str, int], placed: list[Placed]
) -> int:
    """The exact objective of a week's airings (after the sequencer dropped some)."""
    window = scenario.replace(horizon=Horizon(week[0], week[-1]))
    answer = WeekAnswer(Status.FEASIBLE, tuple(placed), 0, 0, 0.0)
    programmes = week_airings(window, [(week, progress, answer)])
    programmes += fill(window, programmes)
    return evaluate(window, Schedule(tuple(programmes))).units


__all__ = ["week_airings", "week_objective"]
