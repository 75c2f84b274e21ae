"""Tables for newspapers and spreadsheets: CSV, XLSX and JSON through pandas, a row per airing.

CSV and JSON use stable English column names (``id``, ``channel``, ``day``, ``start`` …) with
times as ISO 8601 with their offset; the CSV starts with a UTF-8 byte-order mark so that Excel
shows the Chinese correctly. Text cells of the CSV and the workbook that a spreadsheet would
take for a formula (beginning with ``=``, ``+``, ``-``, ``@``, tab or CR) start with ``'``, and
every workbook cell is written as a value, never a formula; the JSON keeps the text as it is.
The workbook has Chinese headings, a sheet with every airing and
one per grade; its zip timestamps and document dates are the edition's instant, so the same
edition gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pandas as pd

from exports.common import Edition, grades_zh, weekday_zh
from scheduler.domain.model import GRADE_NAMES

FOLDER = "tables"
COLUMNS = (
    "id",
    "channel",
    "day",
    "weekday",
    "start",
    "end",
    "minutes",
    "kind",
    "kind_zh",
    "grade",
    "grades",
    "grades_zh",
    "subject",
    "course",
    "lesson",
    "title",
    "summary",
    "repeat_of",
    "item",
    "uid",
    "sequence",
)
HEADINGS_ZH = {
    "day": "日期",
    "weekday": "星期",
    "clock_start": "开始",
    "clock_end": "结束",
    "minutes": "分钟",
    "grades_zh": "年级",
    "subject": "学科",
    "kind_zh": "类型",
    "lesson": "课次",
    "title": "节目",
    "channel": "频道",
    "id": "编号",
}
# What a spreadsheet reads as the start of a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_COLUMNS = (
    "day",
    "weekday",
    "clock_start",
    "clock_end",
    "minutes",
    "grades_zh",
    "subject",
    "kind_zh",
    "lesson",
    "title",
    "channel",
    "id",
)


def frame(edition: Edition) -> pd.DataFrame:
    """One row per airing, in the schedule's order (channel, start)."""
    rows = []
    for p in edition.schedule:
        stamp = edition.stamp(p)
        day = edition.day_of(p)
        start, end = edition.local(p.start, p), edition.local(p.end, p)
        rows.append(
            {
                "id": p.id,
                "channel": p.channel,
                "day": day.isoformat(),
                "weekday": weekday_zh(day),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "minutes": p.minutes,
                "kind": p.kind.value,
                "kind_zh": edition.kind_zh(p),
                "grade": p.grade,
                "grades": " ".join(str(g) for g in p.grades),
                "grades_zh": grades_zh(p.grades),
                "subject": edition.subject(p),
                "course": p.course,
                "lesson": p.lesson,
                "title": p.title,
                "summary": edition.summary(p),
                "repeat_of": p.repeat_of,
                "item": p.item,
                "uid": stamp.uid,
                "sequence": stamp.sequence,
                "clock_start": f"{start:%H:%M}",
                "clock_end": f"{end:%H:%M}",
            }
        )
    table = pd.DataFrame(rows, columns=[*COLUMNS, "clock_start", "clock_end"])
    for name in ("grade", "lesson"):
        table[name] = table[name].astype("Int64")
    return table


def neutralised(value: object) -> object:
    """Text a spreadsheet cannot take for a formula: a cell beginning with ``=``, ``+``, ``-``,
    ``@``, tab or carriage return gets a leading ``'`` (OWASP's CSV-injection advice); other
    values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell neutralised (numbers stay numbers)."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralised)
    return safe


def render(edition: Edition) -> dict[str, bytes]:
    table = frame(edition)
    plain = table[list(COLUMNS)]
    csv_text = _spreadsheet_safe(plain).to_csv(index=False, lineterminator="\n")
    json_text = plain.to_json(orient="records", force_ascii=False, indent=1)
    return {
        f"{FOLDER}/schedule.csv": b"\xef\xbb\xbf" + csv_text.encode("utf-8"),
        f"{FOLDER}/schedule.json": (json_text + "\n").encode("utf-8"),
        f"{FOLDER}/schedule.xlsx": workbook(edition, _spreadsheet_safe(table)),
    }


def workbook(edition: Edition, table: pd.DataFrame) -> bytes:
    """The XLSX: sheet 节目表 with every airing, then a sheet per grade."""
    sheets: list[tuple[str, pd.DataFrame]] = [("节目表", table)]
    for grade in edition.grades:
        ids = {p.id for p in edition.schedule.for_grade(grade)}
        sheets.append((GRADE_NAMES[grade], table[table["id"].isin(ids)]))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, part in sheets:
            shown = part[list(SHEET_COLUMNS)].rename(columns=HEADINGS_ZH)
            shown.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # never a formula, whatever the text says
                        cell.data_type = "s"
            sheet.freeze_panes = "A2"
            for letter, width in zip(
                "ABCDEFGHIJKL", (11, 5, 6, 6, 5, 10, 10, 9, 5, 40, 10, 24), strict=True
            ):
                sheet.column_dimensions[letter].width = width
        properties = writer.book.properties
        properties.creator = "skyclass"
        properties.title = edition.scenario.title
        instant = edition.published_at.replace(tzinfo=None)
        properties.created = instant
        properties.modified = instant
    return _pinned_zip(buffer.getvalue(), edition.published_at)


def _pinned_zip(data: bytes, instant: datetime) -> bytes:
    """The same archive with every entry dated ``instant`` (openpyxl stamps the wall clock)."""
    stamp = instant.replace(tzinfo=None).timetuple()[:6]
    moment = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + moment.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


__all__ = ["COLUMNS", "FORMULA_STARTS", "frame", "neutralised", "render", "workbook"]
