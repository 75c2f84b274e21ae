"""XMLTV: the electronic programme guide for set-top boxes and guide services.

One file for all channels, valid against the official ``xmltv.dtd``: channels sorted by id with
zh and en display names, then every airing (fillers included, so a guide shows no holes) with
explicit UTC offsets (``20200217080000 +0800``) and children in DTD order.

Each channel has its names, its number (``lcn``) as a display-name of its own, and an icon
written beside the guide (``xmltv/icons/<id>.png``: the scenario's, else a default television),
addressed by ``base_url`` when the scenario has one.

A lesson is an episode of its course: ``title`` is the series (``三年级数学``), ``sub-title`` the
lesson, ``episode-num`` in ``xmltv_ns`` has the term as the season (its year, so Plex and
Jellyfin show ``S2020E05``) and the lesson number as the episode (both from zero in
``xmltv_ns``), plus ``onscreen`` (``2020年春季 第5课``); ``date`` is the day the lesson first
aired. Categories are Chinese, then ETSI genre names (``Children's / Youth Programmes``,
``Education / Science / Factual``) and ``Children`` / ``Education``. Premieres carry
``premiere`` and ``new``, reruns ``previously-shown`` pointing at the premiere.
"""

from __future__ import annotations

import re
from datetime import datetime
from importlib import resources

from lxml import etree  # no stubs in the dev extras

from exports.common import KIND_EN, PRODUCT, Edition
from scheduler.domain.model import Channel, ChannelIcon
from scheduler.domain.schedule import Kind, Programme

FOLDER = "xmltv"
PATH = f"{FOLDER}/guide.xml"
DOCTYPE = '<!DOCTYPE tv SYSTEM "xmltv.dtd">'
DEFAULT_ICON = "static/channel-icon.png"
# ETSI EN 300 468 content nibbles 0x5 (children's/youth) and 0x54 (school programme), and 0x9
# (education/science/factual), in the English names guide software shows
GENRES_SCHOOL = ("Children's / Youth Programmes", "Informational / Educational / School Programme")
GENRES_EDUCATION = ("Education / Science / Factual",)
CHILDREN_UP_TO = 9  # grades up to 初三 are "Children" to Plex and Jellyfin; 高中 is youth only
# Characters XML 1.0 cannot carry at all; they are dropped rather than failing the whole guide.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def timestamp(instant: datetime) -> str:
    """``20200217080000 +0800``: local wall time with its explicit offset."""
    return instant.strftime("%Y%m%d%H%M%S %z")


def render(edition: Edition) -> dict[str, bytes]:
    """The guide ``xmltv/guide.xml`` and each channel's icon ``xmltv/icons/<id>.png``."""
    files = {PATH: guide(edition)}
    for channel in edition.channels:
        files[f"{FOLDER}/{icon_path(channel)}"] = icon(channel).data
    return files


def icon(channel: Channel) -> ChannelIcon:
    """The channel's icon from the scenario, else the shipped default television."""
    if channel.icon is not None:
        return channel.icon
    return ChannelIcon(resources.files("exports").joinpath(DEFAULT_ICON).read_bytes(), "png")


def icon_path(channel: Channel) -> str:
    """Where the icon is, relative to the guide: ``icons/cetv4.cn.png``."""
    return f"icons/{channel.id}.{icon(channel).suffix}"


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk; None for other images."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def guide(edition: Edition) -> bytes:
    tv = etree.Element("tv")
    tv.set("source-info-name", xml_text(edition.scenario.title))
    url = edition.url(PATH)
    if url:
        tv.set("source-data-url", url)
    tv.set("generator-info-name", PRODUCT)
    for channel in edition.channels:
        element = etree.SubElement(tv, "channel", id=channel.id)
        _child(element, "display-name", channel.name_zh, lang="zh")
        _child(element, "display-name", channel.name_en, lang="en")
        if channel.lcn is not None:
            # the channel number as a name of its own: how Kodi, Plex and Jellyfin number it
            _child(element, "display-name", str(channel.lcn))
        data = icon(channel)
        src = edition.url(f"{FOLDER}/{icon_path(channel)}") or icon_path(channel)
        picture = etree.SubElement(element, "icon", src=src)
        size = _png_size(data.data)
        if size is not None:
            picture.set("width", str(size[0]))
            picture.set("height", str(size[1]))
    for channel in edition.channels:
        for programme in edition.schedule.on_channel(channel.id):
            tv.append(_programme(edition, programme))
    return etree.tostring(
        tv, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=DOCTYPE
    )


