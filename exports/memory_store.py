"""The publication store's file: claimed by one publish at a time, a foreign file refused,
SQLite's errors said in a planner's words."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
from pathlib import Path

from scheduler.domain.errors import ScenarioError

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

COLUMNS = (
    'id, uid, channel, day, start, "end", title, signature, sequence, created, '
    "last_modified, first_edition, last_edition, dropped_in"
)
# How long a publish waits for a store another program (not skyclass) holds in a transaction.
STORE_TIMEOUT = 10.0


def claim(path: Path) -> int:
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


def check_foreign(db: sqlite3.Connection, where: str) -> None:
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


def store_error(error: sqlite3.Error, where: str) -> Exception:
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


def unique_uid(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    local, _, domain = wanted.rpartition("@")
    n = 2
    while f"{local}.{n}@{domain}" in taken:
        n += 1
    return f"{local}.{n}@{domain}"


__all__ = [
    "COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "STORE_TIMEOUT",
    "check_foreign",
    "claim",
    "store_error",
    "unique_uid",
]
