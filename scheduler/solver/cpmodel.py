"""The CP-SAT model of one ISO week: activities placed into rooms, rules posted by modules.

An *activity* is something that may air: the k-th premiere of a course on a day, the rerun of
that premiere, the j-th airing of a special in the week, a pinned item. It may be placed in one
of its rooms (``Placement``: a presence literal and an optional interval sharing the activity's
start). Lesson numbers are not variables: a course's premieres are numbered in time order, so
"lessons of a course air in order" holds by construction and the model stays small.

Times are minutes on the week's common axis (see :class:`scheduler.domain.rooms.Room`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from constraints.engine import Guard, IntervalModel
from scheduler.domain.model import Course, Pinned, Scenario, Special
from scheduler.domain.objective import premiere_rate, rerun_rate
from scheduler.domain.rooms import Room, lesson_rooms, special_rooms, week_lessons
from scheduler.domain.schedule import Kind

LinearExpr = Any


@dataclass(eq=False)
class Placement:
    """An activity placed in one room."""

    room: Room
    present: cp_model.IntVar
    interval: cp_model.IntervalVar
    minutes: LinearExpr  # minutes aired in this room: size · present


@dataclass(eq=False)
class Activity:
    """Something that may air this week, with its candidate rooms."""

    kind: Kind
    key: str
    day: date | None
    start: cp_model.IntVar
    size: LinearExpr
    size_value: int | None
    present: cp_model.IntVar
    placements: list[Placement]
    grade: int | None = None
    course: Course | None = None
    special: Special | None = None
    slot: int = 0
    premiere: Activity | None = None
    pinned: Pinned | None = None
    end_var: cp_model.IntVar | None = None

    @property
    def end(self) -> LinearExpr:
        return self.start + self.size if self.end_var is None else self.end_var


@dataclass(eq=False)
class WeekModel:
    """Builds the activities of one week; constraint modules post the rules on it."""

    scenario: Scenario
    week: tuple[date, ...]
    progress: dict[str, int]
    explain: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    premieres: dict[tuple[str, date, int], Activity] = field(default_factory=dict)
    reruns: dict[tuple[str, date, int], Activity] = field(default_factory=dict)
    specials: list[Activity] = field(default_factory=list)
    homeless: list[Special] = field(default_factory=list)  # specials with no room this week
    guards: list[tuple[cp_model.IntVar, Guard]] = field(default_factory=list)
    objective_terms: list[LinearExpr] = field(default_factory=list)
    _pinned: list[Activity] | None = None

    def __post_init__(self) -> None:
        self.week_start = self.week[0]
        for course in self.scenario.courses:
            self._add_premieres(course)
        for special in self.scenario.specials:
            self._add_specials(special)
        if self.scenario.rules.reruns.mode != "off":
            for premiere in list(self.premieres.values()):
                dayparts = {p.room.daypart for p in premiere.placements}
                if len(dayparts) > 1 or self.scenario.rules.reruns.mode == "required":
                    self.add_rerun(premiere)

    # -- structure ------------------------------------------------------------------------------
    def _add_premieres(self, course: Course) -> None:
        budget = len(week_lessons(self.scenario, course, self.progress))
        if not budget:
            return
        done = self.progress.get(course.id, course.progress)
        # every lesson left, not only this week's: a slot's length is looked up by its index
        lengths = [lesson.minutes for lesson in course.lessons[done:]]
        per_day = self.scenario.rules.pace.per_day
        earlier: list[cp_model.IntVar] = []
        for day in self.week:
            rooms = lesson_rooms(self.scenario, course.grade, day)
            if not rooms:
                continue
            for slot in range(per_day):
                size, size_value = self._lesson_size(course, lengths, earlier, day, slot)
                rooms_fit = [r for r in rooms if r.minutes >= min(lengths[:budget])]
                if not rooms_fit:
                    continue
                activity = self._activity(
                    Kind.LESSON,
                    f"{course.id}/{day}/{slot}",
                    day,
                    rooms_fit,
                    size,
                    size_value,
                    grade=course.grade,
                    course=course,
                    slot=slot,
                )
                self.premieres[(course.id, day, slot)] = activity
                earlier.append(activity.present)
                self.objective_terms += [
                    premiere_rate(self.scenario, course) * p.minutes for p in activity.placements
                ]

    def _lesson_size(
        self,
        course: Course,
        lengths: list[int],
        earlier: list[cp_model.IntVar],
        day: date,
        slot: int,
    ) -> tuple[LinearExpr, int | None]:
        if len(set(lengths)) == 1:
            return lengths[0], lengths[0]
        index = self.model.new_int_var(0, len(lengths) - 1, f"idx/{course.id}/{day}/{slot}")
        self.model.add(index == sum(earlier)) if earlier else self.model.add(index == 0)
        size = self.model.new_int_var(min(lengths), max(lengths), f"size/{course.id}/{day}/{slot}")
        self.model.add_element(index, lengths, size)
        return size, None

    def _activity(
        self,
        kind: Kind,
        key: str,
        day: date | None,
        rooms: list[Room],
        size: LinearExpr,
        size_value: int | None,
        **extra: Any,
    ) -> Activity:
        model = self.model
        low = min(r.axis(r.start, self.week_start) for r in rooms)
        high = max(r.axis(r.end, self.week_start) for r in rooms)
        if size_value is not None:
            domain = cp_model.Domain.from_intervals(
                [
                    [r.axis(r.start, self.week_start), r.axis(r.end, self.week_start) - size_value]
                    for r in rooms
                    if r.minutes >= size_value
                ]
            )
            start = model.new_int_var_from_domain(domain, f"start/{key}")
        else:
            start = model.new_int_var(low, high, f"start/{key}")
            end_var = model.new_int_var(low, high, f"end/{key}")
            model.add(end_var == start + size)
            extra["end_var"] = end_var
        present = model.new_bool_var(f"on/{key}")
        placements = []
        for index, room in enumerate(rooms):
            if size_value is not None and room.minutes < size_value:
                continue
            on = model.new_bool_var(f"on/{key}/{index}")
            first = room.axis(room.start, self.week_start)
            last = room.axis(room.end, self.week_start)
            model.add(start >= first).only_enforce_if(on)
            model.add(start + size <= last).only_enforce_if(on)
            if size_value is not None:
                interval = model.new_optional_fixed_size_interval_var(
                    start, size_value, on, f"i/{key}"
                )
                minutes: LinearExpr = size_value * on
            else:
                interval = model.new_optional_interval_var(
                    start, size, extra["end_var"], on, f"i/{key}"
                )
                minutes = model.new_int_var(0, room.minutes, f"m/{key}/{index}")
                model.add(minutes == size).only_enforce_if(on)
                model.add(minutes == 0).only_enforce_if(on.negated())
            placements.append(Placement(room, on, interval, minutes))
        model.add(sum(p.present for p in placements) == present)
        return Activity(kind, key, day, start, size, size_value, present, placements, **extra)

    def _add_specials(self, special: Special) -> None:
        rooms = [
            room
            for day in self.week
            for room in special_rooms(self.scenario, special, day)
            if room.minutes >= special.minutes
        ]
        if not rooms:
            self.homeless.append(special)
            return
        for slot in range(special.per_week):
            activity = self._activity(
                Kind.SPECIAL,
                f"{special.id}/{self.week_start}/{slot}",
                None,
                rooms,
                special.minutes,
                special.minutes,
                special=special,
                slot=slot,
            )
            self.specials.append(activity)

    def add_rerun(self, premiere: Activity) -> Activity:
        """The optional rerun of a premiere, in its grade's rooms the same day."""
        assert premiere.course is not None and premiere.day is not None
        rooms = [p.room for p in premiere.placements]
        rerun = self._activity(
            Kind.RERUN,
            f"{premiere.key}/rerun",
            premiere.day,
            rooms,
            premiere.size,
            premiere.size_value,
            grade=premiere.grade,
            course=premiere.course,
            slot=premiere.slot,
            premiere=premiere,
        )
        self.model.add(rerun.present <= premiere.present)
        key = (premiere.course.id, premiere.day, premiere.slot)
        self.reruns[key] = rerun
        rate = rerun_rate(self.scenario, premiere.course)
        if rate:
            self.objective_terms += [rate * p.minutes for p in rerun.placements]
        return rerun

    def pinned(self) -> list[Activity]:
        """Pinned items of the week as fixed activities (created once)."""
        if self._pinned is None:
            self._pinned = []
            for item in self.scenario.pinned:
                if item.day not in self.week:
                    continue
                channel = self.scenario.channel(item.channel)
                shift = channel.utc_shift(item.day, item.span.start)
                room = Room(
                    item.channel,
                    item.day,
                    item.span.start,
                    item.span.end,
                    shift,
                    self.scenario.rules.reruns.daypart(item.span.start),
                    frozenset(),
                )
                activity = self._activity(
                    Kind.PINNED,
                    f"pinned/{item.id}",
                    item.day,
                    [room],
                    item.span.minutes,
                    item.span.minutes,
                    pinned=item,
                )
                literal = self.guard(
                    Guard(
                        "pinned",
                        f"pinned {item.id!r} ({item.title}) at {item.day} {item.span.label}",
                        channel=item.channel,
                        day=item.day,
                    )
                )
                self.model.add(activity.present == 1).only_enforce_if(literal)
                self._pinned.append(activity)
        return self._pinned

    # -- views for rule modules -------------------------------------------------------------------
    def lessons(self) -> list[Activity]:
        return [*self.premieres.values(), *self.reruns.values()]

    def activities(self) -> list[Activity]:
        return [*self.premieres.values(), *self.reruns.values(), *self.specials, *self.pinned()]

    def start_among(self, activity: Any, starts: list[int], when: cp_model.IntVar) -> None:
        """``activity`` starts at one of ``starts`` (week axis minutes) when ``when`` holds."""
        self.model.add_linear_expression_in_domain(
            activity.start, cp_model.Domain.from_values(starts)
        ).only_enforce_if(when)

    def guard(self, guard: Guard) -> list[cp_model.IntVar]:
        """An enforcement literal list for a switchable constraint (empty when not explaining)."""
        if not self.explain:
            return []
        literal = self.model.new_bool_var(f"guard/{len(self.guards)}")
        self.guards.append((literal, guard))
        return [literal]


