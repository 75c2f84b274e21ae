"""``skyclass suggest`` on the two-day analysis scenario, where the cheapest places are known by
hand (tests/asrun/published.py gives the layout).

Tuesday 2020-02-18 on tiny.cn: 08:00–08:20 g3 math 2, 08:20–09:00 g12 math 2, 09:30–09:50 g3
Chinese 1 in the 08:00–10:00 window; 19:00–19:40 g12 physics 2 in the 19:00–20:00 window. Only
fillers lie in 09:00–09:30, 09:50–10:00 and 19:40–20:00. So a 30-minute relay fits without
moving anything only at 09:00–09:30; every other start pushes a lesson out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result

from scheduler.analysis.checking import check
from scheduler.analysis.suggest import ITEM_ID, Item, rank
from scheduler.cli import main
from scheduler.domain.model import Pinned, TimeRange, parse_clock
from scheduler.domain.schedule import Kind, broadcast_day
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule
from tests.asrun.published import SCENARIO

TUESDAY = date(2020, 2, 18)


def suggest(*args: object) -> Result:
    return CliRunner().invoke(main, ["suggest", *map(str, args)])


def test_the_only_free_gap_ranks_first_and_costs_nothing(published: Path) -> None:
    scenario = load(str(SCENARIO))
    schedule = read_schedule(published / "schedule.json")
    item = Item("新闻发布会直播", 30)
    found = rank(scenario, schedule, item, (TUESDAY,), today=TUESDAY, top=3, time_limit=10)
    first = found[0]
    assert (first.placement.day, first.placement.span) == (
        TUESDAY,
        TimeRange(parse_clock("09:00"), parse_clock("09:30")),
    )
    assert first.changes == () and first.result is None
    # the relay is for everyone: both grades' Tuesday digests and one guide entry
    assert first.digests == ((3, TUESDAY), (12, TUESDAY)) and first.guide_entries == 1
    assert all(s.cost()[0] >= 1 for s in found[1:])  # any other start moves a lesson
    assert [s.cost() for s in found] == sorted(s.cost() for s in found)


def test_one_suggestion_per_gap_and_a_band_s_hours_for_a_make_up(published: Path) -> None:
    scenario = load(str(SCENARIO))
    schedule = read_schedule(published / "schedule.json")
    # a 10-minute item for grade 3 between 09:00 and 10:00: free at 09:00 (the 09:00–09:30 gap,
    # one suggestion however many starts fit) and at 09:50 (the 09:50–10:00 gap)
    item = Item("阅读", 10, (3,), (TimeRange(parse_clock("09:00"), parse_clock("10:00")),))
    found = rank(scenario, schedule, item, (TUESDAY,), today=TUESDAY, top=2, time_limit=10)
    assert [s.placement.span.label for s in found] == ["09:00–09:10", "09:50–10:00"]
    assert all(s.changes == () and s.digests == ((3, TUESDAY),) for s in found)


def test_apply_writes_a_replan_that_passes_the_checker(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "applied"
    result = suggest(
        published,
        "--title",
        "新闻发布会直播",
        "--minutes",
        30,
        "--day",
        "2020-02-18",
        "--top",
        3,
        "--time-limit",
        10,
        "--apply",
        2,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "│ 1 │ 2020-02-18 09:00–09:30 tiny.cn │ 0 │ 0/0/0/0 │ 2: 三年级2月18日、高三2月18日 │ 1 │"
        in text
    )
    replanned = read_schedule(out / "schedule.json")
    pinned = [p for p in replanned if p.kind is Kind.PINNED]
    assert len(pinned) == 1 and pinned[0].title == "新闻发布会直播"
    entry = (out / "pinned.toml").read_text(encoding="utf-8")
    assert 'id = "suggested"' in entry and "date = 2020-02-18" in entry
    # with the pin added to the scenario, the re-plan breaks no rule
    scenario = load(str(SCENARIO))
    where = broadcast_day(scenario, pinned[0])
    assert where is not None and where[0] == TUESDAY
    pin = Pinned(ITEM_ID, "tiny.cn", TUESDAY, TimeRange(where[1], where[2]), "新闻发布会直播")
    assert check(scenario.replace(pinned=(pin,)), replanned) == []


def test_a_make_up_lesson_is_placed_in_its_band_s_hours(published: Path) -> None:
    result = suggest(published, "--makeup", "g3-math:1", "--day", "2020-02-18", "--top", 1)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Cheapest places for 数学 第1课（补播） (20 min)" in text
    assert "2020-02-18 09:00–09:20 tiny.cn │ 0 │" in text


def test_bad_requests_exit_2(published: Path, tmp_path: Path) -> None:
    cases = [
        (("--day", "2020-02-18"), "--title"),
        (("--title", "x", "--minutes", "5"), "--day"),
        (("--title", "x", "--minutes", "5", "--day", "2020-03-01"), "outside the horizon"),
        (
            ("--title", "x", "--minutes", "5", "--day", "2020-02-18", "--between", "9-10"),
            "--between",
        ),
        (("--makeup", "g3-art:1", "--day", "2020-02-18"), "--makeup"),
        (("--makeup", "g3-math:99", "--day", "2020-02-18"), "--makeup"),
        (("--title", "x", "--minutes", "5", "--day", "2020-02-18", "--apply", "1"), "--out"),
        (
            ("--title", "x", "--minutes", "5", "--day", "2020-02-18", "--channel", "no.tv"),
            "--channel",
        ),
        (
            ("--title", "x", "--minutes", "5", "--day", "2020-02-17", "--today", "2020-02-18"),
            "--day",
        ),
    ]
    for args, field in cases:
        result = suggest(published, *args)
        assert result.exit_code == 2, (args, result.output)
        assert field in result.output, (args, result.output)
