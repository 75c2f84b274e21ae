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

from constraints.specials import daily_limit, lesson_day_share, quota
from scheduler.domain.facts import guarantee_days
from scheduler.domain.model import Cohort, Course, Scenario, Special, TimeRange
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.rooms import Period, Room, lesson_rooms, special_rooms
from scheduler.domain.schedule import Kind
from scheduler.solver.solve_types import Carried, Placed


@dataclass
class _Day:
    """What is already placed on one day, for the rule checks."""

    busy: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    lessons: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    premieres: dict[str, list[Placed]] = field(default_factory=lambda: defaultdict(list))
    rerun_done: set[tuple[str, int]] = field(default_factory=set)
    cohort: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    specials: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rooms: dict[int | str, list[Room]] = field(default_factory=dict)

    def lesson_rooms(self, scenario: Scenario, grade: int, day: date) -> list[Room]:
        """The grade's lesson rooms that day, looked up once a day (the search asks often)."""
        if grade not in self.rooms:
            self.rooms[grade] = lesson_rooms(scenario, grade, day)
        return self.rooms[grade]

    def special_rooms(self, scenario: Scenario, special: Special, day: date) -> list[Room]:
        if special.id not in self.rooms:
            self.rooms[special.id] = special_rooms(scenario, special, day)
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
    rest = scenario.rules.rest.minutes
    state = _Day()
    for grade, start, end in carried:
        state.lessons[grade].append((start + 1440, end + 1440))  # as if of the day before
    for day_index, day in enumerate(week):
        # the previous day's lessons, on this day's real time line, for the rests after midnight
        state = _Day(
            lessons=defaultdict(
                list,
                {
                    grade: [(a - 1440, b - 1440) for a, b in spans]
                    for grade, spans in state.lessons.items()
                },
            )
        )
        for item in scenario.pinned:
            if item.day == day:
                state.busy[item.channel].append((item.span.start, item.span.end))
                placed.append(
                    Placed(
                        Kind.PINNED,
                        item.id,
                        day_index,
                        0,
                        item.channel,
                        item.span.start,
                        item.span.end,
                    )
                )
        guarantees = {c.id: c for c in scenario.cohorts if day in guarantee_days(scenario, c.id)}
        for channel in scenario.channels:
            for window in channel.spans_on(day):
                cursor = window.start
                while cursor < window.end:
                    choice = _best(
                        scenario,
                        week,
                        day,
                        day_index,
                        channel.id,
                        window,
                        cursor,
                        state,
                        week_count,
                        special_count,
                        used,
                        guarantees,
                        rest,
                    )
                    if choice is None:
                        cursor += 5 - (cursor % 5) if cursor % 5 else 5
                        continue
                    placed.append(choice)
                    _record(
                        scenario, day, choice, state, week_count, special_count, used, guarantees
                    )
                    cursor = choice.end
        for cohort in guarantees.values():
            if state.cohort[cohort.id] < cohort.guaranteed_minutes:
                failures.append(
                    f"greedy: {cohort.id} got {state.cohort[cohort.id]} of "
                    f"{cohort.guaranteed_minutes} min on {day}"
                )
    for special in scenario.specials:
        if special_count[special.id] < quota(special, week):
            failures.append(
                f"greedy: special {special.id} aired {special_count[special.id]}× "
                f"of {quota(special, week)} in the week of {week[0]}"
            )
    return placed, failures


def _free(state: _Day, channel: str, start: int, end: int) -> bool:
    return all(end <= a or b <= start for a, b in state.busy[channel])


def _rested(state: _Day, grade: int, start: int, end: int, rest: int) -> bool:
    """Whether ``[start, end)`` (real minutes, see :func:`_real`) keeps the grade's rest."""
    return all(end + rest <= a or b + rest <= start for a, b in state.lessons[grade])


def _real(scenario: Scenario, day: date, channel: str, start: int, end: int) -> tuple[int, int]:
    """Wall-clock minutes of a window on the day's real time line (UTC-based), so that rests
    and delays are real minutes across a daylight-saving change and across channels."""
    shift = scenario.channel(channel).utc_shift(day, start)
    return start - shift, end - shift


def _room(rooms: list[Room], channel: str, start: int, end: int) -> Room | None:
    return next(
        (r for r in rooms if r.channel == channel and r.start <= start and end <= r.end), None
    )


