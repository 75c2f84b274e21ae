"""iCalendar feeds (RFC 5545, RFC 7986): per grade (everything, and lessons only) and per channel.

A grade's feed holds its lessons and reruns and the specials and pinned items meant for it (or
for everyone); a channel's feed holds everything it airs except background fillers (spots,
idents, promos). The same airing is the same event in both: one UID, taken from the
publication memory, so it survives re-solves when the airing is unchanged; SEQUENCE and
LAST-MODIFIED rise when it moves. DTSTAMP is the instant the memory last changed the event, so
an unchanged edition renders byte-identical feeds.

LOCATION names the channel in plain words; the description ends with how to tune in and the
clock. With ``[publishing] alarm_minutes`` each event carries a display reminder (VALARM) that
long before it; with ``base_url`` each feed carries its own address (``URL``, ``SOURCE``).

Times are local with a ``TZID`` whose VTIMEZONE is in the feed (built from zoneinfo for the
horizon's years); the serializer writes CRLF lines folded at 75 octets and escapes TEXT.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event, Timezone, vDuration, vText, vUri

from exports.common import PRODUCT, Edition, clock_name, grade_file, grades_zh, utc
from scheduler.domain.model import GRADE_NAMES, Channel
from scheduler.domain.schedule import Programme

REFRESH = timedelta(hours=12)
END = b"END:VCALENDAR\r\n"
FOLDER = "ical"


def grade_path(grade: int) -> str:
    return f"{FOLDER}/{grade_file(grade)}.ics"


def lessons_path(grade: int) -> str:
    """The grade's lessons-only feed: new lessons and their reruns, nothing else."""
    return f"{FOLDER}/{grade_file(grade)}-lessons.ics"


def webcal(url: str) -> str:
    """``https://example.org/x.ics`` → ``webcal://example.org/x.ics``: the link that makes a
    calendar app subscribe rather than download."""
    return "webcal://" + url.split("://", 1)[1]


def channel_path(channel: Channel) -> str:
    return f"{FOLDER}/channel-{channel.id}.ics"


def render(edition: Edition) -> dict[str, bytes]:
    """Every feed: ``ical/grade-03.ics`` … and ``ical/channel-cetv4.cn.ics``."""
    files: dict[str, bytes] = {}
    channels = edition.scenario.channels
    built: dict[str, bytes] = {}  # an airing is one event in every feed: build it once
    for grade in edition.grades:
        name = f"{GRADE_NAMES[grade]} 空中课堂课程表"
        description = f"{edition.scenario.title}：{GRADE_NAMES[grade]}的课程、重播和专题教育节目"
        for_grade = edition.schedule.for_grade(grade)
        files[grade_path(grade)] = feed(
            edition,
            for_grade,
            name=name,
            description=description,
            channels=channels,
            built=built,
            path=grade_path(grade),
        )
        files[lessons_path(grade)] = feed(
            edition,
            [p for p in for_grade if p.is_lesson],
            name=f"{GRADE_NAMES[grade]} 空中课堂 新课与重播",
            description=f"{edition.scenario.title}：{GRADE_NAMES[grade]}的新课和重播（不含专题节目）",
            channels=channels,
            built=built,
            path=lessons_path(grade),
        )
    for channel in edition.channels:
        airings = [
            p for p in edition.schedule.on_channel(channel.id) if not edition.is_background(p)
        ]
        files[channel_path(channel)] = feed(
            edition,
            airings,
            name=f"{channel.name_zh} 节目表",
            description=f"{edition.scenario.title}：{channel.name_zh}全部课程与节目",
            channels=(channel,),
            built=built,
            path=channel_path(channel),
        )
    return files


def feed(
    edition: Edition,
    airings: Iterable[Programme],
    *,
    name: str,
    description: str,
    channels: Iterable[Channel],
    built: MutableMapping[str, bytes] | None = None,
    path: str | None = None,
) -> bytes:
    """One VCALENDAR with a VTIMEZONE for each zone used and a VEVENT per airing.

    ``built`` keeps the events already serialised, by airing id, so feeds rendered together
    share them. ``path`` is the feed's place in the output folder: with the scenario's ``base_url``
    the feed names its own address (RFC 7986 ``URL`` and ``SOURCE``).
    """
    events = list(airings)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//{PRODUCT}//CETV-4 air classroom//ZH")
    calendar.add("calscale", "GREGORIAN")
    # NAME and the X-WR- names are TEXT too, but icalendar does not know it: say so
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("description", vText(description))
    calendar.add("x-wr-caldesc", vText(description))
    zones = sorted({channel.timezone for channel in channels})
    if len(zones) == 1:
        calendar.add("x-wr-timezone", zones[0])
    url = edition.url(path) if path else None
    if url:
        calendar.add("url", vUri(url), parameters={"VALUE": "URI"})
        calendar.add("source", vUri(url), parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if events:
        calendar.add("last-modified", max(utc(edition.stamp(p).last_modified) for p in events))
    first, last = _years(edition)
    for zone in zones:
        calendar.add_component(Timezone.from_tzid(zone, first_date=first, last_date=last))
    built = {} if built is None else built
    parts = []
    for programme in events:
        item = built.get(programme.id)
        if item is None:
            item = built[programme.id] = event(edition, programme).to_ical(sorted=False)
        parts.append(item)
    # each event is serialised once and shared by every feed that holds it (a term has tens of
    # thousands of event lines); the calendar around them is serialised without events
    head = calendar.to_ical(sorted=False)
    return head[: -len(END)] + b"".join(parts) + END


def event(edition: Edition, p: Programme) -> Event:
    stamp = edition.stamp(p)
    channel = edition.channel(p)
    item = Event()
    item.add("uid", stamp.uid)
    item.add("dtstamp", utc(stamp.last_modified))
    item.add("created", utc(stamp.created))
    item.add("last-modified", utc(stamp.last_modified))
    item.add("sequence", stamp.sequence)
    item.add("dtstart", edition.local(p.start, p))
    item.add("dtend", edition.local(p.end, p))
    item.add("summary", edition.summary(p))
    text = "".join(
        part for part in (edition.description(p, links=False), tune_in_sentence(channel)) if part
    )
    item.add("description", text)
    item.add("location", location(edition, channel))
    categories = [c for c in (edition.subject(p), edition.kind_zh(p)) if c]
    if p.grades:
        categories.append(grades_zh(p.grades))
    item.add("categories", [vText(c) for c in categories])
    item.add("class", "PUBLIC")
    item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT")
    minutes = edition.scenario.publishing.alarm_minutes
    if minutes is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", edition.summary(p))
        alarm.add("trigger", -timedelta(minutes=minutes))
        item.add_component(alarm)
    return item


def location(edition: Edition, channel: Channel) -> str:
    """``"CETV-4 中国教育电视台第四频道"``: where to watch, in plain words."""
    short = edition.scenario.short_name(channel)
    return channel.name_zh if short == channel.id else f"{short} {channel.name_zh}"


def tune_in_sentence(channel: Channel) -> str:
    """``"收看：户户通 第4频道。时间为北京时间。"``; the clock alone without reception."""
    how = channel.reception.text
    return (f"收看：{how}。" if how else "") + f"时间为{clock_name(channel)}。"


def _years(edition: Edition) -> tuple[date, date]:
    """The VTIMEZONE's validity: whole calendar years around the horizon."""
    horizon = edition.scenario.horizon
    return date(horizon.first.year, 1, 1), date(horizon.last.year + 1, 1, 1)


__all__ = [
    "channel_path",
    "event",
    "feed",
    "grade_path",
    "lessons_path",
    "location",
    "render",
    "webcal",
]
