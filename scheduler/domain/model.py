"""The immutable broadcast problem: channels, windows, bands, grades, courses, specials, fillers.

Every object checks itself on construction and raises :class:`ScenarioError` naming the culprit;
:class:`Scenario` checks the references between them and computes its lookups once.
Times of day are whole minutes after the local midnight that starts the broadcast day, so a
window may run past midnight (``25:30`` is 01:30 the next calendar day).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import MappingProxyType
from zoneinfo import ZoneInfo, available_timezones

from scheduler.domain.disruptions import Outage, on_air
from scheduler.domain.errors import ScenarioError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DAY_MINUTES = 24 * 60
MAX_MINUTE = 2 * DAY_MINUTES
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")  # \Z: no final newline
FILLER_KINDS = ("eye_exercise", "exercise", "psa", "ident", "promo", "station")
TIMETABLE_MODES = ("template", "free")
RERUN_MODES = ("off", "soft", "required")
DVB_ENCODINGS = ("gb2312", "utf-8")
ICON_SUFFIXES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
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


def check_id(value: str, what: str) -> str:
    """Return ``value`` if it is a safe identifier (no path separators, dots first, spaces)."""
    if not isinstance(value, str) or not SAFE_ID.match(value) or ".." in value:
        raise ScenarioError(
            f"{what} id {value!r} is not safe: use letters, digits, '.', '_' and '-' only, "
            "starting with a letter or digit (at most 64 characters)"
        )
    return value


def parse_clock(text: str) -> int:
    """``"08:30"`` → 510; hours up to 48 so a broadcast day may run past midnight."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip()) if isinstance(text, str) else None
    if not match or int(match[2]) >= 60:
        raise ScenarioError(f"{text!r} is not a time of day like '08:30'")
    minute = int(match[1]) * 60 + int(match[2])
    if minute > MAX_MINUTE:
        raise ScenarioError(f"{text!r} is beyond 48:00, the end of the longest broadcast day")
    return minute


def format_clock(minute: int) -> str:
    """510 → ``"08:30"``; minutes past midnight keep counting (``"25:30"``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A half-open stretch ``[start, end)`` of a broadcast day, in minutes after its midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= MAX_MINUTE or not 0 <= self.end <= MAX_MINUTE:
            raise ScenarioError(f"{self.label} lies outside the broadcast day (00:00–48:00)")
        if self.end <= self.start:
            raise ScenarioError(f"{self.label} ends before it starts")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"

    def covers(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside this range."""
        return self.start <= start and end <= self.end

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end

    def clip(self, other: TimeRange) -> TimeRange | None:
        """The common part of two ranges, or None."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return TimeRange(start, end) if start < end else None


@dataclass(frozen=True, slots=True)
class Window:
    """A broadcast window: the channel airs ``span`` on the given weekdays or dates.

    Windows with ``dates`` replace the weekday windows on those dates (a holiday, a special day).
    """

    span: TimeRange
    weekdays: tuple[int, ...] = ()
    dates: tuple[date, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if bool(self.weekdays) == bool(self.dates):
            raise ScenarioError("a window needs either weekdays or dates, not both or neither")
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise ScenarioError("weekdays are mon..sun")


@dataclass(frozen=True, slots=True)
class DvbService:
    """A channel as a DVB service: the ids its satellite guide (EIT) is keyed by, and its text.

    ``encoding`` is the character table of the guide's texts (``gb2312`` or ``utf-8``),
    ``language`` the ISO 639-2 code the descriptors carry.
    """

    service_id: int
    transport_stream_id: int
    original_network_id: int
    encoding: str = "gb2312"
    language: str = "chi"

    def __post_init__(self) -> None:
        for name in ("service_id", "transport_stream_id", "original_network_id"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFF:
                raise ScenarioError(f"{name} {value!r} is not a whole number 0–65535")
        if self.encoding not in DVB_ENCODINGS:
            choices = ", ".join(DVB_ENCODINGS)
            raise ScenarioError(f"encoding {self.encoding!r} is not one of {choices}")
        if not re.fullmatch(r"[a-z]{3}", self.language):
            raise ScenarioError(
                f"language {self.language!r} is not an ISO 639-2 code of three letters like 'chi'"
            )

    @property
    def triplet(self) -> tuple[int, int, int]:
        """(original_network_id, transport_stream_id, service_id): the service's DVB identity."""
        return self.original_network_id, self.transport_stream_id, self.service_id


