"""What an edition published, airing by airing: stamps (UID, SEQUENCE), changes and the
edition's report, as the publication memory stores and the exporters read them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import GRADE_NAMES
from scheduler.domain.schedule import Kind, Programme

CHANGE_KINDS = ("added", "moved", "changed", "dropped")


def now() -> datetime:
    """The default publication clock: ``SOURCE_DATE_EPOCH`` when set, else the current second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise ScenarioError(
                f"{epoch!r} is not a number of seconds", field="SOURCE_DATE_EPOCH"
            ) from None
    return datetime.now(UTC).replace(microsecond=0)


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Stamp:
    """How an airing stands in the memory: its UID, SEQUENCE and two UTC instants."""

    uid: str
    sequence: int
    created: datetime
    last_modified: datetime


@dataclass(frozen=True, slots=True)
class Change:
    """One airing added, moved (other time or channel), changed (other title …) or dropped.

    ``previous`` is the airing as the previous edition published it (moved, changed, dropped),
    so corrections can say what families were told; the store keeps it, ``changes.json`` not.
    """

    what: str
    id: str
    uid: str
    channel: str
    title: str
    before: tuple[str, str] | None = None
    after: tuple[str, str] | None = None
    sequence: int = 0
    previous: Programme | None = None

    def to_record(self, *, stored: bool = False) -> dict[str, Any]:
        """The change as ``changes.json`` lists it; ``stored`` adds ``previous`` (the store's)."""
        record: dict[str, Any] = {
            "what": self.what,
            "id": self.id,
            "uid": self.uid,
            "channel": self.channel,
            "title": self.title,
            "before": list(self.before) if self.before else None,
            "after": list(self.after) if self.after else None,
            "sequence": self.sequence,
        }
        if stored and self.previous is not None:
            record["previous"] = json.loads(signature(self.previous))
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Change:
        before, after = record.get("before"), record.get("after")
        previous = record.get("previous")
        return cls(
            what=record["what"],
            id=record["id"],
            uid=record["uid"],
            channel=record["channel"],
            title=record["title"],
            before=(before[0], before[1]) if before else None,
            after=(after[0], after[1]) if after else None,
            sequence=int(record.get("sequence", 0)),
            previous=published(record["id"], previous) if isinstance(previous, list) else None,
        )


@dataclass(frozen=True, slots=True)
class Report:
    """What an edition changed since the previous edition of the same channels."""

    edition: int
    published_at: datetime
    scenario: str | None
    channels: tuple[str, ...]
    first: date
    last: date
    previous: int | None
    previous_at: datetime | None
    changes: tuple[Change, ...]
    airings: int = 0

    def of(self, what: str) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.what == what)

    def counts(self) -> dict[str, int]:
        return {what: len(self.of(what)) for what in CHANGE_KINDS}

    def to_record(self, *, stored: bool = False) -> dict[str, Any]:
        """The report as ``changes.json`` holds it; ``stored`` keeps each change's previous
        airing too (see :class:`Change`)."""
        return {
            "edition": self.edition,
            "published_at": iso_utc(self.published_at),
            "scenario": self.scenario,
            "channels": list(self.channels),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "previous": self.previous,
            "previous_at": iso_utc(self.previous_at) if self.previous_at else None,
            "airings": self.airings,
            "counts": self.counts(),
            "changes": [change.to_record(stored=stored) for change in self.changes],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Report:
        return cls(
            edition=int(record["edition"]),
            published_at=parse_instant(record["published_at"]),
            scenario=record.get("scenario"),
            channels=tuple(record["channels"]),
            first=date.fromisoformat(record["first"]),
            last=date.fromisoformat(record["last"]),
            previous=record.get("previous"),
            previous_at=parse_instant(record["previous_at"]) if record.get("previous_at") else None,
            changes=tuple(Change.from_record(c) for c in record["changes"]),
            airings=int(record.get("airings", 0)),
        )


def signature(programme: Programme) -> str:
    """What a viewer sees of an airing; a change in it bumps SEQUENCE. Ids are not part of it."""
    return json.dumps(
        [
            programme.channel,
            iso_utc(programme.start),
            iso_utc(programme.end),
            programme.kind.value,
            programme.title,
            list(programme.grades),
            programme.subject,
            programme.course,
            programme.lesson,
            programme.item,
        ],
        ensure_ascii=False,
    )


def published(ident: str, fields: list[Any]) -> Programme:
    """The airing ``ident`` as a :func:`signature` recorded it (no ``repeat_of``: a signature
    leaves it out)."""
    channel, start, end, kind, title, grades, subject, course, lesson, item = fields
    return Programme(
        start=parse_instant(start),
        end=parse_instant(end),
        channel=channel,
        id=ident,
        kind=Kind(kind),
        title=title,
        grades=tuple(grades),
        subject=subject,
        course=course,
        lesson=lesson,
        item=item,
    )


def label(programme: Programme) -> str:
    """How a changes report names an airing: ``"三年级数学 第5课：比例的意义"`` or its title."""
    if programme.is_lesson and programme.lesson is not None:
        grades = "、".join(GRADE_NAMES[g] for g in programme.grades)
        return f"{grades}{programme.subject or ''} 第{programme.lesson}课：{programme.title}"
    return programme.title


def slot_of(programme: Programme) -> tuple[str, str, str]:
    return programme.channel, iso_utc(programme.start), iso_utc(programme.end)


__all__ = [
    "CHANGE_KINDS",
    "Change",
    "Report",
    "Stamp",
    "iso_utc",
    "label",
    "now",
    "parse_instant",
    "published",
    "signature",
    "slot_of",
]
