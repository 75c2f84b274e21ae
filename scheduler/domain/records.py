"""Airings read from a schedule file: each record checked, with the file, line and field of
anything malformed (a schedule file may be edited by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import (
    MAX_MINUTES,
    check_text,
    check_year,
)
from scheduler.domain.model import SAFE_ID

if TYPE_CHECKING:
    pass
from scheduler.domain.programme import Kind, Programme


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