def hint_week(m: WeekModel, placed: list[Any]) -> None:
    """Give CP-SAT a starting schedule (e.g. the greedy one) as a hint on every activity."""
    chosen: dict[int, tuple[Placement, int]] = {}
    specials: dict[str, list[Any]] = {}
    for item in placed:
        day = m.week[item.day_index]
        if item.kind is Kind.LESSON:
            activity = m.premieres.get((item.ref, day, item.slot))
        elif item.kind is Kind.RERUN:
            activity = m.reruns.get((item.ref, day, item.slot))
        elif item.kind is Kind.SPECIAL:
            specials.setdefault(item.ref, []).append(item)
            continue
        else:
            activity = next((a for a in m.pinned() if a.pinned and a.pinned.id == item.ref), None)
        _choose(m, activity, item, day, chosen)
    for special_id, items in specials.items():
        activities = [a for a in m.specials if a.special and a.special.id == special_id]
        for activity, item in zip(
            activities, sorted(items, key=lambda i: (i.day_index, i.start)), strict=False
        ):
            _choose(m, activity, item, m.week[item.day_index], chosen)
    for activity in m.activities():
        picked = chosen.get(id(activity))
        m.model.add_hint(activity.present, picked is not None)
        for placement in activity.placements:
            m.model.add_hint(placement.present, picked is not None and picked[0] is placement)
        if picked is not None:
            m.model.add_hint(activity.start, picked[1])


def _choose(
    m: WeekModel,
    activity: Activity | None,
    item: Any,
    day: date,
    chosen: dict[int, tuple[Placement, int]],
) -> None:
    if activity is None:
        return
    for placement in activity.placements:
        room = placement.room
        if (
            room.channel == item.channel
            and room.day == day
            and room.start <= item.start
            and item.end <= room.end
        ):
            chosen[id(activity)] = (placement, room.axis(item.start, m.week_start))
            return


def _conforms(m: WeekModel) -> IntervalModel:
    """The week model is the interval model the rules post onto (checked by mypy)."""
    return m