@dataclass(frozen=True, slots=True)
class Reception:
    """How a family tunes in to a channel: platform, channel number, frequency, free text.

    Every field is optional text as a poster prints it (``户户通``, ``"4"``, ``"12020 MHz"``,
    ``"左旋圆极化"``); :meth:`text` joins what is given.
    """

    platform: str = ""
    number: str = ""
    frequency: str = ""
    polarisation: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        """``"户户通 第4频道 · 12020 MHz 左旋圆极化 · 开机后按…"``; empty when nothing is given."""
        tune = " ".join(
            part
            for part in (
                self.platform,
                f"第{self.number}频道" if self.number else "",
            )
            if part
        )
        signal = " ".join(part for part in (self.frequency, self.polarisation) if part)
        return " · ".join(part for part in (tune, signal, self.note) if part)


@dataclass(frozen=True, slots=True)
class ChannelIcon:
    """A channel's logo for guide software: the image bytes (PNG or JPEG) and their suffix."""

    data: bytes = field(repr=False)
    suffix: str = "png"

    def __post_init__(self) -> None:
        if self.suffix not in ICON_SUFFIXES.values():
            raise ScenarioError(f"icon suffix {self.suffix!r} is not png or jpg")

    @classmethod
    def of(cls, data: bytes) -> ChannelIcon:
        """The icon in ``data``, recognised by its signature; anything else is refused."""
        for magic, suffix in ICON_SUFFIXES.items():
            if data.startswith(magic):
                return cls(data, suffix)
        raise ScenarioError("is not a PNG or JPEG image")


