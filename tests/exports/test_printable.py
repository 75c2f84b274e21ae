"""Printable posters and grids: HTML that reads in black and white, a real PDF, a real browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from export_fixtures import G3_CHINESE, G3_MATH
from lxml import html as lxml_html
from PIL import Image, ImageStat

from exports import printable, printing
from exports.common import Edition

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_render_without_pdf_gives_html_for_every_grade_and_channel(edition: Edition) -> None:
    files = printable.render(edition, pdf=None)
    assert sorted(files) == [
        "grids/cetv4.cn.html",
        "posters/grade-03.html",
        "posters/grade-12.html",
    ]


def test_poster_lists_the_week_with_printed_labels(edition: Edition) -> None:
    page = printable.poster(edition, 3)
    tree = lxml_html.fromstring(page)
    assert tree.findtext(".//h1") == "三年级 空中课堂课表"
    text = tree.text_content()
    for title in (G3_MATH[0], G3_CHINESE[0], "疫情防护知识", "国学经典诵读", "空中课堂开播致辞"):
        assert title in text
    assert "函数的概念与性质" not in text  # grade 12's lesson
    # meaning is printed, not carried by colour: each airing has a worded label
    marks = [m.text_content() for m in tree.find_class("mark")]
    assert {"新课", "重播", "专题", "特别"} <= set(marks)
    assert "size: A4" in page and "WenQuanYi Micro Hei" in page and "Noto Sans CJK SC" in page
    assert "&lt;" in page  # "<复习>" in a title is escaped


def test_grid_has_a_page_per_day_and_folds_background_fillers(edition: Edition) -> None:
    channel = edition.scenario.channels[0]
    tree = lxml_html.fromstring(printable.grid(edition, channel))
    pages = tree.find_class("page")
    assert [p.get("id") for p in pages] == ["2020-02-17", "2020-02-18"]
    rows = pages[0].findall(".//tbody/tr")
    times = [r.findtext("td") for r in rows]
    assert "09:10–09:15" in times and "09:15–09:30" in times  # eye exercise, then the promo
    assert "16:25–16:30" in times


def test_css_strings_cannot_break_out_of_the_style_sheet() -> None:
    assert printable.css_string('a"b</style>') == "a\\000022b\\00003c/style\\00003e"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_embeds_chinese_fonts_and_its_text_has_the_titles(
    edition: Edition, tmp_path: Path
) -> None:
    pdf = printing.weasyprint_pdf(printable.poster(edition, 3))
    path = tmp_path / "grade-03.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    flat = "".join(text.split())
    for title in ("三年级空中课堂课表", "观察物体（一）", "疫情防护知识", "国学经典诵读"):
        assert title in flat
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines and all(" yes " in line for line in lines)  # every font embedded
    assert any("WenQuanYi" in line or "Noto" in line for line in lines)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "595.276 x 841.89 pts (A4)" in info or "(A4)" in info


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")
def test_poster_renders_in_headless_chromium(edition: Edition, tmp_path: Path) -> None:
    page = tmp_path / "grade-03.html"
    page.write_text(printable.poster(edition, 3), encoding="utf-8")
    shot = tmp_path / "grade-03.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1240,1754",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), "chromium wrote no screenshot"
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.size == (1240, 1754)
        grey = image.convert("L")
        low, high = grey.getextrema()
        assert low < 64 and high > 192  # black text on white paper
        assert ImageStat.Stat(grey).mean[0] < 254  # not a blank page
        dark = sum(grey.histogram()[:128])
        assert dark > 5_000  # a table of text, not a few stray pixels


def test_emoji_in_a_title_are_left_out_of_what_is_printed(edition: Edition) -> None:
    from export_fixtures import retitled

    schedule = retitled(edition.schedule, "g3-math-1", "认识图形 🔺🟦 👍🏽 1️⃣ 👨‍👩‍👧")
    emoji = Edition.unrecorded(edition.scenario, schedule, at=edition.published_at)
    page = printable.poster(emoji, 3)
    assert "认识图形" in page
    assert not printable.EMOJI.search(page) and "🔺" not in page and "👍" not in page
    assert printable.printed("认识图形 🔺🟦 好") == "认识图形 好"
    assert printable.printed("★ 数学") == "★ 数学"  # symbols the CJK fonts have stay
