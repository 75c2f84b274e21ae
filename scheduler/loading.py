"""Reading scenario files (TOML plus CSV catalogs) into a validated :class:`Scenario`.

The format is documented in ``docs/scenario.md``. A file may ``extends = "other.toml"`` and
override parts of it: tables merge key by key, arrays of tables that carry an ``id`` merge entry
by entry (``remove = true`` drops one), other arrays are replaced. Every error names the file,
the line where the format gives one, and the field path (``channels[0].windows[1].end``).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from scheduler.errors import ScenarioError
from scheduler.model import (
    WEEKDAYS,
    Balance,
    Band,
    Channel,
    Cohort,
    Course,
    Filler,
    Grade,
    Horizon,
    Lesson,
    Pace,
    Pinned,
    Reruns,
    Rest,
    Rules,
    Scenario,
    SolverSettings,
    Special,
    TimeRange,
    Window,
    parse_clock,
)

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "fixtures" / "cetv4-2020-spring"
SCENARIO_FILE = "scenario.toml"
T = TypeVar("T")

COURSE_COLUMNS = ("id", "grade", "subject", "subject_en", "weight", "per_week")
LESSON_COLUMNS = ("course", "number", "title", "minutes")


def resolve(path: str | Path | None) -> Path:
    """The scenario file for a command-line argument: a file, a folder, or the default."""
    if path is None:
        return DEFAULT_SCENARIO / SCENARIO_FILE
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / SCENARIO_FILE
    return candidate


def load(path: str | Path | None = None, *, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario; ``overrides`` maps dotted field paths to values."""
    file = resolve(path)
    document = _read_chain(file, ())
    if overrides:
        for dotted, value in overrides.items():
            set_path(document.data, dotted, value)
            document.origin[tuple(_split_path(dotted))] = "--set"
    return Builder(document, file).scenario()


# -- reading and merging -------------------------------------------------------------------------
@dataclass
class Document:
    """A merged TOML tree and, per field path, the file that set it."""

    data: dict[str, Any]
    origin: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    base: Path = Path(".")
    catalog_base: dict[str, Path] = field(default_factory=dict)

    def file_of(self, path: tuple[str | int, ...]) -> str:
        for size in range(len(path), -1, -1):
            found = self.origin.get(path[:size])
            if found is not None:
                return found
        return self.origin.get((), str(self.base))


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("scenario file not found", file=str(file)) from None
    except IsADirectoryError:
        raise ScenarioError(f"is a folder without a {SCENARIO_FILE}", file=str(file)) from None
    except OSError as error:
        raise ScenarioError(f"cannot be read ({error.strerror})", file=str(file)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError("is not UTF-8 text", file=str(file), line=line) from None
    if not text.strip():
        raise ScenarioError("is empty: a scenario needs at least a name", file=str(file))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match[1]) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ScenarioError(f"TOML syntax error: {message}", file=str(file), line=line) from None


def _read_chain(file: Path, seen: tuple[Path, ...]) -> Document:
    resolved = file.resolve()
    if resolved in seen:
        chain = " → ".join(p.name for p in (*seen, resolved))
        raise ScenarioError(f"extends loop: {chain}", file=str(file), field="extends")
    data = _read_toml(file)
    parent_name = data.pop("extends", None)
    if parent_name is None:
        document = Document(data={}, base=file.parent)
    else:
        if not isinstance(parent_name, str) or not parent_name.strip():
            raise ScenarioError("must name a scenario file", file=str(file), field="extends")
        parent = (file.parent / parent_name)
        if parent.is_dir():
            parent = parent / SCENARIO_FILE
        if not parent.exists():
            raise ScenarioError(
                f"names {parent_name!r}, which does not exist", file=str(file), field="extends"
            )
        document = _read_chain(parent, (*seen, resolved))
    catalog = data.get("catalog")
    if isinstance(catalog, dict):
        for key in catalog:
            document.catalog_base[key] = file.parent
    _merge(document, document.data, data, (), str(file))
    document.origin.setdefault((), str(file))
    document.origin[()] = str(file)
    document.base = file.parent
    return document


