"""Loading scenario files: the format of docs/scenario.md, ``extends`` merging, ``--set``."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import TimeRange
from scheduler.io.loading import DEFAULT_SCENARIO, load, resolve

SCENARIOS = Path(__file__).parent / "scenarios"
TINY = SCENARIOS / "tiny"
DOCS = Path(__file__).parent.parent / "docs" / "scenario.md"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of the tiny scenario as ``base.toml`` with its catalog."""
    shutil.copytree(TINY / "catalog", tmp_path / "catalog")
    shutil.copy(TINY / "scenario.toml", tmp_path / "base.toml")
    return tmp_path


def child(folder: Path, text: str, name: str = "child.toml") -> Path:
    """Write a scenario that extends ``base.toml`` with ``text``."""
    file = folder / name
    file.write_text('extends = "base.toml"\n' + text, encoding="utf-8")
    return file


# -- the tiny scenario, field by field -------------------------------------------------------------
def test_tiny_loads_with_every_part() -> None:
    scenario = load(TINY / "scenario.toml")
    assert scenario.name == "tiny"
    assert scenario.source == str(TINY / "scenario.toml")
    assert scenario.days[0] == date(2020, 2, 17) and len(scenario.days) == 7
    (channel,) = scenario.channels
    assert channel.id == "tv.test" and channel.timezone == "Asia/Shanghai"
    assert [w.label for w in channel.windows] == ["上午", "晚间", "特别节目"]
    assert channel.windows[0].weekdays == (0, 1, 2, 3, 4)
    assert channel.windows[2].dates == (date(2020, 2, 22),)
    assert [b.id for b in scenario.bands] == ["primary", "junior"]
    assert scenario.band_of(9).hours == (TimeRange(480, 600), TimeRange(1140, 1200))
    assert scenario.grade_numbers == (3, 9)
    assert [c.id for c in scenario.courses] == ["g3-math", "g3-chinese", "g9-math"]
    assert scenario.cohorts[0].weekdays == (0, 1, 2, 3, 4)
    assert scenario.pinned[0].span == TimeRange(8 * 60, 8 * 60 + 10)
    assert scenario.solver.seed == 7 and scenario.solver.workers == 1


def test_dated_windows_replace_weekday_windows_on_their_dates() -> None:
    channel = load(TINY).channels[0]
    # Saturday 2020-02-22 has a dated window: the everyday evening window does not air
    assert channel.spans_on(date(2020, 2, 22)) == (TimeRange(9 * 60, 9 * 60 + 30),)
    assert channel.spans_on(date(2020, 2, 23)) == (TimeRange(19 * 60, 20 * 60),)
    assert channel.spans_on(date(2020, 2, 17)) == (TimeRange(480, 600), TimeRange(1140, 1200))


def test_catalog_rows_become_courses_with_defaults_and_overrides() -> None:
    scenario = load(TINY)
    chinese = scenario.course("g3-chinese")
    assert chinese.per_week is None  # empty cell: the pace rule's weekly cap applies
    assert scenario.per_week(chinese) == 5
    assert chinese.progress == 1  # [course.g3-chinese] progress = 1
    assert [lesson.minutes for lesson in chinese.remaining] == [15, 20, 15]
    assert scenario.course("g9-math").weight == 0.8
    assert scenario.course("g3-math").lessons[0].title == "位置与方向（一）"


def test_resolve_accepts_a_file_a_folder_or_nothing() -> None:
    assert resolve(None) == DEFAULT_SCENARIO / "scenario.toml"
    assert resolve(TINY) == TINY / "scenario.toml"
    assert resolve(str(TINY / "scenario.toml")) == TINY / "scenario.toml"
    assert load(TINY) == load(TINY / "scenario.toml")


# -- the default scenario and its variants ---------------------------------------------------------
def test_default_and_variants_load() -> None:
    default = load()
    assert default.name == "cetv4-2020-spring"
    assert default.channels[0].id == "cetv4.cn"
    assert default.grade_numbers == (1, 2, 3, 4, 5, 6, 9, 12)
    term = load(DEFAULT_SCENARIO / "term.toml")
    month = load(DEFAULT_SCENARIO / "month.toml")
    preterm = load(DEFAULT_SCENARIO / "preterm.toml")
    assert len(term.days) == 16 * 7 and len(term.weeks()) == 16
    assert len(month.days) == 28
    assert (preterm.horizon.first, preterm.horizon.last) == (date(2020, 2, 10), date(2020, 2, 16))
    # [solver] merges key by key: time_limit is overridden, workers and seed are inherited
    assert (term.solver.time_limit, term.solver.workers) == (120, default.solver.workers)
    # [[specials]] merge by id: only per_week changes; [[pinned]] remove = true drops the opening
    assert preterm.special("epidemic").per_week == 14
    assert preterm.special("epidemic").minutes == default.special("epidemic").minutes
    assert [s.id for s in preterm.specials] == [s.id for s in default.specials]
    assert preterm.pinned == () and len(default.pinned) == 1


