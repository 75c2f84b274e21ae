"""The publication memory: an embedded SQLite store of what was published, airing by airing.

It keeps, per airing, the UID it was published under, its SEQUENCE, when it was first published
and when it last changed, so that

* an airing that a re-solve leaves unchanged keeps its UID (matched by id, or by its content
  when the solver renamed it) and its timestamps;
* an airing that moved or changed gets ``SEQUENCE + 1`` and ``LAST-MODIFIED`` = this edition;
* every edition knows what it added, moved, changed and dropped since the previous one.

All instants come from the edition's clock (``at``), never from the wall clock inside the
store, and re-publishing an unchanged schedule re-uses the previous edition, number and
instant included: the same inputs give byte-identical files.

Writing is two-phase: :meth:`PublicationMemory.plan` opens a write transaction and works out
the edition; :meth:`PublicationMemory.record` commits it once every file is written. Anything
else rolls back, so a failed publish leaves the memory as it was. A publish records the edition
as *pending* for its output folder (with what it overwrote) right before the folder swap and
confirms it right after; an edition still pending when the store is next opened is confirmed if
the folder shows it and undone otherwise (:meth:`PublicationMemory.recover`), so the store always
ends up agreeing with the folder, whatever moment a publish was killed at.

A store file is ``flock``-ed while open (one publish at a time), and an SQLite file that is not
a skyclass store is refused before anything is written to it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import GRADE_NAMES, Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS editions (
    number       INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    scenario     TEXT,
    seed         INTEGER,
    scope        TEXT NOT NULL,
    digest       TEXT NOT NULL,
    report       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS airings (
    id            TEXT PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL,
    day           TEXT NOT NULL,
    start         TEXT NOT NULL,
    "end"         TEXT NOT NULL,
    title         TEXT NOT NULL,
    signature     TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    created       TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    first_edition INTEGER NOT NULL,
    last_edition  INTEGER NOT NULL,
    dropped_in    INTEGER
);
CREATE INDEX IF NOT EXISTS airings_channel_day ON airings (channel, day);
CREATE TABLE IF NOT EXISTS pending (
    edition      INTEGER PRIMARY KEY,
    out          TEXT NOT NULL,
    published_at TEXT NOT NULL,
    touched      TEXT NOT NULL,
    before       TEXT NOT NULL
);
"""
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


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _iso(instant: datetime) -> str:
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
            "published_at": _iso(self.published_at),
            "scenario": self.scenario,
            "channels": list(self.channels),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "previous": self.previous,
            "previous_at": _iso(self.previous_at) if self.previous_at else None,
            "airings": self.airings,
            "counts": self.counts(),
            "changes": [change.to_record(stored=stored) for change in self.changes],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Report:
        return cls(
            edition=int(record["edition"]),
            published_at=_instant(record["published_at"]),
            scenario=record.get("scenario"),
            channels=tuple(record["channels"]),
            first=date.fromisoformat(record["first"]),
            last=date.fromisoformat(record["last"]),
            previous=record.get("previous"),
            previous_at=_instant(record["previous_at"]) if record.get("previous_at") else None,
            changes=tuple(Change.from_record(c) for c in record["changes"]),
            airings=int(record.get("airings", 0)),
        )


@dataclass(frozen=True, slots=True)
class _Row:
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
        return Stamp(self.uid, self.sequence, _instant(self.created), _instant(self.last_modified))


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
    rows: tuple[_Row, ...] = ()
    renamed: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    recorded: bool = False