def _merge(
    document: Document, target: dict[str, Any], source: dict[str, Any],
    path: tuple[str | int, ...], file: str,
) -> None:
    for key, value in source.items():
        here = (*path, key)
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(document, old, value, here, file)
        elif _is_keyed_list(old) and _is_keyed_list(value):
            target[key] = _merge_keyed(document, old, value, here, file)
        else:
            target[key] = value
            document.origin[here] = file


def _is_keyed_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and "id" in item for item in value
    )


def _merge_keyed(
    document: Document, old: list[dict[str, Any]], new: list[dict[str, Any]],
    path: tuple[str | int, ...], file: str,
) -> list[dict[str, Any]]:
    merged = [dict(item) for item in old]
    index = {item["id"]: i for i, item in enumerate(merged)}
    for item in new:
        position = index.get(item["id"])
        if item.get("remove") is True:
            if position is None:
                raise ScenarioError(f"removes unknown id {item['id']!r}", file=file,
                                    field=_path_text(path))
            merged[position] = {}
            continue
        if position is None:
            merged.append(dict(item))
            index[item["id"]] = len(merged) - 1
            position = len(merged) - 1
            document.origin[(*path, position)] = file
        else:
            _merge(document, merged[position], item, (*path, position), file)
    return [item for item in merged if item]


