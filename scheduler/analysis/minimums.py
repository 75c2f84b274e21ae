"""Whether the weekly subject minimums can fit, by arithmetic alone (no solver): the pre-check
``skyclass validate`` and the solve report show.

Per grade g and ISO week w, with ``due`` from :mod:`constraints.subject_minimums`:

    need(g, w)  = Σ_c due(c, w) × minutes of c's next lessons
                  + rest × max(0, Σ_c due(c, w) − lesson days(g, w))
    offer(g, w) = Σ_{lesson days d of g in w} min(cap(g), minutes of g's lesson hours on d)

``need > offer`` means some subjects cannot get their minimum whatever else airs. The subjects
named are those left over when the minimums are packed shortest first; the change suggested is
the missing minutes spread over the week's lesson days, in the window whose growth gives the
grade most lesson airtime (:func:`window_to_grow`). Airtime taken by other grades is not
counted here (the solver's explanation and the report's "what did not fit" cover
competition), so passing this check does not promise a feasible week.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date

from constraints.subject_minimums import due, open_days
from scheduler.domain.airtime import window_label
from scheduler.domain.model import GRADE_NAMES, Course, Scenario, TimeRange
from scheduler.domain.rooms import week_lessons


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Exam subjects of a grade that cannot get their weekly minimum in a week."""

    grade: int
    week: date
    subjects: tuple[str, ...]
    need: int
    offer: int
    window: str
    days: int
    band_bound: bool = False  # the windows already fill the band's hours

    @property
    def missing(self) -> int:
        return self.need - self.offer

    @property
    def per_day(self) -> int:
        """Extra minutes a lesson day of the window that would fit them."""
        return math.ceil(self.missing / max(self.days, 1))

    def __str__(self) -> str:
        return (
            f"grade {self.grade} ({GRADE_NAMES.get(self.grade, self.grade)}), week of "
            f"{self.week}: {', '.join(self.subjects)} cannot get their weekly minimum: the "
            f"minimums need {self.need} min of lessons, its lesson hours offer {self.offer} "
            f"min; +{self.per_day} min of {self.window} on each of its {self.days} lesson "
            "day(s) would fit them"
            + (" (with the band's hours widened too)" if self.band_bound else "")
        )


def shortfalls(scenario: Scenario) -> list[Shortfall]:
    """Every grade and week whose subject minimums exceed its own lesson airtime."""
    found: list[Shortfall] = []
    rest = scenario.rules.rest.minutes
    for grade in scenario.grade_numbers:
        courses = [c for c in scenario.courses_of(grade) if scenario.min_per_week(c)]
        if not courses:
            continue
        progress = {c.id: c.progress for c in courses}
        cap = scenario.band_of(grade).daily_cap_minutes
        for week in scenario.weeks():
            days = open_days(scenario, grade, week)
            needs = sorted(
                ((_minutes(scenario, c, week, progress), c) for c in courses),
                key=lambda pair: (pair[0], pair[1].id),
            )
            lessons = sum(due(scenario, c, week, progress) for c in courses)
            need = sum(m for m, _ in needs) + rest * max(0, lessons - len(days))
            offer = sum(
                min(
                    cap,
                    sum(
                        p.minutes
                        for ch in scenario.channels_of(grade)
                        for p in scenario.lesson_hours(grade, ch, day)
                    ),
                )
                for day in days
            )
            for course in courses:
                progress[course.id] += due(scenario, course, week, progress)
            if need <= offer:
                continue
            packed, left = 0, []
            for minutes, course in needs:
                if packed + minutes <= offer:
                    packed += minutes
                else:
                    left.append(course.subject)
            found.append(
                Shortfall(
                    grade,
                    week[0],
                    tuple(left) or (needs[-1][1].subject,),
                    need,
                    offer,
                    window_to_grow(scenario, grade, days),
                    len(days),
                    not can_grow(scenario, grade, days),
                )
            )
    return found


def _minutes(
    scenario: Scenario, course: Course, week: tuple[date, ...], progress: dict[str, int]
) -> int:
    owed = due(scenario, course, week, progress)
    return sum(lesson.minutes for lesson in week_lessons(scenario, course, progress)[:owed])


def window_to_grow(scenario: Scenario, grade: int, days: tuple[date, ...]) -> str:
    """The window whose growth would give ``grade`` the most lesson airtime over ``days``: the
    one with most band hours right next to it that no window covers (a window already filling
    the band's hours cannot help), the one with most lesson hours on a tie."""
    room: Counter[str] = Counter()
    hours: Counter[str] = Counter()
    band = scenario.band_of(grade).hours
    for day in days:
        for channel in scenario.channels_of(grade):
            spans = channel.spans_on(day)
            for span in spans:
                label = window_label(channel, day, span)
                hours[label] += sum(
                    piece.minutes
                    for piece in scenario.lesson_hours(grade, channel, day)
                    if span.covers(piece.start, piece.end)
                )
                room[label] += sum(_free_edge(span, allowed, spans) for allowed in band)
    if not hours:
        return "its windows"
    return max(sorted(hours), key=lambda label: (room[label], hours[label]))


def can_grow(scenario: Scenario, grade: int, days: tuple[date, ...]) -> bool:
    """Whether some window of the grade's channels has band hours next to it that no window
    covers, i.e. whether more airtime alone (without wider band hours) could help the grade."""
    band = scenario.band_of(grade).hours
    return any(
        _free_edge(span, allowed, channel.spans_on(day))
        for day in days
        for channel in scenario.channels_of(grade)
        for span in channel.spans_on(day)
        for allowed in band
    )


def _free_edge(span: TimeRange, allowed: TimeRange, spans: tuple[TimeRange, ...]) -> int:
    """Band-hour minutes adjoining ``span`` (before and after it) that no window covers."""
    if not (allowed.start <= span.end and span.start <= allowed.end):
        return 0
    before = max((s.end for s in spans if s.end <= span.start), default=allowed.start)
    after = min((s.start for s in spans if s.start >= span.end), default=allowed.end)
    return max(0, span.start - max(allowed.start, before)) + max(
        0, min(allowed.end, after) - span.end
    )


__all__ = ["Shortfall", "can_grow", "shortfalls", "window_to_grow"]
