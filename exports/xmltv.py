"""XMLTV: the electronic programme guide for set-top boxes and guide services.

One file for all channels, valid against the official ``xmltv.dtd``: channels sorted by id with
zh and en display names, then every airing (fillers included, so a guide shows no holes) with
explicit UTC offsets (``20200217080000 +0800``) and children in DTD order.

A lesson is an episode of its course: ``title`` is the series (``三年级数学``), ``sub-title`` the
lesson, ``episode-num`` in ``xmltv_ns`` has the course's place among the grade's courses as the
season and the lesson number minus one as the episode (both from zero), plus ``onscreen``
(``第5课``). Premieres carry ``premiere``, reruns ``previously-shown`` pointing at the premiere.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree  # no stubs in the dev extras

from exports.common import KIND_EN, PRODUCT, Edition
from scheduler.schedule import Kind, Programme

FOLDER = "xmltv"
PATH = f"{FOLDER}/guide.xml"
DOCTYPE = '<!DOCTYPE tv SYSTEM "xmltv.dtd">'
# Characters XML 1.0 cannot carry at all; they are dropped rather than failing the whole guide.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def timestamp(instant: datetime) -> str:
    """``20200217080000 +0800``: local wall time with its explicit offset."""
    return instant.strftime("%Y%m%d%H%M%S %z")


def render(edition: Edition) -> dict[str, bytes]:
    """The guide as ``{"xmltv/guide.xml": bytes}``."""
    return {PATH: guide(edition)}


def guide(edition: Edition) -> bytes:
    tv = etree.Element("tv")
    tv.set("source-info-name", xml_text(edition.scenario.title))
    tv.set("generator-info-name", PRODUCT)
    for channel in edition.channels:
        element = etree.SubElement(tv, "channel", id=channel.id)
        _child(element, "display-name", channel.name_zh, lang="zh")
        _child(element, "display-name", channel.name_en, lang="en")
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
    # children in the DTD's order: title, sub-title, desc, category, language, length,
    # episode-num, previously-shown, premiere
    _child(element, "title", edition.series(p), lang="zh")
    series_en = edition.series_en(p)
    if series_en:
        _child(element, "title", series_en, lang="en")
    if p.is_lesson:
        _child(element, "sub-title", p.title, lang="zh")
    description = edition.description(p)
    if description:
        _child(element, "desc", description, lang="zh")
    for text, lang in _categories(edition, p):
        _child(element, "category", text, lang=lang)
    _child(element, "language", "zh")
    _child(element, "length", str(p.minutes), units="minutes")
    if p.is_lesson and p.lesson is not None:
        season = edition.season(p)
        total = edition.lesson_total(p)
        episode = f"{p.lesson - 1}" + (f"/{total}" if total else "")
        _child(element, "episode-num", f"{'' if season is None else season}.{episode}.",
               system="xmltv_ns")
        _child(element, "episode-num", str(edition.lesson_label(p)), system="onscreen")
    if p.kind is Kind.RERUN:
        shown = etree.SubElement(element, "previously-shown")
        premiere = edition.premiere_of(p)
        if premiere is not None:
            shown.set("start", timestamp(edition.local(premiere.start, premiere)))
            shown.set("channel", premiere.channel)
    elif p.kind in (Kind.LESSON, Kind.PINNED):
        _child(element, "premiere", "首播", lang="zh")
    return element


def _categories(edition: Edition, p: Programme) -> list[tuple[str, str]]:
    categories: list[tuple[str, str]] = []
    if p.is_lesson:
        subject = edition.subject(p)
        if subject:
            categories.append((subject, "zh"))
        categories.append(("课程", "zh"))
        subject_en = edition.subject_en(p)
        if subject_en:
            categories.append((subject_en, "en"))
        categories.append(("Education", "en"))
    elif p.kind is Kind.SPECIAL:
        topic = edition.topic(p)
        if topic:
            categories.append((topic, "zh"))
        categories.append(("专题教育", "zh"))
        categories.append(("Education", "en"))
    else:
        categories.append((edition.kind_zh(p), "zh"))
        categories.append((KIND_EN[p.kind], "en"))
    return categories


def _child(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    element.text = xml_text(text)
    return element


__all__ = ["FOLDER", "PATH", "guide", "render", "timestamp", "xml_text"]
