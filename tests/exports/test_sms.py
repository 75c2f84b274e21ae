"""SMS digests: one 70-unit UCS-2 segment, or numbered parts of at most 67 units."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from exports import sms
from exports.common import Edition
from scheduler.domain.model import Reception
from scheduler.domain.schedule import Schedule


def test_units_count_utf16_code_units() -> None:
    assert sms.units("三年级") == 3
    assert sms.units("abc") == 3
    assert sms.units("😀") == 2  # outside the BMP: a surrogate pair


def test_a_short_digest_is_one_segment(edition: Edition) -> None:
    digest = sms.digest(edition, 12, date(2020, 2, 18))
    assert digest.parts == (
        "高三2月18日 CETV-4（北京时间）：09:05疫情防护；"
        "19:00数学《导数的几何意义; 切线方程, 例题》；收看：户户通第4频道",
    )
    assert digest.segments == 1


def test_a_long_digest_is_split_into_numbered_parts(edition: Edition) -> None:
    digest = sms.digest(edition, 3, date(2020, 2, 17))
    assert sms.units(digest.text) > sms.SEGMENT_UNITS
    assert digest.segments == 2
    assert digest.parts[0].startswith("(1/2)三年级2月17日 CETV-4（北京时间）：08:00")
    assert digest.parts[1].startswith("(2/2)")
    assert all(sms.units(part) <= sms.PART_UNITS for part in digest.parts)
    # no item is cut: the parts, numbers removed, give back the whole digest's items
    rejoined = sms.SEPARATOR.join(part[5:] for part in digest.parts)
    assert rejoined == digest.text


def test_the_gateway_table_has_a_row_per_part(edition: Edition) -> None:
    rows = list(csv.DictReader(io.StringIO(sms.render(edition)[sms.TABLE].decode("utf-8"))))
    assert {(r["grade"], r["date"]) for r in rows} == {
        (g, d) for g in ("3", "12") for d in ("2020-02-17", "2020-02-18")
    }
    assert all(int(r["units"]) == sms.units(r["text"]) for r in rows)
    assert all(int(r["units"]) <= (70 if r["parts"] == "1" else 67) for r in rows)


items = st.lists(
    st.text(
        alphabet=st.sampled_from("数学语文科学08:30重播😀 abc空中课堂"), min_size=1, max_size=90
    )
    .map(str.strip)
    .filter(bool),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(items, st.integers(min_value=0, max_value=16))
def test_any_digest_fits_its_segments(pieces: list[str], reserve: int) -> None:
    parts = sms.split("三年级 2月18日：", pieces, reserve=reserve)
    whole = "三年级 2月18日：" + sms.SEPARATOR.join(pieces)
    if sms.units(whole) <= sms.SEGMENT_UNITS - reserve:
        assert parts == (whole,)
        return
    count = len(parts)
    for number, part in enumerate(parts, start=1):
        assert sms.units(part) <= sms.PART_UNITS - reserve  # the signature still fits
        assert part.startswith(f"({number}/{count})")
        part.encode("utf-16-le")  # no lone surrogate: an emoji was never cut in half
    bodies = "".join(part[len(f"({n}/{count})") :] for n, part in enumerate(parts, start=1))
    assert bodies.replace(sms.SEPARATOR, "") == whole.replace(sms.SEPARATOR, "")
    assert all(
        part[len(f"({n}/{count})") :] != "三年级 2月18日："  # never only the header
        for n, part in enumerate(parts, start=1)
    )


def with_publishing(edition: Edition, **settings: object) -> Edition:
    scenario = edition.scenario.replace(publishing=replace(edition.scenario.publishing, **settings))
    return Edition(
        scenario,
        edition.schedule,
        edition.stamps,
        edition.published_at,
        edition.number,
        edition.report,
    )


def test_the_signature_is_counted_in_every_part(edition: Edition) -> None:
    signature = "【中国教育电视台空中课堂频道】"
    signed = with_publishing(edition, sms_signature=signature)
    plain = sms.digest(edition, 12, date(2020, 2, 18))
    digest = sms.digest(signed, 12, date(2020, 2, 18))
    # the signature leaves no room for the lesson's title: it is dropped, one segment stays
    assert digest.parts == (
        "高三2月18日 CETV-4（北京时间）：09:05疫情防护；19:00数学；收看：户户通第4频道",
    )
    assert sms.units(signature + digest.parts[0]) <= sms.SEGMENT_UNITS
    assert sms.units(signature + plain.parts[0]) > sms.SEGMENT_UNITS
    for grade in (3, 12):
        for part in sms.digest(signed, grade, date(2020, 2, 17)).parts:
            assert sms.units(signature + part) <= sms.PART_UNITS
    rows = list(csv.DictReader(io.StringIO(sms.render(signed)[sms.TABLE].decode("utf-8"))))
    assert all(int(r["units"]) == sms.units(signature + r["text"]) for r in rows)
    text = sms.render(signed)["sms/grade-12.txt"].decode("utf-8")
    assert f"{signature}高三2月18日" in text


def test_two_channels_are_named_in_every_item_and_the_footer_says_how_to_tune_in(
    edition: Edition,
) -> None:
    (channel,) = edition.scenario.channels
    second = replace(
        channel,
        id="xj.example",
        short_name="新疆台",
        timezone="Asia/Urumqi",
        reception=Reception(platform="户户通", number="12"),
    )
    first = replace(channel, reception=Reception(platform="户户通", number="4"))
    scenario = edition.scenario.replace(channels=(first, second))
    moved = Schedule(
        tuple(
            replace(p, channel=second.id) if p.id == "g12-math-2" else p for p in edition.schedule
        ),
        scenario=None,
        seed=0,
    )
    two = Edition.unrecorded(scenario, moved, at=edition.published_at)
    digest = sms.digest(two, 12, date(2020, 2, 18))
    assert "CETV-4（" not in digest.text  # no single channel in the header
    assert "09:05（北京时间）疫情防护@CETV-4" in digest.text
    assert "17:00（Asia/Urumqi 时间）数学" in digest.text and "@新疆台" in digest.text
    one = sms.digest(
        Edition.unrecorded(
            scenario.replace(channels=(first,)), edition.schedule, at=edition.published_at
        ),
        12,
        date(2020, 2, 18),
    )
    assert one.text.endswith("；收看：户户通第4频道")
