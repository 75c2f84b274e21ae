"""Schedule files: ``schedule.json`` and ``schedule.csv`` read into a :class:`Schedule`.

The formats themselves (text to airings and back, every record checked) are the schedule's own
(:meth:`Schedule.from_json`, :meth:`Schedule.from_csv`, :meth:`Schedule.to_json`,
:meth:`Schedule.to_csv`); this module adds the file: its reading, with one clear error.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.domain.schedule import Schedule
from scheduler.io.files import read_text


def read_schedule(path: Path) -> Schedule:
    """Read ``schedule.json`` or ``schedule.csv`` (by suffix)."""
    # utf-8-sig: spreadsheet programs save CSV (and editors sometimes JSON) with a BOM
    text = read_text(path, "utf-8-sig", folder="is a folder, not a schedule file")
    if path.suffix.lower() == ".csv":
        return Schedule.from_csv(text, file=str(path))
    return Schedule.from_json(text, file=str(path))
