"""The satellite guide's tables in TSDuck's PSI/SI XML (``<tsduck><EIT …>``), for
``tstabcomp`` or TSDuck's ``inject`` plugin."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lxml import etree  # no stubs in the dev extras

from exports.dvb import (
    NOT_RUNNING,
    PRESENT_FOLLOWING,
    RUNNING,
    SCHEDULE,
    UNDEFINED,
    Event,
    Table,
    _decode,
    extended_events,
)
from exports.xmltv import xml_text
from scheduler.domain.model import DvbService

RUNNING_NAMES = {UNDEFINED: "undefined", NOT_RUNNING: "not-running", RUNNING: "running"}


def tsduck_xml(service: DvbService, version: int, tables: Sequence[Table]) -> bytes:
    """The tables in TSDuck's PSI/SI XML: ``<tsduck>`` with one ``<EIT>`` per sub-table."""
    root = etree.Element("tsduck")
    last_table_id = tables[-1].table_id
    for table in tables:
        pf = table.table_id == PRESENT_FOLLOWING
        element = etree.SubElement(root, "EIT")
        element.set("type", "pf" if pf else str(table.table_id - SCHEDULE))
        element.set("version", str(version))
        element.set("current", "true")
        element.set("actual", "true")
        element.set("service_id", _hex(service.service_id))
        element.set("transport_stream_id", _hex(service.transport_stream_id))
        element.set("original_network_id", _hex(service.original_network_id))
        element.set("last_table_id", f"0x{(table.table_id if pf else last_table_id):02X}")
        for events, running in zip(table.sections, table.running, strict=True):
            for event in events:
                element.append(_xml_event(service, event, running))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _xml_event(service: DvbService, event: Event, running: int) -> etree._Element:
    seconds = int(event.duration.total_seconds())
    element = etree.Element(
        "event",
        event_id=_hex(event.event_id),
        start_time=f"{event.start:%Y-%m-%d %H:%M:%S}",
        duration=f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
        running_status=RUNNING_NAMES[running],
        CA_mode="false",
    )
    short = etree.SubElement(element, "short_event_descriptor", language_code=service.language)
    etree.SubElement(short, "event_name").text = xml_text(event.name)
    etree.SubElement(short, "text").text = xml_text(event.text)
    texts = list(_extended_texts(service, event.description))
    for number, text in enumerate(texts):
        extended = etree.SubElement(
            element,
            "extended_event_descriptor",
            descriptor_number=str(number),
            last_descriptor_number=str(len(texts) - 1),
            language_code=service.language,
        )
        etree.SubElement(extended, "text").text = xml_text(text)
    if event.genres:
        genre = etree.SubElement(element, "content_descriptor")
        for one, two in event.genres:
            etree.SubElement(
                genre,
                "content",
                content_nibble_level_1=str(one),
                content_nibble_level_2=str(two),
                user_byte="0x00",
            )
    return element


def _extended_texts(service: DvbService, description: str | None) -> Iterator[str]:
    data = extended_events(service, description) if description else b""
    while data:
        length = data[1]
        yield _decode(data[2 + 6 : 2 + length], service)  # after number, language, lengths
        data = data[2 + length :]


def _hex(value: int) -> str:
    return f"0x{value:04X}"
