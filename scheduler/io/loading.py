"""Reading scenario files (TOML plus CSV catalogs) into a validated :class:`Scenario`.

The format is documented in ``docs/scenario.md``. A file may ``extends = "other.toml"`` and
override parts of it: tables merge key by key, arrays of tables that carry an ``id`` merge entry
by entry (``remove = true`` drops one), other arrays are replaced. Every error is one
:class:`ScenarioError` naming the file, the line where the format gives one (CSV), and the field
path (``channels[0].windows[1].end``); nothing else escapes, whatever the files contain.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeGuard, TypeVar
from zoneinfo import available_timezones

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import (
    MAX_MINUTES,
    MAX_PER_DAY,
    MAX_PER_WEEK,
    MAX_SECONDS,
    MAX_SEED,
    MAX_TEXT,
    MAX_TOML_BYTES,
    MAX_WEIGHT,
    MAX_WORKERS,
    check_lines,
    check_number,
    check_text,
    check_year,
)
from scheduler.domain.model import (
    DVB_ENCODINGS,
    FILLER_KINDS,
    GRADE_NAMES,
    RERUN_MODES,
    TIMETABLE_MODES,
    WEEKDAYS,
    Balance,
    Band,
    Calendar,
    Channel,
    ChannelIcon,
    Cohort,
    Course,
    DvbService,
    Filler,
    FillerRule,
    Grade,
    Holiday,
    Horizon,
    Lesson,
    Pace,
    PeriodPlan,
    Pinned,
    Publishing,
    Reception,
    Reruns,
    Rest,
    Rules,
    Scenario,
    SolverSettings,
    Special,
    TimeRange,
    Timetable,
    Window,
    Workday,
    check_id,
    parse_clock,
)
from scheduler.io import disruptions
from scheduler.io.files import read_text

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "fixtures" / "cetv4-2020-spring"
SCENARIO_FILE = "scenario.toml"
FOLDER_WITHOUT_SCENARIO = f"is a folder without a {SCENARIO_FILE}"
T = TypeVar("T")
FieldPath = tuple[str | int, ...]

COURSE_COLUMNS = ("id", "grade", "subject", "subject_en", "weight", "per_week")
#: Columns a courses CSV may add; a missing one takes its default.
COURSE_OPTIONAL = ("min_per_week",)
LESSON_COLUMNS = ("course", "number", "title", "minutes")
LESSON_OPTIONAL = ("available_from",)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def resolve(path: str | Path | None) -> Path:
    """The scenario file for a command-line argument: a file, a folder, or the default."""
    if path is None:
        return DEFAULT_SCENARIO / SCENARIO_FILE
    candidate = Path(path)
    if _is_dir(candidate):
        candidate = candidate / SCENARIO_FILE
    return candidate


def load(path: str | Path | None = None, *, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario; ``overrides`` maps field paths to values (``--set``).

    Raises :class:`ScenarioError` for any problem in the files, and nothing else.
    """
    file = resolve(path)
    document = _read_chain(file, ())
    if overrides:
        document.files.append("--set")
    for dotted, value in (overrides or {}).items():
        where = set_path(document.data, dotted, value)
        _drop_origins(document, where)
        document.origin[where] = "--set"
    return Builder(document, file).scenario()


# -- reading and merging -------------------------------------------------------------------------
@dataclass
class Document:
    """A merged TOML tree and, per field path, the file that set it."""

    data: dict[str, Any]
    origin: dict[FieldPath, str] = field(default_factory=dict)
    base: Path = Path(".")
    catalog_base: dict[str, Path] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # merge order: the extended file first

    def file_of(self, path: FieldPath) -> str:
        """The file that set ``path``: the nearest table holding it, unless a later file in
        the chain changed something inside it (then that file, where the planner last edited)."""
        found = str(self.base)
        for size in range(len(path), -1, -1):
            if path[:size] in self.origin:
                found = self.origin[path[:size]]
                break
        size = len(path)
        inside = [f for key, f in self.origin.items() if len(key) > size and key[:size] == path]
        rank = {name: i for i, name in enumerate(self.files)}
        return max([found, *inside], key=lambda name: rank.get(name, -1))


def _tidy(path: Path) -> Path:
    """``a/b/../c`` → ``a/c``, so messages name files the way a planner would."""
    return Path(os.path.normpath(path))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read_toml(file: Path) -> dict[str, Any]:
    text = read_text(file, folder=FOLDER_WITHOUT_SCENARIO)
    if not text.strip():
        raise ScenarioError("is empty: a scenario needs at least a name", file=str(file))
    if len(text) > MAX_TOML_BYTES:
        raise ScenarioError(
            f"is larger than {MAX_TOML_BYTES // 2**20} MB, too large for a scenario file",
            file=str(file),
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match[1]) if match else None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ScenarioError(f"TOML syntax error: {message}", file=str(file), line=line) from None
    except RecursionError:
        raise ScenarioError("TOML values are nested too deeply", file=str(file)) from None


