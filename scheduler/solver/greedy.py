"""The planner's way by hand: walk each window from its start and put in the most valuable
thing that may air there. Used as the benchmark's baseline and as the solver's first hint.

Priority at each moment: pinned items; a cohort's lessons inside its window until its
guarantee is met; specials still due by today; premieres by value per minute; reruns of
earlier premieres by value. Every hard rule is checked before an item is placed, so the
result passes the checker unless a guarantee or quota could not be met, which it reports.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from constraints import airtime, pace, reruns, rest, screen_time, specials
from constraints.engine import Draft
from constraints.specials import lesson_day_share, quota
from scheduler.domain.facts import guarantee_days
from scheduler.domain.model import Cohort, Course, Scenario, Special
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.rooms import Period, Room, lesson_rooms, special_rooms
from scheduler.domain.schedule import Kind
from scheduler.solver.solve_types import Carried, Placed
from scheduler.solver.template import Held


@dataclass
class _Day:
    """What is already placed on one day and in its week: the
    :class:`constraints.engine.Draft` the rules' ``allows`` check."""

    scenario: Scenario
    day: date
    aired: dict[str, int]  # the week's premieres per course
    specials_aired: dict[str, int]  # the week's airings per special
    busy: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    lessons: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    premieres: dict[str, list[Placed]] = field(default_factory=lambda: defaultdict(list))
    rerun_done: set[tuple[str, int]] = field(default_factory=set)
    cohort: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    specials: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rooms: dict[int | str, list[Room]] = field(default_factory=dict)
    # the week around the day, for the planner's choices
    week: tuple[date, ...] = ()
    index: int = 0  # the day's index in the week
    used: dict[str, int] = field(default_factory=dict)  # lessons aired per course, all told
    guarantees: dict[str, Cohort] = field(default_factory=dict)  # the day's cohort guarantees

    def real(self, channel: str, start: int, end: int) -> tuple[int, int]:
        """Wall-clock minutes of a channel on the day's real time line (UTC-based), so that
        rests and delays are real minutes across a daylight-saving change and across channels."""
        shift = self.scenario.channel(channel).utc_shift(self.day, start)
        return start - shift, end - shift

    def lesson_rooms(self, grade: int) -> list[Room]:
        """The grade's lesson rooms that day, looked up once a day (the search asks often)."""
        if grade not in self.rooms:
            self.rooms[grade] = lesson_rooms(self.scenario, grade, self.day)
        return self.rooms[grade]

    def special_rooms(self, special: Special) -> list[Room]:
        if special.id not in self.rooms:
            self.rooms[special.id] = special_rooms(self.scenario, special, self.day)
        return self.rooms[special.id]


def plan_week(
    scenario: Scenario, week: tuple[date, ...], progress: dict[str, int], carried: Carried = ()
) -> tuple[list[Placed], list[str]]:
    """A greedy week: the airings and the guarantees or quotas it failed to meet.
    ``carried``: the lessons of the day before the week that its first day must rest after."""
    placed: list[Placed] = []
    failures: list[str] = []
    week_count: dict[str, int] = defaultdict(int)
    special_count: dict[str, int] = defaultdict(int)
    used: dict[str, int] = dict(progress)
    state = _Day(scenario, week[0], week_count, special_count)
    for grade, start, end in carried:
        state.lessons[grade].append((start + 1440, end + 1440))  # as if of the day before
    for day_index, day in enumerate(week):
        # the previous day's lessons, on this day's real time line, for the rests after midnight
        before = {g: [(a - 1440, b - 1440) for a, b in spans] for g, spans in state.lessons.items()}
        state = _Day(
            scenario,
            day,
            week_count,
            special_count,
            lessons=defaultdict(list, before),
            week=week,
            index=day_index,
            used=used,
            guarantees={c.id: c for c in scenario.cohorts if day in guarantee_days(scenario, c.id)},
        )
        for item in scenario.pinned:
            if item.day == day:
                state.busy[item.channel].append((item.span.start, item.span.end))
                span = item.span
                placed.append(
                    Placed(Kind.PINNED, item.id, day_index, 0, item.channel, span.start, span.end)
                )
        for channel in scenario.channels:
            for window in channel.spans_on(day):
                cursor = window.start
                while cursor < window.end:
                    choice = _best(state, channel.id, cursor)
                    if choice is None:
                        cursor += 5 - (cursor % 5) if cursor % 5 else 5
                        continue
                    placed.append(choice)
                    _record(state, choice)
                    cursor = choice.end
        for cohort in state.guarantees.values():
            if state.cohort[cohort.id] < cohort.guaranteed_minutes:
                failures.append(
                    f"greedy: {cohort.id} got {state.cohort[cohort.id]} of "
                    f"{cohort.guaranteed_minutes} min on {day}"
                )
    for special in scenario.specials:
        if special_count[special.id] < quota(special, week, scenario):
            failures.append(
                f"greedy: special {special.id} aired {special_count[special.id]}× "
                f"of {quota(special, week, scenario)} in the week of {week[0]}"
            )
    return placed, failures


