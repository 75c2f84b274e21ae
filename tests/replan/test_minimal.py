"""The re-plan changes as little as possible: on tiny weeks every placement on the lesson lattice
is enumerated and checked, and none that passes every rule changes less; random disruptions
never move the past or a frozen airing they do not hit, and every re-plan passes the checker."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constraints import RULES
from scheduler.domain.changes import Move, diff, summary
from scheduler.domain.disruptions import Outage
from scheduler.domain.fill import fill
from scheduler.domain.model import Pinned, Scenario, TimeRange
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day
from scheduler.solver.replan import replan
from tests.builders import CHANNEL, MONDAY, course, scenario, solved, span

#: Lexicographic change cost: drops, then moves to another day, time, channel.
ORDER = (Move.DROPPED, Move.DAY, Move.TIME, Move.CHANNEL)
SLOTS = ("08:00", "08:20", "08:40")


def _week() -> tuple[Scenario, Schedule]:
    """Five days of a one-hour window holding three 20-minute lessons; two courses of one grade,
    at most one lesson of each a day: two lessons a day, a third slot free."""
    subject = scenario(
        windows=("08:00-09:00",), days=5, courses=(course("c", 1, 20, 20), course("d", 1, 20, 20))
    )
    result = solved(subject)
    assert result.schedule is not None
    return subject, result.schedule


WEEK = _week()


def _cost(subject: Scenario, before: Schedule, after: Schedule) -> tuple[int, ...]:
    counts = summary(diff(subject, before, after))
    return tuple(counts[move.value] for move in ORDER)


def _valid(subject: Scenario, schedule: Schedule) -> bool:
    return not any(rule.violations(subject, schedule) for rule in RULES)


def _candidates(subject: Scenario, published: Schedule, today: date) -> list[Schedule]:
    """Every schedule keeping the published airings before ``today`` and putting, on each later
    day, any of the courses (each at most once) into any of the three slots."""
    channel = subject.channel(CHANNEL)
    past = [
        p
        for p in published
        if p.kind is not Kind.FILLER and broadcast_day(subject, p)[0] < today  # type: ignore[index]
    ]
    progress = {c.id: 0 for c in subject.courses}
    for p in past:
        if p.kind is Kind.LESSON and p.course is not None:
            progress[p.course] += 1
    days = [d for d in subject.days if d >= today]
    per_day = [
        [
            choice
            for choice in itertools.product((None, "c", "d"), repeat=len(SLOTS))
            if all(choice.count(x) <= 1 for x in ("c", "d"))
        ]
        for _ in days
    ]
    found = []
    for plan in itertools.product(*per_day):
        counts = dict(progress)
        programmes = list(past)
        for day, choice in zip(days, plan, strict=True):
            for slot, ref in zip(SLOTS, choice, strict=True):
                if ref is None:
                    continue
                counts[ref] += 1
                number = counts[ref]
                start = channel.instant(day, span(f"{slot}-09:00").start)
                programmes.append(
                    Programme(
                        start,
                        start + timedelta(minutes=20),
                        CHANNEL,
                        f"{ref}-l{number:03d}",
                        Kind.LESSON,
                        subject.course(ref).lessons[number - 1].title,
                        (1,),
                        subject="数学",
                        course=ref,
                        lesson=number,
                    )
                )
        pins = [
            Programme(
                channel.instant(p.day, p.span.start),
                channel.instant(p.day, p.span.end),
                CHANNEL,
                p.id,
                Kind.PINNED,
                p.title,
                p.grades,
                item=p.id,
            )
            for p in subject.pinned
            if p.day >= today
        ]
        programmes += pins
        programmes += fill(subject, programmes)
        found.append(Schedule(tuple(programmes)))
    return found


def _brute_force(subject: Scenario, today: date) -> None:
    published = WEEK[1]
    result = replan(subject, published, today=today, freeze_days=0, time_limit=10)
    assert result.schedule is not None
    assert _valid(subject, result.schedule)
    ours = _cost(subject, published, result.schedule)
    best = min(
        _cost(subject, published, candidate)
        for candidate in _candidates(subject, published, today)
        if _valid(subject, candidate)
    )
    assert ours <= best, (ours, best)


def test_a_pin_over_a_lesson_costs_the_least_possible() -> None:
    """A 20-minute pin on Thursday at 08:00: whatever aired there moves to the free slot of the
    day (a change of time), nothing else changes."""
    pin = Pinned("relay", CHANNEL, MONDAY + timedelta(days=3), span("08:00-08:20"), "直播")
    _brute_force(WEEK[0].replace(pinned=(pin,)), MONDAY + timedelta(days=3))


def test_an_outage_costs_the_least_possible() -> None:
    """Thursday 08:00–08:40 off air: one slot is left, so one of the day's lessons goes."""
    subject = WEEK[0]
    thursday = MONDAY + timedelta(days=3)
    outage = Outage(CHANNEL, thursday, thursday, 480, 520)
    channel = replace(subject.channel(CHANNEL), outages=(outage,))
    _brute_force(subject.replace(channels=(channel,)), thursday)


