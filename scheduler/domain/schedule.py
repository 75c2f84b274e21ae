"""The published timetable as plain data: airings and their JSON/CSV interchange.

A schedule file may be edited by hand, so reading it checks every record and names the file,
record and field of anything malformed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import (
    MAX_AIRINGS,
    MAX_MINUTES,
    MAX_SEED,
    MAX_SPAN_DAYS,
    check_lines,
    check_text,
    check_year,
)
from scheduler.domain.model import SAFE_ID

if TYPE_CHECKING:
    import pandas as pd

    from scheduler.domain.model import Scenario

FORMAT_VERSION = 1
CSV_FIELDS = (
    "id",
    "channel",
    "start",
    "end",
    "kind",
    "title",
    "grade",
    "grades",
    "subject",
    "course",
    "lesson",
    "repeat_of",
    "item",
)


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


@dataclass(frozen=True, slots=True)
class Schedule:
    """All airings of a solve, sorted by channel and start; knows where it came from."""

    programmes: tuple[Programme, ...]
    scenario: str | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.programmes, key=lambda p: (p.channel, p.start, p.end, p.id)))
        object.__setattr__(self, "programmes", ordered)

    def __iter__(self) -> Iterator[Programme]:
        return iter(self.programmes)

    def __len__(self) -> int:
        return len(self.programmes)

    def of_kind(self, *kinds: Kind) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes if p.kind in kinds)

    def by_id(self) -> dict[str, Programme]:
        return {p.id: p for p in self.programmes}

    def on_channel(self, channel: str) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes if p.channel == channel)

    def for_grade(self, grade: int) -> tuple[Programme, ...]:
        """Airings meant for a grade: its lessons and reruns, and specials for it or for all."""
        return tuple(p for p in self.programmes if p.is_for(grade))

    def objective(self, scenario: Scenario) -> float:
        """The objective recomputed from plain data (see :mod:`scheduler.domain.objective`)."""
        from scheduler.domain.objective import evaluate

        return evaluate(scenario, self).total

    # -- interchange --------------------------------------------------------------------------
    def to_json(self) -> str:
        document = {
            "format": "skyclass-schedule",
            "version": FORMAT_VERSION,
            "scenario": self.scenario,
            "seed": self.seed,
            "programmes": [p.to_record() for p in self.programmes],
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for programme in self.programmes:
            record = programme.to_record()
            record["grades"] = " ".join(str(g) for g in programme.grades)
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
        return buffer.getvalue()

    def dataframe(self) -> pd.DataFrame:
        """One row per airing, for notebooks and the table exports."""
        import pandas as pd

        rows = [p.to_record() for p in self.programmes]
        frame = pd.DataFrame(rows, columns=list(CSV_FIELDS))
        frame["start"] = [p.start for p in self.programmes]
        frame["end"] = [p.end for p in self.programmes]
        frame["minutes"] = [p.minutes for p in self.programmes]
        return frame

    @classmethod
    def from_json(cls, text: str, *, file: str = "schedule.json") -> Schedule:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScenarioError(
                f"not valid JSON: {error.msg}", file=file, line=error.lineno
            ) from None
        except RecursionError:
            raise ScenarioError("JSON values are nested too deeply", file=file) from None
        if not isinstance(document, dict) or not isinstance(document.get("programmes"), list):
            raise ScenarioError("expected an object with a 'programmes' list", file=file)
        seed = document.get("seed")
        if seed is not None and (
            not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED
        ):
            raise ScenarioError(
                f"seed must be a whole number from 0 to {MAX_SEED}", file=file, field="seed"
            )
        scenario = document.get("scenario")
        if scenario is not None and not isinstance(scenario, str):
            raise ScenarioError("scenario must be a path", file=file, field="scenario")
        if scenario is not None:
            try:
                check_text(scenario, limit=4096)
            except ScenarioError as error:
                raise error.located(file=file, field="scenario") from None
        if len(document["programmes"]) > MAX_AIRINGS:
            raise ScenarioError(f"holds more than {MAX_AIRINGS} programmes", file=file)
        programmes = [
            (_programme(record, file=file, where=f"programmes[{i}]"), f"programmes[{i}]", None)
            for i, record in enumerate(document["programmes"])
        ]
        cls._check_span(programmes, file)
        return cls(_unique(programmes, file), scenario=scenario, seed=seed)

    @staticmethod
    def _check_span(programmes: Sequence[tuple[Programme, str, int | None]], file: str) -> None:
        """Refuse a schedule spanning more days than a horizon may hold."""
        if not programmes:
            return
        first = min(programmes, key=lambda entry: entry[0].start)
        last = max(programmes, key=lambda entry: entry[0].end)
        if (last[0].end - first[0].start).days > MAX_SPAN_DAYS:
            raise ScenarioError(
                f"spans more than {MAX_SPAN_DAYS} days (from {first[1]} to {last[1]})",
                file=file,
                line=last[2],
                field=f"{last[1]}.end",
            )

    @classmethod
    def from_csv(cls, text: str, *, file: str = "schedule.csv") -> Schedule:
        check_lines(text, file)
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        try:
            missing = [
                name
                for name in ("id", "channel", "start", "end", "kind", "title")
                if name not in (reader.fieldnames or [])
            ]
            if missing:
                raise ScenarioError(f"missing column {missing[0]!r}", file=file, line=1)
            programmes = []
            for row in reader:
                line = reader.line_num
                record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
                where = f"line {line}"
                for name in ("grade", "lesson"):
                    record[name] = _int_or_none(record.get(name), file, line, name)
                grades = record.get("grades")
                record["grades"] = (
                    [_int_or_none(g, file, line, "grades") for g in grades.split()]
                    if isinstance(grades, str)
                    else None
                )
                programmes.append(
                    (_programme(record, file=file, where=where, line=line), where, line)
                )
                if len(programmes) > MAX_AIRINGS:
                    raise ScenarioError(
                        f"holds more than {MAX_AIRINGS} programmes", file=file, line=line
                    )
        except csv.Error as error:
            raise ScenarioError(
                # line_num counts the lines read whole; the error is on the next one
                f"is not valid CSV ({error})",
                file=file,
                line=reader.line_num + 1,
            ) from None
        cls._check_span(programmes, file)
        return cls(_unique(programmes, file))


def _int_or_none(value: object, file: str, line: int, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ScenarioError(
            f"{value!r} is not a whole number", file=file, line=line, field=name
        ) from None


def _unique(
    programmes: Sequence[tuple[Programme, str, int | None]], file: str
) -> tuple[Programme, ...]:
    """The programmes, refusing an id used twice: ``(programme, where, line)`` as read."""
    first: dict[str, str] = {}
    for programme, where, line in programmes:
        if programme.id in first:
            raise ScenarioError(
                f"id {programme.id!r} is used twice (first at {first[programme.id]})",
                file=file,
                line=line,
                field=f"{where}.id",
            )
        first[programme.id] = where
    return tuple(programme for programme, _, _ in programmes)


def _programme(record: object, *, file: str, where: str, line: int | None = None) -> Programme:
    if not isinstance(record, dict):
        raise ScenarioError("each programme must be an object", file=file, field=where)

    def fail(name: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=file, line=line, field=f"{where}.{name}")

    def text(name: str, required: bool = True) -> str | None:
        value = record.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(name, "must be a non-empty text")
        try:
            return check_text(value)
        except ScenarioError as error:
            raise fail(name, error.message) from None

    identifier = text("id")
    assert identifier is not None
    if not SAFE_ID.match(identifier.replace("/", "_")):
        raise fail("id", f"{identifier!r} is not a safe id")
    instants = {}
    for name in ("start", "end"):
        raw = text(name)
        try:
            instant = datetime.fromisoformat(str(raw))
        except ValueError:
            raise fail(name, f"{raw!r} is not an ISO 8601 date-time") from None
        if instant.tzinfo is None:
            raise fail(name, f"{raw!r} has no UTC offset (write e.g. 2020-02-17T08:00:00+08:00)")
        try:
            check_year(instant.year, "instant")
        except ScenarioError as error:
            raise fail(name, error.message) from None
        instants[name] = instant
    if instants["end"] <= instants["start"]:
        raise fail("end", "ends before it starts")
    if instants["end"] - instants["start"] > timedelta(hours=48):
        raise fail("end", "lasts more than 48 hours")
    kind_text = text("kind")
    try:
        kind = Kind(str(kind_text))
    except ValueError:
        raise fail(
            "kind", f"{kind_text!r} is not one of {', '.join(k.value for k in Kind)}"
        ) from None
    grades_value = record.get("grades")
    grade = record.get("grade")
    if grades_value is None:
        grades_value = [] if grade is None else [grade]
    if not isinstance(grades_value, list) or not all(
        isinstance(g, int) and not isinstance(g, bool) and 1 <= g <= 12 for g in grades_value
    ):
        raise fail("grades", "must be a list of grades 1–12")
    if grade is not None and (not isinstance(grade, int) or grade not in grades_value):
        raise fail("grade", f"{grade!r} is not a grade 1–12 matching 'grades'")
    lesson = record.get("lesson")
    if lesson is not None and (
        not isinstance(lesson, int) or isinstance(lesson, bool) or not 1 <= lesson <= MAX_MINUTES
    ):
        raise fail("lesson", f"must be a lesson number from 1 to {MAX_MINUTES}")
    course = text("course", required=False)
    if kind in (Kind.LESSON, Kind.RERUN) and (course is None or lesson is None):
        raise fail("course", "a lesson or rerun needs 'course' and 'lesson'")
    return Programme(
        start=instants["start"],
        end=instants["end"],
        channel=str(text("channel")),
        id=identifier,
        kind=kind,
        title=str(text("title")),
        grades=tuple(grades_value),
        subject=text("subject", required=False),
        course=course,
        lesson=lesson,
        repeat_of=text("repeat_of", required=False),
        item=text("item", required=False),
    )


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
