"""What a re-plan changed: every airing of two editions classified, the one diff of schedules.

Fillers are left out (they only cover the minutes between airings). The other airings are
matched in three passes, each on what is still unmatched:

1. **kept**: same channel, start, end and the same lesson (or special, or pinned item);
2. **retitled**: the same slot (channel and start) of the same course or item now carries
   another lesson (course progress moved on after an earlier change);
3. **moved**: the same lesson (course and number; a special: its item in the same ISO week;
   a pinned item: its id) elsewhere: to another **day**, else another **time** the same day,
   else another **channel** at the same time.

What is left of the earlier edition was **dropped**; what is left of the later one was
**added**. ``grade_days`` counts the grades' broadcast days that changed (a grade whose day
changed gets a correction).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day

if TYPE_CHECKING:
    from scheduler.domain.model import Scenario


class Move(StrEnum):
    """How one airing fared between two editions, from no change to the worst."""

    KEPT = "kept"
    RETITLED = "retitled"
    CHANNEL = "channel"
    TIME = "time"
    DAY = "day"
    ADDED = "added"
    DROPPED = "dropped"


#: The order of the re-plan's objective: a drop weighs most, then a move to another day, to
#: another time, to another channel (issue 12); retitles and additions follow from those.
SEVERITY = (Move.DROPPED, Move.DAY, Move.TIME, Move.CHANNEL, Move.RETITLED, Move.ADDED)


@dataclass(frozen=True, slots=True)
class Change:
    """One airing's fate: ``before`` in the earlier edition, ``after`` in the later one (None
    when dropped or added), with the broadcast day of each and the grades it is for."""

    move: Move
    before: Programme | None
    after: Programme | None
    day: date  # broadcast day of ``before`` (of ``after`` when added)
    new_day: date | None  # broadcast day of ``after``; None when dropped
    grades: tuple[int, ...]  # () = every grade (an all-grade special or pinned item)

    @property
    def changed(self) -> bool:
        return self.move is not Move.KEPT

    @property
    def days(self) -> tuple[date, ...]:
        """The broadcast days this change touches (one, or two for a move to another day)."""
        found = [self.day]
        if self.new_day is not None and self.new_day != self.day:
            found.append(self.new_day)
        return tuple(found)

    @property
    def title(self) -> str:
        shown = self.after if self.after is not None else self.before
        assert shown is not None
        return shown.title

    def to_record(self) -> dict[str, Any]:
        """The change as plain data (``changes.json``)."""

        def side(programme: Programme | None) -> dict[str, Any] | None:
            if programme is None:
                return None
            return {
                "id": programme.id,
                "channel": programme.channel,
                "start": programme.start.isoformat(),
                "end": programme.end.isoformat(),
                "kind": programme.kind.value,
                "title": programme.title,
                "course": programme.course,
                "lesson": programme.lesson,
                "item": programme.item,
            }

        return {
            "change": self.move.value,
            "day": self.day.isoformat(),
            "new_day": None if self.new_day is None else self.new_day.isoformat(),
            "grades": list(self.grades),
            "before": side(self.before),
            "after": side(self.after),
        }

    def __str__(self) -> str:
        def at(programme: Programme, day: date) -> str:
            return f"{day} {programme.start.strftime('%H:%M')} {programme.channel}"

        if self.before is None:
            assert self.after is not None and self.new_day is not None
            return f"added    {at(self.after, self.new_day)} {self.after.title}"
        if self.after is None:
            return f"dropped  {at(self.before, self.day)} {self.before.title}"
        assert self.new_day is not None
        if self.move is Move.KEPT:
            return f"kept     {at(self.after, self.new_day)} {self.after.title}"
        if self.move is Move.RETITLED:
            return (
                f"retitled {at(self.after, self.new_day)} {self.before.title} → {self.after.title}"
            )
        return (
            f"{self.move.value:<8} {self.before.title}: {at(self.before, self.day)} → "
            f"{at(self.after, self.new_day)}"
        )


def diff(scenario: Scenario, before: Schedule, after: Schedule) -> tuple[Change, ...]:
    """Every airing of both editions (fillers aside) classified; see the module docstring.

    Sorted by broadcast day, then the time of the earlier edition's airing (else the later's).
    """
    old = [_located(scenario, p) for p in before if p.kind is not Kind.FILLER]
    new = [_located(scenario, p) for p in after if p.kind is not Kind.FILLER]
    changes: list[Change] = []
    old_left, new_left = _pair(
        old, new, lambda a: (_identity(a[0]), a[0].channel, a[0].start, a[0].end), changes, _kept
    )
    old_left, new_left = _pair(
        old_left, new_left, lambda a: (_series(a[0]), a[0].channel, a[0].start), changes, _retitle
    )
    old_left, new_left = _pair(old_left, new_left, lambda a: _anywhere(a[0]), changes, _moved)
    old_left, new_left = _pair(old_left, new_left, lambda a: _weekly(a[0], a[1]), changes, _moved)
    for programme, day in old_left:
        changes.append(Change(Move.DROPPED, programme, None, day, None, programme.grades))
    for programme, day in new_left:
        changes.append(Change(Move.ADDED, None, programme, day, day, programme.grades))
    changes.sort(key=_order)
    return tuple(changes)


def summary(changes: Iterable[Change]) -> dict[str, int]:
    """How many airings each kind of change concerns, the airings changed in all, and the
    grades' broadcast days touched (``grade_days``)."""
    listed = list(changes)
    counts = Counter(change.move for change in listed)
    result = {move.value: counts.get(move, 0) for move in Move}
    result["changed"] = sum(1 for change in listed if change.changed)
    result["grade_days"] = len(grade_days(listed))
    return result


