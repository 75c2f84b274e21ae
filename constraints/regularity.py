"""Timetable regularity: a grade's lessons follow a 课表 (2020: "同一学段、同一课表",
"按照课表播出"). Applies when ``timetable.mode = "template"``.

For grade g, let R(g) be its *regular* lesson days: calendar lesson days from its term start
that :func:`irregular_days` does not exempt. For premieres p of g on days of R(g):

    (a) fixed periods P(g):      start(p) ∈ {start(π) : π ∈ P(g)}  (on the periods' channel)
    (b) one set of periods a week, without fixed periods: ∀ ISO week w, d ∈ R(g) ∩ w:
            starts(g, d) ⊆ starts(g, busiest(g, w))
        where starts(g, d) are the clock times of g's premieres on d and busiest(g, w) the day
        of w with most premieres (the earliest on a tie);
    (c) a course keeps its period week to week: ∀ course c of g, days d, d' ∈ R(g) following
        the same timetable weekday:  starts(c, d) ⊆ starts(c, first such day with c)

Irregular days (the week of a holiday on a lesson weekday, a make-up workday, a day with a
pinned item on one of g's channels, a day with dated broadcast windows on them, the week of an
outage of one of them, a partial term-start week) are exempt; :func:`deviations` lists what
differs on them, for the report.

Posting: the periods engine (``scheduler/solver/periods.py``) chooses one set of periods for
all weeks; the week grid (:func:`post_grid`) then puts lessons into them, one airing per
period and day, each course at one period all week, which gives (b) and (c); the interval
model (:func:`post`) holds (a) (start domains at the period starts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from constraints import rest
from constraints._timeline import Airing, airings, lessons_by_grade
from constraints.base import Violation
from constraints.engine import INF, IntervalModel, LinearModel
from scheduler.domain.model import WEEKDAY_ZH, Scenario, format_clock
from scheduler.domain.schedule import Kind, Schedule

NAME = "regularity"
TITLE = "lessons at the grade's periods, a course at its period every week"


@dataclass(frozen=True, slots=True, order=True)
class Deviation:
    """A day that differs from the template, and why: a calendar day (``grade`` None) or a
    grade's lessons off its periods on an exempt day."""

    day: date
    grade: int | None
    reason: str
    lessons: tuple[str, ...] = ()

    def __str__(self) -> str:
        who = f" grade {self.grade}" if self.grade is not None else ""
        moved = f": {', '.join(self.lessons)} off the timetable" if self.lessons else ""
        return f"{self.day} ({WEEKDAY_ZH[self.day.weekday()]}){who} — {self.reason}{moved}"


def irregular_days(scenario: Scenario, grade: int) -> dict[date, str]:
    """Days of the horizon on which ``grade`` may deviate from its template, with the reason."""
    calendar = scenario.calendar
    channels = {c.id for c in scenario.channels_of(grade)}
    term_start = scenario.grade(grade).term_start
    found: dict[date, str] = {}
    for day in scenario.days:
        monday = day - timedelta(days=day.weekday())
        week = [monday + timedelta(days=i) for i in range(7)]
        holiday = next(
            (
                h.name
                for d in week
                for h in calendar.holidays
                if d in h and d.weekday() in calendar.lesson_weekdays
            ),
            None,
        )
        pin = next(
            (p.title for p in scenario.pinned if p.day == day and p.channel in channels), None
        )
        dated = any(day in w.dates for c in scenario.channels_of(grade) for w in c.windows)
        outage = next(
            (
                o.label
                for c in scenario.channels_of(grade)
                for o in c.outages
                for d in week
                if o.covers(d)
            ),
            None,
        )
        late = monday <= term_start <= monday + timedelta(days=6) and any(
            scenario.is_lesson_day(d) for d in week if d < term_start
        )
        reason = (
            calendar.deviation(day)
            if any(w.day == day for w in calendar.workdays)
            else f"{holiday}所在周"
            if holiday is not None
            else f"固定节目：{pin}"
            if pin is not None
            else "特别播出时段"
            if dated
            else f"停播所在周（{outage}）"
            if outage is not None
            else f"开学周（{term_start} 开课）"
            if late
            else None
        )
        if reason is not None:
            found[day] = reason
    return found