@dataclass(frozen=True, slots=True)
class Channel:
    """A TV channel with its broadcast windows, planned in its own wall-clock time.

    ``dvb`` says how the channel is carried on satellite; None: no DVB guide for it.
    """

    id: str
    name_zh: str
    name_en: str
    timezone: str
    windows: tuple[Window, ...]
    dvb: DvbService | None = None
    reception: Reception = Reception()
    short_name: str = ""  # for SMS; empty: see Scenario.short_name
    icon: ChannelIcon | None = None  # None: the exporters' shipped default
    lcn: int | None = None  # logical channel number shown by receivers and guides
    outages: tuple[Outage, ...] = ()  # times the channel is off air (disruptions)

    def __post_init__(self) -> None:
        check_id(self.id, "channel")
        if self.lcn is not None and not 1 <= self.lcn <= 9999:
            raise ScenarioError(f"channel {self.id!r}: lcn {self.lcn} is not 1 … 9999")
        if self.timezone not in _zones():
            raise ScenarioError(f"channel {self.id!r}: unknown time zone {self.timezone!r}")
        if not self.windows:
            raise ScenarioError(f"channel {self.id!r} has no broadcast windows")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def spans_on(self, day: date) -> tuple[TimeRange, ...]:
        """The channel's windows on one broadcast day, in time order."""
        dated = [w.span for w in self.windows if day in w.dates]
        if not dated:
            dated = [w.span for w in self.windows if day.weekday() in w.weekdays]
        if self.outages:  # an outage takes its time out of the windows
            dated = [
                TimeRange(a, b)
                for span in dated
                for a, b in on_air(span.start, span.end, self.outages, day)
            ]
        return tuple(sorted(dated, key=lambda span: span.start))

    def instant(self, day: date, minute: int) -> datetime:
        """The real instant of wall-clock ``minute`` on broadcast ``day``: the one conversion
        from the planner's clock to time, used by the solver, the fillers and the checks.

        The instant has a fixed UTC offset (the zone's at that moment), so differences and
        comparisons of instants are real minutes. A minute the zone skips or repeats (a
        daylight-saving change) has no instant and raises :class:`ClockError`, except as the
        end of a range: a minute just after the last valid one is that minute's end.
        """
        known = _wall_instant(self.zone, day, minute)
        if known is not None:
            return known
        before = _wall_instant(self.zone, day, minute - 1)
        if before is not None:
            # written with the offset in effect from then on (03:00+02:00, not 02:00+01:00)
            end = (before + timedelta(minutes=1)).astimezone(self.zone)
            offset = end.utcoffset()
            assert offset is not None
            return end.astimezone(timezone(offset))
        raise ClockError(self, day, minute)

    def wall_minute(self, day: date, instant: datetime) -> int:
        """The wall-clock minute of ``instant`` counted from broadcast ``day``'s midnight."""
        local = instant.astimezone(self.zone).replace(tzinfo=None)
        return int((local - datetime.combine(day, time())).total_seconds() // 60)

    def utc_shift(self, day: date, minute: int) -> int:
        """The zone's offset from UTC in minutes at ``minute`` on broadcast ``day``."""
        offset = self.instant(day, minute).utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0


class ClockError(ScenarioError):
    """A wall-clock time that a channel's zone skips or repeats (a daylight-saving change)."""

    def __init__(self, channel: Channel, day: date, minute: int) -> None:
        wall = datetime.combine(day, time()) + timedelta(minutes=minute)
        zone = channel.zone
        skipped = (
            wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall
        )
        what = "does not exist (the clocks skip it)" if skipped else "happens twice"
        super().__init__(
            f"{format_clock(minute)} of broadcast day {day} ({wall:%Y-%m-%d %H:%M}) {what} in "
            f"{channel.timezone}; split windows at the daylight-saving change and plan nothing "
            "in the hour it skips or repeats"
        )


@functools.lru_cache(maxsize=1 << 16)  # every scenario (and each replace) checks its windows
def _wall_instant(zone: ZoneInfo, day: date, minute: int) -> datetime | None:
    """The fixed-offset instant of a wall-clock minute, or None if the zone skips or repeats it."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    offset = first.utcoffset()
    if offset is None or offset != second.utcoffset():
        return None
    return wall.replace(tzinfo=timezone(offset))


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


@dataclass(frozen=True, slots=True)
class Special:
    """A non-curricular segment (epidemic prevention, life education …) with a weekly quota."""

    id: str
    title: str
    topic: str
    minutes: int
    per_week: int
    grades: tuple[int, ...] = ()
    hours: tuple[TimeRange, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id, "special")
        if self.minutes <= 0 or self.per_week < 0:
            raise ScenarioError(f"special {self.id!r}: minutes must be positive, quota ≥ 0")


@dataclass(frozen=True, slots=True)
class Filler:
    """Material that covers gaps: eye exercises, indoor exercise, public-service spots, promos.

    A filler with ``max_minutes`` has a variable length from ``minutes`` to ``max_minutes``.
    """

    id: str
    title: str
    kind: str
    minutes: int
    max_minutes: int | None = None

    def __post_init__(self) -> None:
        check_id(self.id, "filler")
        if self.kind not in FILLER_KINDS:
            raise ScenarioError(
                f"filler {self.id!r}: kind {self.kind!r} is not one of {', '.join(FILLER_KINDS)}"
            )
        if self.minutes <= 0 or (self.max_minutes is not None and self.max_minutes < self.minutes):
            raise ScenarioError(f"filler {self.id!r}: lengths must be positive and min ≤ max")


STATION_FILLER = Filler("station", "常规节目", "station", 1, MAX_MINUTE)
"""The channel's own programming, built in: takes back airtime no lesson, special or pinned
item may use, as one airing per stretch, when a scenario declares no filler of kind
``station``."""


@dataclass(frozen=True, slots=True)
class Pinned:
    """A fixed programme at a fixed time (a ceremony, a press-conference relay)."""

    id: str
    channel: str
    day: date
    span: TimeRange
    title: str
    grades: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id, "pinned")


@dataclass(frozen=True, slots=True)
class Rest:
    """Minimum rest between two lesson airings of one grade (across channels)."""

    minutes: int = 10


@dataclass(frozen=True, slots=True)
class Pace:
    """At most ``per_week`` new lessons per course per ISO week and ``per_day`` per day."""

    per_week: int = 5
    per_day: int = 1


@dataclass(frozen=True, slots=True)
class Reruns:
    """Repeats of a day's premiere, later the same broadcast day in another daypart.

    ``mode``: off, soft (rewarded with ``weight`` per minute) or required (every premiere).
    """

    mode: str = "soft"
    within_minutes: int = 600
    weight: float = 0.3
    dayparts: tuple[TimeRange, ...] = (
        TimeRange(0, 12 * 60),
        TimeRange(12 * 60, 18 * 60),
        TimeRange(18 * 60, MAX_MINUTE),
    )

    def __post_init__(self) -> None:
        if self.mode not in RERUN_MODES:
            raise ScenarioError(f"rerun mode {self.mode!r} is not one of {', '.join(RERUN_MODES)}")
        if self.within_minutes <= 0 or self.weight < 0:
            raise ScenarioError("reruns: within_minutes must be positive and weight ≥ 0")

    def daypart(self, minute: int) -> int:
        """Index of the daypart holding ``minute`` (-1 if none)."""
        parts = enumerate(self.dayparts)
        return next((i for i, part in parts if part.start <= minute < part.end), -1)


@dataclass(frozen=True, slots=True)
class Balance:
    """Soft spread of a grade's lessons over the week: penalty per minute of daily spread."""

    weight: float = 0.05


@dataclass(frozen=True, slots=True)
class FillerRule:
    """Filler sanity: at most ``max_repeats`` airings of one filler in a row on a channel."""

    max_repeats: int = 3

    def __post_init__(self) -> None:
        if self.max_repeats < 1:
            raise ScenarioError("fillers: max_repeats must be 1 or more")


@dataclass(frozen=True, slots=True)
class Rules:
    """Parameters of the policy rules that are not carried by bands, cohorts or courses."""

    rest: Rest = Rest()
    pace: Pace = Pace()
    reruns: Reruns = Reruns()
    balance: Balance = Balance()
    fillers: FillerRule = FillerRule()


@dataclass(frozen=True, slots=True)
class Holiday:
    """Dates without new lessons (a public holiday): reruns, specials and the channel's own
    programming only."""

    name: str
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScenarioError(f"holiday {self.name!r} ends before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Workday:
    """A make-up school day (调休) on a day that is otherwise free; it follows the timetable
    of weekday ``follows`` (0 = Monday)."""

    name: str
    day: date
    follows: int

    def __post_init__(self) -> None:
        if not 0 <= self.follows <= 6:
            raise ScenarioError(f"workday {self.name!r}: follows must be a weekday mon..sun")


@dataclass(frozen=True, slots=True)
class Calendar:
    """The school calendar: which days carry new lessons (lesson days) and whose timetable.

    A day is a lesson day when it is a make-up workday, or when its weekday is one of
    ``lesson_weekdays`` and no holiday covers it.
    """

    lesson_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[Holiday, ...] = ()
    workdays: tuple[Workday, ...] = ()

    def __post_init__(self) -> None:
        if any(not 0 <= day <= 6 for day in self.lesson_weekdays):
            raise ScenarioError("lesson_days are weekdays mon..sun")
        for workday in self.workdays:
            if workday.follows not in self.lesson_weekdays:
                raise ScenarioError(
                    f"workday {workday.name!r} follows {WEEKDAYS[workday.follows]}, which is "
                    "not a lesson day"
                )
            if any(workday.day in holiday for holiday in self.holidays):
                raise ScenarioError(f"workday {workday.name!r} on {workday.day} is a holiday")

    def timetable_weekday(self, day: date) -> int | None:
        """The weekday whose timetable ``day`` follows, or None when it is no lesson day."""
        for workday in self.workdays:
            if workday.day == day:
                return workday.follows
        if any(day in holiday for holiday in self.holidays):
            return None
        return day.weekday() if day.weekday() in self.lesson_weekdays else None

    def is_lesson_day(self, day: date) -> bool:
        return self.timetable_weekday(day) is not None

    def deviation(self, day: date) -> str | None:
        """Why ``day`` differs from its weekday's usual timetable (a holiday, a make-up day)."""
        for workday in self.workdays:
            if workday.day == day:
                return f"{workday.name}（调休，按{WEEKDAY_ZH[workday.follows]}课表）"
        for holiday in self.holidays:
            if day in holiday and day.weekday() in self.lesson_weekdays:
                return holiday.name
        return None


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    """Periods fixed by the planner for some grades: their lessons start at these clock times
    (第1节, 第2节 …) on every lesson day, on ``channel`` (or the grades' only channel)."""

    grades: tuple[int, ...]
    spans: tuple[TimeRange, ...]
    channel: str | None = None

    def __post_init__(self) -> None:
        if not self.grades or not self.spans:
            raise ScenarioError("periods need grades and times")
        for before, after in itertools.pairwise(sorted(self.spans, key=lambda s: s.start)):
            if before.overlaps(after):
                raise ScenarioError(f"periods {before.label} and {after.label} overlap")


@dataclass(frozen=True, slots=True)
class Timetable:
    """How lessons are timed. ``template``: every grade has periods (fixed clock times on all
    lesson days) and a weekly timetable that repeats every week; ``free``: lessons anywhere
    in their hours (the regularity-free reference, for the price of regularity)."""

    mode: str = "template"
    periods: tuple[PeriodPlan, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in TIMETABLE_MODES:
            raise ScenarioError(
                f"timetable mode {self.mode!r} is not one of {', '.join(TIMETABLE_MODES)}"
            )

    def fixed_for(self, grade: int) -> PeriodPlan | None:
        """The planner's periods of ``grade``, if any."""
        return next((plan for plan in self.periods if grade in plan.grades), None)


@dataclass(frozen=True, slots=True)
class SolverSettings:
    """Defaults for a solve; the command line overrides them."""

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Publishing:
    """Settings of the exports, not of the plan; the command line overrides them.

    ``sms_signature`` is the 【签名】 an SMS gateway adds to every text (counted in its budget);
    ``alarm_minutes`` adds a reminder that long before each calendar event; ``base_url`` is where
    the output folder is served (``https://example.org/kebiao/``), for feeds' own URLs and
    ``webcal://`` links.
    """

    sms_signature: str = ""
    alarm_minutes: int | None = None
    base_url: str = ""

    def __post_init__(self) -> None:
        if len(self.sms_signature) > 16 or any(ord(c) < 0x20 for c in self.sms_signature):
            raise ScenarioError(
                f"SMS signature {self.sms_signature!r} is not one line of at most 16 characters"
            )
        if self.alarm_minutes is not None and not 0 <= self.alarm_minutes <= 7 * DAY_MINUTES:
            raise ScenarioError(
                f"alarm minutes {self.alarm_minutes} is not 0 … {7 * DAY_MINUTES} (a week)"
            )
        if self.base_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", self.base_url):
            raise ScenarioError(
                f"base URL {self.base_url!r} is not an http:// or https:// address without "
                "a query, e.g. https://example.org/kebiao/"
            )


@dataclass(frozen=True, slots=True)
class Horizon:
    """The broadcast days to plan, first and last inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScenarioError("the horizon ends before it starts")
        if (self.last - self.first).days > 370:
            raise ScenarioError("the horizon is longer than a year")

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last - self.first).days + 1
        return tuple(self.first + timedelta(days=i) for i in range(count))


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


def intersect(
    spans: tuple[TimeRange, ...], allowed: tuple[TimeRange, ...]
) -> tuple[TimeRange, ...]:
    """Pieces of ``spans`` inside ``allowed`` (both lists of disjoint ranges)."""
    pieces = [
        piece for span in spans for hours in allowed if (piece := span.clip(hours)) is not None
    ]
    return tuple(sorted(pieces, key=lambda piece: piece.start))


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


def _check_channel_days(channel: Channel, days: tuple[date, ...]) -> None:
    """Windows must not overlap, on one day nor across days in real time (Monday 23:00–25:30
    and Tuesday 01:00–02:00), and must not hold a wall time the zone skips or repeats."""
    real: list[tuple[datetime, datetime, date, TimeRange]] = []
    for day in days:
        spans = channel.spans_on(day)
        for before, after in itertools.pairwise(spans):
            if before.overlaps(after):
                raise ScenarioError(
                    f"channel {channel.id!r}: windows {before.label} and {after.label} "
                    f"overlap on {day}"
                )
        for span in spans:
            try:
                _check_clock(channel, day, span)
            except ScenarioError as error:
                raise ScenarioError(
                    error.message, field=_window_field(channel, day, span) + (error.field or "")
                ) from None
            real.append(
                (channel.instant(day, span.start), channel.instant(day, span.end), day, span)
            )
    real.sort(key=lambda item: (item[0], item[1]))
    for (_, end, day, span), (start, _, next_day, next_span) in itertools.pairwise(real):
        if start < end:
            raise ScenarioError(
                f"channel {channel.id!r}: window {span.label} of {day} and window "
                f"{next_span.label} of {next_day} overlap in real time "
                f"({start:%Y-%m-%d %H:%M} to {end:%H:%M}); shorten one of them",
                field=_window_field(channel, next_day, next_span),
            )


def _window_field(channel: Channel, day: date, span: TimeRange) -> str:
    """``windows[i]``: the window of ``channel`` that puts ``span`` on ``day``."""
    dated = any(day in w.dates for w in channel.windows)
    for index, window in enumerate(channel.windows):
        if window.span == span and (
            day in window.dates if dated else day.weekday() in window.weekdays
        ):
            return f"windows[{index}]"
    return "windows"


#: Step between the wall-clock minutes of a window that are checked against the zone's rules;
#: tz database changes skip or repeat at least 30 minutes.
CLOCK_STEP = 15


def _check_clock(channel: Channel, day: date, span: TimeRange, what: str = "window") -> None:
    """A window's (or pinned item's) wall-clock minutes must all exist once, at one offset."""
    offsets: set[timedelta | None] = set()
    for minute in (*range(span.start, span.end, CLOCK_STEP), span.end - 1):
        instant = _wall_instant(channel.zone, day, minute)
        if instant is None:
            error = ClockError(channel, day, minute)
            end = minute == span.end - 1 and len(offsets) == 1
            raise ScenarioError(
                f"channel {channel.id!r}: {what} {span.label} on {day} crosses a "
                f"daylight-saving change: {error.message}",
                field=".start" if minute == span.start else ".end" if end else None,
            )
        offsets.add(instant.utcoffset())
    if len(offsets) > 1:
        raise ScenarioError(
            f"channel {channel.id!r}: {what} {span.label} on {day} crosses a daylight-saving "
            "change; split it at the change"
        )


def _check_periods(
    scenario: Scenario,
    grades: Mapping[int, Grade],
    grade2band: Mapping[int, Band],
    grade2courses: Mapping[int, list[Course]],
    channels: Mapping[str, Channel],
) -> None:
    """Fixed periods: known grades and channel, once per grade, inside the band's hours, long
    enough for the grade's lessons and a rest apart."""
    seen: set[int] = set()
    rest = scenario.rules.rest.minutes
    for p, plan in enumerate(scenario.timetable.periods):
        where = f"timetable.periods[{p}]"
        if plan.channel is not None and plan.channel not in channels:
            raise ScenarioError(
                f"periods name unknown channel {plan.channel!r}", field=f"{where}.channel"
            )
        for number in plan.grades:
            if number not in grades:
                raise ScenarioError(f"periods name unknown grade {number}", field=f"{where}.grades")
            if number in seen:
                raise ScenarioError(f"grade {number} has periods twice", field=f"{where}.grades")
            seen.add(number)
            if plan.channel is None and len(channels) > 1 and not grades[number].channels:
                raise ScenarioError(
                    f"grade {number} may use several channels: name the periods' channel",
                    field=f"{where}.channel",
                )
            band = grade2band[number]
            longest = max(
                (
                    lesson.minutes
                    for course in grade2courses.get(number, [])
                    for lesson in course.lessons
                ),
                default=0,
            )
            for span in plan.spans:
                if not any(hours.covers(span.start, span.end) for hours in band.hours):
                    raise ScenarioError(
                        f"period {span.label} of grade {number} lies outside the hours of band "
                        f"{band.id!r}",
                        field=f"{where}.times",
                    )
                if span.minutes < longest:
                    raise ScenarioError(
                        f"period {span.label} of grade {number} is shorter than its longest "
                        f"lesson ({longest} min)",
                        field=f"{where}.times",
                    )
        ordered = sorted(plan.spans, key=lambda span: span.start)
        for before, after in itertools.pairwise(ordered):
            if after.start - before.end < rest:
                raise ScenarioError(
                    f"periods {before.label} and {after.label} are {after.start - before.end} "
                    f"min apart; the rest rule needs {rest}",
                    field=f"{where}.times",
                )


def _check_pinned(pinned: tuple[Pinned, ...], channels: Mapping[str, Channel]) -> None:
    for p, item in enumerate(pinned):
        channel = channels.get(item.channel)
        if channel is None:
            raise ScenarioError(
                f"pinned {item.id!r} names unknown channel {item.channel!r}",
                field=f"pinned[{p}].channel",
            )
        try:
            _check_clock(channel, item.day, item.span, f"pinned {item.id!r}")
        except ScenarioError as error:
            raise ScenarioError(error.message, field=f"pinned[{p}]") from None
        spans = channel.spans_on(item.day)
        if not any(span.covers(item.span.start, item.span.end) for span in spans):
            raise ScenarioError(
                f"pinned {item.id!r} at {item.day} {item.span.label} lies outside the "
                f"broadcast windows of {item.channel!r}",
                field=f"pinned[{p}]",
            )
    ordered = sorted(enumerate(pinned), key=lambda e: (e[1].channel, e[1].day, e[1].span.start))
    for (_, before), (p, after) in itertools.pairwise(ordered):
        if (before.channel, before.day) == (after.channel, after.day) and before.span.overlaps(
            after.span
        ):
            raise ScenarioError(
                f"pinned {before.id!r} and {after.id!r} overlap on {before.day} "
                f"({before.span.label} and {after.span.label})",
                field=f"pinned[{p}]",
            )


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


__all__ = [
    "DAY_MINUTES",
    "DVB_ENCODINGS",
    "GRADE_NAMES",
    "STATION_FILLER",
    "TIMETABLE_MODES",
    "WEEKDAYS",
    "WEEKDAY_ZH",
    "Balance",
    "Band",
    "Calendar",
    "Channel",
    "ChannelIcon",
    "ClockError",
    "Cohort",
    "Course",
    "DvbService",
    "Filler",
    "FillerRule",
    "Grade",
    "Holiday",
    "Horizon",
    "Lesson",
    "Pace",
    "PeriodPlan",
    "Pinned",
    "Publishing",
    "Reception",
    "Reruns",
    "Rest",
    "Rules",
    "Scenario",
    "ScenarioError",
    "SolverSettings",
    "Special",
    "TimeRange",
    "Timetable",
    "Window",
    "Workday",
    "format_clock",
    "intersect",
    "parse_clock",
]
