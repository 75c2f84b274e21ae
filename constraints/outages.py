"""Nothing airs while a channel is off air (a stated outage, issue 12).

    ∀ airing a on channel c, outage o of c:  ¬ o.hits(day(a), start(a), end(a))

Posting: structural; an outage takes its time out of the channel's windows
(:meth:`scheduler.domain.model.Channel.spans_on`), so no engine has a room in it and no filler
is owed for it (the airtime rule then sees any airing there as outside the windows too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constraints._timeline import airings
from constraints.base import Violation
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule

if TYPE_CHECKING:
    from constraints.engine import IntervalModel

NAME = "outages"
TITLE = "nothing airs while a channel is off air"


def post(m: IntervalModel) -> None:
    """Nothing to post: the windows exclude the outages (see module docstring)."""


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    found: list[Violation] = []
    for airing in airings(scenario, schedule):
        channel = scenario.channel(airing.programme.channel)
        for outage in channel.outages:
            if outage.hits(airing.day, airing.start, airing.end):
                reason = f" ({outage.reason})" if outage.reason else ""
                found.append(airing.violation(NAME, f"airs while the channel is off air{reason}"))
                break
    return found