# -- random disruptions ----------------------------------------------------------------------
@st.composite
def disruptions(draw: st.DrawFn) -> tuple[Scenario, date, int]:
    subject = WEEK[0]
    today = MONDAY + timedelta(days=draw(st.integers(1, 4)))
    later = st.integers((today - MONDAY).days, 4).map(lambda n: MONDAY + timedelta(days=n))
    kind = draw(st.sampled_from(("pin", "outage", "term_end", "late")))
    if kind == "pin":
        start = draw(st.sampled_from((480, 500, 520)))
        pin = Pinned(
            "relay",
            CHANNEL,
            draw(later),
            TimeRange(start, start + 20),
            "直播",
        )
        subject = subject.replace(pinned=(pin,))
    elif kind == "outage":
        day = draw(later)
        start = draw(st.sampled_from((480, 500, 520)))
        length = draw(st.sampled_from((20, 40, 60)))
        outage = Outage(CHANNEL, day, day, start, min(start + length, 540))
        channel = replace(subject.channel(CHANNEL), outages=(outage,))
        subject = subject.replace(channels=(channel,))
    elif kind == "term_end":
        subject = subject.replace(grades=(replace(subject.grades[0], term_end=draw(later)),))
    else:
        which = draw(st.sampled_from(("c", "d")))
        aired = sum(
            1
            for p in WEEK[1]
            if p.course == which and p.kind is Kind.LESSON and broadcast_day(subject, p)[0] < today  # type: ignore[index]
        )
        number = draw(st.integers(aired + 1, 10))  # a lesson not aired yet
        courses = tuple(
            replace(
                c,
                lessons=tuple(
                    replace(lesson, available_from=draw(later))
                    if lesson.number == number
                    else lesson
                    for lesson in c.lessons
                ),
            )
            if c.id == which
            else c
            for c in subject.courses
        )
        subject = subject.replace(courses=courses)
    return subject, today, draw(st.integers(0, 3))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disruptions())
def test_random_disruptions_keep_the_past_and_the_frozen_days(
    case: tuple[Scenario, date, int],
) -> None:
    subject, today, freeze = case
    published = WEEK[1]
    result = replan(subject, published, today=today, freeze_days=freeze, time_limit=10)
    assert result.schedule is not None, result.explanation
    violations = [v for rule in RULES for v in rule.violations(subject, result.schedule)]
    assert violations == [], (subject.pinned, subject.channels[0].outages, violations)

    def day(p: Programme) -> date:
        return broadcast_day(subject, p)[0]  # type: ignore[index]

    def place(p: Programme) -> tuple[object, ...]:
        return (p.channel, p.start, p.end, p.kind, p.course, p.item)

    assert {p for p in published if day(p) < today} == {
        p for p in result.schedule if day(p) < today
    }
    frozen_until = today + timedelta(days=freeze)
    kept = {place(p) for p in result.schedule}
    for p in published:
        if p.kind in (Kind.FILLER, Kind.PINNED) or not today <= day(p) < frozen_until:
            continue
        hit = _valid_alone(subject, p, day(p))
        if hit:
            assert place(p) in kept, p


def _valid_alone(subject: Scenario, p: Programme, on: date) -> bool:
    """Whether a frozen airing is untouched by the disruption: inside the day's windows, clear
    of every pin, its grade still on air; a lesson keeps its slot, maybe renumbered."""
    where = broadcast_day(subject, p)
    assert where is not None
    _, start, end = where
    if not any(s.covers(start, end) for s in subject.channel(p.channel).spans_on(on)):
        return False
    if any(
        pin.day == on and pin.span.start < end and start < pin.span.end for pin in subject.pinned
    ):
        return False
    if any(not subject.grade(g).on_air(on) for g in p.grades):
        return False
    return not any(
        lesson.available_from is not None and lesson.available_from > on
        for c in subject.courses
        if c.id == p.course
        for lesson in c.lessons
    )
