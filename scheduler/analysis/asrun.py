"""Reconcile what actually aired (an as-run log) with the published plan, without a solver.

An as-run log is a plain CSV, one row per item the playout put on air, with the columns
``channel, start, end, title, id`` (``title`` or ``id`` may be empty, not both; other columns
are ignored). ``start`` and ``end`` are ISO 8601 date-times; without a UTC offset they are read
on the channel's wall clock. Playout logs of any system can be converted to it.

Each planned airing that families watch (lessons, reruns, specials, pinned items; fillers are
not reconciled) on a channel and broadcast day the log covers is classified as

* **aired**: on air on its channel, starting within :data:`START_TOLERANCE` of the plan and
  ending no more than :data:`SHORT_TOLERANCE` early;
* **cut short**: started on time but ended more than :data:`SHORT_TOLERANCE` early, having
  aired at least :data:`MISSED_SHARE` of its minutes;
* **moved**: on air at another time (start off by more than the tolerance) or on another
  channel, for at least :data:`MISSED_SHARE` of its minutes;
* **missed**: not on air, or for less than :data:`MISSED_SHARE` of its minutes;

and every log row that matches no planned airing is **extra**. A log row matches a planned
airing by its id, else by its title (spaces ignored); when several rows could match (a rerun
shares its premiere's title) the nearest in time on the same channel is taken, each row and
each airing at most once.

:func:`as_aired` turns the verdicts into the schedule as it really aired — the plan less what
was missed, moved airings at their aired time, plus the extras — for a re-plan that keeps it
as fact and makes up the missed lessons from the next day on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_AIRINGS, check_lines, check_text, check_year
from scheduler.domain.model import SAFE_ID, Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day
from scheduler.io.files import read_text

#: A start this close to the plan is on time.
START_TOLERANCE = timedelta(minutes=2)
#: An airing ending this much earlier than planned, or more, was cut short.
SHORT_TOLERANCE = timedelta(minutes=2)
#: An airing on air for less than this share of its minutes was missed (it needs a make-up).
MISSED_SHARE = 0.5
COLUMNS = ("channel", "start", "end", "title", "id")
# how far apart in time two candidates may lie and still match (a move within a week)
NEAR = timedelta(days=7)


class Status(StrEnum):
    """What became of a planned airing, or a logged item nobody planned."""

    AIRED = "aired"
    CUT_SHORT = "cut short"
    MOVED = "moved"
    MISSED = "missed"
    EXTRA = "extra"


@dataclass(frozen=True, slots=True)
class Logged:
    """One row of an as-run log: what went on air, where and when (its line in the file)."""

    channel: str
    start: datetime
    end: datetime
    title: str | None
    id: str | None
    line: int

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class Verdict:
    """A planned airing and what the log shows of it (``logged`` None: missed or not found);
    an extra has no ``planned``."""

    status: Status
    planned: Programme | None
    logged: Logged | None

    @property
    def aired_minutes(self) -> float:
        return self.logged.minutes if self.logged is not None else 0.0

    @property
    def start_offset(self) -> timedelta | None:
        """How much later (negative: earlier) it started than planned."""
        if self.planned is None or self.logged is None:
            return None
        return self.logged.start - self.planned.start


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The verdicts of a log, and what it covers: its channels, whole days ``first``–``last``."""

    verdicts: tuple[Verdict, ...]
    channels: frozenset[str]
    first: date
    last: date

    def covers(self, channel: str, day: date) -> bool:
        return channel in self.channels and self.first <= day <= self.last

    def of(self, status: Status) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.status is status)

    def counts(self) -> dict[Status, int]:
        """How many verdicts of each status, in the order of :class:`Status`."""
        return {status: len(self.of(status)) for status in Status}


def read_log(path: Path, scenario: Scenario) -> tuple[Logged, ...]:
    """Read an as-run CSV; any bad row is a :class:`ScenarioError` naming file, line, field."""
    text = read_text(path, "utf-8-sig", folder="is a folder, not an as-run CSV file")
    return parse_log(text, scenario, file=str(path))