def _split_path(dotted: str) -> list[str | int]:
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``channels[0].windows[1].end`` (or ``channels.cetv4.cn`` by id) in a TOML tree."""
    parts = _split_path(dotted)
    if not parts:
        raise ScenarioError("is an empty field path", field=dotted)
    node: Any = data
    for position, part in enumerate(parts[:-1]):
        node = _step(node, part, dotted, create=not isinstance(parts[position + 1], int))
    last = parts[-1]
    if isinstance(node, list) and isinstance(last, int):
        if not 0 <= last < len(node):
            raise ScenarioError(f"has no entry {last}", field=dotted)
        node[last] = value
    elif isinstance(node, dict) and isinstance(last, str):
        node[last] = value
    else:
        raise ScenarioError("does not name a field of the scenario", field=dotted)


def _step(node: Any, part: str | int, dotted: str, *, create: bool) -> Any:
    if isinstance(node, list):
        if isinstance(part, int) and 0 <= part < len(node):
            return node[part]
        for item in node:
            if isinstance(item, dict) and item.get("id") == part:
                return item
        raise ScenarioError(f"has no entry {part!r}", field=dotted)
    if isinstance(node, dict) and isinstance(part, str):
        if part not in node:
            if not create:
                raise ScenarioError(f"has no field {part!r}", field=dotted)
            node[part] = {}
        return node[part]
    raise ScenarioError("does not name a field of the scenario", field=dotted)


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# -- typed access ----------------------------------------------------------------------------------
class Node:
    """A table of the merged tree with its field path; typed getters raise located errors."""

    def __init__(self, data: dict[str, Any], path: tuple[str | int, ...], document: Document,
                 allowed: tuple[str, ...]) -> None:
        self.data = data
        self.path = path
        self.document = document
        unknown = [key for key in data if key not in allowed]
        if unknown:
            raise self.error(
                unknown[0],
                f"unknown key {unknown[0]!r}; expected one of {', '.join(allowed)}",
            )

    def error(self, key: str | int | None, message: str) -> ScenarioError:
        path = self.path if key is None else (*self.path, key)
        return ScenarioError(message, file=self.document.file_of(path), field=_path_text(path))

    def get(self, key: str, kind: Callable[[Any], T], what: str, default: Any = ...) -> T:
        if key not in self.data:
            if default is ...:
                raise self.error(key, f"is missing ({what})")
            return default  # type: ignore[no-any-return]
        try:
            return kind(self.data[key])
        except ScenarioError as error:
            raise self.error(key, error.message) from None
        except (TypeError, ValueError):
            raise self.error(key, f"{self.data[key]!r} is not {what}") from None

    def table(self, key: str, allowed: tuple[str, ...]) -> Node:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, "must be a table")
        return Node(value, (*self.path, key), self.document, allowed)

    def tables(self, key: str, allowed: tuple[str, ...]) -> Iterator[Node]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, "must be a list of tables ([[" + key + "]])")
        for i, item in enumerate(value):
            yield Node(item, (*self.path, key, i), self.document, allowed)

    def build(self, make: Callable[[], T]) -> T:
        """Run a constructor; a domain error is located at this table."""
        try:
            return make()
        except ScenarioError as error:
            raise error.located(
                file=self.document.file_of(self.path), field=_path_text(self.path) or None
            ) from None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return value


def _id(value: Any) -> str:
    from scheduler.model import check_id

    if not isinstance(value, str):
        raise ValueError
    return check_id(value, "the")


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError
    return value


def _positive(value: Any) -> int:
    number = _int(value)
    if number < 0:
        raise ScenarioError(f"{number} must not be negative")
    return number


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError
    return float(value)


def _date(value: Any) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
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
    return TimeRange(parse_clock(parts[0]), parse_clock(parts[1]))


def _ranges(value: Any) -> tuple[TimeRange, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_range(v) for v in value)


def _weekdays(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError
    days = []
    for name in value:
        if not isinstance(name, str) or name.lower()[:3] not in WEEKDAYS:
            raise ScenarioError(f"{name!r} is not a weekday (mon, tue, … sun)")
        days.append(WEEKDAYS.index(name.lower()[:3]))
    return tuple(sorted(set(days)))


def _ints(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_int(v) for v in value)


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError
    return tuple(_id(v) for v in value)


# -- building the scenario ---------------------------------------------------------------------------
TOP_KEYS = (
    "name", "title", "description", "horizon", "channels", "bands", "grades", "cohorts",
    "catalog", "course", "specials", "fillers", "pinned", "rules", "solver",
)


class Builder:
    """Turns a merged document into domain objects, table by table."""

    def __init__(self, document: Document, file: Path) -> None:
        self.document = document
        self.file = file
        self.root = Node(document.data, (), document, TOP_KEYS)

    def scenario(self) -> Scenario:
        root = self.root
        name = root.get("name", _id, "a safe scenario name")
        horizon_node = root.table("horizon", ("first", "last"))
        horizon = horizon_node.build(lambda: Horizon(
            horizon_node.get("first", _date, "a date like 2020-02-17"),
            horizon_node.get("last", _date, "a date like 2020-02-23"),
        ))
        bands = tuple(self._band(node) for node in root.tables("bands", BAND_KEYS))
        grades = self._grades(root.table("grades", ("numbers", "term_start", "term_starts",
                                                    "channels")))
        known_grades = {g.number for g in grades}
        band_of = {g: band for band in bands for g in band.grades}
        courses = self._courses(known_grades, band_of)
        parts = dict(
            name=name,
            title=root.get("title", _text, "a text", default=name),
            horizon=horizon,
            channels=tuple(self._channel(node) for node in root.tables("channels", CHANNEL_KEYS)),
            bands=bands,
            grades=grades,
            cohorts=tuple(self._cohort(n) for n in root.tables("cohorts", COHORT_KEYS)),
            courses=courses,
            specials=tuple(self._special(n) for n in root.tables("specials", SPECIAL_KEYS)),
            fillers=tuple(self._filler(n) for n in root.tables("fillers", FILLER_KEYS)),
            pinned=tuple(self._pinned(n) for n in root.tables("pinned", PINNED_KEYS)),
            rules=self._rules(root.table("rules", ("rest", "pace", "reruns", "balance"))),
            solver=self._solver(root.table("solver", ("time_limit", "workers", "seed"))),
            source=str(self.file),
        )
        try:
            return Scenario(**parts)  # type: ignore[arg-type]
        except ScenarioError as error:
            raise error.located(file=str(self.file)) from None

    def _channel(self, node: Node) -> Channel:
        windows = tuple(self._window(w) for w in node.tables("windows", WINDOW_KEYS))
        return node.build(lambda: Channel(
            id=node.get("id", _id, "a safe id"),
            name_zh=node.get("name_zh", _text, "a text"),
            name_en=node.get("name_en", _text, "a text"),
            timezone=node.get("timezone", _text, "an IANA time zone such as Asia/Shanghai"),
            windows=windows,
        ))

    def _window(self, node: Node) -> Window:
        start = node.get("start", _clock, "a time like 08:00")
        end = node.get("end", _clock, "a time like 12:00")
        if end <= start:
            raise node.error("end", f"window ends ({node.data['end']}) before it starts "
                                    f"({node.data['start']})")
        return node.build(lambda: Window(
            span=TimeRange(start, end),
            weekdays=node.get("days", _weekdays, "a list of weekdays", default=()),
            dates=node.get("dates", _dates, "a list of dates", default=()),
            label=node.get("label", _text, "a text", default=""),
        ))

    def _band(self, node: Node) -> Band:
        return node.build(lambda: Band(
            id=node.get("id", _id, "a safe id"),
            name_zh=node.get("name_zh", _text, "a text"),
            name_en=node.get("name_en", _text, "a text"),
            grades=node.get("grades", _ints, "a list of grades"),
            max_lesson_minutes=node.get("max_lesson_minutes", _positive, "minutes"),
            daily_cap_minutes=node.get("daily_cap_minutes", _positive, "minutes"),
            hours=node.get("hours", _ranges, "a list of time ranges like '08:00-12:00'"),
            weight=node.get("weight", _number, "a number"),
        ))

    def _grades(self, node: Node) -> tuple[Grade, ...]:
        numbers = node.get("numbers", _ints, "a list of grades 1–12")
        if not numbers:
            raise node.error("numbers", "lists no grades")
        term_start = node.get("term_start", _date, "a date")
        starts = node.table("term_starts", tuple(str(n) for n in numbers))
        channels = node.table("channels", tuple(str(n) for n in numbers))
        result = []
        for i, number in enumerate(numbers):
            def make(number: int = number) -> Grade:
                return Grade(
                    number=number,
                    term_start=starts.get(str(number), _date, "a date", default=term_start),
                    channels=channels.get(str(number), _ids, "a list of channel ids", default=()),
                )
            item = Node({}, ("grades", "numbers", i), self.document, ())
            result.append(item.build(make))
        return tuple(result)

    def _cohort(self, node: Node) -> Cohort:
        return node.build(lambda: Cohort(
            id=node.get("id", _id, "a safe id"),
            name_zh=node.get("name_zh", _text, "a text"),
            grade=node.get("grade", _int, "a grade 1–12"),
            guaranteed_minutes=node.get("guaranteed_minutes", _positive, "minutes"),
            window=node.get("window", _range, "a time range like '19:00-21:00'"),
            weekdays=node.get("days", _weekdays, "a list of weekdays", default=(0, 1, 2, 3, 4)),
        ))

    def _special(self, node: Node) -> Special:
        return node.build(lambda: Special(
            id=node.get("id", _id, "a safe id"),
            title=node.get("title", _text, "a text"),
            topic=node.get("topic", _text, "a text"),
            minutes=node.get("minutes", _positive, "minutes"),
            per_week=node.get("per_week", _positive, "a whole number"),
            grades=node.get("grades", _ints, "a list of grades", default=()),
            hours=node.get("hours", _ranges, "a list of time ranges", default=()),
        ))

    def _filler(self, node: Node) -> Filler:
        return node.build(lambda: Filler(
            id=node.get("id", _id, "a safe id"),
            title=node.get("title", _text, "a text"),
            kind=node.get("kind", _text, "a filler kind"),
            minutes=node.get("minutes", _positive, "minutes"),
            max_minutes=node.get("max_minutes", _positive, "minutes", default=None),
        ))

    def _pinned(self, node: Node) -> Pinned:
        start = node.get("start", _clock, "a time like 10:00")
        end = node.get("end", _clock, "a time like 10:30")
        if end <= start:
            raise node.error("end", "pinned item ends before it starts")
        return node.build(lambda: Pinned(
            id=node.get("id", _id, "a safe id"),
            channel=node.get("channel", _id, "a channel id"),
            day=node.get("date", _date, "a date"),
            span=TimeRange(start, end),
            title=node.get("title", _text, "a text"),
            grades=node.get("grades", _ints, "a list of grades", default=()),
        ))

    def _rules(self, node: Node) -> Rules:
        rest = node.table("rest", ("minutes",))
        pace = node.table("pace", ("per_week", "per_day"))
        reruns = node.table("reruns", ("mode", "within_minutes", "weight", "dayparts"))
        balance = node.table("balance", ("weight",))
        defaults = Rules()
        return Rules(
            rest=rest.build(lambda: Rest(rest.get("minutes", _positive, "minutes",
                                                  default=defaults.rest.minutes))),
            pace=pace.build(lambda: Pace(
                per_week=pace.get("per_week", _positive, "a whole number",
                                  default=defaults.pace.per_week),
                per_day=pace.get("per_day", _positive, "a whole number",
                                 default=defaults.pace.per_day),
            )),
            reruns=reruns.build(lambda: Reruns(
                mode=reruns.get("mode", _text, "off, soft or required",
                                default=defaults.reruns.mode),
                within_minutes=reruns.get("within_minutes", _positive, "minutes",
                                          default=defaults.reruns.within_minutes),
                weight=reruns.get("weight", _number, "a number", default=defaults.reruns.weight),
                dayparts=reruns.get("dayparts", _ranges, "a list of time ranges",
                                    default=defaults.reruns.dayparts),
            )),
            balance=balance.build(lambda: Balance(
                weight=balance.get("weight", _number, "a number",
                                   default=defaults.balance.weight),
            )),
        )

    def _solver(self, node: Node) -> SolverSettings:
        defaults = SolverSettings()
        return SolverSettings(
            time_limit=node.get("time_limit", _number, "seconds", default=defaults.time_limit),
            workers=node.get("workers", _positive, "a whole number", default=defaults.workers),
            seed=node.get("seed", _positive, "a whole number", default=defaults.seed),
        )

    # -- catalogs ------------------------------------------------------------------------------
    def _courses(self, grades: set[int], band_of: dict[int, Band]) -> tuple[Course, ...]:
        catalog = self.root.table("catalog", ("courses", "lessons"))
        overrides = self.root.table("course", ())  # keys checked against course ids below
        if not catalog.data:
            raise catalog.error(None, "is missing: name the courses and lessons CSV files")
        courses_path = self._catalog_path(catalog, "courses")
        lessons_path = self._catalog_path(catalog, "lessons")
        lessons: dict[str, list[Lesson]] = {}
        course_rows = list(_csv_rows(courses_path, COURSE_COLUMNS))
        known = {row["id"] for _, row in course_rows}
        for line, row in _csv_rows(lessons_path, LESSON_COLUMNS):
            where = _CsvPlace(lessons_path, line)
            course_id = row["course"]
            if course_id not in known:
                raise where.error("course", f"names unknown course {course_id!r}")
            lesson = where.build(lambda row=row, where=where: Lesson(
                number=where.number(row, "number"),
                title=row["title"],
                minutes=where.number(row, "minutes"),
            ), "number")
            lessons.setdefault(course_id, []).append(lesson)
        courses = []
        seen: set[str] = set()
        for line, row in course_rows:
            where = _CsvPlace(courses_path, line)
            course_id = row["id"]
            if course_id in seen:
                raise where.error("id", f"course {course_id!r} is defined twice")
            seen.add(course_id)
            grade = where.number(row, "grade")
            if grade not in grades:
                raise where.error("grade", f"course {course_id!r} names unknown grade {grade}")
            series = sorted(lessons.get(course_id, []), key=lambda lesson: lesson.number)
            band = band_of.get(grade)
            for lesson in series:
                if band is not None and lesson.minutes > band.max_lesson_minutes:
                    raise ScenarioError(
                        f"course {course_id!r} lesson {lesson.number} lasts {lesson.minutes} "
                        f"min, longer than the {band.max_lesson_minutes} min band {band.id!r} "
                        "allows", file=str(lessons_path), field="minutes",
                    )
            extra = overrides.data.get(course_id, {})
            override = Node(extra if isinstance(extra, dict) else {"?": extra},
                            ("course", course_id), self.document,
                            ("progress", "weight", "per_week"))
            per_week_text = row.get("per_week") or ""
            course = where.build(lambda row=row, grade=grade, series=series, override=override,
                                 per_week_text=per_week_text, where=where: Course(
                id=row["id"],
                grade=grade,
                subject=row["subject"],
                subject_en=row["subject_en"],
                lessons=tuple(series),
                weight=override.get("weight", _number, "a number",
                                    default=where.decimal(row, "weight")),
                per_week=override.get(
                    "per_week", _positive, "a whole number",
                    default=where.number(row, "per_week") if per_week_text else None),
                progress=override.get("progress", _positive, "a whole number", default=0),
            ), "id")
            courses.append(course)
        unknown = [key for key in overrides.data if key not in seen]
        if unknown:
            raise overrides.error(unknown[0], f"names unknown course {unknown[0]!r}")
        return tuple(courses)

    def _catalog_path(self, catalog: Node, key: str) -> Path:
        name = catalog.get(key, _text, "a CSV file name")
        base = self.document.catalog_base.get(key, self.document.base)
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise catalog.error(key, f"{name!r} must be a path inside the scenario folder")
        path = base / name
        if not path.is_file():
            raise catalog.error(key, f"names {name!r}, which does not exist")
        return path


@dataclass(frozen=True)
class _CsvPlace:
    file: Path
    line: int

    def error(self, column: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=str(self.file), line=self.line, field=column)

    def number(self, row: dict[str, str], column: str) -> int:
        try:
            return int(row[column])
        except ValueError:
            raise self.error(column, f"{row[column]!r} is not a whole number") from None

    def decimal(self, row: dict[str, str], column: str) -> float:
        try:
            return float(row[column])
        except ValueError:
            raise self.error(column, f"{row[column]!r} is not a number") from None

    def build(self, make: Callable[[], T], column: str) -> T:
        try:
            return make()
        except ScenarioError as error:
            raise error.located(file=str(self.file), line=self.line, field=column) from None


def _csv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError("is not UTF-8 text", file=str(path)) from error
    if not text.strip():
        raise ScenarioError("is empty: expected a header line", file=str(path), line=1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    if missing:
        raise ScenarioError(f"missing column {missing[0]!r}", file=str(path), line=1)
    extra = [c for c in header if c not in columns]
    if extra:
        raise ScenarioError(f"unknown column {extra[0]!r}", file=str(path), line=1)
    for row in reader:
        line = reader.line_num
        if None in row or any(row[c] is None for c in columns):
            raise ScenarioError("has the wrong number of fields", file=str(path), line=line)
        yield line, {k: v.strip() for k, v in row.items()}


BAND_KEYS = ("id", "name_zh", "name_en", "grades", "max_lesson_minutes", "daily_cap_minutes",
             "hours", "weight")
CHANNEL_KEYS = ("id", "name_zh", "name_en", "timezone", "windows")
WINDOW_KEYS = ("days", "dates", "start", "end", "label")
COHORT_KEYS = ("id", "name_zh", "grade", "guaranteed_minutes", "window", "days")
SPECIAL_KEYS = ("id", "title", "topic", "minutes", "per_week", "grades", "hours")
FILLER_KEYS = ("id", "title", "kind", "minutes", "max_minutes")
PINNED_KEYS = ("id", "channel", "date", "start", "end", "title", "grades")