def _room(rooms: list[Room], channel: str, start: int, end: int) -> Room | None:
    return next(
        (r for r in rooms if r.channel == channel and r.start <= start and end <= r.end), None
    )


def _best(state: _Day, channel: str, cursor: int) -> Placed | None:
    scenario, week = state.scenario, state.week
    options: list[tuple[tuple[float, ...], Placed]] = []
    for special in scenario.specials:
        option = _special(state, channel, cursor, special)
        if option is not None:
            due = math.ceil(quota(special, week, scenario) * (state.index + 1) / len(week))
            urgent = state.specials_aired[special.id] < due
            options.append(((2 if urgent else 0, 0.0), option))
    for course in scenario.courses:
        option = _premiere(state, channel, cursor, course)
        if option is not None:
            length = option.end - option.start
            cohort_need = any(
                c.grade == course.grade
                and c.window.covers(option.start, option.end)
                and state.cohort[c.id] < c.guaranteed_minutes
                for c in state.guarantees.values()
            )
            rate = premiere_rate(scenario, course)
            options.append(((3 if cohort_need else 1, rate * length / max(length, 1)), option))
        rerun = _rerun(state, channel, cursor, course)
        if rerun is not None:
            options.append(((1, float(rerun_rate(scenario, course))), rerun))
    if not options:
        return None
    options.sort(key=lambda pair: (-pair[0][0], -pair[0][1], pair[1].kind, pair[1].ref))
    return options[0][1]


def _premiere(state: _Day, channel: str, cursor: int, course: Course) -> Placed | None:
    done = state.used.get(course.id, course.progress)
    if done >= len(course.lessons) or not pace.allows(state, course):
        return None
    length = course.lessons[done].minutes
    end = cursor + length
    room = _room(state.lesson_rooms(course.grade), channel, cursor, end)
    if room is None or not airtime.allows(state, channel, cursor, end):
        return None
    if not rest.allows(state, course.grade, channel, cursor, end):
        return None
    if not screen_time.allows(state, (course.grade,), length):
        return None
    slot = len(state.premieres[course.id])
    return Placed(Kind.LESSON, course.id, state.index, slot, channel, cursor, end)


def _rerun(state: _Day, channel: str, cursor: int, course: Course) -> Placed | None:
    if state.scenario.rules.reruns.mode == "off":
        return None
    for premiere in state.premieres[course.id]:
        if (course.id, premiere.slot) in state.rerun_done:
            continue
        length = premiere.end - premiere.start
        end = cursor + length
        first = (premiere.channel, premiere.start, premiere.end)
        if not reruns.allows(state, first, channel, cursor, end):
            continue
        room = _room(state.lesson_rooms(course.grade), channel, cursor, end)
        if room is None or not airtime.allows(state, channel, cursor, end):
            continue
        if not rest.allows(state, course.grade, channel, cursor, end):
            continue
        return Placed(Kind.RERUN, course.id, state.index, premiere.slot, channel, cursor, end)
    return None


def _special(state: _Day, channel: str, cursor: int, special: Special) -> Placed | None:
    if not specials.allows(state, special, state.week):
        return None
    end = cursor + special.minutes
    if _room(state.special_rooms(special), channel, cursor, end) is None:
        return None
    if not airtime.allows(state, channel, cursor, end):
        return None
    if not screen_time.allows(state, special.grades, special.minutes):
        return None
    slot = state.specials_aired[special.id]
    return Placed(Kind.SPECIAL, special.id, state.index, slot, channel, cursor, end)


def _record(state: _Day, choice: Placed) -> None:
    scenario = state.scenario
    state.busy[choice.channel].append((choice.start, choice.end))
    length = choice.end - choice.start
    if choice.kind is Kind.SPECIAL:
        special = scenario.special(choice.ref)
        state.specials_aired[special.id] += 1
        state.specials[special.id] += 1
        for grade in special.grades:
            state.minutes[grade] += length
        return
    course = scenario.course(choice.ref)
    state.lessons[course.grade].append(state.real(choice.channel, choice.start, choice.end))
    if choice.kind is Kind.RERUN:
        state.rerun_done.add((course.id, choice.slot))
        return
    state.premieres[course.id].append(choice)
    state.minutes[course.grade] += length
    state.aired[course.id] += 1
    state.used[course.id] = state.used.get(course.id, course.progress) + 1
    for cohort in state.guarantees.values():
        if cohort.grade == course.grade and cohort.window.covers(choice.start, choice.end):
            state.cohort[cohort.id] += length