def _read_chain(file: Path, seen: tuple[Path, ...]) -> Document:
    resolved = file.resolve() if _is_file(file) else file.absolute()
    if resolved in seen:
        chain = " → ".join(p.name for p in (*seen, resolved))
        raise ScenarioError(f"extends loop: {chain}", file=str(file), field="extends")
    data = _read_toml(file)
    parent_name = data.pop("extends", None)
    if parent_name is None:
        document = Document(data={}, base=file.parent)
    else:
        if not isinstance(parent_name, str) or not parent_name.strip():
            raise ScenarioError(
                'must name the scenario file this one extends, e.g. extends = "scenario.toml"',
                file=str(file),
                field="extends",
            )
        parent = _tidy(file.parent / parent_name)
        if _is_dir(parent):
            parent = parent / SCENARIO_FILE
        if not _is_file(parent):
            raise ScenarioError(
                f"names {parent_name!r}, which does not exist", file=str(file), field="extends"
            )
        document = _read_chain(parent, (*seen, resolved))
    catalog = data.get("catalog")
    if isinstance(catalog, dict):
        for key in catalog:
            document.catalog_base[key] = file.parent
    _merge(document, document.data, data, (), str(file))
    document.origin[()] = str(file)
    document.files.append(str(file))
    document.base = file.parent
    return document


def _merge(
    document: Document,
    target: dict[str, Any],
    source: dict[str, Any],
    path: FieldPath,
    file: str,
) -> None:
    for key, value in source.items():
        here = (*path, key)
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(document, old, value, here, file)
        elif _is_keyed_list(old) and _is_keyed_list(value):
            target[key] = _merge_keyed(document, old, value, here, file)
        else:
            if isinstance(value, list):
                value = _without_remove(value, here, file)
            target[key] = value
            _drop_origins(document, here)
            document.origin[here] = file


