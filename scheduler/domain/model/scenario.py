"""The scenario as a whole: references between its parts checked, lookups computed once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.calendar import Calendar, Timetable
from scheduler.domain.model.channels import Channel
from scheduler.domain.model.checks import _check_channel_days, _check_periods, _check_pinned
from scheduler.domain.model.clock import Horizon, TimeRange, intersect
from scheduler.domain.model.courses import Band, Cohort, Course, Grade
from scheduler.domain.model.programmes import STATION_FILLER, Filler, Pinned, Special
from scheduler.domain.model.rules import Publishing, Rules, SolverSettings


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything a solve needs, validated as a whole; lookups are computed once."""

    name: str
    title: str
    horizon: Horizon
    channels: tuple[Channel, ...]
    bands: tuple[Band, ...]
    grades: tuple[Grade, ...]
    cohorts: tuple[Cohort, ...]
    courses: tuple[Course, ...]
    specials: tuple[Special, ...] = ()
    fillers: tuple[Filler, ...] = ()
    pinned: tuple[Pinned, ...] = ()
    rules: Rules = Rules()
    solver: SolverSettings = SolverSettings()
    calendar: Calendar = Calendar()
    timetable: Timetable = Timetable()
    publishing: Publishing = Publishing()
    source: str = field(default="", compare=False)
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index.build(self))

    def replace(self, **changes: object) -> Scenario:
        """A new scenario with some fields changed, validated again."""
        return replace(self, **changes)  # type: ignore[arg-type]

    # -- lookups ------------------------------------------------------------------------------
    @property
    def days(self) -> tuple[date, ...]:
        return self._index.days

    def channel(self, channel_id: str) -> Channel:
        return self._index.channels[channel_id]

    def course(self, course_id: str) -> Course:
        return self._index.courses[course_id]

    def band_of(self, grade: int) -> Band:
        return self._index.grade2band[grade]

    def grade(self, number: int) -> Grade:
        return self._index.grades[number]

    def courses_of(self, grade: int) -> tuple[Course, ...]:
        return self._index.grade2courses.get(grade, ())

    def channels_of(self, grade: int) -> tuple[Channel, ...]:
        """Channels that may carry the grade's lessons."""
        return self._index.grade2channels[grade]

    def short_name(self, channel: Channel) -> str:
        """The channel's name in an SMS: its ``short_name``, else the first word of its English
        name, else its id when that word is another channel's short name too."""
        return self._index.short_names[channel.id]

    def special(self, special_id: str) -> Special:
        return self._index.specials[special_id]

    def filler(self, filler_id: str) -> Filler:
        return self._index.fillers[filler_id]

    @property
    def station_filler(self) -> Filler:
        """The channel's own programming (常规节目) that takes back airtime nobody can use:
        the scenario's filler of kind ``station``, else :data:`STATION_FILLER`."""
        return self._index.station

    def per_week(self, course: Course) -> int:
        return self.rules.pace.per_week if course.per_week is None else course.per_week

    def min_per_week(self, course: Course) -> int:
        """The fewest premieres a week ``course`` must have: its own minimum, or its exam
        cohort's when the cohort names the course's subject."""
        cohort = max(
            (
                c.min_per_week
                for c in self.cohorts
                if c.grade == course.grade and course.subject in c.subjects
            ),
            default=0,
        )
        return max(course.min_per_week, cohort)

    def is_lesson_day(self, day: date) -> bool:
        """Whether ``day`` may carry new lessons (the school calendar)."""
        return self.calendar.is_lesson_day(day)

    @property
    def grade_numbers(self) -> tuple[int, ...]:
        return tuple(grade.number for grade in self.grades)

    def weeks(self) -> tuple[tuple[date, ...], ...]:
        """The horizon's days grouped by ISO week (Monday first)."""
        return self._index.weeks

    def lesson_hours(self, grade: int, channel: Channel, day: date) -> tuple[TimeRange, ...]:
        """Where a lesson of ``grade`` may air on ``channel`` that day: windows ∩ band hours."""
        if channel.id not in {c.id for c in self.channels_of(grade)}:
            return ()
        return intersect(channel.spans_on(day), self.band_of(grade).hours)


# Ids the solver and the filler give airings (scheduler/solver/solving.py,
# scheduler/domain/fill.py): a lesson
# ``<course>-l001``, its rerun ``<course>-l001-r``, a special ``<special>-2020w08-1``, a filler
# ``<channel>-20200217-0810``. An item id of one of these shapes could collide with an airing's.
GENERATED_ID = re.compile(r".+-(l\d{3,}(-r)?|\d{4}w\d{2}-\d+|\d{8}-\d{4})")


