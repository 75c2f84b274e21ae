"""The ranges every number and text of a scenario or schedule must lie in (docs/scenario.md).

One place for the limits, so loading a scenario, reading a schedule and the CLI refuse the same
values with the same words. Each check raises :class:`ScenarioError`; the caller adds the file,
line and field it read the value from.
"""

from __future__ import annotations

import math
import re
import unicodedata

from scheduler.domain.errors import ScenarioError

MIN_YEAR, MAX_YEAR = 1900, 2100  # dates, horizons, instants
MAX_WEIGHT = 1e6  # objective weights and multipliers
MAX_MINUTES = 7 * 24 * 60  # any duration or count of minutes (and lessons of a course): a week
MAX_PER_DAY = 12  # new lessons of one course on one day
MAX_PER_WEEK = 7 * 24  # lessons of a course, or airings of a special, in one week
MAX_SECONDS = 7 * 24 * 3600.0  # solver time limit
MAX_WORKERS = 256  # solver threads
MAX_AIRINGS = 1_000_000  # airings in one schedule file
MAX_SPAN_DAYS = 371  # days from a schedule's first airing to its last (a horizon: ≤ 370)
MAX_SEED = 2**31 - 1  # random seed
MAX_TEXT = 1_000  # characters of a title, name or note
MAX_ID = 200  # characters of an id
MAX_CSV_LINE = 64 * 1024  # characters of one CSV line
MAX_CSV_FIELDS = 64  # fields of one CSV line
MAX_TOML_BYTES = 4 * 1024 * 1024  # bytes of one TOML document

# control characters other than tab and newline, U+FFFE/U+FFFF and lone surrogates
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def check_year(year: int, what: str = "date") -> None:
    """Refuse a year outside :data:`MIN_YEAR`–:data:`MAX_YEAR`."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ScenarioError(f"{what} year {year} is not between {MIN_YEAR} and {MAX_YEAR}")


def check_text(text: str, *, newline: bool = True, limit: int = MAX_TEXT) -> str:
    """Refuse NUL and other control characters (tab allowed; newline inside the text unless
    ``newline`` is False), a text starting or ending with a line break, U+FFFE/U+FFFF, lone
    surrogates and texts longer than ``limit`` characters."""
    found = _BAD_TEXT.search(text)
    if found is None and "\n" in text and (not newline or text.strip("\n") != text):
        found = re.search("\n", text)
    if found is not None:
        char = found.group()
        name = unicodedata.name(char, "") if char < "\ud800" or char > "\udfff" else ""
        raise ScenarioError(
            f"holds the character U+{ord(char):04X}{f' {name}' if name else ''}"
            + (" at its start or end" if char == "\n" and newline else "")
            + ", which cannot be published (control characters, U+FFFE/U+FFFF and lone "
            "surrogates are refused)"
        )
    if len(text) > limit:
        raise ScenarioError(f"is {len(text)} characters long, more than {limit}")
    return text


def check_number(value: float, *, low: float, high: float, what: str = "") -> float:
    """Refuse a number that is not finite or lies outside ``low``–``high``."""
    shown = f"{what} {value}" if what else f"{value}"
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(f"{shown} is not a finite number")
    if not low <= value <= high:
        raise ScenarioError(f"{shown} is not between {low:g} and {high:g}")
    return value


def check_lines(text: str, file: object) -> None:
    """Refuse a CSV text with a line longer than :data:`MAX_CSV_LINE` or more than
    :data:`MAX_CSV_FIELDS` commas on one line (before the CSV parser sees it)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_CSV_LINE:
            raise ScenarioError(
                f"line is longer than {MAX_CSV_LINE} characters", file=str(file), line=number
            )
        if line.count(",") >= MAX_CSV_FIELDS:
            raise ScenarioError(
                f"line has more than {MAX_CSV_FIELDS} fields", file=str(file), line=number
            )