def _best(
    scenario: Scenario,
    week: tuple[date, ...],
    day: date,
    day_index: int,
    channel: str,
    window: TimeRange,
    cursor: int,
    state: _Day,
    week_count: dict[str, int],
    special_count: dict[str, int],
    used: dict[str, int],
    guarantees: Mapping[str, Cohort],
    rest: int,
) -> Placed | None:
    options: list[tuple[tuple[float, ...], Placed]] = []
    for special in scenario.specials:
        option = _special(
            scenario, week, day, day_index, channel, cursor, state, special, special_count
        )
        if option is not None:
            due = math.ceil(quota(special, week) * (day_index + 1) / len(week))
            urgent = special_count[special.id] < due
            options.append(((2 if urgent else 0, 0.0), option))
    for course in scenario.courses:
        option = _premiere(
            scenario, week, day, day_index, channel, cursor, state, course, week_count, used, rest
        )
        if option is not None:
            length = option.end - option.start
            cohort_need = any(
                c.grade == course.grade
                and c.window.covers(option.start, option.end)
                and state.cohort[c.id] < c.guaranteed_minutes
                for c in guarantees.values()
            )
            rate = premiere_rate(scenario, course)
            options.append(((3 if cohort_need else 1, rate * length / max(length, 1)), option))
        rerun = _rerun(scenario, day, day_index, channel, cursor, state, course, rest)
        if rerun is not None:
            options.append(((1, float(rerun_rate(scenario, course))), rerun))
    if not options:
        return None
    options.sort(key=lambda pair: (-pair[0][0], -pair[0][1], pair[1].kind, pair[1].ref))
    return options[0][1]


def _premiere(
    scenario: Scenario,
    week: tuple[date, ...],
    day: date,
    day_index: int,
    channel: str,
    cursor: int,
    state: _Day,
    course: Course,
    week_count: dict[str, int],
    used: dict[str, int],
    rest: int,
) -> Placed | None:
    done = used.get(course.id, course.progress)
    if done >= len(course.lessons) or week_count[course.id] >= scenario.per_week(course):
        return None
    if len(state.premieres[course.id]) >= scenario.rules.pace.per_day:
        return None
    length = course.lessons[done].minutes
    end = cursor + length
    room = _room(state.lesson_rooms(scenario, course.grade, day), channel, cursor, end)
    if room is None or not _free(state, channel, cursor, end):
        return None
    if not _rested(state, course.grade, *_real(scenario, day, channel, cursor, end), rest):
        return None
    cap = scenario.band_of(course.grade).daily_cap_minutes
    if state.minutes[course.grade] + length > cap:
        return None
    return Placed(
        Kind.LESSON, course.id, day_index, len(state.premieres[course.id]), channel, cursor, end
    )


def _rerun(
    scenario: Scenario,
    day: date,
    day_index: int,
    channel: str,
    cursor: int,
    state: _Day,
    course: Course,
    rest: int,
) -> Placed | None:
    reruns = scenario.rules.reruns
    if reruns.mode == "off":
        return None
    for premiere in state.premieres[course.id]:
        if (course.id, premiere.slot) in state.rerun_done:
            continue
        length = premiere.end - premiere.start
        end = cursor + length
        delay = (
            _real(scenario, day, channel, cursor, end)[0]
            - _real(scenario, day, premiere.channel, premiere.start, premiere.end)[1]
        )
        if not 0 <= delay <= reruns.within_minutes:
            continue
        if reruns.daypart(cursor) == reruns.daypart(premiere.start):
            continue
        room = _room(state.lesson_rooms(scenario, course.grade, day), channel, cursor, end)
        if room is None or not _free(state, channel, cursor, end):
            continue
        if not _rested(state, course.grade, *_real(scenario, day, channel, cursor, end), rest):
            continue
        return Placed(Kind.RERUN, course.id, day_index, premiere.slot, channel, cursor, end)
    return None


def _special(
    scenario: Scenario,
    week: tuple[date, ...],
    day: date,
    day_index: int,
    channel: str,
    cursor: int,
    state: _Day,
    special: Special,
    special_count: dict[str, int],
) -> Placed | None:
    if special_count[special.id] >= quota(special, week):
        return None
    if state.specials[special.id] >= daily_limit(special, week):
        return None
    end = cursor + special.minutes
    if _room(state.special_rooms(scenario, special, day), channel, cursor, end) is None:
        return None
    if not _free(state, channel, cursor, end):
        return None
    for grade in special.grades:
        cap = scenario.band_of(grade).daily_cap_minutes
        if state.minutes[grade] + special.minutes > cap:
            return None
    return Placed(
        Kind.SPECIAL, special.id, day_index, special_count[special.id], channel, cursor, end
    )