def signature(programme: Programme) -> str:
    """What a viewer sees of an airing; a change in it bumps SEQUENCE. Ids are not part of it."""
    return json.dumps(
        [
            programme.channel,
            _iso(programme.start),
            _iso(programme.end),
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
        start=_instant(start),
        end=_instant(end),
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


def _slot(programme: Programme) -> tuple[str, str, str]:
    return programme.channel, _iso(programme.start), _iso(programme.end)


def _row_slot(row: _Row) -> tuple[str, str, str]:
    return row.channel, _iso(_instant(row.start)), _iso(_instant(row.end))


class PublicationMemory:
    """The SQLite store; ``path=None`` keeps it in memory (tests, one-off exports)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        where = str(path) if path is not None else ":memory:"
        self._lock: int | None = None
        if path is not None:
            self._lock = _claim(path)
        try:
            self._db = sqlite3.connect(where, isolation_level=None, timeout=STORE_TIMEOUT)
            self._db.execute("PRAGMA query_only = ON")
            _check_foreign(self._db, where)  # before anything is written to the file
            self._db.execute("PRAGMA query_only = OFF")
            self._db.executescript(SCHEMA)
            found = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found is None:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                )
            elif found[0] != str(SCHEMA_VERSION):
                raise ScenarioError(
                    f"publication store has schema {found[0]}, this skyclass reads "
                    f"{SCHEMA_VERSION}",
                    file=where,
                    field="--store",
                )
        except sqlite3.Error as error:
            self._release()
            raise _store_error(error, where) from None
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None

    def close(self) -> None:
        if self._db.in_transaction:
            self._db.rollback()
        self._release()

    def __enter__(self) -> PublicationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------------
    def _rows(self) -> list[_Row]:
        cursor = self._db.execute(
            'SELECT id, uid, channel, day, start, "end", title, signature, sequence, created, '
            "last_modified, first_edition, last_edition, dropped_in FROM airings ORDER BY id"
        )
        return [_Row(*record) for record in cursor.fetchall()]

    def stamps(self) -> dict[str, Stamp]:
        """Every airing ever published, by airing id (for tests and inspection)."""
        return {row.id: row.stamp() for row in self._rows()}

    def editions(self) -> list[Report]:
        """Every edition's report, oldest first."""
        cursor = self._db.execute("SELECT report FROM editions ORDER BY number")
        return [Report.from_record(json.loads(text)) for (text,) in cursor.fetchall()]

    def _latest(self, channels: tuple[str, ...]) -> tuple[int, str, str, str, str] | None:
        """The newest edition that published any of ``channels``."""
        cursor = self._db.execute(
            "SELECT number, published_at, scope, digest, report FROM editions ORDER BY number DESC"
        )
        for number, published_at, scope, digest, report in cursor:
            if set(json.loads(scope)["channels"]) & set(channels):
                return number, published_at, scope, digest, report
        return None

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def prepare(
        self, scenario: Scenario, schedule: Schedule, *, at: datetime, seed: int | None = None
    ) -> Iterator[Plan]:
        """:meth:`plan` an edition; roll back unless it was :meth:`record`-ed inside the block."""
        plan = self.plan(scenario, schedule, at=at, seed=seed)
        try:
            yield plan
        finally:
            if not plan.recorded and self._db.in_transaction:
                self._db.rollback()

    def plan(
        self, scenario: Scenario, schedule: Schedule, *, at: datetime, seed: int | None = None
    ) -> Plan:
        """Work out UIDs, SEQUENCEs and changes of publishing ``schedule`` now (write-locked)."""
        self._begin()
        try:
            return self._plan(scenario, schedule, at=at, seed=seed)
        except BaseException:
            self._db.rollback()
            raise

    def _plan(
        self, scenario: Scenario, schedule: Schedule, *, at: datetime, seed: int | None
    ) -> Plan:
        instant = at.astimezone(UTC).replace(microsecond=0)
        channels = tuple(sorted(channel.id for channel in scenario.channels))
        first, last = scenario.horizon.first, scenario.horizon.last
        scope = json.dumps(
            {"channels": list(channels), "first": first.isoformat(), "last": last.isoformat()}
        )
        rows = self._rows()
        by_id = {row.id: row for row in rows}
        uids = {row.uid for row in rows}
        ids = {p.id for p in schedule}

        def in_scope(row: _Row) -> bool:
            return row.channel in channels and first.isoformat() <= row.day <= last.isoformat()

        # airings the solver renamed: same content, new id → keep the old UID
        spare: dict[str, list[_Row]] = {}
        for row in rows:
            if row.live and row.id not in ids and in_scope(row):
                spare.setdefault(row.signature, []).append(row)
        signatures = {p.id: signature(p) for p in schedule}
        matched: dict[str, _Row] = {}
        renamed: list[str] = []
        for programme in schedule:
            known = by_id.get(programme.id)
            if known is None and spare.get(signatures[programme.id]):
                known = spare[signatures[programme.id]].pop(0)
                renamed.append(known.id)
            if known is not None:
                matched[programme.id] = known
        claimed = {row.id for row in matched.values()}

        previous = self._latest(channels)
        number = self._next_number()
        stamps: dict[str, Stamp] = {}
        new_rows: list[_Row] = []
        changes: list[Change] = []
        for programme in schedule:
            sig = signatures[programme.id]
            found = broadcast_day(scenario, programme)
            day = (found[0] if found else programme.start.date()).isoformat()
            stored = matched.get(programme.id)
            after = (programme.start.isoformat(), programme.end.isoformat())
            if stored is None:
                uid = _unique_uid(f"{programme.id}@{programme.channel}", uids)
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
                bumped = Stamp(stored.uid, stored.sequence + 1, _instant(stored.created), instant)
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
                    what = "moved" if _row_slot(stored) != _slot(programme) else "changed"
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
                _Row(
                    programme.id,
                    stamp.uid,
                    programme.channel,
                    day,
                    programme.start.isoformat(),
                    programme.end.isoformat(),
                    label(programme),
                    sig,
                    stamp.sequence,
                    _iso(stamp.created),
                    _iso(stamp.last_modified),
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
        changes.sort(
            key=lambda c: (order[c.what], c.channel, (c.after or c.before or ("",))[0], c.id)
        )
        digest = hashlib.sha256(
            json.dumps(
                [scope, sorted((r.id, r.uid, r.signature) for r in new_rows)], ensure_ascii=False
            ).encode("utf-8")
        ).hexdigest()

        if previous is not None and not changes and previous[2] == scope and previous[3] == digest:
            report = Report.from_record(json.loads(previous[4]))
            return Plan(
                edition=previous[0],
                published_at=_instant(previous[1]),
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
            previous_at=_instant(previous[1]) if previous else None,
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

    def _next_number(self) -> int:
        (highest,) = self._db.execute("SELECT COALESCE(MAX(number), 0) FROM editions").fetchone()
        return int(highest) + 1

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _store_error(error, str(self.path)) from None

    def record(self, plan: Plan, out: Path | None = None) -> None:
        """Write a planned edition and commit: from now on it is what was published.

        With ``out``, the edition is committed as pending for that output folder, together with
        what it overwrote; :meth:`confirm` it once the folder shows it, else :meth:`recover`
        takes it back out.
        """
        if not self._db.in_transaction:
            raise RuntimeError("record() needs the transaction plan() opened")
        try:
            if not plan.reused:
                touched = sorted({*plan.renamed, *plan.dropped, *(r.id for r in plan.rows)})
                if out is not None:
                    before = [
                        list(row)
                        for chunk in range(0, len(touched), 500)
                        for row in self._db.execute(
                            f"SELECT {_COLUMNS} FROM airings WHERE id IN "
                            f"({','.join('?' * len(touched[chunk : chunk + 500]))})",
                            touched[chunk : chunk + 500],
                        )
                    ]
                    self._db.execute(
                        "INSERT OR REPLACE INTO pending (edition, out, published_at, touched, "
                        "before) VALUES (?, ?, ?, ?, ?)",
                        (
                            plan.edition,
                            str(out.absolute()),
                            _iso(plan.published_at),
                            json.dumps(touched, ensure_ascii=False),
                            json.dumps(before, ensure_ascii=False),
                        ),
                    )
                for old_id in plan.renamed:
                    self._db.execute("DELETE FROM airings WHERE id = ?", (old_id,))
                for old_id in plan.dropped:
                    self._db.execute(
                        "UPDATE airings SET dropped_in = ? WHERE id = ?", (plan.edition, old_id)
                    )
                self._db.executemany(
                    f"INSERT OR REPLACE INTO airings ({_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            r.id,
                            r.uid,
                            r.channel,
                            r.day,
                            r.start,
                            r.end,
                            r.title,
                            r.signature,
                            r.sequence,
                            r.created,
                            r.last_modified,
                            r.first_edition,
                            r.last_edition,
                            r.dropped_in,
                        )
                        for r in plan.rows
                    ],
                )
                self._db.execute(
                    "INSERT INTO editions (number, published_at, scenario, seed, scope, digest, "
                    "report) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        plan.edition,
                        _iso(plan.published_at),
                        plan.scenario,
                        plan.seed,
                        plan.scope,
                        plan.digest,
                        json.dumps(plan.report.to_record(stored=True), ensure_ascii=False),
                    ),
                )
            self._db.commit()
        except sqlite3.Error as error:
            self._db.rollback()
            raise _store_error(error, str(self.path)) from None
        except BaseException:
            self._db.rollback()
            raise
        plan.recorded = True

    def confirm(self, edition: int) -> None:
        """The output folder now shows ``edition``: it is no longer pending."""
        self._db.execute("DELETE FROM pending WHERE edition = ?", (edition,))

    def recover(self, shown: Callable[[Path], tuple[int, datetime] | None]) -> list[int]:
        """Settle editions left pending by an interrupted publish; the numbers taken back.

        ``shown(out)`` gives the edition number and instant an output folder shows. A pending
        edition the folder shows is confirmed; any other is undone: its airings get back what
        they were before it, and the edition is deleted.
        """
        undone: list[int] = []
        for edition, out, published_at, touched, before in self._db.execute(
            "SELECT edition, out, published_at, touched, before FROM pending ORDER BY edition DESC"
        ).fetchall():
            if shown(Path(out)) == (edition, _instant(published_at)):
                self.confirm(edition)
                continue
            self._begin()
            try:
                ids = json.loads(touched)
                for chunk in range(0, len(ids), 500):
                    part = ids[chunk : chunk + 500]
                    self._db.execute(
                        f"DELETE FROM airings WHERE id IN ({','.join('?' * len(part))})", part
                    )
                self._db.executemany(
                    f"INSERT INTO airings ({_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [tuple(row) for row in json.loads(before)],
                )
                self._db.execute("DELETE FROM editions WHERE number = ?", (edition,))
                self._db.execute("DELETE FROM pending WHERE edition = ?", (edition,))
                self._db.commit()
            except BaseException:
                self._db.rollback()
                raise
            undone.append(edition)
        return undone


_COLUMNS = (
    'id, uid, channel, day, start, "end", title, signature, sequence, created, '
    "last_modified, first_edition, last_edition, dropped_in"
)
# How long a publish waits for a store another program (not skyclass) holds in a transaction.
STORE_TIMEOUT = 10.0


def _claim(path: Path) -> int:
    """Open and ``flock`` the store file: one skyclass publish at a time uses a store."""
    try:
        if path.exists() and not path.is_file():
            raise ScenarioError("is not a file", file=str(path), field="--store")
        ancestor = path.absolute().parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise ScenarioError(
                f"cannot be created: {ancestor} is a file, not a folder",
                file=str(path),
                field="--store",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise ScenarioError(
                f"cannot be written: folder {path.parent} is read-only",
                file=str(path),
                field="--store",
            )
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise ScenarioError(
                "cannot be written (the file is read-only)", file=str(path), field="--store"
            )
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        cause = (
            "a part of the path is a file, not a folder"
            if error.errno == errno.ENOTDIR
            else error.strerror or str(error)
        )
        raise ScenarioError(
            f"cannot be opened ({cause})", file=str(path), field="--store"
        ) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise ScenarioError(
            "is in use by another skyclass publish; try again when it has finished",
            file=str(path),
            field="--store",
        ) from None
    return handle


def _check_foreign(db: sqlite3.Connection, where: str) -> None:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return  # a new, empty store
    schema = None
    if "meta" in tables:
        try:
            schema = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error:
            schema = None
    if schema is None or not {"editions", "airings"} <= tables:
        raise ScenarioError(
            "is an SQLite file that is not a skyclass publication store; it was not changed",
            file=where,
            field="--store",
        )


def _store_error(error: sqlite3.Error, where: str) -> Exception:
    """Bad input as :class:`ScenarioError` (exit 2); a full disk as :class:`OSError` (exit 1)."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return ScenarioError(
            f"is held by another program (a write transaction for more than {STORE_TIMEOUT:g} s);"
            " try again when it has finished",
            file=where,
            field="--store",
        )
    if "readonly" in text or "read-only" in text:
        return ScenarioError("cannot be written (read-only)", file=where, field="--store")
    if "full" in text:
        return OSError(errno.ENOSPC, "the disk is full", where)
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text
    ):
        return ScenarioError(
            f"is not a skyclass publication store ({text})", file=where, field="--store"
        )
    return ScenarioError(f"cannot be used ({text})", file=where, field="--store")


def _unique_uid(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    local, _, domain = wanted.rpartition("@")
    n = 2
    while f"{local}.{n}@{domain}" in taken:
        n += 1
    return f"{local}.{n}@{domain}"


__all__ = [
    "Change",
    "Plan",
    "PublicationMemory",
    "Report",
    "Stamp",
    "label",
    "now",
    "published",
    "signature",
]
