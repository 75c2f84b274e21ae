"""Typed access to the merged tree: a table with its field path, and the keys each table allows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from scheduler.domain.errors import ScenarioError
from scheduler.io.loading.reading import Document, FieldPath, _path_text

T = TypeVar("T")


class Node:
    """A table of the merged tree with its field path; typed getters raise located errors.

    ``allowed`` lists the keys the table may have; None allows any key.
    """

    def __init__(
        self,
        data: dict[str, Any],
        path: FieldPath,
        document: Document,
        allowed: tuple[str, ...] | None,
    ) -> None:
        self.data = data
        self.path = path
        self.document = document
        unknown = [key for key in data if allowed is not None and key not in allowed]
        if unknown and allowed is not None:
            expected = ", ".join(allowed) if allowed else "nothing"
            raise self.error(unknown[0], f"unknown key {unknown[0]!r}; expected one of {expected}")

    def error(self, key: str | int | None, message: str) -> ScenarioError:
        path = self.path if key is None else (*self.path, key)
        return ScenarioError(message, file=self.document.file_of(path), field=_path_text(path))

    def get(self, key: str, kind: Callable[[Any], T], what: str, default: Any = ...) -> T:
        """The value at ``key`` converted by ``kind``; ``what`` says what it should be."""
        if key not in self.data:
            if default is ...:
                raise self.error(key, f"is missing ({what})")
            return default
        try:
            return kind(self.data[key])
        except ScenarioError as error:
            raise self.error(key, error.message) from None
        except (TypeError, ValueError, OverflowError):
            raise self.error(key, f"{_show(self.data[key])} is not {what}") from None

    def table(self, key: str, allowed: tuple[str, ...] | None) -> Node:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{_path_text((*self.path, key))}])")
        return Node(value, (*self.path, key), self.document, allowed)

    def tables(self, key: str, allowed: tuple[str, ...]) -> list[Node]:
        """An array of tables; entries with an ``id`` must not repeat one."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            header = ".".join(part for part in (*self.path, key) if isinstance(part, str))
            raise self.error(key, f"must be an array of tables ([[{header}]])")
        nodes = [
            Node(item, (*self.path, key, i), self.document, allowed) for i, item in enumerate(value)
        ]
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            item_id = item.get("id")
            if isinstance(item_id, str):
                if item_id in seen:
                    raise nodes[i].error(
                        "id", f"{item_id!r} is defined twice (also {key}[{seen[item_id]}])"
                    )
                seen[item_id] = i
        return nodes

    def build(self, make: Callable[[], T]) -> T:
        """Run a constructor; a domain error is located at this table."""
        try:
            return make()
        except ScenarioError as error:
            raise error.located(
                file=self.document.file_of(self.path), field=_path_text(self.path) or None
            ) from None


def _show(value: Any) -> str:
    """A value as the planner wrote it, kept short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


TOP_KEYS = (
    "name",
    "title",
    "description",
    "horizon",
    "channels",
    "bands",
    "grades",
    "cohorts",
    "catalog",
    "course",
    "specials",
    "fillers",
    "pinned",
    "outages",
    "rules",
    "solver",
    "calendar",
    "timetable",
    "publishing",
)
BAND_KEYS = (
    "id",
    "name_zh",
    "name_en",
    "grades",
    "max_lesson_minutes",
    "daily_cap_minutes",
    "hours",
    "weight",
)
CHANNEL_KEYS = (
    "id",
    "name_zh",
    "name_en",
    "timezone",
    "windows",
    "dvb",
    "reception",
    "short_name",
    "icon",
    "lcn",
)
DVB_KEYS = ("service_id", "transport_stream_id", "original_network_id", "encoding", "language")
RECEPTION_KEYS = ("platform", "number", "frequency", "polarisation", "note")
PUBLISHING_KEYS = ("sms_signature", "alarm_minutes", "base_url")


WINDOW_KEYS = ("days", "dates", "start", "end", "label")
GRADES_KEYS = ("numbers", "term_start", "term_starts", "channels", "term_end", "term_ends")
COHORT_KEYS = (
    "id",
    "name_zh",
    "grade",
    "guaranteed_minutes",
    "window",
    "days",
    "subjects",
    "min_per_week",
)
CALENDAR_KEYS = ("lesson_days", "holidays", "workdays")
HOLIDAY_KEYS = ("name", "first", "last")
WORKDAY_KEYS = ("name", "date", "follows")
TIMETABLE_KEYS = ("mode", "periods")
PERIOD_KEYS = ("grades", "channel", "times")
SPECIAL_KEYS = ("id", "title", "topic", "minutes", "per_week", "grades", "hours")
FILLER_KEYS = ("id", "title", "kind", "minutes", "max_minutes")
PINNED_KEYS = ("id", "channel", "date", "start", "end", "title", "grades")
COURSE_OVERRIDE_KEYS = ("progress", "weight", "per_week", "min_per_week")


class Tables:
    """What the builders of the scenario's tables share: the merged document, the scenario
    file and its top table."""

    document: Document
    file: Path
    root: Node
