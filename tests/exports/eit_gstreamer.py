"""Decode an EIT transport stream with GStreamer's MPEG-TS library and print it as JSON.

Run by Debian's ``/usr/bin/python3`` (where ``python3-gi`` and ``gir1.2-gst-plugins-bad-1.0``
live), not the project's Python: ``/usr/bin/python3 eit_gstreamer.py file.ts``. GStreamer
demultiplexes the packets (``tsparse``), checks every section's CRC (a bad section is never
posted) and parses the EIT and its short and extended event descriptors. The content
descriptor is only listed by tag: its parser crashes in the Python bindings (dvbinfo decodes
it instead).
"""

import json
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstMpegts", "1.0")
from gi.repository import Gst, GstMpegts  # noqa: E402


def main(path: str) -> None:
    Gst.init(None)
    GstMpegts.initialize()
    pipeline = Gst.Pipeline.new("eit")
    source = Gst.ElementFactory.make("filesrc")
    source.set_property("location", path)
    parse = Gst.ElementFactory.make("tsparse")
    sink = Gst.ElementFactory.make("fakesink")
    for element in (source, parse, sink):
        pipeline.add(element)
    source.link(parse)
    parse.link(sink)
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    sections = []
    wanted = Gst.MessageType.ELEMENT | Gst.MessageType.EOS | Gst.MessageType.ERROR
    while True:
        message = bus.timed_pop_filtered(30 * Gst.SECOND, wanted)
        if message is None or message.type != Gst.MessageType.ELEMENT:
            break
        section = GstMpegts.message_parse_mpegts_section(message)
        if section is None or section.section_type != GstMpegts.SectionType.EIT:
            continue
        eit = section.get_eit()
        sections.append(
            {
                "pid": section.pid,
                "table_id": section.table_id,
                "service_id": section.subtable_extension,
                "version": section.version_number,
                "section_number": section.section_number,
                "last_section_number": section.last_section_number,
                "transport_stream_id": eit.transport_stream_id,
                "original_network_id": eit.original_network_id,
                "segment_last_section_number": eit.segment_last_section_number,
                "last_table_id": eit.last_table_id,
                "events": [event(item) for item in eit.events],
            }
        )
    pipeline.set_state(Gst.State.NULL)
    json.dump(sections, sys.stdout, ensure_ascii=False)


def event(item: "GstMpegts.EITEvent") -> dict:
    found = {
        "event_id": item.event_id,
        "start": item.start_time.to_iso8601_string(),
        "duration": item.duration,
        "running_status": int(item.running_status),
        "free_ca_mode": item.free_CA_mode,
        "tags": [descriptor.tag for descriptor in item.descriptors],
        "names": [],
        "extended": [],
    }
    for descriptor in item.descriptors:
        if descriptor.tag == 0x4D:
            _, language, name, text = descriptor.parse_dvb_short_event()
            found["names"].append({"language": language, "name": name, "text": text})
        elif descriptor.tag == 0x4E:
            _, extended = descriptor.parse_dvb_extended_event()
            found["extended"].append(
                [extended.descriptor_number, extended.last_descriptor_number, extended.text]
            )
    return found


if __name__ == "__main__":
    main(sys.argv[1])
