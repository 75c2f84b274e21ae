"""Building channels from their tables: windows, DVB service, reception, icon file."""

from __future__ import annotations

from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import (
    DVB_ENCODINGS,
    Channel,
    ChannelIcon,
    DvbService,
    Reception,
    TimeRange,
    Window,
)
from scheduler.io.loading.nodes import DVB_KEYS, RECEPTION_KEYS, WINDOW_KEYS, Node, Tables
from scheduler.io.loading.reading import _is_file, _tidy
from scheduler.io.loading.values import (
    _channel_number,
    _clock,
    _dates,
    _id,
    _int,
    _language,
    _one_of,
    _short_name,
    _text,
    _uint16,
    _weekdays,
    _zone,
)

ICON_BYTES = 1 << 20  # a logo, not a photograph


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


class ChannelTables(Tables):
    """``[[channels]]``: windows, DVB service, reception and icon."""

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
