"""The two-day analysis scenario the as-run and suggest tests publish, and its solved layout."""

from __future__ import annotations

from pathlib import Path

SCENARIO = Path(__file__).parents[1] / "analysis" / "tiny" / "scenario.toml"
# What the tests below are written for (checked here, so a solver change fails loudly):
# Monday  08:00 g3 math 1, 08:20 g12 math 1, 19:00 g12 physics 1, 19:40 epidemic special;
# Tuesday 08:00 g3 math 2, 08:20–09:00 g12 math 2, 09:30 g3 Chinese 1, 19:00–19:40 g12 physics 2.
LAYOUT = {
    "g3-math-l001": "2020-02-17T08:00",
    "g12-math-l001": "2020-02-17T08:20",
    "g12-physics-l001": "2020-02-17T19:00",
    "epidemic-2020w08-1": "2020-02-17T19:40",
    "g3-math-l002": "2020-02-18T08:00",
    "g12-math-l002": "2020-02-18T08:20",
    "g3-chinese-l001": "2020-02-18T09:30",
    "g12-physics-l002": "2020-02-18T19:00",
}