def regular_days(scenario: Scenario, grade: int) -> tuple[date, ...]:
    """The grade's lesson days that follow its template (R(g) of the module docstring)."""
    exempt = irregular_days(scenario, grade)
    on_air = scenario.grade(grade).on_air
    return tuple(
        day
        for day in scenario.days
        if scenario.is_lesson_day(day) and on_air(day) and day not in exempt
    )


def template_starts(
    scenario: Scenario, grade: int, starts: Iterable[tuple[date, int]]
) -> tuple[int, ...]:
    """The grade's periods as clock minutes: its fixed periods, else the most common start
    times of its premieres (``starts``: broadcast day and clock minute of each) on regular
    lesson days, as many as its busiest such day has."""
    plan = scenario.timetable.fixed_for(grade)
    if plan is not None:
        return tuple(sorted(span.start for span in plan.spans))
    regular = set(regular_days(scenario, grade))
    by_day: dict[date, set[int]] = defaultdict(set)
    for day, start in starts:
        if day in regular:
            by_day[day].add(start)
    counts = Counter(start for starts in by_day.values() for start in starts)
    size = max((len(starts) for starts in by_day.values()), default=0)
    chosen = sorted(counts, key=lambda start: (-counts[start], start))[:size]
    return tuple(sorted(chosen))


def post(m: IntervalModel) -> None:
    """(a): a premiere of a grade with fixed periods starts at one of them."""
    scenario = m.scenario
    if scenario.timetable.mode != "template":
        return
    exempt: dict[int, dict[date, str]] = {}
    for activity in m.premieres.values():
        grade = activity.grade or 0
        plan = scenario.timetable.fixed_for(grade)
        if plan is None or activity.day is None:
            continue
        if grade not in exempt:
            exempt[grade] = irregular_days(scenario, grade)
        if activity.day in exempt[grade]:
            continue
        for placement in activity.placements:
            room = placement.room
            if plan.channel is not None and room.channel != plan.channel:
                m.model.add(placement.present == 0)
                continue
            starts = [
                room.axis(s.start, m.week_start)
                for s in plan.spans
                if room.start <= s.start < room.end
            ]
            if not starts:
                m.model.add(placement.present == 0)
                continue
            m.start_among(activity, starts, placement.present)


def post_grid(g: LinearModel) -> None:
    """Periods (template mode): one airing per period and day, and each course's premieres
    (and its reruns) at one period all week, so a course keeps its clock time; a lesson moved
    into another grade's period keeps its rests (:func:`constraints.rest.post_grid_stand_ins`)."""
    if g.periods is None:
        return
    by_room: dict[tuple[str, date, int], list[int]] = defaultdict(list)
    by_course: dict[tuple[Kind, str, int], list[int]] = defaultdict(list)
    moved: dict[tuple[int | None, date], list[int]] = defaultdict(list)
    starts: dict[str, set[int]] = defaultdict(set)
    for of_grade in g.periods.values():
        for period in of_grade:
            starts[period.channel].add(period.span.start)
    for index, cell in enumerate(g.cells):
        room = cell.room
        if room.period > 0:
            by_room[(room.channel, room.day, room.start)].append(index)
            by_course[(cell.kind, cell.ref, room.start)].append(index)
        elif room.period < 0:  # another grade's period, or two back to back
            for start in starts[room.channel]:
                if room.start <= start < room.end:
                    by_room[(room.channel, room.day, start)].append(index)
            moved[(cell.grade, room.day)].append(index)
    for (channel, day, start), ids in by_room.items():
        g.row(-INF, 1, ids, [1] * len(ids), f"period {channel} {day} {start}")
    rest.post_grid_stand_ins(g, moved)
    chosen: dict[tuple[Kind, str], list[int]] = defaultdict(list)
    for (kind, ref, _), ids in sorted(by_course.items()):
        column = g.extra(0, 1, 0)
        g.usage.append((column, ids))
        chosen[(kind, ref)].append(column)
        for i in ids:
            g.row(-INF, 0, [i, column], [1, -1], f"keeps period {ref} {i}")
    for (kind, ref), columns in chosen.items():
        g.row(-INF, 1, columns, [1] * len(columns), f"one period {kind} {ref}")


