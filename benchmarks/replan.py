"""Benchmark: re-plan the 16-week term after each of issue 12's four disruptions.

    python -m benchmarks.replan                       # all four
    python -m benchmarks.replan --only outage         # one
    python -m benchmarks.replan --published out/term  # re-use a published term (else solved)

The published edition is the term solved from scratch (fixtures/cetv4-2020-spring/term.toml).
Each disruption is stated on that scenario, then (a) ``replan`` from the published edition and
(b) a from-scratch ``solve`` of the disrupted scenario are diffed against it
(:func:`scheduler.domain.changes.diff`). Printed per disruption: airings changed by each (and
how: dropped, moved to another day/time/channel, retitled, added), how many of the re-plan's
changes fall outside the disrupted week, the re-plan's time and the checker's verdict. Targets
(issue 12): re-plan changes ≤ 10 % of a from-scratch solve's, nothing outside the disrupted week
unless forced (course order renumbers later lessons: retitles), ≤ 10 s per re-plan.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.analysis.checking import check
from scheduler.domain.changes import Change, changed, summary
from scheduler.domain.disruptions import Outage
from scheduler.domain.model import Pinned, Scenario, TimeRange
from scheduler.domain.schedule import Schedule
from scheduler.io.loading import load
from scheduler.io.schedules import read_schedule
from scheduler.solver.replan import replan
from scheduler.solver.solving import solve

ROOT = Path(__file__).resolve().parent.parent
TERM = ROOT / "fixtures" / "cetv4-2020-spring" / "term.toml"
SOLVE_LIMIT = 120.0  # the term scenario's own limit
REPLAN_LIMIT = 10.0


@dataclass(frozen=True)
class Disruption:
    """One of issue 12's disruptions: how it changes the scenario, the re-plan's today, and the
    week it disrupts (its first and last day)."""

    name: str
    text: str
    today: date
    week: tuple[date, date]
    apply: Callable[[Scenario], Scenario]
    freeze_days: int | None = None


def _outage(scenario: Scenario) -> Scenario:
    """CETV-4 off air all Wednesday of week 5 (2020-03-18): a fault found that morning."""
    day = date(2020, 3, 18)
    channels = tuple(
        replace(c, outages=(Outage(c.id, day, day, reason="技术故障"),)) for c in scenario.channels
    )
    return scenario.replace(channels=channels)


def _late(scenario: Scenario) -> Scenario:
    """Grade 3 maths lessons 26–30 (week 6) recorded one week late: available 2020-03-30."""
    courses = []
    for course in scenario.courses:
        if course.id == "g3-math":
            lessons = tuple(
                replace(lesson, available_from=date(2020, 3, 30))
                if 26 <= lesson.number <= 30
                else lesson
                for lesson in course.lessons
            )
            course = replace(course, lessons=lessons)
        courses.append(course)
    return scenario.replace(courses=tuple(courses))


def _relay(scenario: Scenario) -> Scenario:
    """A 30-minute press-conference relay pinned on Friday 2020-03-20 09:00, two days ahead."""
    pin = Pinned(
        "relay-20200320",
        scenario.channels[0].id,
        date(2020, 3, 20),
        TimeRange(9 * 60, 9 * 60 + 30),
        "新闻发布会直播",
    )
    return scenario.replace(pinned=(*scenario.pinned, pin))


def _back_to_school(scenario: Scenario) -> Scenario:
    """高三 (grade 12) back at school from Monday 2020-04-06, week 8."""
    grades = tuple(
        replace(g, term_end=date(2020, 4, 6)) if g.number == 12 else g for g in scenario.grades
    )
    return scenario.replace(grades=grades)


DISRUPTIONS = (
    Disruption(
        "outage",
        "channel off air one weekday in week 5",
        date(2020, 3, 18),
        (date(2020, 3, 16), date(2020, 3, 22)),
        _outage,
    ),
    Disruption(
        "late",
        "5 lessons of one course available one week late",
        date(2020, 3, 20),
        (date(2020, 3, 23), date(2020, 3, 29)),
        _late,
    ),
    Disruption(
        "relay",
        "a 30-minute relay pinned at 2 days' notice",
        date(2020, 3, 18),
        (date(2020, 3, 16), date(2020, 3, 22)),
        _relay,
    ),
    Disruption(
        "back-to-school",
        "高三 back to school from week 8",
        date(2020, 4, 1),
        (date(2020, 4, 6), date(2020, 6, 7)),
        _back_to_school,
    ),
)


def _counts(scenario: Scenario, changes: tuple[Change, ...]) -> dict[str, int]:
    """The diff's counts, plus ``moved``: airings dropped or moved to another day, time or
    channel (what the re-plan minimises; retitles follow from the course order)."""
    counts = summary(changes)
    counts["moved"] = sum(counts[k] for k in ("dropped", "day", "time", "channel"))
    return counts


def _outside(changes: tuple[Change, ...], week: tuple[date, date]) -> dict[str, int]:
    """Changes touching a day outside the disrupted span, by kind."""
    found: dict[str, int] = {}
    for change in changed(changes):
        if any(not week[0] <= day <= week[1] for day in change.days):
            found[change.move.value] = found.get(change.move.value, 0) + 1
    return found


def forced(scenario: Scenario, published: Schedule, today: date) -> int:
    """Published airings from ``today`` on that the disruption itself rules out: off air,
    under a new pin, their grade back at school, or a lesson aired before its recording."""
    from scheduler.solver.replan_edition import Edition

    edition = Edition(scenario, published, today, 0)
    count = 0
    for day, items in edition.by_day.items():
        for aired in items:
            if day < today or aired.placed.kind.value == "pinned":
                continue
            programme = aired.programme
            late = False
            if programme.course is not None and programme.lesson is not None:
                lesson = scenario.course(programme.course).lessons[programme.lesson - 1]
                late = lesson.available_from is not None and day < lesson.available_from
            if late or not edition.holds(aired):
                count += 1
    return count


def measure(disruption: Disruption, base: Scenario, published: Schedule) -> dict[str, Any]:
    scenario = disruption.apply(base)
    began = time.monotonic()
    result = replan(
        scenario,
        published,
        today=disruption.today,
        freeze_days=disruption.freeze_days,
        time_limit=REPLAN_LIMIT,
        seed=0,
    )
    seconds = time.monotonic() - began
    assert result.schedule is not None, result.explanation
    violations = check(scenario, result.schedule)
    fresh = solve(scenario, time_limit=SOLVE_LIMIT, seed=0)
    assert fresh.schedule is not None, fresh.explanation
    from scheduler.domain.changes import diff

    scratch = diff(scenario, published, fresh.schedule)
    ours, theirs = _counts(scenario, result.changes), _counts(scenario, scratch)
    return {
        "disruption": disruption.text,
        "today": disruption.today.isoformat(),
        "replan_seconds": round(seconds, 2),
        "violations": len(violations),
        "replan": ours,
        "scratch": theirs,
        "share": None if not theirs["changed"] else round(ours["changed"] / theirs["changed"], 4),
        "share_moved": None if not theirs["moved"] else round(ours["moved"] / theirs["moved"], 4),
        "outside_week": _outside(result.changes, disruption.week),
        "forced": forced(scenario, published, disruption.today),
        "kept_weeks": result.stats.get("kept_weeks"),
        "resolved_weeks": result.stats.get("resolved_weeks"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[d.name for d in DISRUPTIONS])
    parser.add_argument("--published", type=Path, help="a published term folder or schedule.json")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    base = load(TERM)
    if args.published is not None:
        path = args.published / "schedule.json" if args.published.is_dir() else args.published
        published = read_schedule(path)
    else:
        result = solve(base, time_limit=SOLVE_LIMIT, seed=0)
        assert result.schedule is not None
        published = result.schedule
    rows = []
    for disruption in DISRUPTIONS:
        if args.only and disruption.name != args.only:
            continue
        row = measure(disruption, base, published)
        rows.append(row)
        ours, theirs = row["replan"], row["scratch"]
        print(
            f"{disruption.text}: re-plan {ours['changed']} changed "
            f"(dropped {ours['dropped']}, day {ours['day']}, time {ours['time']}, "
            f"channel {ours['channel']}, retitled {ours['retitled']}, added {ours['added']}) "
            f"in {row['replan_seconds']} s, {row['violations']} violation(s); "
            f"from scratch {theirs['changed']} changed (moved {theirs['moved']}, retitled "
            f"{theirs['retitled']}); share {row['share']}, of moves {row['share_moved']}; "
            f"outside the disrupted week {row['outside_week'] or 'none'}; "
            f"airings the disruption itself rules out {row['forced']}"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