def check_item_ids(scenario: Scenario) -> None:
    """Ids are unique across courses, specials, fillers and pinned items, and none has the shape
    of a generated airing id, so every airing id in a schedule (and every iCal UID) is unique."""
    seen: dict[str, str] = {}
    for what, where, ids in (
        ("course", "courses", [item.id for item in scenario.courses]),
        ("special", "specials", [item.id for item in scenario.specials]),
        ("filler", "fillers", [item.id for item in scenario.fillers]),
        ("pinned", "pinned", [item.id for item in scenario.pinned]),
    ):
        for position, item_id in enumerate(ids):
            if item_id in seen:
                raise ScenarioError(
                    f"{what} id {item_id!r} is already the id of {seen[item_id]}; ids must be "
                    "unique across courses, specials, fillers and pinned items",
                    field=f"{where}[{position}].id",
                )
            if GENERATED_ID.fullmatch(item_id):
                raise ScenarioError(
                    f"{what} id {item_id!r} has the shape of an airing id skyclass generates "
                    "(like g3-math-l001, reading-2020w08-1 or cetv4.cn-20200217-0810); "
                    "choose another",
                    field=f"{where}[{position}].id",
                )
            seen[item_id] = f"{what} {where}[{position}]"


@dataclass(frozen=True, slots=True)
class _Index:
    days: tuple[date, ...]
    weeks: tuple[tuple[date, ...], ...]
    channels: Mapping[str, Channel]
    courses: Mapping[str, Course]
    grades: Mapping[int, Grade]
    grade2band: Mapping[int, Band]
    grade2courses: Mapping[int, tuple[Course, ...]]
    grade2channels: Mapping[int, tuple[Channel, ...]]
    specials: Mapping[str, Special]
    fillers: Mapping[str, Filler]
    station: Filler
    short_names: Mapping[str, str]

    @classmethod
    def build(cls, scenario: Scenario) -> _Index:
        # Errors name the culprit by its field path in the scenario (``cohorts[1].grade``);
        # the loader maps that path to the file that set it.
        for what, where, ids in (
            ("channel", "channels", [c.id for c in scenario.channels]),
            ("band", "bands", [b.id for b in scenario.bands]),
            ("course", "courses", [c.id for c in scenario.courses]),
            ("special", "specials", [s.id for s in scenario.specials]),
            ("filler", "fillers", [f.id for f in scenario.fillers]),
            ("pinned", "pinned", [p.id for p in scenario.pinned]),
            ("cohort", "cohorts", [c.id for c in scenario.cohorts]),
            ("grade", "grades", [g.number for g in scenario.grades]),
        ):
            position = _first_duplicate(ids)
            if position is not None:
                raise ScenarioError(
                    f"{what} {ids[position]!r} is defined twice",
                    field=f"{where}[{position}]" + (".number" if what == "grade" else ".id"),
                )
        check_item_ids(scenario)
        if not scenario.channels:
            raise ScenarioError("the scenario has no channels", field="channels")
        channels = {c.id: c for c in scenario.channels}
        grades = {g.number: g for g in scenario.grades}
        grade2band: dict[int, Band] = {}
        for b, band in enumerate(scenario.bands):
            for number in band.grades:
                if number in grade2band:
                    raise ScenarioError(
                        f"grade {number} is in bands {grade2band[number].id!r} and {band.id!r}",
                        field=f"bands[{b}].grades",
                    )
                grade2band[number] = band
        for g, (number, grade) in enumerate(grades.items()):
            if number not in grade2band:
                raise ScenarioError(f"grade {number} belongs to no band", field=f"grades[{g}]")
            for channel_id in grade.channels:
                if channel_id not in channels:
                    raise ScenarioError(
                        f"grade {number} names unknown channel {channel_id!r}",
                        field=f"grades[{g}].channels",
                    )
        grade2courses: dict[int, list[Course]] = {}
        for c, course in enumerate(scenario.courses):
            if course.grade not in grades:
                raise ScenarioError(
                    f"course {course.id!r} names unknown grade {course.grade}",
                    field=f"courses[{c}].grade",
                )
            band = grade2band[course.grade]
            for lesson in course.lessons:
                if lesson.minutes > band.max_lesson_minutes:
                    raise ScenarioError(
                        f"course {course.id!r} lesson {lesson.number} lasts {lesson.minutes} min, "
                        f"longer than the {band.max_lesson_minutes} min band {band.id!r} allows",
                        field=f"courses[{c}].lessons[{lesson.number - 1}].minutes",
                    )
            grade2courses.setdefault(course.grade, []).append(course)
        for c, cohort in enumerate(scenario.cohorts):
            if cohort.grade not in grades:
                raise ScenarioError(
                    f"cohort {cohort.id!r} names unknown grade {cohort.grade}",
                    field=f"cohorts[{c}].grade",
                )
        for c, cohort in enumerate(scenario.cohorts):
            subjects = {course.subject for course in grade2courses.get(cohort.grade, [])}
            missing = [s for s in cohort.subjects if s not in subjects]
            if missing:
                raise ScenarioError(
                    f"cohort {cohort.id!r} names subject {missing[0]!r}, which no course of "
                    f"grade {cohort.grade} teaches",
                    field=f"cohorts[{c}].subjects",
                )
        _check_periods(scenario, grades, grade2band, grade2courses, channels)
        for s, special in enumerate(scenario.specials):
            unknown = [g for g in special.grades if g not in grades]
            if unknown:
                raise ScenarioError(
                    f"special {special.id!r} names unknown grade {unknown[0]}",
                    field=f"specials[{s}].grades",
                )
        for p, item in enumerate(scenario.pinned):
            unknown = [g for g in item.grades if g not in grades]
            if unknown:
                raise ScenarioError(
                    f"pinned {item.id!r} names unknown grade {unknown[0]}",
                    field=f"pinned[{p}].grades",
                )
        if scenario.fillers and not any(
            f.max_minutes is not None and f.minutes == 1 for f in scenario.fillers
        ):
            raise ScenarioError(
                "fillers need one variable-length filler starting at 1 minute (a promo) "
                "so that every gap can be covered",
                field="fillers",
            )
        if not any(f.kind == "eye_exercise" for f in scenario.fillers):
            raise ScenarioError(
                "fillers need an eye_exercise filler for the rest between lessons", field="fillers"
            )
        station = next((f for f in scenario.fillers if f.kind == "station"), STATION_FILLER)
        clash = next(
            (
                i
                for i, f in enumerate(scenario.fillers)
                if f.id == STATION_FILLER.id and f.kind != "station"
            ),
            None,
        )
        if station is STATION_FILLER and clash is not None:
            raise ScenarioError(
                f"filler id {STATION_FILLER.id!r} is kept for the channel's own programming: "
                'give it kind "station" or another id',
                field=f"fillers[{clash}].id",
            )
        days = scenario.horizon.days
        for c, channel in enumerate(scenario.channels):
            try:
                _check_channel_days(channel, days)
            except ScenarioError as error:
                raise ScenarioError(
                    error.message, field=f"channels[{c}].{error.field or 'windows'}"
                ) from None
        _check_pinned(scenario.pinned, channels)
        grade2channels = {
            number: tuple(c for c in scenario.channels if not g.channels or c.id in g.channels)
            for number, g in grades.items()
        }
        weeks: dict[tuple[int, int], list[date]] = {}
        for day in days:
            weeks.setdefault(day.isocalendar()[:2], []).append(day)
        return cls(
            days=days,
            weeks=tuple(tuple(week) for week in weeks.values()),
            channels=MappingProxyType(channels),
            courses=MappingProxyType({c.id: c for c in scenario.courses}),
            grades=MappingProxyType(grades),
            grade2band=MappingProxyType(grade2band),
            grade2courses=MappingProxyType({g: tuple(cs) for g, cs in grade2courses.items()}),
            grade2channels=MappingProxyType(grade2channels),
            specials=MappingProxyType({s.id: s for s in scenario.specials}),
            fillers=MappingProxyType({f.id: f for f in (*scenario.fillers, station)}),
            station=station,
            short_names=MappingProxyType(_short_names(scenario.channels)),
        )


