"""Tables: CSV, XLSX and JSON with a row per airing, read back with pandas; the site index."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pandas as pd
from export_fixtures import PUBLISHED_AT
from lxml import html as lxml_html

from exports import site, tables
from exports.common import Edition


def test_csv_json_and_xlsx_have_a_row_per_airing(edition: Edition) -> None:
    files = tables.render(edition)
    csv_bytes = files["tables/schedule.csv"]
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8
    frame = pd.read_csv(io.BytesIO(csv_bytes), encoding="utf-8-sig")
    assert list(frame.columns) == list(tables.COLUMNS)
    assert len(frame) == len(edition.schedule)
    assert frame.loc[frame["id"] == "g3-math-1", "start"].item() == "2020-02-17T08:10:00+08:00"
    records = json.loads(files["tables/schedule.json"])
    assert [r["id"] for r in records] == frame["id"].tolist()
    assert records[1]["grade"] == 3 and records[0]["grade"] is None
    sheets = pd.read_excel(io.BytesIO(files["tables/schedule.xlsx"]), sheet_name=None)
    assert list(sheets) == ["节目表", "三年级", "高三"]
    assert len(sheets["节目表"]) == len(edition.schedule)
    assert list(sheets["节目表"].columns)[:4] == ["日期", "星期", "开始", "结束"]
    assert set(sheets["高三"]["节目"]) >= {"函数的概念与性质", "疫情防护知识"}
    assert "国学经典诵读" not in set(sheets["高三"]["节目"])


def test_the_workbook_is_the_same_bytes_for_the_same_edition(edition: Edition) -> None:
    first = tables.render(edition)["tables/schedule.xlsx"]
    assert tables.render(edition)["tables/schedule.xlsx"] == first
    later = Edition(
        edition.scenario,
        edition.schedule,
        edition.stamps,
        PUBLISHED_AT + timedelta(days=1),
        edition.number,
        edition.report,
    )
    assert tables.render(later)["tables/schedule.xlsx"] != first  # dated by the edition


def test_index_links_only_what_was_written(edition: Edition) -> None:
    written = {"posters/grade-03.html": b"", "ical/grade-03.ics": b"", "xmltv/guide.xml": b""}
    page = site.render(edition, written)["index.html"]
    links = {a.get("href") for a in lxml_html.fromstring(page).iter("a")}
    assert links == set(written)


def test_index_offers_webcal_links_and_says_how_to_tune_in(edition: Edition) -> None:
    from dataclasses import replace

    written = {
        "ical/grade-03.ics": b"",
        "ical/grade-03-lessons.ics": b"",
        "ical/channel-cetv4.cn.ics": b"",
    }
    served = Edition(
        edition.scenario.replace(
            publishing=replace(edition.scenario.publishing, base_url="https://example.org/kb/")
        ),
        edition.schedule,
        edition.stamps,
        edition.published_at,
        edition.number,
        edition.report,
    )
    tree = lxml_html.fromstring(site.render(served, written)["index.html"])
    links = {a.get("href") for a in tree.iter("a")}
    assert links == set(written) | {
        "webcal://example.org/kb/ical/grade-03.ics",
        "webcal://example.org/kb/ical/grade-03-lessons.ics",
        "webcal://example.org/kb/ical/channel-cetv4.cn.ics",
    }
    text = tree.text_content()
    assert "户户通 第4频道" in text and "所有时间均为北京时间" in text
    plain = lxml_html.fromstring(site.render(edition, written)["index.html"])
    assert not any(str(a.get("href")).startswith("webcal:") for a in plain.iter("a"))


def test_no_title_becomes_a_formula_in_the_csv_or_the_workbook(edition: Edition) -> None:
    from export_fixtures import retitled
    from openpyxl import load_workbook

    # (a carriage return inside a title is the hardening rules' business: refused on input)
    dangerous = ('=HYPERLINK("http://x.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "@@")
    schedule = edition.schedule
    ids = ["g3-math-1", "g3-chinese-1", "g12-math-1", "g3-math-2", "g3-chinese-2", "g12-math-2"]
    for ident, title in zip(ids, dangerous, strict=True):
        schedule = retitled(schedule, ident, title)
    risky = Edition.unrecorded(edition.scenario, schedule, at=PUBLISHED_AT)
    files = tables.render(risky)
    frame = pd.read_csv(
        io.BytesIO(files["tables/schedule.csv"]), encoding="utf-8-sig", keep_default_na=False
    )
    titles = dict(zip(frame["id"], frame["title"], strict=True))
    for ident, title in zip(ids, dangerous, strict=True):
        assert titles[ident] == "'" + title
    assert not any(
        str(cell).startswith(tables.FORMULA_STARTS)
        for column in frame.columns
        for cell in frame[column]
    )
    book = load_workbook(io.BytesIO(files["tables/schedule.xlsx"]))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "'" + dangerous[0] in {cell.value for cell in cells}
    assert all(
        not str(cell.value).startswith(tables.FORMULA_STARTS)
        for cell in cells
        if isinstance(cell.value, str)
    )
    records = json.loads(files["tables/schedule.json"])  # JSON is data, not a spreadsheet
    assert {r["id"]: r["title"] for r in records}["g3-math-1"] == dangerous[0]
    assert tables.neutralised(-5) == -5 and tables.neutralised("数学") == "数学"
    assert tables.neutralised("\rCR") == "'\rCR"
