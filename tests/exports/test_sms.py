"""SMS digests: one 70-unit UCS-2 segment, or numbered parts of at most 67 units."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from exports import sms
from exports.common import Edition


def test_units_count_utf16_code_units() -> None:
    assert sms.units("三年级") == 3
    assert sms.units("abc") == 3
    assert sms.units("😀") == 2  # outside the BMP: a surrogate pair


def test_a_short_digest_is_one_segment(edition: Edition) -> None:
    digest = sms.digest(edition, 12, date(2020, 2, 18))
    assert digest.parts == ("高三 2月18日 CETV-4：疫情防护09:05 数学19:00",)
    assert digest.segments == 1


def test_a_long_digest_is_split_into_numbered_parts(edition: Edition) -> None:
    digest = sms.digest(edition, 3, date(2020, 2, 17))
    assert sms.units(digest.text) > sms.SEGMENT_UNITS
    assert digest.segments == 2
    assert digest.parts[0].startswith("(1/2)三年级 2月17日 CETV-4：")
    assert digest.parts[1].startswith("(2/2)")
    assert all(sms.units(part) <= sms.PART_UNITS for part in digest.parts)
    # no item is cut: the parts, numbers removed, give back the whole digest's items
    rejoined = " ".join(part[5:] for part in digest.parts).replace("：", "： ", 1)
    assert rejoined.split() == digest.text.replace("：", "： ", 1).split()


def test_the_gateway_table_has_a_row_per_part(edition: Edition) -> None:
    rows = list(csv.DictReader(io.StringIO(sms.render(edition)[sms.TABLE].decode("utf-8"))))
    assert {(r["grade"], r["date"]) for r in rows} == {
        (g, d) for g in ("3", "12") for d in ("2020-02-17", "2020-02-18")
    }
    assert all(int(r["units"]) == sms.units(r["text"]) for r in rows)
    assert all(int(r["units"]) <= (70 if r["parts"] == "1" else 67) for r in rows)


items = st.lists(
    st.text(alphabet=st.sampled_from("数学语文科学08:30重播😀 abc空中课堂"), min_size=1,
            max_size=90).map(str.strip).filter(bool),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(items)
def test_any_digest_fits_its_segments(pieces: list[str]) -> None:
    parts = sms.split("三年级 2月18日：", pieces)
    whole = "三年级 2月18日：" + " ".join(pieces)
    if sms.units(whole) <= sms.SEGMENT_UNITS:
        assert parts == (whole,)
        return
    count = len(parts)
    for number, part in enumerate(parts, start=1):
        assert sms.units(part) <= sms.PART_UNITS
        assert part.startswith(f"({number}/{count})")
        part.encode("utf-16-le")  # no lone surrogate: an emoji was never cut in half
    bodies = "".join(part[len(f"({n}/{count})"):] for n, part in enumerate(parts, start=1))
    assert bodies.replace(" ", "") == whole.replace(" ", "")
