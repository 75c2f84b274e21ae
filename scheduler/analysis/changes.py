"""The re-plan's change report: counts against the published edition (and a from-scratch solve),
then every changed airing, for ``changes.json`` and ``changes.md``."""

from __future__ import annotations

import json
from typing import Any

from scheduler.domain.changes import SEVERITY, Change, changed, grade_days, summary
from scheduler.domain.model import Scenario


def build(
    scenario: Scenario,
    changes: tuple[Change, ...],
    *,
    today: str,
    freeze_until: str,
    published: str,
    scratch: tuple[Change, ...] | None = None,
) -> dict[str, Any]:
    """Plain data: what the re-plan changed against ``published``, and for comparison what a
    from-scratch solve of the same scenario would have changed."""
    counts = summary(changes)
    counts["grade_days"] = len(grade_days(changes, scenario.grade_numbers))
    report: dict[str, Any] = {
        "scenario": scenario.name,
        "published": published,
        "today": today,
        "frozen_until": freeze_until,
        "against_published": counts,
        "changes": [change.to_record() for change in changed(changes)],
    }
    if scratch is not None:
        from_scratch = summary(scratch)
        from_scratch["grade_days"] = len(grade_days(scratch, scenario.grade_numbers))
        report["from_scratch"] = from_scratch
        report["share_of_scratch"] = (
            None
            if not from_scratch["changed"]
            else round(counts["changed"] / from_scratch["changed"], 4)
        )
    return report


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: the counts table, then one line per changed airing."""
    counts = report["against_published"]
    lines = [
        f"# Re-plan of {report['published']}",
        "",
        f"Scenario {report['scenario']}; what aired before {report['today']} is kept; frozen "
        f"until {report['frozen_until']} (exclusive).",
        "",
        f"**{counts['changed']} airing(s) changed against the published edition**, "
        f"{counts['grade_days']} grade-day(s) touched.",
    ]
    if "from_scratch" in report:
        scratch = report["from_scratch"]
        share = report["share_of_scratch"]
        shown = "—" if share is None else f"{share:.1%}"
        lines.append(
            f"A from-scratch solve of the same scenario changes {scratch['changed']} "
            f"(the re-plan: {shown} of that)."
        )
    lines += ["", "| change | re-plan |" + (" from scratch |" if "from_scratch" in report else "")]
    lines.append("|---|---:|" + ("---:|" if "from_scratch" in report else ""))
    for move in SEVERITY:
        row = f"| {move.value} | {counts[move.value]} |"
        if "from_scratch" in report:
            row += f" {report['from_scratch'][move.value]} |"
        lines.append(row)
    lines += ["", "## Changed airings", ""]
    if not report["changes"]:
        lines.append("None: the published edition stands.")
    for record in report["changes"]:
        before, after = record["before"], record["after"]
        grades = ",".join(str(g) for g in record["grades"]) or "all"
        if before is None:
            text = f"added {after['start']} {after['channel']} {after['title']}"
        elif after is None:
            text = f"dropped {before['start']} {before['channel']} {before['title']}"
        elif record["change"] == "retitled":
            text = f"retitled {after['start']} {before['title']} → {after['title']}"
        else:
            text = (
                f"{record['change']}: {before['title']} {before['start']} {before['channel']} → "
                f"{after['start']} {after['channel']}"
            )
        lines.append(f"- grade {grades}: {text}")
    return "\n".join(lines) + "\n"
