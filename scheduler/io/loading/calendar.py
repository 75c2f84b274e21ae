"""Building the school calendar (holidays, make-up days) and the timetable's periods."""

from __future__ import annotations

from scheduler.domain.model import (
    TIMETABLE_MODES,
    Calendar,
    Holiday,
    PeriodPlan,
    Timetable,
    Workday,
)
from scheduler.io.loading.nodes import HOLIDAY_KEYS, PERIOD_KEYS, WORKDAY_KEYS, Node, Tables
from scheduler.io.loading.values import (
    _date,
    _grades,
    _id,
    _one_of,
    _one_weekday,
    _ranges,
    _text,
    _weekdays,
)


class CalendarTables(Tables):
    """``[calendar]`` and ``[timetable]``."""

    def _calendar(self, node: Node) -> Calendar:
        defaults = Calendar()
        holidays = tuple(
            item.build(
                lambda item=item: Holiday(  # type: ignore[misc]
                    name=item.get("name", _text, "a text"),
                    first=item.get("first", _date, "a date like 2020-04-04"),
                    last=item.get("last", _date, "a date like 2020-04-06"),
                )
            )
            for item in node.tables("holidays", HOLIDAY_KEYS)
        )
        workdays = tuple(
            item.build(
                lambda item=item: Workday(  # type: ignore[misc]
                    name=item.get("name", _text, "a text"),
                    day=item.get("date", _date, "a date like 2020-04-26"),
                    follows=_one_weekday(item, "follows"),
                )
            )
            for item in node.tables("workdays", WORKDAY_KEYS)
        )
        return node.build(
            lambda: Calendar(
                lesson_weekdays=node.get(
                    "lesson_days",
                    _weekdays,
                    'a list of weekdays like ["mon"]',
                    default=defaults.lesson_weekdays,
                ),
                holidays=holidays,
                workdays=workdays,
            )
        )

    def _timetable(self, node: Node) -> Timetable:
        periods = tuple(
            item.build(
                lambda item=item: PeriodPlan(  # type: ignore[misc]
                    grades=item.get("grades", _grades, "a list of grades 1–12"),
                    spans=item.get("times", _ranges, "a list of periods like '08:30-08:50'"),
                    channel=item.get("channel", _id, "a channel id", default=None),
                )
            )
            for item in node.tables("periods", PERIOD_KEYS)
        )
        return node.build(
            lambda: Timetable(
                mode=node.get(
                    "mode", _one_of(TIMETABLE_MODES), "template or free", default=Timetable().mode
                ),
                periods=periods,
            )
        )