def _is_keyed_list(value: object) -> TypeGuard[list[dict[str, Any]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
    )


def _without_remove(items: list[Any], path: FieldPath, file: str) -> list[Any]:
    """A list that replaces (or starts) a value: ``remove`` has nothing to remove there."""
    result = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and "remove" in item:
            remove = item["remove"]
            if remove is True:
                raise ScenarioError(
                    f"removes id {item.get('id')!r}, but no extended scenario defines it here",
                    file=file,
                    field=_path_text((*path, i, "remove")),
                )
            if remove is not False:
                raise ScenarioError(
                    "must be true or false", file=file, field=_path_text((*path, i, "remove"))
                )
            item = {k: v for k, v in item.items() if k != "remove"}
        result.append(item)
    return result


def _merge_keyed(
    document: Document,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    path: FieldPath,
    file: str,
) -> list[dict[str, Any]]:
    merged = [dict(item) for item in old]
    index = {item["id"]: i for i, item in enumerate(merged)}
    removed: set[int] = set()
    first_in_file: dict[str, int] = {}
    for j, item in enumerate(new):
        item_id = item["id"]
        if item_id in first_in_file:
            also = _path_text((*path, first_in_file[item_id]))
            raise ScenarioError(
                f"{item_id!r} is defined twice (also at {also})",
                file=file,
                field=_path_text((*path, j, "id")),
            )
        first_in_file[item_id] = j
        item = dict(item)
        remove = item.pop("remove", False)
        if not isinstance(remove, bool):
            raise ScenarioError(
                "must be true or false", file=file, field=_path_text((*path, j, "remove"))
            )
        position = index.get(item_id)
        if remove:
            if position is None:
                raise ScenarioError(
                    f"removes unknown id {item_id!r}",
                    file=file,
                    field=_path_text((*path, j, "remove")),
                )
            removed.add(position)
            continue
        if position is None:
            merged.append(item)
            index[item_id] = len(merged) - 1
            document.origin[(*path, len(merged) - 1)] = file
        else:
            _merge(document, merged[position], item, (*path, position), file)
    if not removed:
        return merged
    keep = [i for i in range(len(merged)) if i not in removed]
    _renumber_origins(document, path, {old_i: new_i for new_i, old_i in enumerate(keep)})
    return [merged[i] for i in keep]


def _drop_origins(document: Document, path: FieldPath) -> None:
    """Forget where the parts below ``path`` came from: a later file replaced them whole."""
    size = len(path)
    for key in [k for k in document.origin if len(k) > size and k[:size] == path]:
        del document.origin[key]


def _renumber_origins(document: Document, path: FieldPath, moves: dict[int, int]) -> None:
    """Entries of a merged array moved (some were removed): move their origins with them."""
    size = len(path)
    renumbered: dict[FieldPath, str] = {}
    for key in [k for k in document.origin if len(k) > size and k[:size] == path]:
        file = document.origin.pop(key)
        position = key[size]
        if isinstance(position, int) and position in moves:
            renumbered[(*path, moves[position], *key[size + 1 :])] = file
    document.origin.update(renumbered)


def _split_path(dotted: str) -> list[str | int]:
    """``channels[0].windows[1].end`` → parts; ``channels[cetv4.cn]`` names an entry by id."""
    parts: list[str | int] = []
    for token in re.findall(r"\[[^\]]*\]|[^.\[\]]+", dotted):
        if token.startswith("["):
            inner = token[1:-1].strip().strip("\"'")
            parts.append(int(inner) if inner.isascii() and inner.isdigit() else inner)
        else:
            parts.append(token.strip())
    return parts


def set_path(data: dict[str, Any], dotted: str, value: Any) -> FieldPath:
    """Set ``channels[0].windows[1].end`` (or ``channels[cetv4.cn].name_zh`` by id) in a TOML tree.

    Missing tables on the way are created. Returns the path actually set, with list positions.
    """
    parts = _split_path(dotted)
    if not parts or any(part == "" for part in parts):
        raise ScenarioError("is not a field path like rules.rest.minutes", field=_set_field(dotted))
    node: Any = data
    where: list[str | int] = []
    for position, part in enumerate(parts[:-1]):
        create = not isinstance(parts[position + 1], int)
        node, key = _step(node, part, dotted, create=create)
        where.append(key)
    last = parts[-1]
    if isinstance(node, list):
        key = _list_position(node, last, dotted)
        node[key] = value
    elif isinstance(node, dict) and isinstance(last, str):
        node[last] = value
        key = last
    else:
        raise ScenarioError("does not name a field of the scenario", field=_set_field(dotted))
    return (*where, key)


def _list_position(node: list[Any], part: str | int, dotted: str) -> int:
    if isinstance(part, int) or part.isdigit():
        position = int(part)
        if 0 <= position < len(node):
            return position
        raise ScenarioError(
            f"has no entry {position} (there are {len(node)})", field=_set_field(dotted)
        )
    for position, item in enumerate(node):
        if isinstance(item, dict) and item.get("id") == part:
            return position
    raise ScenarioError(f"has no entry with id {part!r}", field=_set_field(dotted))


def _step(node: Any, part: str | int, dotted: str, *, create: bool) -> tuple[Any, str | int]:
    if isinstance(node, list):
        position = _list_position(node, part, dotted)
        return node[position], position
    if isinstance(node, dict) and isinstance(part, str):
        if part not in node:
            if not create:
                raise ScenarioError(f"has no field {part!r}", field=_set_field(dotted))
            node[part] = {}
        return node[part], part
    raise ScenarioError("does not name a field of the scenario", field=_set_field(dotted))


def _path_text(path: FieldPath) -> str:
    """``("channels", 0, "windows")`` → ``channels[0].windows``; odd keys are quoted as in TOML."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        key = (
            part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)
        )
        text += f".{key}" if text else key
    return text


def _set_field(dotted: str) -> str:
    return "--set " + (dotted if dotted.isprintable() else json.dumps(dotted, ensure_ascii=False))


# -- typed access ----------------------------------------------------------------------------------
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


def _check_dvb_services(channels: tuple[Channel, ...], nodes: list[Node]) -> None:
    """Two channels cannot be the same DVB service: a receiver would merge their guides."""
    seen: dict[tuple[int, int, int], str] = {}
    for channel, node in zip(channels, nodes, strict=True):
        if channel.dvb is None:
            continue
        other = seen.setdefault(channel.dvb.triplet, channel.id)
        if other != channel.id:
            raise node.table("dvb", None).error(
                "service_id",
                f"is the same DVB service (network, stream and service id) as channel {other!r}'s",
            )


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_id(v) for v in value)


# -- building the scenario ------------------------------------------------------------------------
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
ICON_BYTES = 1 << 20  # a logo, not a photograph
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


class Builder:
    """Turns a merged document into domain objects, table by table."""

    def __init__(self, document: Document, file: Path) -> None:
        self.document = document
        self.file = file
        self.root = Node(document.data, (), document, TOP_KEYS)

    def scenario(self) -> Scenario:
        root = self.root
        name = root.get("name", _id, "a safe scenario name")
        root.get("description", _any_text, "a text", default="")
        horizon_node = root.table("horizon", ("first", "last"))
        horizon = horizon_node.build(
            lambda: Horizon(
                horizon_node.get("first", _date, "a date like 2020-02-17"),
                horizon_node.get("last", _date, "a date like 2020-02-23"),
            )
        )
        bands = tuple(self._band(node) for node in root.tables("bands", BAND_KEYS))
        channel_nodes = root.tables("channels", CHANNEL_KEYS)
        if not channel_nodes:
            raise root.error("channels", "is missing: a scenario needs at least one [[channels]]")
        channels = tuple(self._channel(node) for node in channel_nodes)
        _check_dvb_services(channels, channel_nodes)
        channels = disruptions.with_outages(
            root.tables("outages", disruptions.OUTAGE_KEYS), channels
        )
        grades_node = root.table("grades", GRADES_KEYS)
        grades = self._grades(grades_node, bands, {channel.id for channel in channels})
        grades = disruptions.with_term_ends(grades_node, grades)
        band_of = {g: band for band in bands for g in band.grades}
        courses = self._courses({g.number for g in grades}, band_of)
        parts = dict(
            name=name,
            title=root.get("title", _text, "a text", default=name),
            horizon=horizon,
            channels=channels,
            bands=bands,
            grades=grades,
            cohorts=tuple(self._cohort(n) for n in root.tables("cohorts", COHORT_KEYS)),
            courses=courses,
            specials=tuple(self._special(n) for n in root.tables("specials", SPECIAL_KEYS)),
            fillers=tuple(self._filler(n) for n in root.tables("fillers", FILLER_KEYS)),
            pinned=tuple(self._pinned(n) for n in root.tables("pinned", PINNED_KEYS)),
            rules=self._rules(
                root.table("rules", ("rest", "pace", "reruns", "balance", "fillers"))
            ),
            solver=self._solver(root.table("solver", ("time_limit", "workers", "seed"))),
            calendar=self._calendar(root.table("calendar", CALENDAR_KEYS)),
            timetable=self._timetable(root.table("timetable", TIMETABLE_KEYS)),
            publishing=self._publishing(root.table("publishing", PUBLISHING_KEYS)),
            source=str(self.file),
        )
        try:
            return Scenario(**parts)  # type: ignore[arg-type]
        except ScenarioError as error:
            # the model names the culprit by its path in the scenario, which is the path in
            # the TOML files for everything it checks that the loader has not checked already
            where = tuple(_split_path(error.field)) if error.field else ()
            raise error.located(file=self.document.file_of(where)) from None

    def _channel(self, node: Node) -> Channel:
        windows = tuple(self._window(w) for w in node.tables("windows", WINDOW_KEYS))
        if not windows:
            raise node.error("windows", "is missing: a channel needs at least one window")
        return node.build(
            lambda: Channel(
                id=node.get("id", _id, "a safe id"),
                name_zh=node.get("name_zh", _text, "a text"),
                name_en=node.get("name_en", _text, "a text"),
                timezone=node.get("timezone", _zone, "an IANA time zone such as Asia/Shanghai"),
                windows=windows,
                reception=self._reception(node.table("reception", RECEPTION_KEYS)),
                short_name=node.get("short_name", _short_name, "a short text", default=""),
                icon=self._icon(node),
                lcn=node.get("lcn", _int, "a whole number 1 … 9999", default=None),
                dvb=self._dvb(node.table("dvb", DVB_KEYS)) if "dvb" in node.data else None,
            )
        )

    def _dvb(self, node: Node) -> DvbService:
        """``[channels.dvb]``: the DVB service ids and text settings of the satellite guide."""
        ids = {
            key: node.get(key, _uint16, "a whole number 0–65535")
            for key in ("service_id", "transport_stream_id", "original_network_id")
        }
        return node.build(
            lambda: DvbService(
                **ids,
                encoding=node.get("encoding", _one_of(DVB_ENCODINGS), "a text", default="gb2312"),
                language=node.get("language", _language, "a text", default="chi"),
            )
        )

    def _reception(self, node: Node) -> Reception:
        texts = {
            key: node.get(key, _text, "a text", default="")
            for key in RECEPTION_KEYS
            if key != "number"
        }
        number = node.get("number", _channel_number, "a channel number like 4", default="")
        return Reception(number=number, **texts)

    def _icon(self, node: Node) -> ChannelIcon | None:
        """The icon file, relative to the folder of the file that names it."""
        name = node.get("icon", _text, "a path to a PNG or JPEG file", default=None)
        if name is None:
            return None
        base = Path(self.document.file_of((*node.path, "icon"))).parent
        if Path(name).is_absolute() or ".." in Path(name).parts or "\\" in name:
            raise node.error("icon", f"{name!r} must be a path inside the scenario folder")
        path = _tidy(base / name)
        if not _is_file(path) or not path.resolve().is_relative_to(base.resolve()):
            raise node.error("icon", f"names {name!r}, which is not a file inside the folder")
        try:
            with path.open("rb") as handle:
                data = handle.read(ICON_BYTES + 1)
        except OSError as error:
            raise node.error("icon", f"cannot read {name!r}: {error.strerror}") from None
        if len(data) > ICON_BYTES:
            raise node.error("icon", f"{name!r} is larger than {ICON_BYTES // 1024} KiB")
        try:
            return ChannelIcon.of(data)
        except ScenarioError as error:
            raise node.error("icon", f"{name!r} {error.message}") from None

    def _publishing(self, node: Node) -> Publishing:
        return node.build(
            lambda: Publishing(
                sms_signature=node.get("sms_signature", _short_name, "a short text", default=""),
                alarm_minutes=node.get("alarm_minutes", _count, "minutes", default=None),
                base_url=node.get("base_url", _text, "an https:// address", default=""),
            )
        )

    def _window(self, node: Node) -> Window:
        start = node.get("start", _clock, "a time like 08:00")
        end = node.get("end", _clock, "a time like 12:00")
        if end <= start:
            raise node.error(
                "end",
                f"the window ends ({node.data['end']}) before it starts ({node.data['start']})",
            )
        weekdays = node.get("days", _weekdays, 'a list of weekdays like ["mon", "tue"]', ())
        dates = node.get("dates", _dates, "a list of dates like [2020-02-17]", ())
        if bool(weekdays) == bool(dates):
            raise node.error(
                None, "a window needs either days (weekdays) or dates, not both or neither"
            )
        return node.build(
            lambda: Window(
                span=TimeRange(start, end),
                weekdays=weekdays,
                dates=dates,
                label=node.get("label", _text, "a text", default=""),
            )
        )

    def _band(self, node: Node) -> Band:
        return node.build(
            lambda: Band(
                id=node.get("id", _id, "a safe id"),
                name_zh=node.get("name_zh", _text, "a text"),
                name_en=node.get("name_en", _text, "a text"),
                grades=node.get("grades", _grades, "a list of grades 1–12"),
                max_lesson_minutes=node.get("max_lesson_minutes", _at_least_one, "minutes"),
                daily_cap_minutes=node.get("daily_cap_minutes", _count, "minutes"),
                hours=node.get("hours", _ranges, "a list of time ranges like '08:00-12:00'"),
                weight=node.get("weight", _weight, "a number ≥ 0"),
            )
        )

    def _grades(
        self, node: Node, bands: tuple[Band, ...], channel_ids: set[str]
    ) -> tuple[Grade, ...]:
        numbers = node.get("numbers", _grades, "a list of grades 1–12")
        if not numbers:
            raise node.error("numbers", "lists no grades")
        banded = {g for band in bands for g in band.grades}
        for i, number in enumerate(numbers):
            if number not in banded:
                raise ScenarioError(
                    f"grade {number} belongs to no band; add it to a [[bands]] entry",
                    file=self.document.file_of(("grades", "numbers")),
                    field=f"grades.numbers[{i}]",
                )
        term_start = node.get("term_start", _date, "a date like 2020-02-17")
        allowed = tuple(str(n) for n in numbers)
        starts = node.table("term_starts", allowed)
        channels = node.table("channels", allowed)
        result = []
        for number in numbers:
            key = str(number)
            grade_channels = channels.get(key, _ids, "a list of channel ids", default=())
            unknown = [c for c in grade_channels if c not in channel_ids]
            if unknown:
                raise channels.error(key, f"names unknown channel {unknown[0]!r}")
            result.append(
                Grade(
                    number=number,
                    term_start=starts.get(key, _date, "a date like 2020-02-17", default=term_start),
                    channels=grade_channels,
                )
            )
        return tuple(result)

    def _cohort(self, node: Node) -> Cohort:
        return node.build(
            lambda: Cohort(
                id=node.get("id", _id, "a safe id"),
                name_zh=node.get("name_zh", _text, "a text"),
                grade=node.get("grade", _grade, "a grade 1–12"),
                guaranteed_minutes=node.get("guaranteed_minutes", _count, "minutes"),
                window=node.get("window", _range, "a time range like '19:00-21:00'"),
                weekdays=node.get("days", _weekdays, "a list of weekdays", default=(0, 1, 2, 3, 4)),
                subjects=node.get("subjects", _texts, "a list of subjects", default=()),
                min_per_week=node.get("min_per_week", _count, "a whole number", default=1),
            )
        )

    def _calendar(self, node: Node) -> Calendar:
        defaults = Calendar()
        holidays = tuple(
            item.build(
                lambda item=item: Holiday(  # type: ignore[misc]
                    name=item.get("name", _text, "a text"),
                    first=item.get("first", _date, "a date like 2020-04-04"),
                    last=item.get("last", _date, "a date like 2020-04-06"),
                )
            )
            for item in node.tables("holidays", HOLIDAY_KEYS)
        )
        workdays = tuple(
            item.build(
                lambda item=item: Workday(  # type: ignore[misc]
                    name=item.get("name", _text, "a text"),
                    day=item.get("date", _date, "a date like 2020-04-26"),
                    follows=_one_weekday(item, "follows"),
                )
            )
            for item in node.tables("workdays", WORKDAY_KEYS)
        )
        return node.build(
            lambda: Calendar(
                lesson_weekdays=node.get(
                    "lesson_days",
                    _weekdays,
                    'a list of weekdays like ["mon"]',
                    default=defaults.lesson_weekdays,
                ),
                holidays=holidays,
                workdays=workdays,
            )
        )

    def _timetable(self, node: Node) -> Timetable:
        periods = tuple(
            item.build(
                lambda item=item: PeriodPlan(  # type: ignore[misc]
                    grades=item.get("grades", _grades, "a list of grades 1–12"),
                    spans=item.get("times", _ranges, "a list of periods like '08:30-08:50'"),
                    channel=item.get("channel", _id, "a channel id", default=None),
                )
            )
            for item in node.tables("periods", PERIOD_KEYS)
        )
        return node.build(
            lambda: Timetable(
                mode=node.get(
                    "mode", _one_of(TIMETABLE_MODES), "template or free", default=Timetable().mode
                ),
                periods=periods,
            )
        )

    def _special(self, node: Node) -> Special:
        return node.build(
            lambda: Special(
                id=node.get("id", _id, "a safe id"),
                title=node.get("title", _text, "a text"),
                topic=node.get("topic", _text, "a text"),
                minutes=node.get("minutes", _at_least_one, "minutes"),
                per_week=node.get("per_week", _bounded(MAX_PER_WEEK), "a whole number"),
                grades=node.get("grades", _grades, "a list of grades", default=()),
                hours=node.get("hours", _ranges, "a list of time ranges", default=()),
            )
        )

    def _filler(self, node: Node) -> Filler:
        return node.build(
            lambda: Filler(
                id=node.get("id", _id, "a safe id"),
                title=node.get("title", _text, "a text"),
                kind=node.get("kind", _one_of(FILLER_KINDS), "a filler kind"),
                minutes=node.get("minutes", _at_least_one, "minutes"),
                max_minutes=node.get("max_minutes", _at_least_one, "minutes", default=None),
            )
        )

    def _pinned(self, node: Node) -> Pinned:
        start = node.get("start", _clock, "a time like 10:00")
        end = node.get("end", _clock, "a time like 10:30")
        if end <= start:
            raise node.error(
                "end",
                f"the pinned item ends ({node.data['end']}) before it starts "
                f"({node.data['start']})",
            )
        return node.build(
            lambda: Pinned(
                id=node.get("id", _id, "a safe id"),
                channel=node.get("channel", _id, "a channel id"),
                day=node.get("date", _date, "a date like 2020-02-17"),
                span=TimeRange(start, end),
                title=node.get("title", _text, "a text"),
                grades=node.get("grades", _grades, "a list of grades", default=()),
            )
        )

    def _rules(self, node: Node) -> Rules:
        rest = node.table("rest", ("minutes",))
        pace = node.table("pace", ("per_week", "per_day"))
        reruns = node.table("reruns", ("mode", "within_minutes", "weight", "dayparts"))
        balance = node.table("balance", ("weight",))
        fillers = node.table("fillers", ("max_repeats",))
        defaults = Rules()
        return Rules(
            rest=Rest(rest.get("minutes", _count, "minutes", default=defaults.rest.minutes)),
            pace=Pace(
                per_week=pace.get(
                    "per_week",
                    _bounded(MAX_PER_WEEK),
                    "a whole number",
                    default=defaults.pace.per_week,
                ),
                per_day=pace.get(
                    "per_day",
                    _bounded(MAX_PER_DAY),
                    "a whole number",
                    default=defaults.pace.per_day,
                ),
            ),
            reruns=reruns.build(
                lambda: Reruns(
                    mode=reruns.get(
                        "mode", _one_of(RERUN_MODES), "a text", default=defaults.reruns.mode
                    ),
                    within_minutes=reruns.get(
                        "within_minutes",
                        _at_least_one,
                        "minutes",
                        default=defaults.reruns.within_minutes,
                    ),
                    weight=reruns.get(
                        "weight", _weight, "a number ≥ 0", default=defaults.reruns.weight
                    ),
                    dayparts=reruns.get(
                        "dayparts",
                        _ranges,
                        "a list of time ranges",
                        default=defaults.reruns.dayparts,
                    ),
                )
            ),
            balance=Balance(
                weight=balance.get(
                    "weight", _weight, "a number ≥ 0", default=defaults.balance.weight
                ),
            ),
            fillers=FillerRule(
                max_repeats=fillers.get(
                    "max_repeats",
                    _at_least_one,
                    "a whole number ≥ 1",
                    default=defaults.fillers.max_repeats,
                ),
            ),
        )

    def _solver(self, node: Node) -> SolverSettings:
        defaults = SolverSettings()
        return SolverSettings(
            time_limit=node.get("time_limit", _seconds, "seconds", default=defaults.time_limit),
            workers=node.get(
                "workers",
                _bounded(MAX_WORKERS, least=1),
                "a whole number",
                default=defaults.workers,
            ),
            seed=node.get("seed", _seed, "a whole number", default=defaults.seed),
        )

    # -- catalogs ------------------------------------------------------------------------------
    def _courses(self, grades: set[int], band_of: dict[int, Band]) -> tuple[Course, ...]:
        catalog = self.root.table("catalog", ("courses", "lessons"))
        overrides = self.root.table("course", None)  # keys are course ids, checked below
        if not catalog.data:
            raise catalog.error(None, "is missing: name the courses and lessons CSV files")
        courses_path = self._catalog_path(catalog, "courses")
        lessons_path = self._catalog_path(catalog, "lessons")
        rows: list[_CourseRow] = []
        by_id: dict[str, _CourseRow] = {}
        for line, row in _csv_rows(courses_path, COURSE_COLUMNS, COURSE_OPTIONAL):
            where = _CsvPlace(courses_path, line)
            course_id = where.check(row, "id", lambda v: check_id(v, "course"))
            if course_id in by_id:
                raise where.error(
                    "id",
                    f"course {course_id!r} is defined twice (also line {by_id[course_id].line})",
                )
            grade = where.whole(row, "grade")
            if grade not in grades:
                raise where.error("grade", f"course {course_id!r} names unknown grade {grade}")
            record = _CourseRow(
                line=line,
                id=course_id,
                grade=grade,
                subject=where.text(row, "subject"),
                subject_en=where.text(row, "subject_en"),
                weight=where.decimal(row, "weight") if row["weight"] else 1.0,
                per_week=where.whole(row, "per_week", most=MAX_PER_WEEK)
                if row["per_week"]
                else None,
                min_per_week=where.whole(row, "min_per_week", most=MAX_PER_WEEK)
                if row.get("min_per_week")
                else 0,
            )
            rows.append(record)
            by_id[course_id] = record
        for line, row in _csv_rows(lessons_path, LESSON_COLUMNS, LESSON_OPTIONAL):
            where = _CsvPlace(lessons_path, line)
            course = by_id.get(row["course"])
            if course is None:
                raise where.error("course", f"names unknown course {row['course']!r}")
            number = where.whole(row, "number", least=1)
            if number in course.lines:
                raise where.error(
                    "number",
                    f"course {course.id!r} has lesson {number} twice "
                    f"(also line {course.lines[number]})",
                )
            minutes = where.whole(row, "minutes", least=1)
            band = band_of.get(course.grade)
            if band is not None and minutes > band.max_lesson_minutes:
                raise where.error(
                    "minutes",
                    f"course {course.id!r} lesson {number} lasts {minutes} min, longer than the "
                    f"{band.max_lesson_minutes} min band {band.id!r} allows",
                )
            course.lines[number] = line
            course.lessons.append(
                Lesson(
                    number,
                    where.text(row, "title"),
                    minutes,
                    where.check(row, "available_from", disruptions.available_from)
                    if row.get("available_from")
                    else None,
                )
            )
        result = []
        for course in rows:
            where = _CsvPlace(courses_path, course.line)
            if not course.lessons:
                raise where.error(
                    "id", f"course {course.id!r} has no lessons in {lessons_path.name}"
                )
            series = sorted(course.lessons, key=lambda lesson: lesson.number)
            for expected, lesson in enumerate(series, start=1):
                if lesson.number != expected:
                    raise _CsvPlace(lessons_path, course.lines[lesson.number]).error(
                        "number",
                        f"course {course.id!r} lessons must be numbered 1, 2, 3 … without gaps; "
                        f"lesson {expected} is missing",
                    )
            override = overrides.table(course.id, COURSE_OVERRIDE_KEYS)
            progress = override.get("progress", _count, "a whole number", default=0)
            if progress > len(series):
                raise override.error(
                    "progress", f"{progress} is more than the {len(series)} lessons of the course"
                )
            make = partial(
                Course,
                id=course.id,
                grade=course.grade,
                subject=course.subject,
                subject_en=course.subject_en,
                lessons=tuple(series),
                weight=override.get("weight", _weight, "a number ≥ 0", course.weight),
                per_week=override.get(
                    "per_week", _bounded(MAX_PER_WEEK), "a whole number", course.per_week
                ),
                progress=progress,
                min_per_week=override.get(
                    "min_per_week", _count, "a whole number", course.min_per_week
                ),
            )
            result.append(where.build(make, "id"))
        unknown = [key for key in overrides.data if key not in by_id]
        if unknown:
            raise overrides.error(unknown[0], f"names unknown course {unknown[0]!r}")
        return tuple(result)

    def _catalog_path(self, catalog: Node, key: str) -> Path:
        name = catalog.get(key, _text, "a CSV file name")
        base = self.document.catalog_base.get(key, self.document.base)
        if Path(name).is_absolute() or ".." in Path(name).parts or "\\" in name:
            raise catalog.error(key, f"{name!r} must be a path inside the scenario folder")
        path = _tidy(base / name)
        if not _is_file(path):
            raise catalog.error(key, f"names {name!r}, which does not exist")
        if not path.resolve().is_relative_to(base.resolve()):
            raise catalog.error(key, f"{name!r} leads outside the scenario folder")
        return path


@dataclass
class _CourseRow:
    line: int
    id: str
    grade: int
    subject: str
    subject_en: str
    weight: float
    per_week: int | None
    min_per_week: int = 0
    lessons: list[Lesson] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _CsvPlace:
    file: Path
    line: int

    def error(self, column: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=str(self.file), line=self.line, field=column)

    def check(self, row: dict[str, str], column: str, kind: Callable[[str], T]) -> T:
        try:
            return kind(row[column])
        except ScenarioError as error:
            raise self.error(column, error.message) from None

    def text(self, row: dict[str, str], column: str) -> str:
        if not row[column]:
            raise self.error(column, "is empty")
        return self.check(row, column, check_text)

    def whole(
        self, row: dict[str, str], column: str, least: int = 0, most: int = MAX_MINUTES
    ) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", row[column]):
            raise self.error(column, f"{_show(row[column])} is not a whole number")
        number = int(row[column])
        if number < least:
            raise self.error(column, f"{number} must be {least} or more")
        if number > most:
            raise self.error(column, f"{number} is more than {most}")
        return number

    def decimal(self, row: dict[str, str], column: str) -> float:
        try:
            number = float(row[column])
        except ValueError:
            raise self.error(column, f"{_show(row[column])} is not a number") from None
        if not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
            raise self.error(column, f"{row[column]} must be a number from 0 to {MAX_WEIGHT:g}")
        return number

    def build(self, make: Callable[[], T], column: str) -> T:
        try:
            return make()
        except ScenarioError as error:
            raise error.located(file=str(self.file), line=self.line, field=column) from None


def _csv_rows(
    path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a catalog CSV with the line each starts on; cells are stripped of spaces."""
    text = read_text(path, "utf-8-sig", folder=FOLDER_WITHOUT_SCENARIO)
    if not text.strip():
        raise ScenarioError("is empty: expected a header line", file=str(path), line=1)
    check_lines(text, path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        header = [name.strip() for name in next(reader)]
        twice = [c for c in header if header.count(c) > 1]
        if twice:
            raise ScenarioError(f"has column {twice[0]!r} twice", file=str(path), line=1)
        missing = [c for c in columns if c not in header]
        if missing:
            raise ScenarioError(
                f"is missing column {missing[0]!r}; the header must be {','.join(columns)}",
                file=str(path),
                line=1,
            )
        extra = [c for c in header if c not in columns and c not in optional]
        if extra:
            raise ScenarioError(
                f"has unknown column {extra[0]!r}; the header must be {','.join(columns)}",
                file=str(path),
                line=1,
            )
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise ScenarioError(
                    f"has {len(cells)} fields where the header has {len(header)}",
                    file=str(path),
                    line=start,
                )
            yield start, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    except csv.Error as error:
        raise ScenarioError(f"is not valid CSV ({error})", file=str(path), line=line) from None
