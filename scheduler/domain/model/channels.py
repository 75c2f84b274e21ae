"""Channels in their own wall-clock time: windows, DVB service, reception, icon, real instants."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from scheduler.domain.disruptions import Outage, on_air
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model.clock import TimeRange, check_id, format_clock

DVB_ENCODINGS = ("gb2312", "utf-8")
ICON_SUFFIXES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


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


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES
