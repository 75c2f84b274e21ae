"""Reading scenario files (TOML plus CSV catalogs) into a validated :class:`Scenario`.

The format is documented in ``docs/scenario.md``. A file may ``extends = "other.toml"`` and
override parts of it: tables merge key by key, arrays of tables that carry an ``id`` merge entry
by entry (``remove = true`` drops one), other arrays are replaced. Every error is one
:class:`ScenarioError` naming the file, the line where the format gives one (CSV), and the field
path (``channels[0].windows[1].end``); nothing else escapes, whatever the files contain.

The package splits the work by concern: ``reading`` (the TOML files, ``extends`` and ``--set``),
``nodes`` (typed access to tables, the keys each allows), ``values`` (converters of single
values: texts, numbers, dates, times, ranges), ``channels``, ``calendar`` (calendar and
timetable), ``catalog`` (the courses and lessons CSV files) and ``builder`` (the scenario as a
whole, the model's reference checks located in their file). Import from here:
``from scheduler.io.loading import load``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.domain.limits import MAX_SEED
from scheduler.domain.model import Scenario
from scheduler.io.loading.builder import Builder
from scheduler.io.loading.catalog import (
    COURSE_COLUMNS,
    COURSE_OPTIONAL,
    LESSON_COLUMNS,
    LESSON_OPTIONAL,
)
from scheduler.io.loading.nodes import Node
from scheduler.io.loading.reading import (
    FOLDER_WITHOUT_SCENARIO,
    SCENARIO_FILE,
    Document,
    FieldPath,
    _drop_origins,
    _is_dir,
    _read_chain,
    set_path,
)
from scheduler.io.loading.values import WEEKDAY_NAMES

DEFAULT_SCENARIO = Path(__file__).resolve().parents[3] / "fixtures" / "cetv4-2020-spring"


def resolve(path: str | Path | None) -> Path:
    """The scenario file for a command-line argument: a file, a folder, or the default."""
    if path is None:
        return DEFAULT_SCENARIO / SCENARIO_FILE
    candidate = Path(path)
    if _is_dir(candidate):
        candidate = candidate / SCENARIO_FILE
    return candidate


def load(path: str | Path | None = None, *, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario; ``overrides`` maps field paths to values (``--set``).

    Raises :class:`ScenarioError` for any problem in the files, and nothing else.
    """
    file = resolve(path)
    document = _read_chain(file, ())
    if overrides:
        document.files.append("--set")
    for dotted, value in (overrides or {}).items():
        where = set_path(document.data, dotted, value)
        _drop_origins(document, where)
        document.origin[where] = "--set"
    return Builder(document, file).scenario()


__all__ = [
    "COURSE_COLUMNS",
    "COURSE_OPTIONAL",
    "DEFAULT_SCENARIO",
    "FOLDER_WITHOUT_SCENARIO",
    "LESSON_COLUMNS",
    "LESSON_OPTIONAL",
    "MAX_SEED",
    "SCENARIO_FILE",
    "WEEKDAY_NAMES",
    "Builder",
    "Document",
    "FieldPath",
    "Node",
    "load",
    "resolve",
    "set_path",
]
