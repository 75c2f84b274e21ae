"""A small strict iCalendar reader, independent of the ``icalendar`` package.

It checks what clients drop whole feeds for: CRLF line ends, physical lines of at most 75
octets that each decode as UTF-8 (a fold never splits a character), balanced BEGIN/END, known
TEXT escapes only, and resolves a local DTSTART through the feed's own VTIMEZONE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone


class Malformed(AssertionError):
    """The feed breaks RFC 5545 in a way a strict client rejects."""


@dataclass
class Line:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    lines: list[Line] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Line]:
        return [line for line in self.lines if line.name == name]

    def one(self, name: str) -> Line:
        found = self.all(name)
        if len(found) != 1:
            raise Malformed(f"{self.name} has {len(found)} {name} lines, expected one")
        return found[0]

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found += child.walk(name)
        return found


def unfold(data: bytes) -> list[str]:
    """Logical content lines, after checking line ends, lengths and folds."""
    if not data.endswith(b"\r\n"):
        raise Malformed("the feed does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for number, line in enumerate(physical, start=1):
        if b"\r" in line or b"\n" in line:
            raise Malformed(f"line {number}: bare CR or LF")
        if len(line) > 75:
            raise Malformed(f"line {number}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed(f"line {number}: a fold splits a UTF-8 character") from None
        if line[:1] in (b" ", b"\t"):
            if not logical:
                raise Malformed("the feed starts with a continuation line")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def split_line(text: str) -> Line:
    name_end = next((i for i, c in enumerate(text) if c in ";:"), None)
    if name_end is None:
        raise Malformed(f"no ':' in {text!r}")
    name, rest = text[:name_end].upper(), text[name_end:]
    params: dict[str, str] = {}
    while rest.startswith(";"):
        rest = rest[1:]
        key, _, rest = rest.partition("=")
        if rest.startswith('"'):
            value, _, rest = rest[1:].partition('"')
        else:
            cut = min((i for i in (rest.find(";"), rest.find(":")) if i >= 0), default=-1)
            if cut < 0:
                raise Malformed(f"unterminated parameter in {text!r}")
            value, rest = rest[:cut], rest[cut:]
        params[key.upper()] = value
    if not rest.startswith(":"):
        raise Malformed(f"no value in {text!r}")
    return Line(name, params, rest[1:])


def parse(data: bytes) -> Component:
    """The VCALENDAR of a feed, strictly."""
    stack: list[Component] = []
    root: Component | None = None
    for text in unfold(data):
        line = split_line(text)
        if line.name == "BEGIN":
            component = Component(line.value.upper())
            if stack:
                stack[-1].children.append(component)
            elif root is not None:
                raise Malformed("more than one top-level component")
            else:
                root = component
            stack.append(component)
        elif line.name == "END":
            if not stack or stack[-1].name != line.value.upper():
                raise Malformed(f"END:{line.value} does not close the open component")
            stack.pop()
        else:
            if not stack:
                raise Malformed(f"{line.name} outside any component")
            stack[-1].lines.append(line)
    if stack or root is None or root.name != "VCALENDAR":
        raise Malformed("unbalanced BEGIN/END or no VCALENDAR")
    return root


def text(value: str) -> str:
    """Unescape a TEXT value (RFC 5545 §3.3.11); unknown escapes are errors."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            if char in ";,":
                raise Malformed(f"unescaped {char!r} in TEXT {value!r}")
            out.append(char)
            continue
        following = next(chars, "")
        if following in ("n", "N"):
            out.append("\n")
        elif following in ("\\", ";", ","):
            out.append(following)
        else:
            raise Malformed(f"unknown escape \\{following} in {value!r}")
    return "".join(out)


def local_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def resolve(calendar: Component, line: Line) -> datetime:
    """A DTSTART/DTEND as an aware instant, through the feed's VTIMEZONE (or a UTC 'Z')."""
    if line.value.endswith("Z"):
        return local_time(line.value[:-1]).replace(tzinfo=UTC)
    tzid = line.params.get("TZID")
    if tzid is None:
        raise Malformed(f"floating time {line.value} has no TZID")
    zones = [z for z in calendar.walk("VTIMEZONE") if z.one("TZID").value == tzid]
    if len(zones) != 1:
        raise Malformed(f"TZID {tzid} has {len(zones)} VTIMEZONE components")
    wall = local_time(line.value)
    onsets: list[tuple[datetime, str]] = []
    for observance in zones[0].children:
        to = observance.one("TZOFFSETTO").value
        onsets.append((local_time(observance.one("DTSTART").value), to))
        for rdate in observance.all("RDATE"):
            onsets += [(local_time(v), to) for v in rdate.value.split(",")]
    applicable = [onset for onset in onsets if onset[0] <= wall]
    if not applicable:
        raise Malformed(f"{line.value} is before every observance of {tzid}")
    offset = max(applicable)[1]
    sign = 1 if offset[0] == "+" else -1
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    return wall.replace(tzinfo=timezone(sign * delta))