def grade_days(changes: Iterable[Change], grades: Iterable[int] = ()) -> set[tuple[int, date]]:
    """The (grade, broadcast day) pairs a change touches; an all-grade item touches ``grades``."""
    every = tuple(grades)
    found: set[tuple[int, date]] = set()
    for change in changes:
        if not change.changed:
            continue
        for grade in change.grades or every:
            for day in change.days:
                found.add((grade, day))
    return found


def changed(changes: Iterable[Change]) -> tuple[Change, ...]:
    """The changes that are not ``kept``."""
    return tuple(change for change in changes if change.changed)


# -- matching --------------------------------------------------------------------------------
Located = tuple[Programme, date]


def _located(scenario: Scenario, programme: Programme) -> Located:
    where = broadcast_day(scenario, programme)
    day = where[0] if where is not None else programme.start.date()
    return programme, day


def _identity(programme: Programme) -> tuple[Any, ...]:
    """What an airing is: a lesson (premiere or rerun) by course and number, a special or
    pinned item by its item id."""
    if programme.kind in (Kind.LESSON, Kind.RERUN):
        return (programme.kind, programme.course, programme.lesson)
    return (programme.kind, programme.item or programme.id)


def _anywhere(programme: Programme) -> tuple[Any, ...]:
    """The key of an airing that may be matched on any day: not a special (it is one of its
    week's quota, :func:`_weekly`)."""
    if programme.kind is Kind.SPECIAL:
        return ("unmatched", programme.id)
    return _identity(programme)


def _series(programme: Programme) -> tuple[Any, ...]:
    """The series an airing belongs to: its course (lessons and reruns apart) or item."""
    if programme.kind in (Kind.LESSON, Kind.RERUN):
        return (programme.kind, programme.course)
    return (programme.kind, programme.item or programme.id)


def _weekly(programme: Programme, day: date) -> tuple[Any, ...]:
    """A special is one of its week's quota: matched by item and ISO week."""
    if programme.kind is Kind.SPECIAL:
        year, week, _ = day.isocalendar()
        return (programme.kind, programme.item, year, week)
    return ("unmatched", programme.id)


def _pair(
    old: list[Located],
    new: list[Located],
    key: Any,
    changes: list[Change],
    make: Any,
) -> tuple[list[Located], list[Located]]:
    """Match airings with equal keys, nearest in time first; returns what stayed unmatched."""
    waiting: dict[Any, list[Located]] = defaultdict(list)
    for item in new:
        waiting[key(item)].append(item)
    left: list[Located] = []
    used: set[int] = set()
    for item in sorted(old, key=lambda a: (a[0].start, a[0].channel, a[0].id)):
        candidates = [c for c in waiting.get(key(item), []) if id(c) not in used]
        if not candidates:
            left.append(item)
            continue
        best = min(candidates, key=lambda c: (abs(c[0].start - item[0].start), c[0].id))
        used.add(id(best))
        changes.append(make(item, best))
    return left, [item for item in new if id(item) not in used]


def _kept(old: Located, new: Located) -> Change:
    return Change(Move.KEPT, old[0], new[0], old[1], new[1], old[0].grades)


def _retitle(old: Located, new: Located) -> Change:
    return Change(Move.RETITLED, old[0], new[0], old[1], new[1], old[0].grades)


def _moved(old: Located, new: Located) -> Change:
    before, after = old[0], new[0]
    if old[1] != new[1]:
        move = Move.DAY
    elif (before.start, before.end) != (after.start, after.end):
        move = Move.TIME
    elif before.channel != after.channel:
        move = Move.CHANNEL
    else:  # same place, other id (a special renumbered in its week)
        move = Move.KEPT
    return Change(move, before, after, old[1], new[1], before.grades)


def _order(change: Change) -> tuple[Any, ...]:
    shown = change.before if change.before is not None else change.after
    assert shown is not None
    return (change.day, shown.start, shown.channel, shown.id, change.move.value)


__all__ = ["SEVERITY", "Change", "Move", "changed", "diff", "grade_days", "summary"]
