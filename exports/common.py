"""What every exporter shares: the edition being published and how an airing is named.

An :class:`Edition` is one schedule as it is published: the scenario it was planned for, the
memory's stamp of every airing (UID, SEQUENCE, when it was first published and last changed)
and the edition's number and instant. Exporters read only this, so the same edition renders
the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType

from exports.published import Report, Stamp
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import GRADE_NAMES, Channel, Course, Scenario
from scheduler.domain.schedule import Kind, Programme, Schedule, broadcast_day

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
KIND_ZH = {
    Kind.LESSON: "首播",
    Kind.RERUN: "重播",
    Kind.SPECIAL: "专题教育",
    Kind.FILLER: "间隔节目",
    Kind.PINNED: "特别节目",
}
KIND_EN = {
    Kind.LESSON: "Lesson",
    Kind.RERUN: "Rerun",
    Kind.SPECIAL: "Special",
    Kind.FILLER: "Interstitial",
    Kind.PINNED: "Special event",
}
FILLER_KIND_ZH = {
    "eye_exercise": "课间活动",
    "exercise": "课间活动",
    "psa": "公益广告",
    "ident": "频道标识",
    "promo": "节目预告",
}
# Fillers a viewer does not watch on purpose; left out of feeds, grids and digests.
BACKGROUND_FILLERS = frozenset({"psa", "ident", "promo"})
PRODUCT = "skyclass"
# Zones that keep Beijing time: their clocks are printed as 北京时间, any other by its name.
BEIJING_ZONES = frozenset(
    {"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"}
)


def grade_file(grade: int) -> str:
    """``3`` → ``"grade-03"``: file names that sort in grade order."""
    return f"grade-{grade:02d}"


def grades_zh(grades: tuple[int, ...]) -> str:
    """``(3,)`` → ``"三年级"``; several grades joined with 、; none → ``"全体年级"``."""
    return "、".join(GRADE_NAMES[g] for g in grades) if grades else "全体年级"


def date_zh(day: date) -> str:
    """``2020-02-17`` → ``"2月17日"``."""
    return f"{day.month}月{day.day}日"


def weekday_zh(day: date) -> str:
    return WEEKDAYS_ZH[day.weekday()]


def clock_name(channel: Channel) -> str:
    """The clock a channel's times are printed in: ``北京时间`` or ``Asia/Urumqi 时间``."""
    return "北京时间" if channel.timezone in BEIJING_ZONES else f"{channel.timezone} 时间"


def tune_in(channel: Channel) -> str:
    """``"中国教育电视台第四频道（户户通 第4频道 · …）"``: the channel and how to receive it."""
    how = channel.reception.text
    return f"{channel.name_zh}（{how}）" if how else channel.name_zh


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def check_channels(scenario: Scenario, schedule: Schedule) -> None:
    """Every airing must be on a channel of the scenario (a hand-edited file may not be)."""
    known = {channel.id for channel in scenario.channels}
    for programme in schedule:
        if programme.channel not in known:
            raise ScenarioError(
                f"airing {programme.id!r} is on channel {programme.channel!r}, which scenario "
                f"{scenario.name!r} does not have",
                field="channel",
            )