def plan_template_week(
    scenario: Scenario,
    week: tuple[date, ...],
    progress: dict[str, int],
    periods: Mapping[int, tuple[Period, ...]],
    template: frozenset[tuple[str, int, int]] = frozenset(),
    binding: frozenset[tuple[str, int, int]] = frozenset(),
    regular: frozenset[tuple[int, date]] = frozenset(),
) -> tuple[list[Placed], list[str]]:
    """A greedy week in the timetable's periods, the planner's way: each lesson day, each
    period gets the grade's most urgent course that may still air (the template's course for
    that weekday and period, else one still short of its weekly minimum, else the most
    valuable; on a day exempt from the template, short courses first); on the grade's regular
    days a course with ``binding`` periods that weekday takes only those, another only a period
    the template leaves empty; specials first-fit
    between the periods, those whose quota needs lesson days first. The airings and the quotas
    it failed to meet."""
    held = Held.of(scenario, binding, regular)
    notes: list[str] = []
    placed: list[Placed] = []
    aired: dict[str, int] = defaultdict(int)
    aired_specials: dict[str, int] = defaultdict(int)
    for index, day in enumerate(week):
        state = _Day(scenario, day, aired, aired_specials)
        for item in scenario.pinned:
            if item.day == day:
                state.busy[item.channel].append((item.span.start, item.span.end))
                placed.append(
                    Placed(
                        Kind.PINNED, item.id, index, 0, item.channel, item.span.start, item.span.end
                    )
                )
        weekday = scenario.calendar.timetable_weekday(day)
        for grade in scenario.grade_numbers:
            today: set[str] = set()
            later = {course for course, on, _ in template if on == weekday}
            for room in lesson_rooms(scenario, grade, day, periods.get(grade, ())):
                if not airtime.allows(state, room.channel, room.start, room.end):
                    continue
                best = None
                for course in scenario.courses_of(grade):
                    done = progress[course.id] + aired[course.id]
                    if (
                        course.id in today
                        or not pace.allows(state, course)
                        or done >= len(course.lessons)
                    ):
                        continue
                    length = course.lessons[done].minutes
                    if length > room.minutes or not screen_time.allows(state, (grade,), length):
                        continue
                    short = aired[course.id] < scenario.min_per_week(course)
                    kept = (course.id, weekday, room.start) in template
                    if not kept and course.id in later:
                        continue  # its template period comes later today
                    if not held.allows(course.id, grade, day, weekday, room.start):
                        continue  # the template holds it to its periods, others to empty ones
                    rate = premiere_rate(scenario, course) * length
                    binds = held.binds(grade, day, weekday)
                    value = (kept, short, rate) if binds else (short, kept, rate)
                    if best is None or value > best[0]:
                        best = (value, course.id, length)
                if best is None:
                    continue
                later.discard(best[1])
                _, course_id, length = best
                today.add(course_id)
                aired[course_id] += 1
                state.minutes[grade] += length
                placed.append(
                    Placed(
                        Kind.LESSON,
                        course_id,
                        index,
                        0,
                        room.channel,
                        room.start,
                        room.start + length,
                    )
                )
                state.busy[room.channel].append((room.start, room.end))
        urgent = sorted(scenario.specials, key=lambda s: -lesson_day_share(scenario, s, week))
        for special in urgent:
            if not specials.allows(state, special, week):
                continue
            for room in special_rooms(scenario, special, day, periods):
                start = _first_free(room, special.minutes, state.busy[room.channel])
                if start is not None:
                    placed.append(
                        Placed(
                            Kind.SPECIAL,
                            special.id,
                            index,
                            aired_specials[special.id],
                            room.channel,
                            start,
                            start + special.minutes,
                        )
                    )
                    state.busy[room.channel].append((start, start + special.minutes))
                    aired_specials[special.id] += 1
                    state.specials[special.id] += 1
                    break
    for special in scenario.specials:
        if aired_specials[special.id] < quota(special, week, scenario):
            notes.append(
                f"greedy: special {special.id} aired {aired_specials[special.id]}×"
                f" of {quota(special, week, scenario)} in the week of {week[0]}"
            )
    return placed, notes


def _first_free(room: Room, minutes: int, busy: list[tuple[int, int]]) -> int | None:
    """The earliest start in the room where ``minutes`` touch nothing busy."""
    start = room.start
    while start + minutes <= room.end:
        clash = next((span for span in busy if span[0] < start + minutes and start < span[1]), None)
        if clash is None:
            return start
        start = clash[1]
    return None


def _conforms(state: _Day) -> Draft:
    """The day's state is the draft the rules' ``allows`` check (checked by mypy)."""
    return state
