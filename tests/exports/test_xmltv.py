"""XMLTV: valid against the official DTD, clean under tv_validate_file and tv_sort."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from export_fixtures import DTD_FOLDER
from lxml import etree

from exports import xmltv
from exports.common import Edition

needs_xmltv_util = pytest.mark.skipif(
    shutil.which("tv_validate_file") is None or not (DTD_FOLDER / "xmltv.dtd").exists(),
    reason="xmltv-util and libxmltv-perl are not installed",
)


def _guide(edition: Edition) -> bytes:
    return xmltv.render(edition)[xmltv.PATH]


def _tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "guide.xml"
    path.write_bytes(data)
    return path


@pytest.mark.skipif(not (DTD_FOLDER / "xmltv.dtd").exists(), reason="no xmltv.dtd")
def test_guide_is_valid_against_the_official_dtd(edition: Edition) -> None:
    dtd = etree.DTD(str(DTD_FOLDER / "xmltv.dtd"))
    tree = _tree(_guide(edition))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


@needs_xmltv_util
def test_tv_validate_file_accepts_the_guide(edition: Edition, tmp_path: Path) -> None:
    path = _write(tmp_path, _guide(edition))
    result = subprocess.run(
        ["tv_validate_file", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XMLTV_SUPPLEMENT": str(DTD_FOLDER)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validated ok" in result.stdout


@needs_xmltv_util
def test_tv_sort_finds_no_overlap_and_the_windows_have_no_gap(
    edition: Edition, tmp_path: Path
) -> None:
    path = _write(tmp_path, _guide(edition))
    out = tmp_path / "sorted.xml"
    result = subprocess.run(
        ["tv_sort", "--by-channel", "--duplicate-error", "--output", str(out), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "overlap" not in result.stderr and "Duplicate" not in result.stderr, result.stderr
    programmes = _tree(out.read_bytes()).findall("programme")
    assert len(programmes) == len(edition.schedule)
    # inside a broadcast window every programme starts where the previous one stopped
    spans = {
        (day, span.start, span.end)
        for day in edition.days
        for span in edition.scenario.channels[0].spans_on(day)
    }
    for before, after in itertools.pairwise(programmes):
        stop, start = _parse(before.get("stop")), _parse(after.get("start"))
        same_window = any(
            edition.scenario.channels[0].instant(day, low) <= stop
            and start <= edition.scenario.channels[0].instant(day, high)
            for day, low, high in spans
        )
        if same_window:
            assert stop == start, (before.findtext("title"), after.findtext("title"))


@needs_xmltv_util
def test_tv_sort_reports_an_overlap_when_there_is_one(edition: Edition, tmp_path: Path) -> None:
    """The overlap check above is not vacuous: tv_sort does complain about a broken guide."""
    tree = _tree(_guide(edition))
    second = tree.findall("programme")[1]
    second.set("start", tree.findall("programme")[0].get("start", ""))
    path = _write(tmp_path, etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    result = subprocess.run(
        ["tv_sort", "--output", str(tmp_path / "s.xml"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "overlapping programmes" in result.stderr


def _parse(stamp: str | None) -> datetime:
    assert stamp is not None
    return datetime.strptime(stamp, "%Y%m%d%H%M%S %z")


def test_channel_has_zh_and_en_display_names(edition: Edition) -> None:
    channel = _tree(_guide(edition)).find("channel")
    assert channel is not None and channel.get("id") == "cetv4.cn"
    names = {e.get("lang"): e.text for e in channel.findall("display-name")}
    assert names == {
        "zh": "中国教育电视台第四频道",
        "en": "CETV-4 China Education Television 4",
        None: "4",
    }  # the channel number (lcn) as a name of its own


def test_channel_icon_is_written_beside_the_guide(edition: Edition) -> None:
    files = xmltv.render(edition)
    icon = _tree(files[xmltv.PATH]).find("channel/icon")
    assert icon is not None
    assert icon.attrib == {"src": "icons/cetv4.cn.png", "width": "128", "height": "128"}
    assert files["xmltv/icons/cetv4.cn.png"].startswith(b"\x89PNG")
    served = with_base_url(edition, "https://example.org/kebiao/")
    tree = _tree(xmltv.render(served)[xmltv.PATH])
    assert tree.get("source-data-url") == "https://example.org/kebiao/xmltv/guide.xml"
    assert tree.find("channel/icon").get("src") == (  # type: ignore[union-attr]
        "https://example.org/kebiao/xmltv/icons/cetv4.cn.png"
    )


def with_base_url(edition: Edition, url: str) -> Edition:
    scenario = edition.scenario.replace(
        publishing=replace(edition.scenario.publishing, base_url=url)
    )
    return Edition(
        scenario,
        edition.schedule,
        edition.stamps,
        edition.published_at,
        edition.number,
        edition.report,
    )


def test_every_airing_is_in_the_guide_fillers_included(edition: Edition) -> None:
    programmes = _tree(_guide(edition)).findall("programme")
    assert len(programmes) == len(edition.schedule)
    titles = [p.findtext("title") for p in programmes]
    assert "眼保健操" in titles and "空中课堂节目预告" in titles


def test_times_carry_explicit_offsets(edition: Edition) -> None:
    first = _tree(_guide(edition)).find("programme")
    assert first is not None
    assert first.get("start") == "20200217080000 +0800"
    assert first.get("stop") == "20200217081000 +0800"


def _programme(edition: Edition, start: str) -> etree._Element:
    for element in _tree(_guide(edition)).findall("programme"):
        if element.get("start") == start:
            return element
    raise AssertionError(f"no programme at {start}")


def test_a_premiere_is_an_episode_of_its_course(edition: Edition) -> None:
    element = _programme(edition, "20200217081000 +0800")  # g3-math lesson 1
    assert [(t.get("lang"), t.text) for t in element.findall("title")] == [
        ("zh", "三年级数学"),
        ("en", "Grade 3 Mathematics"),
    ]
    assert element.findtext("sub-title") == "观察物体（一）"
    episodes = {e.get("system"): e.text for e in element.findall("episode-num")}
    # the term of 2020 is the season (S2020, from zero 2019), lesson 1 is episode 0 of 3
    assert episodes == {"xmltv_ns": "2019.0/3.", "onscreen": "2020年春季 第1课"}
    assert element.find("premiere") is not None and element.find("new") is not None
    assert element.find("previously-shown") is None
    assert element.findtext("date") == "20200217"
    assert [c.text for c in element.findall("category")] == [
        "数学",
        "课程",
        "Mathematics",
        "Children's / Youth Programmes",
        "Informational / Educational / School Programme",
        "Education / Science / Factual",
        "Children",
        "Education",
    ]
    senior = _programme(edition, "20200217190000 +0800")  # 高三: youth, not "Children"
    assert "Children" not in [c.text for c in senior.findall("category")]


def test_a_rerun_points_at_its_premiere(edition: Edition) -> None:
    element = _programme(edition, "20200217160000 +0800")  # rerun of g3-math lesson 1
    shown = element.find("previously-shown")
    assert shown is not None
    assert shown.attrib == {"start": "20200217081000 +0800", "channel": "cetv4.cn"}
    assert element.find("premiere") is None and element.find("new") is None
    assert element.findtext("date") == "20200217"  # the day it first aired
    assert "重播" in (element.findtext("desc") or "")


def test_children_follow_the_dtd_order(edition: Edition) -> None:
    order = [
        "title",
        "sub-title",
        "desc",
        "date",
        "category",
        "language",
        "length",
        "episode-num",
        "previously-shown",
        "premiere",
        "new",
    ]
    for element in _tree(_guide(edition)).findall("programme"):
        tags = [child.tag for child in element]
        assert tags == sorted(tags, key=order.index)


def test_berlin_offsets_follow_the_daylight_saving_change(berlin_edition: Edition) -> None:
    starts = [p.get("start") for p in _tree(_guide(berlin_edition)).findall("programme")]
    assert "20200328080000 +0100" in starts  # Saturday, CET
    assert "20200329080000 +0200" in starts  # Sunday, after the 02:00 spring-forward
    assert all(s.endswith("+0100") for s in starts if s and s.startswith("20200328"))
    assert all(s.endswith("+0200") for s in starts if s and s.startswith("20200329"))


def test_characters_xml_cannot_carry_are_dropped() -> None:
    assert xmltv.xml_text("a\x00b\x1fc\nd") == "abc\nd"
