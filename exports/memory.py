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

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from exports.memory_plan import Plan, Row, work_out
from exports.memory_store import (
    COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    STORE_TIMEOUT,
    check_foreign,
    claim,
    store_error,
)
from exports.published import (
    Report,
    Stamp,
    iso_utc,
    parse_instant,
)
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule


class PublicationMemory:
    """The SQLite store; ``path=None`` keeps it in memory (tests, one-off exports)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        where = str(path) if path is not None else ":memory:"
        self._lock: int | None = None
        if path is not None:
            self._lock = claim(path)
        try:
            self._db = sqlite3.connect(where, isolation_level=None, timeout=STORE_TIMEOUT)
            self._db.execute("PRAGMA query_only = ON")
            check_foreign(self._db, where)  # before anything is written to the file
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
            raise store_error(error, where) from None
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
    def _rows(self) -> list[Row]:
        cursor = self._db.execute(
            'SELECT id, uid, channel, day, start, "end", title, signature, sequence, created, '
            "last_modified, first_edition, last_edition, dropped_in FROM airings ORDER BY id"
        )
        return [Row(*record) for record in cursor.fetchall()]

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
        return work_out(
            scenario,
            schedule,
            at=at,
            seed=seed,
            rows=self._rows(),
            latest=self._latest,
            number=self._next_number(),
        )

    def _next_number(self) -> int:
        (highest,) = self._db.execute("SELECT COALESCE(MAX(number), 0) FROM editions").fetchone()
        return int(highest) + 1

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise store_error(error, str(self.path)) from None

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
                            f"SELECT {COLUMNS} FROM airings WHERE id IN "
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
                            iso_utc(plan.published_at),
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
                    f"INSERT OR REPLACE INTO airings ({COLUMNS}) "
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
                        iso_utc(plan.published_at),
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
            raise store_error(error, str(self.path)) from None
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
            if shown(Path(out)) == (edition, parse_instant(published_at)):
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
                    f"INSERT INTO airings ({COLUMNS}) "
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


__all__ = ["PublicationMemory"]