def _short_names(channels: tuple[Channel, ...]) -> dict[str, str]:
    """Each channel's SMS name, never shared: a chosen ``short_name`` must be unique; a default
    (the first word of the English name) that two channels would share gives way to the id."""
    chosen: dict[str, int] = {}
    for c, channel in enumerate(channels):
        if not channel.short_name:
            continue
        if channel.short_name in chosen:
            raise ScenarioError(
                f"short name {channel.short_name!r} is also channel "
                f"{channels[chosen[channel.short_name]].id!r}'s; an SMS must say which is which",
                field=f"channels[{c}].short_name",
            )
        chosen[channel.short_name] = c
    defaults = {c.id: (c.name_en.split() or [c.id])[0] for c in channels if not c.short_name}
    counts = Counter(defaults.values())
    names: dict[str, str] = {}
    for channel in channels:
        if channel.short_name:
            names[channel.id] = channel.short_name
            continue
        default = defaults[channel.id]
        clash = counts[default] > 1 or default in chosen
        names[channel.id] = channel.id if clash else default
    return names


def _first_duplicate(values: Sequence[Hashable]) -> int | None:
    """Position of the first value seen before, or None."""
    seen: set[Hashable] = set()
    for position, value in enumerate(values):
        if value in seen:
            return position
        seen.add(value)
    return None
