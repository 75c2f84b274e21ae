"""Sweep files: parameter grids over ``--set`` paths, expanded into named scenario variants.

A sweep file is TOML::

    scenario = "../fixtures/cetv4-2020-spring/scenario.toml"  # base, relative to this file
    name = "rest{rules.rest.minutes}-w{bands.lower-primary.weight}"  # optional

    [set]                      # applied to every variant
    "solver.time_limit" = 5

    [grid]                     # every combination, in file order (last key varies fastest)
    "rules.rest.minutes" = [10, 20]
    "bands.lower-primary.weight" = [10, 5]

    [[variants]]               # explicit extra variants, after the grid
    name = "second-channel"
    scenario = "../fixtures/cetv4-2020-spring/variants/second-channel.toml"
    set = { "solver.time_limit" = 5 }

Keys are ``--set`` paths; nested tables are read as dotted paths too (``[grid.rules.rest]``
``minutes = [10, 20]`` is ``rules.rest.minutes``). Without ``scenario`` the base is the default
scenario. Names default to the varied values, e.g. ``minutes=20,weight=5``.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.domain.errors import ScenarioError
from scheduler.io.loading import resolve

SWEEP_KEYS = ("scenario", "name", "set", "grid", "variants")
VARIANT_KEYS = ("name", "scenario", "set")


@dataclass(frozen=True, slots=True)
class Variant:
    """One scenario to solve: a file (None: the default) plus ``--set`` overrides."""

    path: str | None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    label: str | None = None


def read_sweep(path: str | Path) -> tuple[Variant, ...]:
    """Read a sweep file and expand it; errors name the file and the key."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError("sweep file not found", file=str(file)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"cannot be read ({error})", file=str(file)) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"TOML syntax error: {error}", file=str(file)) from None
    return expand(data, base=file.parent, file=str(file))


def expand(data: Mapping[str, Any], *, base: Path, file: str = "sweep") -> tuple[Variant, ...]:
    """Variants of a parsed sweep document; relative paths are read against ``base``."""
    unknown = [key for key in data if key not in SWEEP_KEYS]
    if unknown:
        raise ScenarioError(
            f"unknown key {unknown[0]!r}; expected one of {', '.join(SWEEP_KEYS)}",
            file=file,
            field=unknown[0],
        )
    scenario = _scenario_path(data.get("scenario"), base, file, "scenario")
    common = _flatten(_table(data, "set", file), "set", file, leaf=_any)
    grid = _flatten(_table(data, "grid", file), "grid", file, leaf=_options)
    template = data.get("name")
    if template is not None and not isinstance(template, str):
        raise ScenarioError("must be a text", file=file, field="name")
    variants: list[Variant] = []
    if grid:
        keys = list(grid)
        short = _short_names(keys)
        for values in itertools.product(*grid.values()):
            point = dict(zip(keys, values, strict=True))
            label = (
                _fill(template, point, file)
                if template
                else ",".join(f"{short[k]}={_show(v)}" for k, v in point.items())
            )
            variants.append(Variant(scenario, {**common, **point}, label))
    explicit = data.get("variants", [])
    if not isinstance(explicit, list) or not all(isinstance(v, dict) for v in explicit):
        raise ScenarioError("must be a list of tables ([[variants]])", file=file, field="variants")
    for index, entry in enumerate(explicit):
        where = f"variants[{index}]"
        extra = [key for key in entry if key not in VARIANT_KEYS]
        if extra:
            raise ScenarioError(
                f"unknown key {extra[0]!r}; expected one of {', '.join(VARIANT_KEYS)}",
                file=file,
                field=f"{where}.{extra[0]}",
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScenarioError("needs a name", file=file, field=f"{where}.name")
        path = (
            _scenario_path(entry["scenario"], base, file, f"{where}.scenario")
            if "scenario" in entry
            else scenario
        )
        overrides = _flatten(_table(entry, "set", file, where), f"{where}.set", file, leaf=_any)
        variants.append(Variant(path, {**common, **overrides}, name.strip()))
    if not variants:
        raise ScenarioError("names no variants: give a [grid] or [[variants]]", file=file)
    return tuple(variants)


def _scenario_path(value: Any, base: Path, file: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError("must be a scenario file path", file=file, field=key)
    # Workers may run elsewhere on a shared file system: send absolute paths.
    return str(resolve((base / value).resolve()))


def _table(data: Mapping[str, Any], key: str, file: str, where: str = "") -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError("must be a table", file=file, field=f"{where}.{key}".lstrip("."))
    return value


def _any(value: Any, path: str, file: str) -> Any:
    return value


def _options(value: Any, path: str, file: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ScenarioError("must be a non-empty list of values to try", file=file, field=path)
    return value


def _flatten(
    table: Mapping[str, Any], where: str, file: str, *, leaf: Any, prefix: str = ""
) -> dict[str, Any]:
    """``{"rules": {"rest": {"minutes": [10]}}}`` → ``{"rules.rest.minutes": [10]}``."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(_flatten(value, where, file, leaf=leaf, prefix=path))
        else:
            flat[path] = leaf(value, f"{where}.{path}", file)
    return flat


def _short_names(keys: list[str]) -> dict[str, str]:
    """The shortest dotted suffix of each key that tells it from the others."""
    names = {}
    for key in keys:
        parts = key.split(".")
        for size in range(1, len(parts) + 1):
            suffix = ".".join(parts[-size:])
            if not any(other != key and other.endswith(suffix) for other in keys):
                break
        names[key] = suffix
    return names


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ",".join(_show(v) for v in value) + "]"
    return str(value)


def _fill(template: str, point: dict[str, Any], file: str) -> str:
    def value(match: re.Match[str]) -> str:
        key = match[1]
        if key not in point:
            raise ScenarioError(f"{{{key}}} is not a key of [grid]", file=file, field="name")
        return _show(point[key])

    return re.sub(r"\{([^{}]+)\}", value, template)


__all__ = ["Variant", "expand", "read_sweep"]
