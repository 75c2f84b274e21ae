"""Converters of TOML values (texts, numbers, dates, times, ranges, weekdays …); they raise
:class:`ScenarioError` or ``ValueError``, which :meth:`Node.get` turns into a located error."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import (
    MAX_MINUTES,
    MAX_SECONDS,
    MAX_SEED,
    MAX_TEXT,
    MAX_WEIGHT,
    check_number,
    check_text,
    check_year,
)
from scheduler.domain.model import GRADE_NAMES, WEEKDAYS, TimeRange, check_id, parse_clock
from scheduler.io.loading.nodes import Node, _show

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return check_text(value)


def _short_name(value: Any) -> str:
    """A name for SMS: at most 16 characters on one line."""
    text = _text(value).strip()
    if len(text) > 16 or any(ord(char) < 0x20 for char in text):
        raise ScenarioError(f"{_show(value)} is not a short text (one line, at most 16 characters)")
    return text


def _channel_number(value: Any) -> str:
    """A channel number as receivers show it: a whole number ≥ 1 (or text such as ``"4"``)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return str(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1:
        return value.strip()
    raise ValueError


def _any_text(value: Any) -> str:
    """A free text such as a description: may be empty and hold newlines."""
    if not isinstance(value, str):
        raise ValueError
    return check_text(value, newline=True, limit=MAX_TEXT * 10)


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    return check_id(value, "the")


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError
    return value


def _count(value: Any) -> int:
    """A whole number 0 … MAX_MINUTES (minutes, counts)."""
    number = _int(value)
    if number < 0:
        raise ScenarioError(f"{number} must not be negative")
    return int(check_number(number, low=0, high=MAX_MINUTES))


def _at_least_one(value: Any) -> int:
    number = _int(value)
    if number < 1:
        raise ScenarioError(f"{number} must be 1 or more")
    return int(check_number(number, low=1, high=MAX_MINUTES))


def _bounded(high: int, least: int = 0) -> Callable[[Any], int]:
    """A whole number ``least`` … ``high`` (lessons per day or week, solver threads)."""

    def kind(value: Any) -> int:
        number = _int(value)
        if number < least:
            raise ScenarioError(
                f"{number} must be {least} or more" if least else f"{number} must not be negative"
            )
        return int(check_number(number, low=least, high=high))

    return kind


def _seed(value: Any) -> int:
    number = _int(value)
    if number < 0:
        raise ScenarioError(f"{number} must not be negative")
    if number > MAX_SEED:
        raise ScenarioError(f"{number} is larger than {MAX_SEED}")
    return number


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{value!r} is not a finite number")
    return check_number(number, low=-MAX_WEIGHT, high=MAX_WEIGHT)


def _weight(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise ScenarioError(f"{value!r} must not be negative")
    return number


def _seconds(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise ScenarioError(f"{value!r} must be more than 0 seconds")
    return check_number(number, low=0, high=MAX_SECONDS)


def _grade(value: Any) -> int:
    number = _int(value)
    if number not in GRADE_NAMES:
        raise ScenarioError(f"{number} is not a grade: grades are 1–12")
    return number


def _grades(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError
    numbers = tuple(_grade(v) for v in value)
    if len(set(numbers)) != len(numbers):
        twice = next(n for n in numbers if numbers.count(n) > 1)
        raise ScenarioError(f"lists grade {twice} twice")
    return numbers


def _zone(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    if value not in _time_zones():
        raise ScenarioError(f"{value!r} is not an IANA time zone such as 'Asia/Shanghai'")
    return value


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def kind(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError
        if value not in choices:
            raise ScenarioError(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return kind


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        check_year(value.year)
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        day = date.fromisoformat(value.strip())
        check_year(day.year)
        return day
    raise ValueError


def _dates(value: Any) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_date(v) for v in value)


def _clock(value: Any) -> int:
    if not isinstance(value, str):
        raise ValueError
    return parse_clock(value)


def _range(value: Any) -> TimeRange:
    if not isinstance(value, str):
        raise ValueError
    parts = re.split(r"\s*[-–]\s*", value.strip())
    if len(parts) != 2:
        raise ScenarioError(f"{value!r} is not a time range like '08:00-12:00'")
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if end <= start:
        raise ScenarioError(f"{value!r} ends before it starts")
    return TimeRange(start, end)


def _ranges(value: Any) -> tuple[TimeRange, ...]:
    """A list of time ranges that do not overlap one another."""
    if not isinstance(value, list):
        raise ValueError
    ranges = tuple(_range(v) for v in value)
    ordered = sorted(ranges, key=lambda r: r.start)
    for before, after in itertools.pairwise(ordered):
        if before.overlaps(after):
            raise ScenarioError(f"{before.label} and {after.label} overlap")
    return ranges


def _weekdays(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError
    days = []
    for name in value:
        key = name.strip().lower() if isinstance(name, str) else None
        if key in WEEKDAYS:
            days.append(WEEKDAYS.index(key))
        elif key in WEEKDAY_NAMES:
            days.append(WEEKDAY_NAMES.index(key))
        else:
            raise ScenarioError(
                f"{_show(name)} is not a weekday (mon, tue, wed, thu, fri, sat, sun)"
            )
    return tuple(sorted(set(days)))


def _one_weekday(node: Node, key: str) -> int:
    days = node.get(key, lambda v: _weekdays([v]), 'a weekday like "mon"')
    return days[0]


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_text(v) for v in value)


def _uint16(value: Any) -> int:
    number = _int(value)
    if number < 0:
        raise ScenarioError(f"{number} must not be negative")
    if number > 0xFFFF:
        raise ScenarioError(f"{number} is larger than 65535")
    return number


def _language(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    if not re.fullmatch(r"[a-z]{3}", value):
        raise ScenarioError(f"{value!r} is not an ISO 639-2 code of three letters like 'chi'")
    return value


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_id(v) for v in value)
