"""Scenario → files → scenario: ``dump`` writes what ``load`` reads back to an equal scenario."""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import (
    DAY_MINUTES,
    FILLER_KINDS,
    GENERATED_ID,
    MAX_MINUTE,
    RERUN_MODES,
    Balance,
    Band,
    Channel,
    Cohort,
    Course,
    Filler,
    Grade,
    Horizon,
    Lesson,
    Pace,
    Pinned,
    Reruns,
    Rest,
    Rules,
    Scenario,
    SolverSettings,
    Special,
    TimeRange,
    Window,
)
from scheduler.io.loading import DEFAULT_SCENARIO, load
from scheduler.io.saving import dump

TINY = Path(__file__).parent / "scenarios" / "tiny"

# -- strategies built from the domain classes ---------------------------------------------------
SAFE_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,10}", fullmatch=True).filter(
    lambda text: ".." not in text and not GENERATED_ID.fullmatch(text)
)


def item_ids(prefix: str, **sizes: int) -> st.SearchStrategy[list[str]]:
    """Ids of one kind of item: the prefix keeps them apart from the other kinds' ids."""
    return st.lists(SAFE_IDS.map(lambda text: prefix + text), unique=True, **sizes)


# any text a planner may type (TOML escapes what it must), but not blank, and none of the
# characters loading refuses (control characters but tab and newline, U+FFFE/U+FFFF)
TEXTS = st.text(
    st.characters(codec="utf-8", blacklist_categories=("Cs",)).filter(
        lambda char: (
            char in "\t\n" or not (unicodedata.category(char) == "Cc" or char in "\ufffe\uffff")
        )
    ),
    min_size=1,
    max_size=12,
).filter(lambda text: bool(text.strip()) and text == text.strip("\n"))
# catalog cells are stripped of surrounding spaces when read, so generate them stripped
CELLS = TEXTS.filter(lambda text: text == text.strip())
WEIGHTS = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
ZONES = st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Tokyo", "Asia/Kolkata", "Africa/Nairobi"])
WEEKDAY_SETS = st.sets(st.integers(0, 6), min_size=1).map(lambda days: tuple(sorted(days)))