# -- extends ---------------------------------------------------------------------------------------
def test_tables_merge_key_by_key(folder: Path) -> None:
    scenario = load(child(folder, "[solver]\ntime_limit = 1.5\n[rules.rest]\nminutes = 15\n"))
    assert scenario.solver.time_limit == 1.5
    assert scenario.solver.seed == 7  # from base.toml
    assert scenario.rules.rest.minutes == 15
    assert scenario.rules.pace.per_week == 5


def test_arrays_of_tables_with_ids_merge_by_id(folder: Path) -> None:
    text = """
[[bands]]
id = "junior"
weight = 2.5

[[specials]]
id = "reading"
title = "阅读"
topic = "阅读"
minutes = 10
per_week = 1
"""
    scenario = load(child(folder, text))
    assert [b.id for b in scenario.bands] == ["primary", "junior"]
    assert scenario.band_of(9).weight == 2.5
    assert scenario.band_of(9).max_lesson_minutes == 30  # kept from base.toml
    assert [s.id for s in scenario.specials] == ["epidemic", "reading"]  # appended


def test_remove_true_drops_an_entry(folder: Path) -> None:
    text = '[[fillers]]\nid = "psa"\ntitle = "公益"\nkind = "psa"\nminutes = 2\n'
    text += '[[pinned]]\nid = "opening"\nremove = true\n'
    text += '[[cohorts]]\nid = "zhongkao"\nremove = false\nguaranteed_minutes = 20\n'
    scenario = load(child(folder, text))
    assert scenario.pinned == ()
    assert [f.id for f in scenario.fillers] == ["eye", "promo", "psa"]
    assert scenario.cohorts[0].guaranteed_minutes == 20


def test_other_arrays_replace(folder: Path) -> None:
    text = """
[[bands]]
id = "junior"
hours = ["19:00-20:00"]

[[channels]]
id = "tv.test"

  [[channels.windows]]
  days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  start = "08:00"
  end = "10:00"

  [[channels.windows]]
  days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  start = "19:00"
  end = "26:30"
"""
    scenario = load(child(folder, text))
    (channel,) = scenario.channels
    # windows have no id: the child's list replaces the base's (the dated window is gone)
    assert [w.span for w in channel.windows] == [TimeRange(480, 600), TimeRange(1140, 1590)]
    assert channel.name_zh == "小小测试台"  # the channel itself merged by id
    assert scenario.band_of(9).hours == (TimeRange(1140, 1200),)  # replaced, not appended


def test_chains_and_catalog_paths_relative_to_the_file_that_names_them(folder: Path) -> None:
    (folder / "variants").mkdir()
    middle = folder / "variants" / "middle.toml"
    middle.write_text('extends = "../base.toml"\ntitle = "中间"\n', encoding="utf-8")
    (folder / "variants" / "own").mkdir()
    shutil.copy(folder / "catalog" / "lessons.csv", folder / "variants" / "own" / "lessons.csv")
    last = folder / "variants" / "last.toml"
    last.write_text(
        'extends = "middle.toml"\nname = "last"\n[catalog]\nlessons = "own/lessons.csv"\n',
        encoding="utf-8",
    )
    scenario = load(last)
    assert (scenario.name, scenario.title) == ("last", "中间")
    assert scenario.courses == load(folder / "base.toml").courses


