"""Who is taught what: bands, grades, exam cohorts, courses and their lessons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.clock import TimeRange, check_id

GRADE_NAMES = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "初一",
    8: "初二",
    9: "初三",
    10: "高一",
    11: "高二",
    12: "高三",
}


@dataclass(frozen=True, slots=True)
class Band:
    """A group of grades sharing lesson length, screen-time cap, suitable hours and weight."""

    id: str
    name_zh: str
    name_en: str
    grades: tuple[int, ...]
    max_lesson_minutes: int
    daily_cap_minutes: int
    hours: tuple[TimeRange, ...]
    weight: float

    def __post_init__(self) -> None:
        check_id(self.id, "band")
        if not self.grades:
            raise ScenarioError(f"band {self.id!r} has no grades")
        if self.max_lesson_minutes <= 0 or self.daily_cap_minutes < 0:
            raise ScenarioError(f"band {self.id!r}: lesson length and cap must be positive")
        if not self.hours:
            raise ScenarioError(f"band {self.id!r} has no suitable hours")
        if self.weight < 0:
            raise ScenarioError(f"band {self.id!r}: weight must not be negative")


@dataclass(frozen=True, slots=True)
class Grade:
    """A school grade, its term start (no new-term lessons before it), its term end when it goes
    back to school, and allowed channels."""

    number: int
    term_start: date
    channels: tuple[str, ...] = ()
    term_end: date | None = None  # back to school: no lessons on air from this day

    def __post_init__(self) -> None:
        if self.number not in GRADE_NAMES:
            raise ScenarioError(f"unknown grade {self.number}: grades are 1–12")
        if self.term_end is not None and self.term_end <= self.term_start:
            raise ScenarioError(
                f"grade {self.number}: term_end {self.term_end} must be after its term start "
                f"{self.term_start}"
            )

    def on_air(self, day: date) -> bool:
        """Whether the grade is in the air classroom on ``day``: from its term start, before
        its term end (back to school)."""
        return self.term_start <= day and (self.term_end is None or day < self.term_end)

    @property
    def name_zh(self) -> str:
        return GRADE_NAMES[self.number]


@dataclass(frozen=True, slots=True)
class Cohort:
    """An exam cohort guaranteed ``guaranteed_minutes`` of lessons a broadcast day in ``window``."""

    id: str
    name_zh: str
    grade: int
    guaranteed_minutes: int
    window: TimeRange
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    subjects: tuple[str, ...] = ()
    min_per_week: int = 1

    def __post_init__(self) -> None:
        check_id(self.id, "cohort")
        if self.guaranteed_minutes < 0:
            raise ScenarioError(f"cohort {self.id!r}: guaranteed minutes must not be negative")
        if self.min_per_week < 0:
            raise ScenarioError(f"cohort {self.id!r}: min_per_week must not be negative")


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson of a course: its place in the series, title, length, and the day its
    recording is available from (None: already)."""

    number: int
    title: str
    minutes: int
    available_from: date | None = None  # a late recording: not on air before this day

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ScenarioError(f"lesson number {self.number} must be 1 or more")
        if not self.title.strip():
            raise ScenarioError(f"lesson {self.number} has an empty title")
        if self.minutes <= 0:
            raise ScenarioError(f"lesson {self.number} must last at least one minute")


@dataclass(frozen=True, slots=True)
class Course:
    """A grade's subject as an ordered series of lessons.

    ``progress`` lessons were already aired before the horizon; the next to air is
    ``lessons[progress]``. ``per_week`` overrides the pace rule's weekly cap for this course;
    ``min_per_week`` is the fewest premieres a week the course must have (subject minimums).
    """

    id: str
    grade: int
    subject: str
    subject_en: str
    lessons: tuple[Lesson, ...]
    weight: float = 1.0
    per_week: int | None = None
    progress: int = 0
    min_per_week: int = 0

    def __post_init__(self) -> None:
        check_id(self.id, "course")
        if not self.lessons:
            raise ScenarioError(f"course {self.id!r} has no lessons")
        for index, lesson in enumerate(self.lessons, start=1):
            if lesson.number != index:
                raise ScenarioError(
                    f"course {self.id!r}: lessons must be numbered 1, 2, 3 … without gaps; "
                    f"found {lesson.number} where {index} was expected"
                )
        if self.weight < 0:
            raise ScenarioError(f"course {self.id!r}: weight must not be negative")
        if self.per_week is not None and self.per_week < 0:
            raise ScenarioError(f"course {self.id!r}: per_week must not be negative")
        if not 0 <= self.progress <= len(self.lessons):
            raise ScenarioError(f"course {self.id!r}: progress must be 0..{len(self.lessons)}")
        if self.min_per_week < 0:
            raise ScenarioError(f"course {self.id!r}: min_per_week must not be negative")

    @property
    def uniform_minutes(self) -> int | None:
        """The common lesson length, or None when lessons differ in length."""
        lengths = {lesson.minutes for lesson in self.lessons}
        return lengths.pop() if len(lengths) == 1 else None

    @property
    def remaining(self) -> tuple[Lesson, ...]:
        return self.lessons[self.progress :]
