"""The published edition seen from a re-plan's ``today``: what aired (kept as fact), each later
day's airings as the week engine places them, the periods and course times it published, and
whether a week of it still holds under the scenario (:mod:`scheduler.solver.replan`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from constraints.specials import quota
from scheduler.domain.model import Scenario, TimeRange
from scheduler.domain.rooms import Period, week_lessons
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day
from scheduler.solver.assemble import week_airings
from scheduler.solver.engine import Periods
from scheduler.solver.solve_types import Placed, WeekAnswer


@dataclass(frozen=True, slots=True)
class Aired:
    """A published airing on its broadcast day, as a week's answer places it."""

    programme: Programme
    day: date
    placed: Placed


class Edition:
    """The published airings sorted for a re-plan from ``today`` (see the module docstring)."""

    def __init__(self, scenario: Scenario, published: Schedule, today: date, seed: int) -> None:
        self.scenario = scenario
        self.published = published
        self.today = today
        self.weeks = scenario.weeks()
        self.past: list[Programme] = []
        self.by_day: dict[date, list[Aired]] = defaultdict(list)
        self.fillers: dict[date, list[Programme]] = defaultdict(list)
        self._locate()
        template = scenario.timetable.mode == "template"
        self.periods = _published_periods(scenario, published, seed) if template else None
        self.regular: dict[int, set[date]] = {}
        self.course_periods: dict[tuple[str, int], set[int]] = {}
        if self.periods is not None:
            self._learn_course_periods()

    def _learn_course_periods(self) -> None:
        """Each course's published clock times per timetable weekday, from the first regular
        day it aired on that weekday (the regularity rule's (c)): a re-solved week keeps them."""
        from constraints.regularity import regular_days

        scenario = self.scenario
        self.regular = {g: set(regular_days(scenario, g)) for g in scenario.grade_numbers}
        first: dict[tuple[str, int], date] = {}
        for day in sorted(self.by_day):
            weekday = scenario.calendar.timetable_weekday(day)
            if weekday is None:
                continue
            for a in self.by_day[day]:
                if a.placed.kind is not Kind.LESSON or a.programme.grade is None:
                    continue
                if day not in self.regular.get(a.programme.grade, set()):
                    continue
                key = (a.placed.ref, weekday)
                if first.setdefault(key, day) == day:
                    self.course_periods.setdefault(key, set()).add(a.placed.start)

    def _locate(self) -> None:
        """Sort the published airings: the past (kept as aired), and per future day."""
        slots: Counter[tuple[Kind, str, date]] = Counter()
        premiere_slot: dict[str, int] = {}
        located = []
        for programme in self.published:
            where = broadcast_day(self.scenario, programme)
            if where is None:
                day = programme.start.date()
                if day < self.today:
                    self.past.append(programme)
                continue  # a channel the scenario no longer has: dropped from today on
            located.append((programme, where))
        located.sort(key=lambda item: (item[1][0], item[1][1], item[0].channel, item[0].id))
        for programme, (day, start, end) in located:
            if day < self.today:
                if not self._aired(programme, day, start, end):
                    continue
                self.past.append(programme)
            if programme.kind is Kind.FILLER:
                self.fillers[day].append(programme)
                continue
            ref = _ref(programme)
            if ref is None:
                continue
            slot = 0
            if programme.kind is Kind.RERUN:
                if programme.repeat_of not in premiere_slot:
                    continue  # a rerun of a premiere of another day: not of the engine's shape
                slot = premiere_slot[programme.repeat_of]
            else:
                slot = slots[(programme.kind, ref, day)]
                slots[(programme.kind, ref, day)] += 1
                premiere_slot[programme.id] = slot
            week_start = self._week_of(day)[0] if self._week_of(day) else day
            self.by_day[day].append(
                Aired(
                    programme,
                    day,
                    Placed(
                        programme.kind,
                        ref,
                        (day - week_start).days,
                        slot,
                        programme.channel,
                        start,
                        end,
                    ),
                )
            )

    def _aired(self, programme: Programme, day: date, start: int, end: int) -> bool:
        """Whether a past airing went out: not inside a window the scenario declares off air
        (an outage); a published airing is otherwise fact."""
        channel = self.scenario.channel(programme.channel)
        return not any(o.hits(day, start, end) for o in channel.outages)

    def _week_of(self, day: date) -> tuple[date, ...]:
        for week in self.weeks:
            if week[0] <= day <= week[-1]:
                return week
        return ()

    def keeps(self, week: tuple[date, ...], progress: dict[str, int], aired: list[Aired]) -> bool:
        """Whether the week's published airings from today on all still hold."""
        scenario = self.scenario
        future = [a for a in aired if a.day >= self.today]
        pins = {
            (p.id, p.day, p.channel, p.span.start, p.span.end)
            for p in scenario.pinned
            if p.day in week and p.day >= self.today
        }
        published_pins = {
            (a.placed.ref, a.day, a.placed.channel, a.placed.start, a.placed.end)
            for a in future
            if a.placed.kind is Kind.PINNED
        }
        if pins != published_pins:
            return False
        for a in future:
            if not self.holds(a):
                return False
        counts: Counter[str] = Counter()
        for a in sorted(aired, key=lambda a: (a.day, a.programme.start)):
            if a.placed.kind is not Kind.LESSON:
                continue
            course = scenario.course(a.placed.ref)
            counts[course.id] += 1
            number = progress[course.id] + counts[course.id]
            if number > len(course.lessons) or a.day < self.today:
                if a.day >= self.today:
                    return False
                continue
            lesson = course.lessons[number - 1]
            if lesson.minutes != a.placed.end - a.placed.start:
                return False
            if lesson.available_from is not None and a.day < lesson.available_from:
                return False
        for course in scenario.courses:
            if counts[course.id] > len(week_lessons(scenario, course, progress)):
                return False
        specials = Counter(a.placed.ref for a in aired if a.placed.kind is Kind.SPECIAL)
        return all(specials[s.id] == quota(s, week, scenario) for s in scenario.specials)

    def holds(self, a: Aired) -> bool:
        """Whether one published airing may still air where it is under the scenario."""
        scenario = self.scenario
        item = a.placed
        try:
            channel = scenario.channel(item.channel)
        except KeyError:
            return False
        if item.kind is Kind.PINNED:
            return any(
                p.id == item.ref and p.day == a.day and p.channel == item.channel
                for p in scenario.pinned
            )
        if any(
            p.day == a.day
            and p.channel == item.channel
            and p.span.start < item.end
            and item.start < p.span.end
            for p in scenario.pinned
        ):
            return False
        if item.kind is Kind.SPECIAL:
            if item.ref not in {s.id for s in scenario.specials}:
                return False
            return any(s.covers(item.start, item.end) for s in channel.spans_on(a.day))
        if item.ref not in {c.id for c in scenario.courses}:
            return False
        grade = scenario.grade(scenario.course(item.ref).grade)
        if not grade.on_air(a.day) or not scenario.is_lesson_day(a.day):
            return False
        hours = scenario.lesson_hours(grade.number, channel, a.day)
        return any(h.covers(item.start, item.end) for h in hours)

    def renumbered(
        self, week: tuple[date, ...], progress: dict[str, int], aired: list[Aired]
    ) -> list[Programme]:
        """The week's published airings from today on, lessons numbered by the progress."""
        scenario = self.scenario
        counts: Counter[str] = Counter()
        renamed: dict[str, str] = {}
        found: list[Programme] = []
        for a in sorted(aired, key=lambda a: (a.day, a.programme.start, a.programme.id)):
            programme = a.programme
            if programme.kind is Kind.LESSON:
                course = scenario.course(a.placed.ref)
                counts[course.id] += 1
                number = progress[course.id] + counts[course.id]
                if number != programme.lesson:
                    identifier = f"{course.id}-l{number:03d}"
                    renamed[programme.id] = identifier
                    programme = replace(
                        programme,
                        id=identifier,
                        lesson=number,
                        title=course.lessons[number - 1].title,
                    )
            elif programme.kind is Kind.RERUN and programme.repeat_of in renamed:
                premiere = renamed[programme.repeat_of]
                course = scenario.course(a.placed.ref)
                number = int(premiere.rsplit("-l", 1)[1])
                programme = replace(
                    programme,
                    id=f"{premiere}-r",
                    repeat_of=premiere,
                    lesson=number,
                    title=course.lessons[number - 1].title,
                )
            if a.day >= self.today:
                found.append(programme)
        found += [p for day in week if day >= self.today for p in self.fillers.get(day, [])]
        return found

    def week_programmes(
        self,
        week: tuple[date, ...],
        progress: dict[str, int],
        answer: WeekAnswer,
        aired: list[Aired],
    ) -> list[Programme]:
        """The week's airings from today on, an unchanged one with its published id."""
        made = week_airings(self.scenario, [(week, progress, answer)])
        published = {_place(a.programme): a.programme for a in aired if a.day >= self.today}
        found: list[Programme] = []
        for programme in made:
            day = week[0]
            where = broadcast_day(self.scenario, programme)
            if where is not None:
                day = where[0]
            if day < self.today:
                continue
            same = published.pop(_place(programme), None)
            found.append(same if same is not None else programme)
        # a new special's id may be one a kept special already has (they are counted per week)
        return _unique_specials(found)