@dataclass(frozen=True)
class Edition:
    """One schedule as published: scenario, schedule, stamps, edition number and instant."""

    scenario: Scenario
    schedule: Schedule
    stamps: Mapping[str, Stamp]
    published_at: datetime
    number: int | None = None
    report: Report | None = None
    _ids: Mapping[str, Programme] = field(init=False, repr=False, compare=False)
    _reruns: Mapping[str, tuple[Programme, ...]] = field(init=False, repr=False, compare=False)
    # broadcast_day of every airing (day, wall-clock start and end minute), by airing id
    _slots: Mapping[str, tuple[date, int, int]] = field(init=False, repr=False, compare=False)
    _on_day: Mapping[date, tuple[Programme, ...]] = field(init=False, repr=False, compare=False)
    # the channels that carry something for each grade (asked once per SMS digest and poster)
    _grade_channels: dict[int, tuple[Channel, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_channels(self.scenario, self.schedule)
        for programme in self.schedule:
            if programme.id not in self.stamps:
                raise ValueError(f"airing {programme.id!r} has no publication stamp")
        object.__setattr__(self, "_ids", MappingProxyType(self.schedule.by_id()))
        reruns: dict[str, list[Programme]] = {}
        for programme in self.schedule.of_kind(Kind.RERUN):
            if programme.repeat_of:
                reruns.setdefault(programme.repeat_of, []).append(programme)
        object.__setattr__(
            self, "_reruns", MappingProxyType({k: tuple(v) for k, v in reruns.items()})
        )
        slots: dict[str, tuple[date, int, int]] = {}
        on_day: dict[date, list[Programme]] = {}
        for programme in self.schedule:
            found = broadcast_day(self.scenario, programme)
            assert found is not None  # every channel is known (checked above)
            slots[programme.id] = found
            on_day.setdefault(found[0], []).append(programme)
        object.__setattr__(self, "_slots", MappingProxyType(slots))
        object.__setattr__(
            self, "_on_day", MappingProxyType({k: tuple(v) for k, v in on_day.items()})
        )
        object.__setattr__(self, "_grade_channels", {})

    @classmethod
    def unrecorded(cls, scenario: Scenario, schedule: Schedule, *, at: datetime) -> Edition:
        """An edition outside any publication memory: UIDs from the airing ids, SEQUENCE 0."""
        instant = utc(at).replace(microsecond=0)
        stamps = {
            p.id: Stamp(
                uid=f"{p.id}@{p.channel}", sequence=0, created=instant, last_modified=instant
            )
            for p in schedule
        }
        return cls(scenario, schedule, stamps, instant)

    # -- lookups ------------------------------------------------------------------------------
    def stamp(self, programme: Programme) -> Stamp:
        return self.stamps[programme.id]

    def channel(self, programme: Programme) -> Channel:
        return self.scenario.channel(programme.channel)

    def url(self, path: str) -> str | None:
        """The address ``path`` of the output folder will have once served at the scenario's
        ``base_url``; None without one."""
        base = self.scenario.publishing.base_url
        return f"{base.rstrip('/')}/{path}" if base else None

    def short_name(self, programme: Programme) -> str:
        """The airing's channel as an SMS or a poster cell names it (``CETV-4``)."""
        return self.scenario.short_name(self.channel(programme))

    def channels_for(self, grade: int) -> tuple[Channel, ...]:
        """The channels that carry something for a grade in this schedule (by id); all
        channels when none does."""
        if grade not in self._grade_channels:
            used = {p.channel for p in self.schedule.for_grade(grade)}
            found = tuple(c for c in self.channels if c.id in used) or self.channels
            self._grade_channels[grade] = found
        return self._grade_channels[grade]

    def clock_names(self, grade: int) -> tuple[str, ...]:
        """The clocks a grade's items are printed in; more than one: each item says its own."""
        return tuple(dict.fromkeys(clock_name(c) for c in self.channels_for(grade)))

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The scenario's channels, sorted by id (XMLTV asks for ASCII order)."""
        return tuple(sorted(self.scenario.channels, key=lambda channel: channel.id))

    @property
    def grades(self) -> tuple[int, ...]:
        return tuple(sorted(self.scenario.grade_numbers))

    @property
    def days(self) -> tuple[date, ...]:
        return self.scenario.days

    @property
    def published_day(self) -> date:
        """The day of publication on the wall clock of the first channel (by id)."""
        return self.published_at.astimezone(self.channels[0].zone).date()

    def day_of(self, programme: Programme) -> date:
        """The broadcast day an airing belongs to (a window may run past midnight)."""
        return self._slots[programme.id][0]

    def minute_of(self, programme: Programme) -> int:
        """An airing's wall-clock start in minutes from its broadcast day's midnight."""
        return self._slots[programme.id][1]

    def on_day(self, day: date) -> tuple[Programme, ...]:
        """The airings of a broadcast day, in the schedule's order (channel, start)."""
        return self._on_day.get(day, ())

    def local(self, instant: datetime, programme: Programme) -> datetime:
        return instant.astimezone(self.channel(programme).zone)

    def clock(self, programme: Programme) -> str:
        """``"08:10–08:30"`` in the channel's wall-clock time."""
        start = self.local(programme.start, programme)
        end = self.local(programme.end, programme)
        return f"{start:%H:%M}–{end:%H:%M}"

    def premiere_of(self, programme: Programme) -> Programme | None:
        """The premiere a rerun repeats, when it is in this schedule."""
        return self._ids.get(programme.repeat_of) if programme.repeat_of else None

    def reruns_of(self, programme: Programme) -> tuple[Programme, ...]:
        """The reruns of a premiere in this schedule, in time order."""
        return self._reruns.get(programme.id, ())

    def is_background(self, programme: Programme) -> bool:
        """A filler nobody watches on purpose (spots, idents, promos)."""
        if programme.kind is not Kind.FILLER:
            return False
        kind = self.filler_kind(programme)
        return kind is None or kind in BACKGROUND_FILLERS

    def filler_kind(self, programme: Programme) -> str | None:
        if programme.item is None:
            return None
        try:
            return self.scenario.filler(programme.item).kind
        except KeyError:
            return None

    def course(self, programme: Programme) -> Course | None:
        if programme.course is None:
            return None
        try:
            return self.scenario.course(programme.course)
        except KeyError:
            return None

    def topic(self, programme: Programme) -> str | None:
        """The topic of a special (疫情防护 …), when the scenario knows it."""
        if programme.kind is not Kind.SPECIAL or programme.item is None:
            return None
        try:
            return self.scenario.special(programme.item).topic
        except KeyError:
            return None

    # -- names --------------------------------------------------------------------------------
    def subject(self, programme: Programme) -> str | None:
        course = self.course(programme)
        return programme.subject or (course.subject if course else None)

    def subject_en(self, programme: Programme) -> str | None:
        course = self.course(programme)
        return course.subject_en if course else None

    def series(self, programme: Programme) -> str:
        """The series a lesson belongs to, ``"三年级数学"``; other airings: their title."""
        if not programme.is_lesson:
            return programme.title
        return f"{grades_zh(programme.grades)}{self.subject(programme) or ''}"

    def series_en(self, programme: Programme) -> str | None:
        subject = self.subject_en(programme)
        if not programme.is_lesson or subject is None:
            return None
        grades = ", ".join(str(g) for g in programme.grades)
        return f"Grade {grades} {subject}" if grades else subject

    def lesson_label(self, programme: Programme) -> str | None:
        """``"第5课"`` for a lesson or rerun."""
        return f"第{programme.lesson}课" if programme.lesson is not None else None

    def has_topic(self, programme: Programme) -> bool:
        """Whether a lesson's title says more than its subject and number (catalogs without
        known titles call lesson 1 of 科学 "科学 第1课")."""
        if not programme.is_lesson:
            return False
        title = "".join(programme.title.split())
        label = f"{self.subject(programme) or ''}{self.lesson_label(programme) or ''}"
        return bool(title) and title != "".join(label.split())

    def lesson_total(self, programme: Programme) -> int | None:
        course = self.course(programme)
        return len(course.lessons) if course else None

    def term(self, programme: Programme) -> tuple[int, str] | None:
        """The term a lesson belongs to: its year, the season guides number it by, and its
        name (``(2020, "2020年春季")``), from the grade's term start."""
        course = self.course(programme)
        if course is None:
            return None
        start = self.scenario.grade(course.grade).term_start
        return start.year, f"{start.year}年{'春季' if start.month < 8 else '秋季'}"

    def summary(self, programme: Programme) -> str:
        """One line naming an airing: ``"三年级数学 第5课：比例的意义"``; reruns say so first."""
        if not programme.is_lesson:
            return programme.title
        text = f"{self.series(programme)} {self.lesson_label(programme)}：{programme.title}"
        return f"（重播）{text}" if programme.kind is Kind.RERUN else text

    def kind_zh(self, programme: Programme) -> str:
        if programme.kind is Kind.FILLER:
            return FILLER_KIND_ZH.get(self.filler_kind(programme) or "", KIND_ZH[Kind.FILLER])
        return KIND_ZH[programme.kind]

    def description(self, programme: Programme, *, links: bool = True) -> str | None:
        """A sentence or two for guides and calendars; None when there is nothing to add.

        With ``links`` a premiere names its reruns' times and a rerun its premiere's. Calendars
        leave them out: an event's text must change only when the event itself does (its
        SEQUENCE says so), and a grade's feed shows the other airings anyway.
        """
        parts: list[str] = []
        if programme.is_lesson:
            total = self.lesson_total(programme)
            of = f"（共{total}课）" if total else ""
            parts.append(
                f"{grades_zh(programme.grades)} {self.subject(programme) or ''} "
                f"{self.lesson_label(programme)}{of}：{programme.title}。"
            )
            if programme.kind is Kind.RERUN:
                premiere = self.premiere_of(programme) if links else None
                if premiere is not None:
                    start = self.local(premiere.start, premiere)
                    parts.append(f"重播，首播于{date_zh(start.date())} {start:%H:%M}。")
                else:
                    parts.append("重播。")
            else:
                parts.append("首播。")
                for rerun in self.reruns_of(programme) if links else ():
                    start = self.local(rerun.start, rerun)
                    parts.append(f"重播：{date_zh(start.date())} {start:%H:%M}。")
        elif programme.kind is Kind.SPECIAL:
            topic = self.topic(programme)
            audience = grades_zh(programme.grades)
            parts.append(f"专题教育{f'（{topic}）' if topic else ''}，适合{audience}。")
        elif programme.kind is Kind.PINNED:
            parts.append(f"特别节目，{grades_zh(programme.grades)}。")
        elif programme.kind is Kind.FILLER:
            kind = self.filler_kind(programme)
            if kind in ("eye_exercise", "exercise"):
                parts.append("课间休息，请离开座位活动，保护视力。")
        return "".join(parts) or None


__all__ = [
    "BACKGROUND_FILLERS",
    "KIND_EN",
    "KIND_ZH",
    "PRODUCT",
    "WEEKDAYS_ZH",
    "Edition",
    "check_channels",
    "clock_name",
    "date_zh",
    "grade_file",
    "grades_zh",
    "tune_in",
    "utc",
    "weekday_zh",
]