@st.composite
def disjoint_ranges(
    draw: st.DrawFn, min_size: int = 1, max_size: int = 3, top: int = MAX_MINUTE
) -> tuple[TimeRange, ...]:
    """Ranges of one broadcast day (00:00 to ``top``) that do not overlap, in time order."""
    count = draw(st.integers(min_size, max_size))
    bounds = sorted(draw(st.sets(st.integers(0, top), min_size=2 * count, max_size=2 * count)))
    return tuple(TimeRange(bounds[i], bounds[i + 1]) for i in range(0, 2 * count, 2))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario: every cross-reference holds by construction."""
    first = draw(st.dates(date(2019, 1, 1), date(2022, 12, 31)))
    horizon = Horizon(first, first + timedelta(days=draw(st.integers(0, 13))))
    days = horizon.days

    channel_ids = draw(st.lists(SAFE_IDS, min_size=1, max_size=2, unique=True))
    channels = []
    for channel_id in channel_ids:
        windows = []
        # within 24 hours: windows of consecutive days must not overlap in real time
        for span in draw(disjoint_ranges(1, 3, DAY_MINUTES)):
            if draw(st.booleans()):
                windows.append(
                    Window(span, weekdays=draw(WEEKDAY_SETS), label=draw(st.just("") | TEXTS))
                )
            else:
                dates = tuple(draw(st.lists(st.sampled_from(days), min_size=1, max_size=3)))
                windows.append(Window(span, dates=dates, label=draw(st.just("") | TEXTS)))
        channels.append(Channel(channel_id, draw(TEXTS), draw(TEXTS), draw(ZONES), tuple(windows)))

    numbers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
    band_count = draw(st.integers(1, len(numbers)))
    members: list[list[int]] = [[numbers[i]] for i in range(band_count)]
    for number in numbers[band_count:]:
        members[draw(st.integers(0, band_count - 1))].append(number)
    band_ids = draw(st.lists(SAFE_IDS, min_size=band_count, max_size=band_count, unique=True))
    bands = tuple(
        Band(
            id=band_id,
            name_zh=draw(TEXTS),
            name_en=draw(TEXTS),
            grades=tuple(grades),
            max_lesson_minutes=draw(st.integers(1, 60)),
            daily_cap_minutes=draw(st.integers(0, 300)),
            hours=draw(disjoint_ranges(1, 2)),
            weight=draw(WEIGHTS),
        )
        for band_id, grades in zip(band_ids, members, strict=True)
    )
    longest = {g: band.max_lesson_minutes for band in bands for g in band.grades}
    term_starts = st.sampled_from([first, first + timedelta(days=1), date(2020, 2, 17)])
    grades = tuple(
        Grade(
            number,
            draw(term_starts),
            tuple(draw(st.lists(st.sampled_from(channel_ids), max_size=2, unique=True))),
        )
        for number in numbers
    )

    cohorts = tuple(
        Cohort(
            id=cohort_id,
            name_zh=draw(TEXTS),
            grade=draw(st.sampled_from(numbers)),
            guaranteed_minutes=draw(st.integers(0, 200)),
            window=draw(disjoint_ranges(1, 1))[0],
            weekdays=tuple(sorted(draw(st.sets(st.integers(0, 6))))),
        )
        for cohort_id in draw(st.lists(SAFE_IDS, max_size=2, unique=True))
    )

    courses = []
    for course_id in draw(item_ids("c", min_size=1, max_size=4)):
        grade = draw(st.sampled_from(numbers))
        count = draw(st.integers(1, 4))
        lessons = tuple(
            Lesson(n, draw(CELLS), draw(st.integers(1, longest[grade])))
            for n in range(1, count + 1)
        )
        courses.append(
            Course(
                id=course_id,
                grade=grade,
                subject=draw(CELLS),
                subject_en=draw(CELLS),
                lessons=lessons,
                weight=draw(WEIGHTS),
                per_week=draw(st.none() | st.integers(0, 7)),
                progress=draw(st.integers(0, count)),
            )
        )

    specials = tuple(
        Special(
            id=special_id,
            title=draw(TEXTS),
            topic=draw(TEXTS),
            minutes=draw(st.integers(1, 60)),
            per_week=draw(st.integers(0, 14)),
            grades=tuple(draw(st.lists(st.sampled_from(numbers), max_size=3, unique=True))),
            hours=draw(st.just(()) | disjoint_ranges(1, 2)),
        )
        for special_id in draw(item_ids("s", max_size=2))
    )

    extra = draw(item_ids("f", max_size=2))
    eye_minutes = draw(st.integers(1, 10))
    fillers = (
        Filler(
            "eye",
            draw(TEXTS),
            "eye_exercise",
            eye_minutes,
            draw(st.none() | st.integers(eye_minutes, 20)),
        ),
        Filler("promo", draw(TEXTS), "promo", 1, draw(st.integers(1, 60))),
        *(
            Filler(
                filler_id,
                draw(TEXTS),
                draw(st.sampled_from(FILLER_KINDS)),
                draw(st.integers(1, 10)),
            )
            for filler_id in extra
        ),
    )

    # at most one pinned item per channel and day, inside one of that day's spans
    pinned = []
    used: set[tuple[str, date]] = set()
    for pinned_id in draw(item_ids("p", max_size=2)):
        channel = draw(st.sampled_from(channels))
        day = draw(st.sampled_from(days))
        spans = channel.spans_on(day)
        if not spans or (channel.id, day) in used:
            continue
        used.add((channel.id, day))
        span = draw(st.sampled_from(spans))
        start = draw(st.integers(span.start, span.end - 1))
        end = draw(st.integers(start + 1, span.end))
        pinned.append(
            Pinned(
                pinned_id,
                channel.id,
                day,
                TimeRange(start, end),
                draw(TEXTS),
                tuple(draw(st.lists(st.sampled_from(numbers), max_size=2, unique=True))),
            )
        )

    rules = Rules(
        rest=Rest(draw(st.integers(0, 60))),
        pace=Pace(draw(st.integers(0, 7)), draw(st.integers(0, 3))),
        reruns=Reruns(
            mode=draw(st.sampled_from(RERUN_MODES)),
            within_minutes=draw(st.integers(1, 1440)),
            weight=draw(WEIGHTS),
            dayparts=draw(disjoint_ranges(1, 3)),
        ),
        balance=Balance(draw(WEIGHTS)),
    )
    solver = SolverSettings(
        time_limit=draw(st.floats(0.001, 1e5) | st.integers(1, 600).map(float)),
        workers=draw(st.integers(1, 64)),
        seed=draw(st.integers(0, 2**31 - 1)),
    )
    return Scenario(
        name=draw(SAFE_IDS),
        title=draw(TEXTS),
        horizon=horizon,
        channels=tuple(channels),
        bands=bands,
        grades=grades,
        cohorts=cohorts,
        courses=tuple(courses),
        specials=specials,
        fillers=fillers,
        pinned=tuple(pinned),
        rules=rules,
        solver=solver,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios())
def test_any_scenario_survives_dump_and_load(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = dump(scenario, folder)
        assert load(file) == scenario
        assert load(folder) == scenario  # a folder means its scenario.toml


@pytest.mark.parametrize(
    "path",
    [
        TINY / "scenario.toml",
        DEFAULT_SCENARIO / "scenario.toml",
        DEFAULT_SCENARIO / "preterm.toml",
        DEFAULT_SCENARIO / "term.toml",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_real_scenarios_survive_dump_and_load(path: Path, tmp_path: Path) -> None:
    scenario = load(path)
    file = dump(scenario, tmp_path / "copy")
    copy = load(file)
    assert copy == scenario
    assert copy.source == str(file)
    assert "extends" not in file.read_text(encoding="utf-8")  # self-contained


def test_dump_writes_three_files_and_no_leftovers(tmp_path: Path) -> None:
    scenario = load(TINY)
    assert dump(scenario, tmp_path) == tmp_path / "scenario.toml"
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert written == ["catalog", "catalog/courses.csv", "catalog/lessons.csv", "scenario.toml"]
    # dumping again replaces the files in place (atomically: no temporary files stay behind)
    dump(scenario.replace(title="第二版"), tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == written
    assert load(tmp_path).title == "第二版"


def test_dump_keeps_course_progress_and_empty_per_week(tmp_path: Path) -> None:
    scenario = load(TINY)
    copy = load(dump(scenario, tmp_path))
    assert copy.course("g3-chinese").progress == 1
    assert copy.course("g3-chinese").per_week is None
    assert "[course.g3-chinese]" in (tmp_path / "scenario.toml").read_text(encoding="utf-8")


def test_dump_refuses_text_a_catalog_cannot_hold_and_writes_nothing(tmp_path: Path) -> None:
    scenario = load(TINY)
    course = scenario.course("g3-math")
    padded = course.lessons[0].__class__(1, " 位置与方向 ", 20)
    bad = scenario.replace(
        courses=tuple(
            c
            if c.id != "g3-math"
            else c.__class__(
                c.id,
                c.grade,
                c.subject,
                c.subject_en,
                (padded, *c.lessons[1:]),
                c.weight,
                c.per_week,
                c.progress,
            )
            for c in scenario.courses
        )
    )
    with pytest.raises(ScenarioError, match=r"course g3-math: lessons\[0\]\.title"):
        dump(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()