def _programme(edition: Edition, p: Programme) -> etree._Element:
    element = etree.Element(
        "programme",
        start=timestamp(edition.local(p.start, p)),
        stop=timestamp(edition.local(p.end, p)),
        channel=p.channel,
    )
    # children in the DTD's order: title, sub-title, desc, date, category, language, length,
    # episode-num, previously-shown, premiere, new
    _child(element, "title", edition.series(p), lang="zh")
    series_en = edition.series_en(p)
    if series_en:
        _child(element, "title", series_en, lang="en")
    if p.is_lesson:
        _child(element, "sub-title", p.title, lang="zh")
    description = edition.description(p)
    if description:
        _child(element, "desc", description, lang="zh")
    first = edition.premiere_of(p) if p.kind is Kind.RERUN else p
    if p.is_lesson and first is not None:
        _child(element, "date", f"{edition.local(first.start, first):%Y%m%d}")
    for text, lang in _categories(edition, p):
        _child(element, "category", text, lang=lang)
    _child(element, "language", "zh")
    _child(element, "length", str(p.minutes), units="minutes")
    if p.is_lesson and p.lesson is not None:
        term = edition.term(p)
        total = edition.lesson_total(p)
        episode = f"{p.lesson - 1}" + (f"/{total}" if total else "")
        season = "" if term is None else str(term[0] - 1)
        _child(element, "episode-num", f"{season}.{episode}.", system="xmltv_ns")
        label = f"{term[1]} " if term is not None else ""
        _child(element, "episode-num", f"{label}{edition.lesson_label(p)}", system="onscreen")
    if p.kind is Kind.RERUN:
        shown = etree.SubElement(element, "previously-shown")
        premiere = edition.premiere_of(p)
        if premiere is not None:
            shown.set("start", timestamp(edition.local(premiere.start, premiere)))
            shown.set("channel", premiere.channel)
    elif p.kind in (Kind.LESSON, Kind.PINNED):
        _child(element, "premiere", "首播", lang="zh")
        etree.SubElement(element, "new")
    return element


def _categories(edition: Edition, p: Programme) -> list[tuple[str, str]]:
    """Chinese categories, then the ETSI EN 300 468 genre names guide software colours by
    (as Kodi spells them), then the plain "Children" and "Education" Plex and Jellyfin know."""
    categories: list[tuple[str, str]] = []
    if p.is_lesson:
        subject = edition.subject(p)
        if subject:
            categories.append((subject, "zh"))
        categories.append(("课程", "zh"))
        subject_en = edition.subject_en(p)
        if subject_en:
            categories.append((subject_en, "en"))
        categories += [(name, "en") for name in (*GENRES_SCHOOL, *GENRES_EDUCATION)]
        if p.grades and max(p.grades) <= CHILDREN_UP_TO:
            categories.append(("Children", "en"))
        categories.append(("Education", "en"))
    elif p.kind is Kind.SPECIAL:
        topic = edition.topic(p)
        if topic:
            categories.append((topic, "zh"))
        categories.append(("专题教育", "zh"))
        categories += [(name, "en") for name in GENRES_EDUCATION]
        categories.append(("Education", "en"))
    else:
        categories.append((edition.kind_zh(p), "zh"))
        categories.append((KIND_EN[p.kind], "en"))
    return categories


def _child(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    element.text = xml_text(text)
    return element


__all__ = ["FOLDER", "PATH", "guide", "icon", "icon_path", "render", "timestamp", "xml_text"]
