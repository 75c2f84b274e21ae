"""Turning the merged tree into a :class:`Scenario`, table by table; the model's own checks
of references are located in the file that set the field."""

from __future__ import annotations

from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_PER_DAY, MAX_PER_WEEK, MAX_WORKERS
from scheduler.domain.model import (
    FILLER_KINDS,
    RERUN_MODES,
    Balance,
    Band,
    Cohort,
    Filler,
    FillerRule,
    Grade,
    Horizon,
    Pace,
    Pinned,
    Publishing,
    Reruns,
    Rest,
    Rules,
    Scenario,
    SolverSettings,
    Special,
    TimeRange,
)
from scheduler.io import disruptions
from scheduler.io.loading.calendar import CalendarTables
from scheduler.io.loading.catalog import CatalogTables
from scheduler.io.loading.channels import ChannelTables, _check_dvb_services
from scheduler.io.loading.nodes import (
    BAND_KEYS,
    CALENDAR_KEYS,
    CHANNEL_KEYS,
    COHORT_KEYS,
    FILLER_KEYS,
    GRADES_KEYS,
    PINNED_KEYS,
    PUBLISHING_KEYS,
    SPECIAL_KEYS,
    TIMETABLE_KEYS,
    TOP_KEYS,
    Node,
)
from scheduler.io.loading.reading import Document, _split_path
from scheduler.io.loading.values import (
    _any_text,
    _at_least_one,
    _bounded,
    _clock,
    _count,
    _date,
    _grade,
    _grades,
    _id,
    _ids,
    _one_of,
    _range,
    _ranges,
    _seconds,
    _seed,
    _short_name,
    _text,
    _texts,
    _weekdays,
    _weight,
)


