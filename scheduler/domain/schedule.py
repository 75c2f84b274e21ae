"""The published timetable as plain data: airings and their JSON/CSV interchange.

A schedule file may be edited by hand, so reading it checks every record and names the file,
record and field of anything malformed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import (
    MAX_AIRINGS,
    MAX_SEED,
    MAX_SPAN_DAYS,
    check_lines,
    check_text,
)
from scheduler.domain.objective import evaluate
from scheduler.domain.programme import Kind, Programme, broadcast_day
from scheduler.domain.records import _int_or_none, _programme, _unique

if TYPE_CHECKING:
    import pandas as pd

    from scheduler.domain.model import Scenario

FORMAT_VERSION = 1
CSV_FIELDS = (
    "id",
    "channel",
    "start",
    "end",
    "kind",
    "title",
    "grade",
    "grades",
    "subject",
    "course",
    "lesson",
    "repeat_of",
    "item",
)


@dataclass(frozen=True, slots=True)
class Schedule:
    """All airings of a solve, sorted by channel and start; knows where it came from."""

    programmes: tuple[Programme, ...]
    scenario: str | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.programmes, key=lambda p: (p.channel, p.start, p.end, p.id)))
        object.__setattr__(self, "programmes", ordered)

    def __iter__(self) -> Iterator[Programme]:
        return iter(self.programmes)

    def __len__(self) -> int:
        return len(self.programmes)

    def of_kind(self, *kinds: Kind) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes if p.kind in kinds)

    def by_id(self) -> dict[str, Programme]:
        return {p.id: p for p in self.programmes}

    def on_channel(self, channel: str) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes if p.channel == channel)

    def for_grade(self, grade: int) -> tuple[Programme, ...]:
        """Airings meant for a grade: its lessons and reruns, and specials for it or for all."""
        return tuple(p for p in self.programmes if p.is_for(grade))

    def objective(self, scenario: Scenario) -> float:
        """The objective recomputed from plain data (see :mod:`scheduler.domain.objective`)."""
        return evaluate(scenario, self).total

    # -- interchange --------------------------------------------------------------------------
    def to_json(self) -> str:
        document = {
            "format": "skyclass-schedule",
            "version": FORMAT_VERSION,
            "scenario": self.scenario,
            "seed": self.seed,
            "programmes": [p.to_record() for p in self.programmes],
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for programme in self.programmes:
            record = programme.to_record()
            record["grades"] = " ".join(str(g) for g in programme.grades)
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
        return buffer.getvalue()

    def dataframe(self) -> pd.DataFrame:
        """One row per airing, for notebooks and the table exports."""
        import pandas as pd

        rows = [p.to_record() for p in self.programmes]
        frame = pd.DataFrame(rows, columns=list(CSV_FIELDS))
        frame["start"] = [p.start for p in self.programmes]
        frame["end"] = [p.end for p in self.programmes]
        frame["minutes"] = [p.minutes for p in self.programmes]
        return frame

    @classmethod
    def from_json(cls, text: str, *, file: str = "schedule.json") -> Schedule:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScenarioError(
                f"not valid JSON: {error.msg}", file=file, line=error.lineno
            ) from None
        except RecursionError:
            raise ScenarioError("JSON values are nested too deeply", file=file) from None
        if not isinstance(document, dict) or not isinstance(document.get("programmes"), list):
            raise ScenarioError("expected an object with a 'programmes' list", file=file)
        seed = document.get("seed")
        if seed is not None and (
            not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED
        ):
            raise ScenarioError(
                f"seed must be a whole number from 0 to {MAX_SEED}", file=file, field="seed"
            )
        scenario = document.get("scenario")
        if scenario is not None and not isinstance(scenario, str):
            raise ScenarioError("scenario must be a path", file=file, field="scenario")
        if scenario is not None:
            try:
                check_text(scenario, limit=4096)
            except ScenarioError as error:
                raise error.located(file=file, field="scenario") from None
        if len(document["programmes"]) > MAX_AIRINGS:
            raise ScenarioError(f"holds more than {MAX_AIRINGS} programmes", file=file)
        programmes = [
            (_programme(record, file=file, where=f"programmes[{i}]"), f"programmes[{i}]", None)
            for i, record in enumerate(document["programmes"])
        ]
        cls._check_span(programmes, file)
        return cls(_unique(programmes, file), scenario=scenario, seed=seed)

    @staticmethod
    def _check_span(programmes: Sequence[tuple[Programme, str, int | None]], file: str) -> None:
        """Refuse a schedule spanning more days than a horizon may hold."""
        if not programmes:
            return
        first = min(programmes, key=lambda entry: entry[0].start)
        last = max(programmes, key=lambda entry: entry[0].end)
        if (last[0].end - first[0].start).days > MAX_SPAN_DAYS:
            raise ScenarioError(
                f"spans more than {MAX_SPAN_DAYS} days (from {first[1]} to {last[1]})",
                file=file,
                line=last[2],
                field=f"{last[1]}.end",
            )

    @classmethod
    def from_csv(cls, text: str, *, file: str = "schedule.csv") -> Schedule:
        check_lines(text, file)
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        try:
            missing = [
                name
                for name in ("id", "channel", "start", "end", "kind", "title")
                if name not in (reader.fieldnames or [])
            ]
            if missing:
                raise ScenarioError(f"missing column {missing[0]!r}", file=file, line=1)
            programmes = []
            for row in reader:
                line = reader.line_num
                record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
                where = f"line {line}"
                for name in ("grade", "lesson"):
                    record[name] = _int_or_none(record.get(name), file, line, name)
                grades = record.get("grades")
                record["grades"] = (
                    [_int_or_none(g, file, line, "grades") for g in grades.split()]
                    if isinstance(grades, str)
                    else None
                )
                programmes.append(
                    (_programme(record, file=file, where=where, line=line), where, line)
                )
                if len(programmes) > MAX_AIRINGS:
                    raise ScenarioError(
                        f"holds more than {MAX_AIRINGS} programmes", file=file, line=line
                    )
        except csv.Error as error:
            raise ScenarioError(
                # line_num counts the lines read whole; the error is on the next one
                f"is not valid CSV ({error})",
                file=file,
                line=reader.line_num + 1,
            ) from None
        cls._check_span(programmes, file)
        return cls(_unique(programmes, file))


__all__ = [
    "CSV_FIELDS",
    "FORMAT_VERSION",
    "Kind",
    "Programme",
    "Schedule",
    "broadcast_day",
]
