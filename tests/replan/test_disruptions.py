"""Disruptions in a scenario (outages, late recordings, back to school): read from the files
with located errors, honoured by a plain solve, and caught by their checkers."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from constraints import availability, outages, term_end
from scheduler.cli import main
from scheduler.domain.disruptions import Outage, on_air
from scheduler.domain.errors import ScenarioError
from scheduler.domain.schedule import Kind, Schedule, broadcast_day
from scheduler.io.loading import load
from tests.builders import CHANNEL, MONDAY, aired, course, scenario, solved

TINY = Path(__file__).resolve().parent.parent / "scenarios" / "tiny"


def _write(tmp_path: Path, body: str, lessons: str | None = None) -> Path:
    """A copy of the tiny scenario with ``body`` added (and its lessons.csv replaced)."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    if lessons is not None:
        (folder / "catalog" / "lessons.csv").write_text(lessons, encoding="utf-8")
    path = folder / "variant.toml"
    path.write_text('extends = "scenario.toml"\n' + body, encoding="utf-8")
    return path


LESSONS = (TINY / "catalog" / "lessons.csv").read_text(encoding="utf-8")


def _late_lessons(cell: str) -> str:
    """The tiny lessons with an ``available_from`` column, ``cell`` on g3-math lesson 2."""
    lines = LESSONS.strip().splitlines()
    out = [lines[0] + ",available_from"]
    for line in lines[1:]:
        out.append(line + ("," + cell if line.startswith("g3-math,2,") else ","))
    return "\n".join(out) + "\n"


# -- reading ---------------------------------------------------------------------------------------
def test_disruptions_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[[outages]]
channel = "tv.test"
date = 2020-02-19
start = "08:00"
end = "09:00"
reason = "卫星故障"

[[outages]]
channel = "tv.test"
first = 2020-02-20
last = 2020-02-21