def _premieres(scenario: Scenario, schedule: Schedule) -> dict[int, list[Airing]]:
    known = set(scenario.grade_numbers)
    grouped = lessons_by_grade(airings(scenario, schedule, Kind.LESSON))
    return {grade: items for grade, items in grouped.items() if grade in known}


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    if scenario.timetable.mode != "template":
        return []
    found: list[Violation] = []
    for grade, items in sorted(_premieres(scenario, schedule).items()):
        regular = set(regular_days(scenario, grade))
        mine = [a for a in items if a.day in regular]
        plan = scenario.timetable.fixed_for(grade)
        if plan is not None:
            found += _off_fixed(grade, mine, plan.channel, {s.start for s in plan.spans})
        else:
            found += _off_week(scenario, grade, mine)
        found += _off_course_period(scenario, grade, mine)
    return found


def _clocks(starts: set[int] | list[int]) -> str:
    return ", ".join(format_clock(start) for start in sorted(starts))


def _off_fixed(
    grade: int, mine: list[Airing], channel: str | None, starts: set[int]
) -> list[Violation]:
    found = []
    for airing in mine:
        if airing.start not in starts:
            found.append(
                airing.violation(
                    NAME,
                    f"{airing.programme.title} starts at {format_clock(airing.start)}, not at "
                    f"one of the grade's periods ({_clocks(starts)})",
                    grade=grade,
                )
            )
        elif channel is not None and airing.programme.channel != channel:
            found.append(
                airing.violation(
                    NAME,
                    f"{airing.programme.title} airs on {airing.programme.channel}, not on its "
                    f"periods' channel {channel}",
                    grade=grade,
                )
            )
    return found


def _off_week(scenario: Scenario, grade: int, mine: list[Airing]) -> list[Violation]:
    found = []
    week_of = {day: week[0] for week in scenario.weeks() for day in week}
    by_week: dict[date, dict[date, list[Airing]]] = defaultdict(lambda: defaultdict(list))
    for airing in mine:
        by_week[week_of[airing.day]][airing.day].append(airing)
    for _, days in sorted(by_week.items()):
        busiest = min(days, key=lambda day: (-len({a.start for a in days[day]}), day))
        periods = {a.start for a in days[busiest]}
        for day in sorted(days):
            for airing in days[day]:
                if airing.start not in periods:
                    found.append(
                        airing.violation(
                            NAME,
                            f"{airing.programme.title} starts at {format_clock(airing.start)}, "
                            f"off the grade's periods this week ({_clocks(periods)} on "
                            f"{busiest})",
                            grade=grade,
                        )
                    )
    return found


def _off_course_period(scenario: Scenario, grade: int, mine: list[Airing]) -> list[Violation]:
    found = []
    by_course: dict[tuple[str, int], dict[date, list[Airing]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for airing in mine:
        weekday = scenario.calendar.timetable_weekday(airing.day)
        if airing.programme.course and weekday is not None:
            by_course[(airing.programme.course, weekday)][airing.day].append(airing)
    for (_, weekday), days in sorted(by_course.items()):
        first = min(days)
        kept = {a.start for a in days[first]}
        for day in sorted(days):
            for airing in days[day]:
                if airing.start not in kept:
                    found.append(
                        airing.violation(
                            NAME,
                            f"{airing.programme.title} starts at {format_clock(airing.start)}; "
                            f"the course's {WEEKDAY_ZH[weekday]} period is {_clocks(kept)} "
                            f"(since {first})",
                            grade=grade,
                        )
                    )
    return found


def deviations(scenario: Scenario, schedule: Schedule) -> list[Deviation]:
    """What differs from the template, day by day: the calendar's own deviations (holidays on
    lesson weekdays, make-up workdays) and, per grade, premieres on its exempt days that start
    off its periods. Empty in ``free`` mode."""
    if scenario.timetable.mode != "template":
        return []
    found = [
        Deviation(day, None, reason)
        for day in scenario.days
        if (reason := scenario.calendar.deviation(day)) is not None
    ]
    for grade, items in sorted(_premieres(scenario, schedule).items()):
        periods = set(template_starts(scenario, grade, ((a.day, a.start) for a in items)))
        exempt = irregular_days(scenario, grade)
        off: dict[date, list[str]] = defaultdict(list)
        for airing in items:
            if airing.day in exempt and airing.start not in periods:
                off[airing.day].append(f"{format_clock(airing.start)} {airing.programme.title}")
        found += [
            Deviation(day, grade, exempt[day], tuple(lessons)) for day, lessons in off.items()
        ]
    return sorted(found, key=lambda d: (d.day, -1 if d.grade is None else d.grade))