def test_errors_name_the_file_that_set_the_value(folder: Path) -> None:
    bad_base = (
        (folder / "base.toml")
        .read_text(encoding="utf-8")
        .replace("per_week = 2\n", "per_week = -2\n", 1)
    )
    (folder / "base.toml").write_text(bad_base, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(child(folder, 'title = "子"\n'))
    assert caught.value.file == str(folder / "base.toml")
    assert caught.value.field == "specials[0].per_week"
    # ... and the child when the child changed it
    with pytest.raises(ScenarioError) as caught:
        load(child(folder, '[[specials]]\nid = "epidemic"\nminutes = 0\n'))
    assert caught.value.file == str(folder / "child.toml")
    assert caught.value.field == "specials[0].minutes"


def test_an_entry_changed_by_the_child_is_blamed_on_the_child(folder: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load(child(folder, '[[pinned]]\nid = "opening"\nstart = "11:00"\nend = "11:10"\n'))
    assert caught.value.file == str(folder / "child.toml")
    assert caught.value.field == "pinned[0]"


def test_origins_follow_entries_when_one_is_removed(folder: Path) -> None:
    text = '[[fillers]]\nid = "eye"\nremove = true\n[[fillers]]\nid = "promo"\nminutes = 0\n'
    with pytest.raises(ScenarioError) as caught:
        load(child(folder, text))
    assert caught.value.field == "fillers[0].minutes"  # promo moved from [1] to [0]
    assert caught.value.file == str(folder / "child.toml")


def test_remove_without_anything_to_remove_is_an_error(folder: Path) -> None:
    base = folder / "base.toml"
    base.write_text(
        base.read_text(encoding="utf-8") + '\n[[pinned]]\nid = "x"\nremove = true\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"pinned\[1\]\.remove: removes id 'x', but no "):
        load(base)


# -- --set overrides -------------------------------------------------------------------------------
def test_overrides_by_path_by_index_and_by_id() -> None:
    scenario = load(
        TINY,
        overrides={
            "rules.rest.minutes": 20,
            "channels[0].windows[1].end": "21:00",
            "channels[tv.test].name_en": "Renamed",
            "pinned[opening].start": "08:05",
            "course.g3-math.progress": 2,
            "rules.reruns.mode": "off",
        },
    )
    assert scenario.rules.rest.minutes == 20
    assert scenario.channels[0].windows[1].span.end == 21 * 60
    assert scenario.channels[0].name_en == "Renamed"
    assert scenario.pinned[0].span.start == 8 * 60 + 5
    assert scenario.course("g3-math").progress == 2
    assert scenario.rules.reruns.mode == "off"


@pytest.mark.parametrize(
    ("dotted", "value", "says"),
    [
        ("rules.rest.minutes", -1, "--set: rules.rest.minutes: -1 must not be negative"),
        ("channels[3].id", "x", "--set channels[3].id: has no entry 3 (there are 1)"),
        ("pinned[closing].start", "08:00", "has no entry with id 'closing'"),
        ("solver.threads", 2, "solver.threads: unknown key 'threads'"),
        ("", 1, "is not a field path"),
        ("name.first", 1, "does not name a field"),
    ],
)
def test_bad_overrides_name_the_override(dotted: str, value: object, says: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load(TINY, overrides={dotted: value})
    assert says in str(caught.value)


# -- values ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("08:00-12:00", TimeRange(480, 720)),
        ("08:00–12:00", TimeRange(480, 720)),
        (" 8:00 - 12:00 ", TimeRange(480, 720)),
        ("23:30-25:00", TimeRange(1410, 1500)),
        ("00:00-48:00", TimeRange(0, 2880)),
    ],
)
def test_time_ranges(text: str, span: TimeRange) -> None:
    scenario = load(TINY, overrides={"cohorts[0].window": text})
    assert scenario.cohorts[0].window == span


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("08:00", "is not a time range like '08:00-12:00'"),
        ("12:00-08:00", "ends before it starts"),
        ("08:00-48:30", "beyond 48:00"),
        ("8h-9h", "is not a time of day"),
        ("08:61-09:00", "is not a time of day"),
    ],
)
def test_bad_time_ranges(text: str, says: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(says)) as caught:
        load(TINY, overrides={"cohorts[0].window": text})
    assert caught.value.field == "cohorts[0].window"


def test_weekdays_by_short_or_full_name() -> None:
    scenario = load(TINY, overrides={"cohorts[0].days": ["Mon", "tuesday", "SUN", "mon"]})
    assert scenario.cohorts[0].weekdays == (0, 1, 6)
    with pytest.raises(ScenarioError, match="'monkey' is not a weekday"):
        load(TINY, overrides={"cohorts[0].days": ["monkey"]})


