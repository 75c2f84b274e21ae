"""An airing (:class:`Programme`), what it is (:class:`Kind`), and its place on the planner's
clock (:func:`broadcast_day`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.domain.model import Scenario


class Kind(StrEnum):
    """What an airing is."""

    LESSON = "lesson"
    RERUN = "rerun"
    SPECIAL = "special"
    FILLER = "filler"
    PINNED = "pinned"


@dataclass(frozen=True, slots=True, order=True)
class Programme:
    """One airing on one channel: a half-open interval ``[start, end)`` of aware instants.

    ``course``/``lesson`` identify a lesson (premiere or rerun); ``repeat_of`` is the id of the
    premiere a rerun repeats; ``item`` is the id of the special, filler or pinned item.
    """

    start: datetime
    end: datetime
    channel: str
    id: str
    kind: Kind
    title: str
    grades: tuple[int, ...] = ()
    subject: str | None = None
    course: str | None = None
    lesson: int | None = None
    repeat_of: str | None = None
    item: str | None = None

    def __post_init__(self) -> None:
        # fixed UTC offsets: Python compares and subtracts two instants of one ZoneInfo by their
        # wall clocks, which is wrong across a daylight-saving change
        for name in ("start", "end"):
            instant: datetime = getattr(self, name)
            offset = instant.utcoffset()
            if offset is not None and not isinstance(instant.tzinfo, timezone):
                object.__setattr__(self, name, instant.astimezone(timezone(offset)))

    @property
    def minutes(self) -> int:
        """Real minutes on air."""
        return int((self.end - self.start).total_seconds() // 60)

    def is_for(self, grade: int) -> bool:
        """Whether the airing is meant for a grade: its lessons and reruns, and specials or
        pinned items for it or for all."""
        return grade in self.grades or (
            self.kind in (Kind.SPECIAL, Kind.PINNED) and not self.grades
        )

    @property
    def grade(self) -> int | None:
        """The single grade an airing is for, or None for all-grade or multi-grade items."""
        return self.grades[0] if len(self.grades) == 1 else None

    @property
    def is_lesson(self) -> bool:
        return self.kind in (Kind.LESSON, Kind.RERUN)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind.value,
            "title": self.title,
            "grade": self.grade,
            "grades": list(self.grades),
            "subject": self.subject,
            "course": self.course,
            "lesson": self.lesson,
            "repeat_of": self.repeat_of,
            "item": self.item,
        }


def broadcast_day(scenario: Scenario, programme: Programme) -> tuple[date, int, int] | None:
    """The broadcast day and wall-clock minutes ``[start, end)`` of an airing, or None: the one
    placement of an airing on the planner's clock, used by every rule, metric and export.

    An airing after midnight belongs to the previous day when that day's window runs past
    midnight; otherwise to its local date. The end is the start plus the real minutes on air,
    so an airing ending as the clocks change (``25:30-26:00`` on the night Berlin skips 02:00)
    reads back as written. None means the channel is unknown.
    """
    try:
        channel = scenario.channel(programme.channel)
    except KeyError:
        return None
    local = programme.start.astimezone(channel.zone).date()
    found = None
    for day in (local, local - timedelta(days=1)):
        first = channel.wall_minute(day, programme.start)
        if found is None:
            found = (day, first, first + programme.minutes)
        if any(span.start <= first < span.end for span in channel.spans_on(day)):
            return day, first, first + programme.minutes
    return found
