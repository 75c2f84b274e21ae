"""Working out an edition against what the publication memory holds (no I/O: the memory reads
the rows and writes the plan)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from exports.memory_store import unique_uid
from exports.published import (
    CHANGE_KINDS,
    Change,
    Report,
    Stamp,
    iso_utc,
    label,
    parse_instant,
    published,
    signature,
    slot_of,
)
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule, broadcast_day


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    uid: str
    channel: str
    day: str
    start: str
    end: str
    title: str
    signature: str
    sequence: int
    created: str
    last_modified: str
    first_edition: int
    last_edition: int
    dropped_in: int | None

    @property
    def live(self) -> bool:
        return self.dropped_in is None

    def stamp(self) -> Stamp:
        return Stamp(
            self.uid, self.sequence, parse_instant(self.created), parse_instant(self.last_modified)
        )


@dataclass
class Plan:
    """An edition worked out inside an open transaction; :meth:`PublicationMemory.record` it."""

    edition: int
    published_at: datetime
    stamps: MappingProxyType[str, Stamp]
    report: Report
    reused: bool
    scenario: str | None = None
    seed: int | None = None
    scope: str = ""
    digest: str = ""
    rows: tuple[Row, ...] = ()
    renamed: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    recorded: bool = False


def _row_slot(row: Row) -> tuple[str, str, str]:
    return row.channel, iso_utc(parse_instant(row.start)), iso_utc(parse_instant(row.end))


def work_out(
    scenario: Scenario,
    schedule: Schedule,
    *,
    at: datetime,
    seed: int | None,
    rows: list[Row],
    latest: Callable[[tuple[str, ...]], tuple[int, str, str, str, str] | None],
    number: int,
) -> Plan:
    """The edition ``schedule`` makes against the stored ``rows``: UIDs kept or new,
    SEQUENCEs raised, what was added, moved, changed and dropped since the ``latest`` edition
    of the same channels; ``number`` is the next edition's."""
    instant = at.astimezone(UTC).replace(microsecond=0)
    channels = tuple(sorted(channel.id for channel in scenario.channels))
    first, last = scenario.horizon.first, scenario.horizon.last
    scope = json.dumps(
        {"channels": list(channels), "first": first.isoformat(), "last": last.isoformat()}
    )
    by_id = {row.id: row for row in rows}
    uids = {row.uid for row in rows}
    ids = {p.id for p in schedule}

    def in_scope(row: Row) -> bool:
        return row.channel in channels and first.isoformat() <= row.day <= last.isoformat()

    # airings the solver renamed: same content, new id → keep the old UID
    spare: dict[str, list[Row]] = {}
    for row in rows:
        if row.live and row.id not in ids and in_scope(row):
            spare.setdefault(row.signature, []).append(row)
    signatures = {p.id: signature(p) for p in schedule}
    matched: dict[str, Row] = {}
    renamed: list[str] = []
    for programme in schedule:
        known = by_id.get(programme.id)
        if known is None and spare.get(signatures[programme.id]):
            known = spare[signatures[programme.id]].pop(0)
            renamed.append(known.id)
        if known is not None:
            matched[programme.id] = known
    claimed = {row.id for row in matched.values()}

    previous = latest(channels)
    number = number
    stamps: dict[str, Stamp] = {}
    new_rows: list[Row] = []
    changes: list[Change] = []
    for programme in schedule:
        sig = signatures[programme.id]
        found = broadcast_day(scenario, programme)
        day = (found[0] if found else programme.start.date()).isoformat()
        stored = matched.get(programme.id)
        after = (programme.start.isoformat(), programme.end.isoformat())
        if stored is None:
            uid = unique_uid(f"{programme.id}@{programme.channel}", uids)
            uids.add(uid)
            stamp = Stamp(uid, 0, instant, instant)
            changes.append(
                Change(
                    "added",
                    programme.id,
                    uid,
                    programme.channel,
                    label(programme),
                    None,
                    after,
                    0,
                )
            )
            first_edition = number
        else:
            first_edition = stored.first_edition
            bumped = Stamp(stored.uid, stored.sequence + 1, parse_instant(stored.created), instant)
            if not stored.live:
                stamp = bumped
                changes.append(
                    Change(
                        "added",
                        programme.id,
                        stored.uid,
                        programme.channel,
                        label(programme),
                        None,
                        after,
                        stamp.sequence,
                    )
                )
            elif stored.signature == sig:
                stamp = stored.stamp()
            else:
                stamp = bumped
                what = "moved" if _row_slot(stored) != slot_of(programme) else "changed"
                changes.append(
                    Change(
                        what,
                        programme.id,
                        stored.uid,
                        programme.channel,
                        label(programme),
                        (stored.start, stored.end),
                        after,
                        stamp.sequence,
                        published(programme.id, json.loads(stored.signature)),
                    )
                )
        stamps[programme.id] = stamp
        new_rows.append(
            Row(
                programme.id,
                stamp.uid,
                programme.channel,
                day,
                programme.start.isoformat(),
                programme.end.isoformat(),
                label(programme),
                sig,
                stamp.sequence,
                iso_utc(stamp.created),
                iso_utc(stamp.last_modified),
                first_edition,
                number,
                None,
            )
        )
    dropped = [row for row in rows if row.live and in_scope(row) and row.id not in claimed]
    for row in dropped:
        changes.append(
            Change(
                "dropped",
                row.id,
                row.uid,
                row.channel,
                row.title,
                (row.start, row.end),
                None,
                row.sequence,
                published(row.id, json.loads(row.signature)),
            )
        )
    order = {what: i for i, what in enumerate(CHANGE_KINDS)}
    changes.sort(key=lambda c: (order[c.what], c.channel, (c.after or c.before or ("",))[0], c.id))
    digest = hashlib.sha256(
        json.dumps(
            [scope, sorted((r.id, r.uid, r.signature) for r in new_rows)], ensure_ascii=False
        ).encode("utf-8")
    ).hexdigest()

    if previous is not None and not changes and previous[2] == scope and previous[3] == digest:
        report = Report.from_record(json.loads(previous[4]))
        return Plan(
            edition=previous[0],
            published_at=parse_instant(previous[1]),
            stamps=MappingProxyType(stamps),
            report=report,
            reused=True,
        )
    report = Report(
        edition=number,
        published_at=instant,
        scenario=scenario.name,
        channels=channels,
        first=first,
        last=last,
        previous=previous[0] if previous else None,
        previous_at=parse_instant(previous[1]) if previous else None,
        changes=tuple(changes),
        airings=len(schedule),
    )
    return Plan(
        edition=number,
        published_at=instant,
        stamps=MappingProxyType(stamps),
        report=report,
        reused=False,
        scenario=report.scenario,
        seed=seed,
        scope=scope,
        digest=digest,
        rows=tuple(new_rows),
        renamed=tuple(renamed),
        dropped=tuple(r.id for r in dropped),
    )


__all__ = ["Plan", "Row", "work_out"]