@pytest.mark.parametrize(
    ("dotted", "value", "says"),
    [
        ("solver.time_limit", 0, "must be more than 0 seconds"),
        ("solver.workers", 0, "0 must be 1 or more"),
        ("solver.seed", 2**40, "is larger than"),
        ("bands[0].weight", float("inf"), "inf is not a finite number"),
        ("bands[0].grades", [3, 3], "lists grade 3 twice"),
        ("horizon.first", "17/02/2020", "is not a date"),
        ("horizon.first", 20200217, "is not a date"),
        ("name", "my scenario", "is not safe"),
        ("title", "  ", "is not a text"),
        ("description", 3, "3 is not a text"),
        ("rules.reruns.mode", "always", "'always' is not one of off, soft, required"),
        ("rules.reruns.dayparts", ["00:00-13:00", "12:00-18:00"], "overlap"),
        ("grades.channels", {"9": ["tv.other"]}, "grades.channels.9: names unknown channel"),
        ("grades.term_starts", {"4": date(2020, 1, 1)}, "unknown key '4'"),
        ("catalog", {}, "catalog: is missing"),
        ("channels", [], "channels: is missing"),
        ("course.g3-math", 3, "must be a table ([course.g3-math])"),
        ("pinned[0].grades", [12], "names unknown grade 12"),
        ("specials[0].grades", [4], "names unknown grade 4"),
    ],
)
def test_bad_values_are_located(dotted: str, value: object, says: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(says)):
        load(TINY, overrides={dotted: value})


# -- catalogs --------------------------------------------------------------------------------------
def test_catalog_csv_with_bom_crlf_blank_lines_spaces_and_empty_weight(folder: Path) -> None:
    courses = "\ufeffid, grade ,subject,subject_en,weight,per_week\r\n"
    courses += "g3-math, 3 , 数学 ,Mathematics,,3\r\n\r\n"
    courses += "g3-chinese,3,语文,Chinese,1.0,\r\ng9-math,9,数学,Mathematics,0.8,2\r\n"
    (folder / "catalog" / "courses.csv").write_text(courses, encoding="utf-8")
    scenario = load(folder / "base.toml")
    math = scenario.course("g3-math")
    assert (math.grade, math.subject, math.weight, math.per_week) == (3, "数学", 1.0, 3)


def test_a_quoted_cell_may_hold_commas_and_line_breaks(folder: Path) -> None:
    lessons = folder / "catalog" / "lessons.csv"
    text = lessons.read_text(encoding="utf-8").replace(
        "g3-math,1,位置与方向（一）,20", 'g3-math,1,"位置, 方向\n第一课",20'
    )
    lessons.write_text(text, encoding="utf-8")
    assert load(folder / "base.toml").course("g3-math").lessons[0].title == "位置, 方向\n第一课"
    # the lines of the rows after it still count the line break
    lessons.write_text(text.replace("g9-math,3,圆,30", "g9-math,3,圆,thirty"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(folder / "base.toml")
    assert caught.value.line == 14


def test_a_catalog_symlink_leading_outside_the_folder_is_refused(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "courses.csv"
    shutil.copy(folder / "catalog" / "courses.csv", outside)
    (folder / "catalog" / "courses.csv").unlink()
    (folder / "catalog" / "courses.csv").symlink_to(outside)
    with pytest.raises(ScenarioError, match="leads outside the scenario folder"):
        load(folder / "base.toml")


def test_errors_carry_file_line_and_field(folder: Path) -> None:
    lessons = folder / "catalog" / "lessons.csv"
    lessons.write_text(
        lessons.read_text(encoding="utf-8").replace("g9-math,2,旋转,30", "g9-math,2,旋转,0"),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load(folder / "base.toml")
    error = caught.value
    assert (error.file, error.line, error.field) == (str(lessons), 12, "minutes")
    assert str(error) == f"{lessons}:12: minutes: 0 must be 1 or more"


# -- the documented example ------------------------------------------------------------------------
def test_the_example_in_the_docs_loads(tmp_path: Path) -> None:
    """docs/scenario.md marks each file of its example with ``<!-- file: NAME -->``."""
    text = DOCS.read_text(encoding="utf-8")
    files = re.findall(r"<!-- file: (\S+) -->\s*```\w*\n(.*?)```", text, flags=re.DOTALL)
    assert {name for name, _ in files} >= {
        "scenario.toml",
        "catalog/courses.csv",
        "catalog/lessons.csv",
    }
    for name, body in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    scenario = load(tmp_path)
    assert scenario.name == "example"
    assert len(scenario.courses) >= 2