def _unique_specials(programmes: list[Programme]) -> list[Programme]:
    """Give a special whose id another airing already has the next free number of its week."""
    seen: set[str] = set()
    result = []
    ids = {p.id for p in programmes}
    for programme in sorted(programmes, key=lambda p: (p.start, p.channel, p.id)):
        if programme.kind is Kind.SPECIAL and programme.id in seen:
            stem = programme.id.rsplit("-", 1)[0]
            number = 1
            while f"{stem}-{number}" in ids or f"{stem}-{number}" in seen:
                number += 1
            programme = replace(programme, id=f"{stem}-{number}")
            ids.add(programme.id)
        seen.add(programme.id)
        result.append(programme)
    return result


def _place(programme: Programme) -> tuple[Any, ...]:
    return (
        programme.channel,
        programme.start,
        programme.end,
        programme.kind,
        programme.course,
        programme.lesson,
        programme.item if programme.kind is not Kind.LESSON else None,
    )


def _ref(programme: Programme) -> str | None:
    if programme.kind in (Kind.LESSON, Kind.RERUN):
        return programme.course
    return programme.item


def _published_periods(scenario: Scenario, published: Schedule, seed: int) -> Periods:
    """Each grade's periods as published: the clock times of its premieres on its regular
    days (the solver's choice for a grade with none)."""
    from constraints.regularity import irregular_days
    from scheduler.solver.periods import _length, _numbered, choose_periods

    starts: dict[int, set[tuple[str, int]]] = defaultdict(set)
    exempt = {g: irregular_days(scenario, g) for g in scenario.grade_numbers}
    for programme in published.of_kind(Kind.LESSON):
        where = broadcast_day(scenario, programme)
        grade = programme.grade
        if where is None or grade not in exempt or where[0] in exempt[grade]:
            continue
        starts[grade].add((programme.channel, where[1]))
    periods: dict[int, tuple[Period, ...]] = {}
    missing = False
    for grade in scenario.grade_numbers:
        plan = scenario.timetable.fixed_for(grade)
        if plan is not None or not starts.get(grade):
            missing = True
            continue
        length = _length(scenario, grade)
        periods[grade] = _numbered(
            [
                (channel, TimeRange(start, start + length))
                for channel, start in sorted(starts[grade])
            ]
        )
    if missing:
        chosen = choose_periods(scenario, seed=seed, budget=0.5)
        for grade in scenario.grade_numbers:
            periods.setdefault(grade, chosen.get(grade, ()))
    return periods


__all__ = ["Edition"]