class Builder(ChannelTables, CalendarTables, CatalogTables):
    """Turns a merged document into domain objects, table by table."""

    def __init__(self, document: Document, file: Path) -> None:
        self.document = document
        self.file = file
        self.root = Node(document.data, (), document, TOP_KEYS)

    def scenario(self) -> Scenario:
        root = self.root
        name = root.get("name", _id, "a safe scenario name")
        root.get("description", _any_text, "a text", default="")
        horizon_node = root.table("horizon", ("first", "last"))
        horizon = horizon_node.build(
            lambda: Horizon(
                horizon_node.get("first", _date, "a date like 2020-02-17"),
                horizon_node.get("last", _date, "a date like 2020-02-23"),
            )
        )
        bands = tuple(self._band(node) for node in root.tables("bands", BAND_KEYS))
        channel_nodes = root.tables("channels", CHANNEL_KEYS)
        if not channel_nodes:
            raise root.error("channels", "is missing: a scenario needs at least one [[channels]]")
        channels = tuple(self._channel(node) for node in channel_nodes)
        _check_dvb_services(channels, channel_nodes)
        channels = disruptions.with_outages(
            root.tables("outages", disruptions.OUTAGE_KEYS), channels
        )
        grades_node = root.table("grades", GRADES_KEYS)
        grades = self._grades(grades_node, bands, {channel.id for channel in channels})
        grades = disruptions.with_term_ends(grades_node, grades)
        band_of = {g: band for band in bands for g in band.grades}
        courses = self._courses({g.number for g in grades}, band_of)
        parts = dict(
            name=name,
            title=root.get("title", _text, "a text", default=name),
            horizon=horizon,
            channels=channels,
            bands=bands,
            grades=grades,
            cohorts=tuple(self._cohort(n) for n in root.tables("cohorts", COHORT_KEYS)),
            courses=courses,
            specials=tuple(self._special(n) for n in root.tables("specials", SPECIAL_KEYS)),
            fillers=tuple(self._filler(n) for n in root.tables("fillers", FILLER_KEYS)),
            pinned=tuple(self._pinned(n) for n in root.tables("pinned", PINNED_KEYS)),
            rules=self._rules(
                root.table("rules", ("rest", "pace", "reruns", "balance", "fillers"))
            ),
            solver=self._solver(root.table("solver", ("time_limit", "workers", "seed"))),
            calendar=self._calendar(root.table("calendar", CALENDAR_KEYS)),
            timetable=self._timetable(root.table("timetable", TIMETABLE_KEYS)),
            publishing=self._publishing(root.table("publishing", PUBLISHING_KEYS)),
            source=str(self.file),
        )
        try:
            return Scenario(**parts)  # type: ignore[arg-type]
        except ScenarioError as error:
            # the model names the culprit by its path in the scenario, which is the path in
            # the TOML files for everything it checks that the loader has not checked already
            where = tuple(_split_path(error.field)) if error.field else ()
            raise error.located(file=self.document.file_of(where)) from None

    def _publishing(self, node: Node) -> Publishing:
        return node.build(
            lambda: Publishing(
                sms_signature=node.get("sms_signature", _short_name, "a short text", default=""),
                alarm_minutes=node.get("alarm_minutes", _count, "minutes", default=None),
                base_url=node.get("base_url", _text, "an https:// address", default=""),
            )
        )

    def _band(self, node: Node) -> Band:
        return node.build(
            lambda: Band(
                id=node.get("id", _id, "a safe id"),
                name_zh=node.get("name_zh", _text, "a text"),
                name_en=node.get("name_en", _text, "a text"),
                grades=node.get("grades", _grades, "a list of grades 1–12"),
                max_lesson_minutes=node.get("max_lesson_minutes", _at_least_one, "minutes"),
                daily_cap_minutes=node.get("daily_cap_minutes", _count, "minutes"),
                hours=node.get("hours", _ranges, "a list of time ranges like '08:00-12:00'"),
                weight=node.get("weight", _weight, "a number ≥ 0"),
            )
        )

    def _grades(
        self, node: Node, bands: tuple[Band, ...], channel_ids: set[str]
    ) -> tuple[Grade, ...]:
        numbers = node.get("numbers", _grades, "a list of grades 1–12")
        if not numbers:
            raise node.error("numbers", "lists no grades")
        banded = {g for band in bands for g in band.grades}
        for i, number in enumerate(numbers):
            if number not in banded:
                raise ScenarioError(
                    f"grade {number} belongs to no band; add it to a [[bands]] entry",
                    file=self.document.file_of(("grades", "numbers")),
                    field=f"grades.numbers[{i}]",
                )
        term_start = node.get("term_start", _date, "a date like 2020-02-17")
        allowed = tuple(str(n) for n in numbers)
        starts = node.table("term_starts", allowed)
        channels = node.table("channels", allowed)
        result = []
        for number in numbers:
            key = str(number)
            grade_channels = channels.get(key, _ids, "a list of channel ids", default=())
            unknown = [c for c in grade_channels if c not in channel_ids]
            if unknown:
                raise channels.error(key, f"names unknown channel {unknown[0]!r}")
            result.append(
                Grade(
                    number=number,
                    term_start=starts.get(key, _date, "a date like 2020-02-17", default=term_start),
                    channels=grade_channels,
                )
            )
        return tuple(result)

    def _cohort(self, node: Node) -> Cohort:
        return node.build(
            lambda: Cohort(
                id=node.get("id", _id, "a safe id"),
                name_zh=node.get("name_zh", _text, "a text"),
                grade=node.get("grade", _grade, "a grade 1–12"),
                guaranteed_minutes=node.get("guaranteed_minutes", _count, "minutes"),
                window=node.get("window", _range, "a time range like '19:00-21:00'"),
                weekdays=node.get("days", _weekdays, "a list of weekdays", default=(0, 1, 2, 3, 4)),
                subjects=node.get("subjects", _texts, "a list of subjects", default=()),
                min_per_week=node.get("min_per_week", _count, "a whole number", default=1),
            )
        )

    def _special(self, node: Node) -> Special:
        return node.build(
            lambda: Special(
                id=node.get("id", _id, "a safe id"),
                title=node.get("title", _text, "a text"),
                topic=node.get("topic", _text, "a text"),
                minutes=node.get("minutes", _at_least_one, "minutes"),
                per_week=node.get("per_week", _bounded(MAX_PER_WEEK), "a whole number"),
                grades=node.get("grades", _grades, "a list of grades", default=()),
                hours=node.get("hours", _ranges, "a list of time ranges", default=()),
            )
        )

    def _filler(self, node: Node) -> Filler:
        return node.build(
            lambda: Filler(
                id=node.get("id", _id, "a safe id"),
                title=node.get("title", _text, "a text"),
                kind=node.get("kind", _one_of(FILLER_KINDS), "a filler kind"),
                minutes=node.get("minutes", _at_least_one, "minutes"),
                max_minutes=node.get("max_minutes", _at_least_one, "minutes", default=None),
            )
        )

    def _pinned(self, node: Node) -> Pinned:
        start = node.get("start", _clock, "a time like 10:00")
        end = node.get("end", _clock, "a time like 10:30")
        if end <= start:
            raise node.error(
                "end",
                f"the pinned item ends ({node.data['end']}) before it starts "
                f"({node.data['start']})",
            )
        return node.build(
            lambda: Pinned(
                id=node.get("id", _id, "a safe id"),
                channel=node.get("channel", _id, "a channel id"),
                day=node.get("date", _date, "a date like 2020-02-17"),
                span=TimeRange(start, end),
                title=node.get("title", _text, "a text"),
                grades=node.get("grades", _grades, "a list of grades", default=()),
            )
        )

    def _rules(self, node: Node) -> Rules:
        rest = node.table("rest", ("minutes",))
        pace = node.table("pace", ("per_week", "per_day"))
        reruns = node.table("reruns", ("mode", "within_minutes", "weight", "dayparts"))
        balance = node.table("balance", ("weight",))
        fillers = node.table("fillers", ("max_repeats",))
        defaults = Rules()
        return Rules(
            rest=Rest(rest.get("minutes", _count, "minutes", default=defaults.rest.minutes)),
            pace=Pace(
                per_week=pace.get(
                    "per_week",
                    _bounded(MAX_PER_WEEK),
                    "a whole number",
                    default=defaults.pace.per_week,
                ),
                per_day=pace.get(
                    "per_day",
                    _bounded(MAX_PER_DAY),
                    "a whole number",
                    default=defaults.pace.per_day,
                ),
            ),
            reruns=reruns.build(
                lambda: Reruns(
                    mode=reruns.get(
                        "mode", _one_of(RERUN_MODES), "a text", default=defaults.reruns.mode
                    ),
                    within_minutes=reruns.get(
                        "within_minutes",
                        _at_least_one,
                        "minutes",
                        default=defaults.reruns.within_minutes,
                    ),
                    weight=reruns.get(
                        "weight", _weight, "a number ≥ 0", default=defaults.reruns.weight
                    ),
                    dayparts=reruns.get(
                        "dayparts",
                        _ranges,
                        "a list of time ranges",
                        default=defaults.reruns.dayparts,
                    ),
                )
            ),
            balance=Balance(
                weight=balance.get(
                    "weight", _weight, "a number ≥ 0", default=defaults.balance.weight
                ),
            ),
            fillers=FillerRule(
                max_repeats=fillers.get(
                    "max_repeats",
                    _at_least_one,
                    "a whole number ≥ 1",
                    default=defaults.fillers.max_repeats,
                ),
            ),
        )

    def _solver(self, node: Node) -> SolverSettings:
        defaults = SolverSettings()
        return SolverSettings(
            time_limit=node.get("time_limit", _seconds, "seconds", default=defaults.time_limit),
            workers=node.get(
                "workers",
                _bounded(MAX_WORKERS, least=1),
                "a whole number",
                default=defaults.workers,
            ),
            seed=node.get("seed", _seed, "a whole number", default=defaults.seed),
        )
