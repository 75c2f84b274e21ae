"""Any title survives the XML and iCal round trips: escaping, folding, emoji, long Chinese."""

from __future__ import annotations

import ical_reader
from export_fixtures import PUBLISHED_AT, retitled, scenario, schedule
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from lxml import etree

from exports import ical, xmltv
from exports.common import Edition

SCENARIO = scenario()
SCHEDULE = schedule(SCENARIO)
SPECIAL, LESSON = "d0-epidemic", "g3-math-1"
LONG_CHINESE = "空中课堂" * 50  # 200 characters, 600 octets in UTF-8

titles = (
    st.lists(
        st.one_of(
            st.sampled_from([*"&<>\"';,\\\n", "😀", "📺", "👩‍🏫", "&amp;", "]]>", "\\n"]),
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
            st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
        ),
        min_size=1,
        max_size=220,
        # icalendar drops a leading U+FEFF (a byte-order mark) from a property value; an invisible
        # mark cannot usefully open a title, so it is left out rather than left to a rare draw
    )
    .map("".join)
    .filter(lambda title: title.strip() != "" and not title.startswith("\ufeff"))
)


def _edition(title: str) -> Edition:
    edited = retitled(retitled(SCHEDULE, SPECIAL, title), LESSON, title)
    return Edition.unrecorded(SCENARIO, edited, at=PUBLISHED_AT)


@settings(max_examples=120, deadline=None)
@given(titles)
@example("& < > \" ' ; , \\ \n 😀")
@example(LONG_CHINESE)
def test_any_title_survives_xmltv(title: str) -> None:
    tree = etree.fromstring(xmltv.guide(_edition(title)))
    by_start = {p.get("start"): p for p in tree.findall("programme")}
    special = by_start["20200217083500 +0800"]
    lesson = by_start["20200217081000 +0800"]
    assert special.findtext("title") == title
    assert lesson.findtext("sub-title") == title


@settings(max_examples=120, deadline=None)
@given(titles)
@example("& < > \" ' ; , \\ \n 😀")
@example(LONG_CHINESE)
def test_any_title_survives_ical(title: str) -> None:
    edition = _edition(title)
    by_id = edition.schedule.by_id()
    data = ical.feed(
        edition,
        [by_id[LESSON], by_id[SPECIAL]],
        name=title,
        description=title,
        channels=SCENARIO.channels,
    )
    calendar = ical_reader.parse(data)  # strict: CRLF, ≤ 75 octets, whole characters per line
    summaries = [ical_reader.text(e.one("SUMMARY").value) for e in calendar.walk("VEVENT")]
    assert summaries[0].endswith(f"：{title}")  # the lesson, "三年级数学 第1课：…"
    assert summaries[1] == title
    assert ical_reader.text(calendar.one("NAME").value) == title
    parsed = [str(e["SUMMARY"]) for e in Calendar.from_ical(data).walk("VEVENT")]
    assert parsed == summaries