[grades]
term_end = 2020-02-21
""",
        _late_lessons("2020-02-19"),
    )
    loaded = load(path)
    channel = loaded.channel("tv.test")
    assert channel.outages == (
        Outage("tv.test", date(2020, 2, 19), date(2020, 2, 19), 480, 540, "卫星故障"),
        Outage("tv.test", date(2020, 2, 20), date(2020, 2, 21)),
    )
    # the outage takes its hour out of Wednesday's morning window; Thursday is off air
    assert [(s.start, s.end) for s in channel.spans_on(date(2020, 2, 19))] == [
        (540, 600),
        (1140, 1200),
    ]
    assert channel.spans_on(date(2020, 2, 20)) == ()
    assert all(g.term_end == date(2020, 2, 21) for g in loaded.grades)
    math = loaded.course("g3-math")
    assert math.lessons[1].available_from == date(2020, 2, 19)
    assert math.lessons[0].available_from is None


BAD = [
    (
        '[[outages]]\nchannel = "cctv1.cn"\ndate = 2020-02-19\n',
        None,
        ("variant.toml", "outages[0].channel", "unknown channel 'cctv1.cn'"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\ndate = 2020-02-19\nstart = "09:00"\nend = "08:00"\n',
        None,
        ("outages[0].end", "before it starts"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\ndate = 2020-02-19\nfirst = 2020-02-19\n',
        None,
        ("outages[0].date", "either date, or first and last"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\nfirst = 2020-02-19\nlast = 2020-02-18\n',
        None,
        ("outages[0].last", "before first"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\ndate = 2020-02-19\nstart = "09:00"\n',
        None,
        ("outages[0].end", "give both start and end"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\ndate = "2020-02-30"\n',
        None,
        ("outages[0].date", "is not a date"),
    ),
    (
        '[[outages]]\nchannel = "tv.test"\nwhen = 2020-02-19\n',
        None,
        ("outages[0].when", "unknown key 'when'"),
    ),
    ("[grades]\nterm_end = 2020-02-17\n", None, ("grades.term_end", "not after its term start")),
    (
        '[grades.term_ends]\n"9" = 2020-02-10\n',
        None,
        ("grades.term_ends.9", "grade 9 would leave on 2020-02-10"),
    ),
    ('[grades.term_ends]\n"5" = 2020-03-01\n', None, ("grades.term_ends.5", "unknown key '5'")),
    ("", _late_lessons("next week"), ("lessons.csv:3", "available_from", "'next week'")),
    ("", _late_lessons("2020-02-31"), ("lessons.csv:3", "available_from", "is not a date")),
]


@pytest.mark.parametrize(("body", "lessons", "says"), BAD)
def test_bad_disruptions_are_bad_input(
    tmp_path: Path, body: str, lessons: str | None, says: tuple[str, ...]
) -> None:
    path = _write(tmp_path, body, lessons)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    for words in says:
        assert words in str(caught.value)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(out)])
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    assert not out.exists()


def test_on_air_cuts_the_outage_out() -> None:
    """An outage in the middle of a window leaves the two ends; other days keep it whole."""
    day = date(2020, 2, 19)
    outage = Outage("c", day, day, 540, 600)
    assert on_air(480, 720, (outage,), day) == [(480, 540), (600, 720)]
    assert on_air(480, 720, (outage,), day + timedelta(days=1)) == [(480, 720)]
    assert on_air(540, 600, (outage,), day) == []


# -- a plain solve honours them --------------------------------------------------------------------
def _days(subject, schedule: Schedule, kind: Kind) -> list[date]:  # type: ignore[no-untyped-def]
    return [broadcast_day(subject, p)[0] for p in schedule if p.kind is kind]  # type: ignore[index]


def test_a_solve_airs_nothing_in_an_outage() -> None:
    """Four days, one 20-minute lesson a day fits; Tuesday is off air, so three air (the
    optimum: the course has lessons for every day)."""
    base = scenario(windows=("08:00-08:30",), days=4, courses=(course("c", 1, 10, 20),))
    tuesday = MONDAY + timedelta(days=1)
    channel = replace(base.channels[0], outages=(Outage(CHANNEL, tuesday, tuesday),))
    subject = base.replace(channels=(channel,))
    result = solved(subject)
    assert result.schedule is not None
    days = _days(subject, result.schedule, Kind.LESSON)
    assert sorted(days) == [MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=3)]
    assert not any(broadcast_day(subject, p)[0] == tuesday for p in result.schedule)  # type: ignore[index]


def test_a_solve_stops_a_grade_at_its_term_end() -> None:
    base = scenario(windows=("08:00-08:30",), days=4, courses=(course("c", 1, 10, 20),))
    grades = (replace(base.grades[0], term_end=MONDAY + timedelta(days=2)),)
    subject = base.replace(grades=grades)
    result = solved(subject)
    assert result.schedule is not None
    assert sorted(_days(subject, result.schedule, Kind.LESSON)) == [
        MONDAY,
        MONDAY + timedelta(days=1),
    ]


def test_a_solve_waits_for_a_late_recording() -> None:
    """Lesson 2 arrives on Thursday: lesson 1 airs Monday, then the course waits (lessons air
    in order), lessons 2 and 3 air Thursday and Friday."""
    base = scenario(windows=("08:00-08:30",), days=5, courses=(course("c", 1, 10, 20),))
    thursday = MONDAY + timedelta(days=3)
    c = base.courses[0]
    lessons = tuple(
        replace(lesson, available_from=thursday) if lesson.number == 2 else lesson
        for lesson in c.lessons
    )
    subject = base.replace(courses=(replace(c, lessons=lessons),))
    result = solved(subject)
    assert result.schedule is not None
    airings = sorted(
        (broadcast_day(subject, p)[0], p.lesson)  # type: ignore[index]
        for p in result.schedule
        if p.kind is Kind.LESSON
    )
    # lesson 1 on one of the first three days (all as good), 2 and 3 as soon as they may
    assert [lesson for _, lesson in airings] == [1, 2, 3]
    assert airings[0][0] < thursday
    assert airings[1:] == [(thursday, 2), (thursday + timedelta(days=1), 3)]


# -- checkers -----------------------------------------------------------------------------------
def test_checkers_catch_each_disruption() -> None:
    base = scenario(windows=("08:00-09:00",), days=3, courses=(course("c", 1, 10, 20),))
    schedule = Schedule(
        (
            aired(base, "c", "08:00", 20, day=0, number=1),
            aired(base, "c", "08:00", 20, day=1, number=2),
        )
    )
    assert outages.violations(base, schedule) == []
    assert term_end.violations(base, schedule) == []
    assert availability.violations(base, schedule) == []
    tuesday = MONDAY + timedelta(days=1)
    off = base.replace(
        channels=(
            replace(base.channels[0], outages=(Outage(CHANNEL, tuesday, tuesday, 480, 490),)),
        )
    )
    found = outages.violations(off, schedule)
    assert [(v.day, v.rule) for v in found] == [(tuesday, "outages")]
    left = base.replace(grades=(replace(base.grades[0], term_end=tuesday),))
    assert [v.day for v in term_end.violations(left, schedule)] == [tuesday]
    c = base.courses[0]
    late = base.replace(
        courses=(
            replace(
                c,
                lessons=tuple(
                    replace(lesson, available_from=MONDAY + timedelta(days=2))
                    if lesson.number == 2
                    else lesson
                    for lesson in c.lessons
                ),
            ),
        )
    )
    found = availability.violations(late, schedule)
    assert [(v.day, v.rule) for v in found] == [(tuesday, "availability")]
    assert "available" in found[0].message


def test_disruptions_survive_a_dump_and_load(tmp_path: Path) -> None:
    """``scheduler.io.saving.dump`` writes them back: loading the copy gives the same scenario."""
    from scheduler.io.saving import dump

    path = _write(
        tmp_path,
        """
[[outages]]
channel = "tv.test"
date = 2020-02-19
start = "08:00"
end = "09:00"
reason = "卫星故障"

[grades.term_ends]
"9" = 2020-02-21
""",
        _late_lessons("2020-02-19"),
    )
    loaded = load(path)
    copy = load(dump(loaded, tmp_path / "copy"))
    assert copy.channels == loaded.channels
    assert copy.grades == loaded.grades
    assert copy.courses == loaded.courses