def parse_log(text: str, scenario: Scenario, *, file: str = "as-run.csv") -> tuple[Logged, ...]:
    """The rows of an as-run CSV text (see the module docstring), in the order of the file."""
    check_lines(text, file)
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows: list[Logged] = []
    try:
        names = [name.strip().lower() for name in reader.fieldnames or []]
        for name in ("channel", "start", "end"):
            if name not in names:
                raise ScenarioError(f"missing column {name!r}", file=file, line=1)
        if "title" not in names and "id" not in names:
            raise ScenarioError("needs a column 'title' or 'id'", file=file, line=1)
        reader.fieldnames = names
        for row in reader:
            rows.append(_row(row, scenario, file, reader.line_num))
            if len(rows) > MAX_AIRINGS:
                raise ScenarioError(
                    f"holds more than {MAX_AIRINGS} rows", file=file, line=reader.line_num
                )
    except csv.Error as error:
        raise ScenarioError(
            f"is not valid CSV ({error})", file=file, line=reader.line_num + 1
        ) from None
    if not rows:
        raise ScenarioError("holds no rows: nothing aired?", file=file, line=1)
    return tuple(rows)


def _row(row: dict[str | None, object], scenario: Scenario, file: str, line: int) -> Logged:
    def fail(field: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=file, line=line, field=field)

    def text(name: str) -> str | None:
        value = row.get(name)
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            return check_text(value.strip(), newline=False)
        except ScenarioError as error:
            raise fail(name, error.message) from None

    if None in row:
        raise fail("channel", "has more fields than the header names")
    channel_id = text("channel")
    if channel_id is None:
        raise fail("channel", "is empty")
    try:
        channel = scenario.channel(channel_id)
    except KeyError:
        known = ", ".join(c.id for c in scenario.channels)
        raise fail(
            "channel", f"{channel_id!r} is not a channel of the scenario ({known})"
        ) from None
    instants = {}
    for name in ("start", "end"):
        raw = text(name)
        if raw is None:
            raise fail(name, "is empty")
        try:
            instant = datetime.fromisoformat(raw)
        except ValueError:
            raise fail(
                name, f"{raw!r} is not an ISO 8601 date-time like 2020-02-17T08:10"
            ) from None
        try:
            check_year(instant.year, "instant")
        except ScenarioError as error:
            raise fail(name, error.message) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=channel.zone)
        instants[name] = instant
    if instants["end"] <= instants["start"]:
        raise fail("end", "ends before it starts")
    if instants["end"] - instants["start"] > timedelta(hours=48):
        raise fail("end", "lasts more than 48 hours")
    title, ident = text("title"), text("id")
    if title is None and ident is None:
        raise fail("title", "title and id are both empty: name what aired")
    if ident is not None and not SAFE_ID.match(ident.replace("/", "_")):
        raise fail("id", f"{ident!r} is not a safe id")
    return Logged(channel.id, instants["start"], instants["end"], title, ident, line)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def watched(programme: Programme) -> bool:
    """Whether families watch an airing on purpose (fillers are not reconciled)."""
    return programme.kind is not Kind.FILLER