def _record(
    scenario: Scenario,
    day: date,
    choice: Placed,
    state: _Day,
    week_count: dict[str, int],
    special_count: dict[str, int],
    used: dict[str, int],
    guarantees: Mapping[str, Cohort],
) -> None:
    state.busy[choice.channel].append((choice.start, choice.end))
    length = choice.end - choice.start
    if choice.kind is Kind.SPECIAL:
        special = scenario.special(choice.ref)
        special_count[special.id] += 1
        state.specials[special.id] += 1
        for grade in special.grades:
            state.minutes[grade] += length
        return
    course = scenario.course(choice.ref)
    state.lessons[course.grade].append(
        _real(scenario, day, choice.channel, choice.start, choice.end)
    )
    if choice.kind is Kind.RERUN:
        state.rerun_done.add((course.id, choice.slot))
        return
    state.premieres[course.id].append(choice)
    state.minutes[course.grade] += length
    week_count[course.id] += 1
    used[course.id] = used.get(course.id, course.progress) + 1
    for cohort in guarantees.values():
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
    days a course with ``binding`` periods that weekday takes only those; specials first-fit
    between the periods, those whose quota needs lesson days first. The airings and the quotas
    it failed to meet."""
    bound: dict[tuple[str, int], set[int]] = defaultdict(set)
    for ref, on, at in binding:
        bound[(ref, on)].add(at)
    notes: list[str] = []
    placed: list[Placed] = []
    aired: dict[str, int] = defaultdict(int)
    specials: dict[str, int] = defaultdict(int)
    for index, day in enumerate(week):
        busy: dict[str, list[TimeRange]] = defaultdict(list)
        for item in scenario.pinned:
            if item.day == day:
                busy[item.channel].append(item.span)
                placed.append(
                    Placed(
                        Kind.PINNED, item.id, index, 0, item.channel, item.span.start, item.span.end
                    )
                )
        minutes: dict[int, int] = defaultdict(int)
        weekday = scenario.calendar.timetable_weekday(day)
        for grade in scenario.grade_numbers:
            today: set[str] = set()
            later = {course for course, on, _ in template if on == weekday}
            for room in lesson_rooms(scenario, grade, day, periods.get(grade, ())):
                if any(
                    span.overlaps(TimeRange(room.start, room.end)) for span in busy[room.channel]
                ):
                    continue
                best = None
                for course in scenario.courses_of(grade):
                    done = progress[course.id] + aired[course.id]
                    if (
                        course.id in today
                        or aired[course.id] >= scenario.per_week(course)
                        or done >= len(course.lessons)
                    ):
                        continue
                    length = course.lessons[done].minutes
                    cap = scenario.band_of(grade).daily_cap_minutes
                    if length > room.minutes or minutes[grade] + length > cap:
                        continue
                    short = aired[course.id] < scenario.min_per_week(course)
                    kept = (course.id, weekday, room.start) in template
                    if not kept and course.id in later:
                        continue  # its template period comes later today
                    periods_bound = bound.get((course.id, weekday or 0))
                    held = (grade, day) in regular and weekday is not None
                    if held and periods_bound and room.start not in periods_bound:
                        continue  # the regularity rule holds it to its periods
                    rate = premiere_rate(scenario, course) * length
                    value = (kept, short, rate) if held else (short, kept, rate)
                    if best is None or value > best[0]:
                        best = (value, course.id, length)
                if best is None:
                    continue
                later.discard(best[1])
                _, course_id, length = best
                today.add(course_id)
                aired[course_id] += 1
                minutes[grade] += length
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
                busy[room.channel].append(TimeRange(room.start, room.end))
        urgent = sorted(scenario.specials, key=lambda s: -lesson_day_share(scenario, s, week))
        for special in urgent:
            if specials[special.id] >= quota(special, week):
                continue
            for room in special_rooms(scenario, special, day, periods):
                start = _first_free(room, special.minutes, busy[room.channel])
                if start is not None:
                    placed.append(
                        Placed(
                            Kind.SPECIAL,
                            special.id,
                            index,
                            specials[special.id],
                            room.channel,
                            start,
                            start + special.minutes,
                        )
                    )
                    busy[room.channel].append(TimeRange(start, start + special.minutes))
                    specials[special.id] += 1
                    break
    for special in scenario.specials:
        if specials[special.id] < quota(special, week):
            notes.append(
                f"greedy: special {special.id} aired {specials[special.id]}×"
                f" of {quota(special, week)} in the week of {week[0]}"
            )
    return placed, notes


def _first_free(room: Room, minutes: int, busy: list[TimeRange]) -> int | None:
    """The earliest start in the room where ``minutes`` touch nothing busy."""
    start = room.start
    while start + minutes <= room.end:
        clash = next(
            (span for span in busy if span.overlaps(TimeRange(start, start + minutes))), None
        )
        if clash is None:
            return start
        start = clash.end
    return None
