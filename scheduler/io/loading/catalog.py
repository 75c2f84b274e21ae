"""The course catalogue: courses and lessons CSV files, read with the line of every error."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_MINUTES, MAX_PER_WEEK, MAX_WEIGHT, check_lines, check_text
from scheduler.domain.model import Band, Course, Lesson, check_id
from scheduler.io.disruptions import available_from
from scheduler.io.files import read_text
from scheduler.io.loading.nodes import COURSE_OVERRIDE_KEYS, Node, T, Tables, _show
from scheduler.io.loading.reading import FOLDER_WITHOUT_SCENARIO, _is_file, _tidy
from scheduler.io.loading.values import _bounded, _count, _text, _weight

COURSE_COLUMNS = ("id", "grade", "subject", "subject_en", "weight", "per_week")
#: Columns a courses CSV may add; a missing one takes its default.
COURSE_OPTIONAL = ("min_per_week",)
LESSON_COLUMNS = ("course", "number", "title", "minutes")
LESSON_OPTIONAL = ("available_from",)


class CatalogTables(Tables):
    """``[catalog]`` and ``[course.<id>]``: the courses and lessons CSV files."""

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
                    where.check(row, "available_from", available_from)
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