def classify(
    scenario: Scenario,
    published: Schedule,
    log: Iterable[Logged],
    *,
    through: date | None = None,
) -> Reconciliation:
    """Every watched planned airing the log covers with its verdict, then the extras.

    The log covers the channels it names, from the first broadcast day it logs through
    ``through`` (default: the last day it logs), whole days: an airing planned on a covered day
    that the log does not show was missed.
    """
    rows = tuple(log)
    first = min(logged_day(scenario, row) for row in rows)
    last = through if through is not None else max(logged_day(scenario, row) for row in rows)
    channels = {row.channel for row in rows}
    planned = []
    for p in published:
        found = broadcast_day(scenario, p)
        day = found[0] if found is not None else p.start.date()
        if watched(p) and p.channel in channels and first <= day <= last:
            planned.append(p)
    pairs = []
    for p in planned:
        for index, row in enumerate(rows):
            same = row.id == p.id if row.id is not None else _key(row.title or "") == _key(p.title)
            distance = abs(row.start - p.start)
            if same and distance <= NEAR:
                # nearest first; another channel only when nothing on the planned one fits
                pairs.append((row.channel != p.channel, distance, p.start, p.id, index))
    taken: dict[str, int] = {}
    used: set[int] = set()
    for _, _, _, ident, index in sorted(pairs):
        if ident in taken or index in used:
            continue
        taken[ident] = index
        used.add(index)
    verdicts = []
    for p in planned:
        match = rows[taken[p.id]] if p.id in taken else None
        verdicts.append(Verdict(_status(p, match), p, match))
    verdicts.extend(
        Verdict(Status.EXTRA, None, row) for index, row in enumerate(rows) if index not in used
    )
    return Reconciliation(tuple(verdicts), frozenset(channels), first, last)


def _status(planned: Programme, row: Logged | None) -> Status:
    if row is None or row.minutes < MISSED_SHARE * planned.minutes:
        return Status.MISSED
    if row.channel != planned.channel or abs(row.start - planned.start) > START_TOLERANCE:
        return Status.MOVED
    if planned.end - row.end > SHORT_TOLERANCE:
        return Status.CUT_SHORT
    return Status.AIRED


def as_aired(scenario: Scenario, published: Schedule, reconciled: Reconciliation) -> Schedule:
    """The schedule as it aired: the plan less missed airings, moved ones at their aired time
    and channel, plus the extras (as pinned items named by the log); on the days the log
    covers, the fillers are laid anew around what aired (:func:`scheduler.domain.fill.fill`),
    so the past is a day on air without gaps or overlaps again."""
    from scheduler.domain.fill import fill

    missed = {v.planned.id for v in reconciled.of(Status.MISSED) if v.planned is not None}
    moved = {
        v.planned.id: v.logged
        for v in reconciled.of(Status.MOVED)
        if v.planned is not None and v.logged is not None
    }
    ids = {p.id for p in published}
    programmes = []
    for p in published:
        found = broadcast_day(scenario, p)
        day = found[0] if found is not None else p.start.date()
        if p.id in missed or (p.kind is Kind.FILLER and reconciled.covers(p.channel, day)):
            continue
        row = moved.get(p.id)
        if row is not None:
            p = replace(p, channel=row.channel, start=row.start, end=row.start + (p.end - p.start))
        programmes.append(p)
    for verdict in reconciled.of(Status.EXTRA):
        row = verdict.logged
        assert row is not None
        ident = row.id if row.id is not None and row.id not in ids else f"asrun-line-{row.line}"
        ids.add(ident)
        programmes.append(
            Programme(
                start=row.start,
                end=row.end,
                channel=row.channel,
                id=ident,
                kind=Kind.PINNED,
                title=row.title or row.id or ident,
            )
        )
    programmes += fill(scenario, programmes)
    return Schedule(tuple(programmes), scenario=published.scenario, seed=published.seed)


def logged_day(scenario: Scenario, row: Logged) -> date:
    """A logged item's broadcast day (a window past midnight keeps its evening's day)."""
    probe = Programme(row.start, row.end, row.channel, "as-run", Kind.FILLER, "as-run")
    found = broadcast_day(scenario, probe)
    return found[0] if found else row.start.astimezone(scenario.channel(row.channel).zone).date()


def last_day(scenario: Scenario, log: Iterable[Logged]) -> date:
    """The last broadcast day the log covers."""
    return max(logged_day(scenario, row) for row in log)


__all__ = [
    "COLUMNS",
    "MISSED_SHARE",
    "SHORT_TOLERANCE",
    "START_TOLERANCE",
    "Logged",
    "Reconciliation",
    "Status",
    "Verdict",
    "as_aired",
    "classify",
    "last_day",
    "logged_day",
    "parse_log",
    "read_log",
    "watched",
]
