"""Reading a scenario's TOML files: the ``extends`` chain merged into one tree that remembers which
file set each field, and ``--set`` overrides by field path."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_TOML_BYTES
from scheduler.io.files import read_text

SCENARIO_FILE = "scenario.toml"
FOLDER_WITHOUT_SCENARIO = f"is a folder without a {SCENARIO_FILE}"


FieldPath = tuple[str | int, ...]


@dataclass
class Document:
    """A merged TOML tree and, per field path, the file that set it."""

    data: dict[str, Any]
    origin: dict[FieldPath, str] = field(default_factory=dict)
    base: Path = Path(".")
    catalog_base: dict[str, Path] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # merge order: the extended file first

    def file_of(self, path: FieldPath) -> str:
        """The file that set ``path``: the nearest table holding it, unless a later file in
        the chain changed something inside it (then that file, where the planner last edited)."""
        found = str(self.base)
        for size in range(len(path), -1, -1):
            if path[:size] in self.origin:
                found = self.origin[path[:size]]
                break
        size = len(path)
        inside = [f for key, f in self.origin.items() if len(key) > size and key[:size] == path]
        rank = {name: i for i, name in enumerate(self.files)}
        return max([found, *inside], key=lambda name: rank.get(name, -1))


def _tidy(path: Path) -> Path:
    """``a/b/../c`` → ``a/c``, so messages name files the way a planner would."""
    return Path(os.path.normpath(path))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read_toml(file: Path) -> dict[str, Any]:
    text = read_text(file, folder=FOLDER_WITHOUT_SCENARIO)
    if not text.strip():
        raise ScenarioError("is empty: a scenario needs at least a name", file=str(file))
    if len(text) > MAX_TOML_BYTES:
        raise ScenarioError(
            f"is larger than {MAX_TOML_BYTES // 2**20} MB, too large for a scenario file",
            file=str(file),
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match[1]) if match else None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ScenarioError(f"TOML syntax error: {message}", file=str(file), line=line) from None
    except RecursionError:
        raise ScenarioError("TOML values are nested too deeply", file=str(file)) from None


def _read_chain(file: Path, seen: tuple[Path, ...]) -> Document:
    resolved = file.resolve() if _is_file(file) else file.absolute()
    if resolved in seen:
        chain = " → ".join(p.name for p in (*seen, resolved))
        raise ScenarioError(f"extends loop: {chain}", file=str(file), field="extends")
    data = _read_toml(file)
    parent_name = data.pop("extends", None)
    if parent_name is None:
        document = Document(data={}, base=file.parent)
    else:
        if not isinstance(parent_name, str) or not parent_name.strip():
            raise ScenarioError(
                'must name the scenario file this one extends, e.g. extends = "scenario.toml"',
                file=str(file),
                field="extends",
            )
        parent = _tidy(file.parent / parent_name)
        if _is_dir(parent):
            parent = parent / SCENARIO_FILE
        if not _is_file(parent):
            raise ScenarioError(
                f"names {parent_name!r}, which does not exist", file=str(file), field="extends"
            )
        document = _read_chain(parent, (*seen, resolved))
    catalog = data.get("catalog")
    if isinstance(catalog, dict):
        for key in catalog:
            document.catalog_base[key] = file.parent
    _merge(document, document.data, data, (), str(file))
    document.origin[()] = str(file)
    document.files.append(str(file))
    document.base = file.parent
    return document


def _merge(
    document: Document,
    target: dict[str, Any],
    source: dict[str, Any],
    path: FieldPath,
    file: str,
) -> None:
    for key, value in source.items():
        here = (*path, key)
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(document, old, value, here, file)
        elif _is_keyed_list(old) and _is_keyed_list(value):
            target[key] = _merge_keyed(document, old, value, here, file)
        else:
            if isinstance(value, list):
                value = _without_remove(value, here, file)
            target[key] = value
            _drop_origins(document, here)
            document.origin[here] = file


def _is_keyed_list(value: object) -> TypeGuard[list[dict[str, Any]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
    )


def _without_remove(items: list[Any], path: FieldPath, file: str) -> list[Any]:
    """A list that replaces (or starts) a value: ``remove`` has nothing to remove there."""
    result = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and "remove" in item:
            remove = item["remove"]
            if remove is True:
                raise ScenarioError(
                    f"removes id {item.get('id')!r}, but no extended scenario defines it here",
                    file=file,
                    field=_path_text((*path, i, "remove")),
                )
            if remove is not False:
                raise ScenarioError(
                    "must be true or false", file=file, field=_path_text((*path, i, "remove"))
                )
            item = {k: v for k, v in item.items() if k != "remove"}
        result.append(item)
    return result


def _merge_keyed(
    document: Document,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    path: FieldPath,
    file: str,
) -> list[dict[str, Any]]:
    merged = [dict(item) for item in old]
    index = {item["id"]: i for i, item in enumerate(merged)}
    removed: set[int] = set()
    first_in_file: dict[str, int] = {}
    for j, item in enumerate(new):
        item_id = item["id"]
        if item_id in first_in_file:
            also = _path_text((*path, first_in_file[item_id]))
            raise ScenarioError(
                f"{item_id!r} is defined twice (also at {also})",
                file=file,
                field=_path_text((*path, j, "id")),
            )
        first_in_file[item_id] = j
        item = dict(item)
        remove = item.pop("remove", False)
        if not isinstance(remove, bool):
            raise ScenarioError(
                "must be true or false", file=file, field=_path_text((*path, j, "remove"))
            )
        position = index.get(item_id)
        if remove:
            if position is None:
                raise ScenarioError(
                    f"removes unknown id {item_id!r}",
                    file=file,
                    field=_path_text((*path, j, "remove")),
                )
            removed.add(position)
            continue
        if position is None:
            merged.append(item)
            index[item_id] = len(merged) - 1
            document.origin[(*path, len(merged) - 1)] = file
        else:
            _merge(document, merged[position], item, (*path, position), file)
    if not removed:
        return merged
    keep = [i for i in range(len(merged)) if i not in removed]
    _renumber_origins(document, path, {old_i: new_i for new_i, old_i in enumerate(keep)})
    return [merged[i] for i in keep]


def _drop_origins(document: Document, path: FieldPath) -> None:
    """Forget where the parts below ``path`` came from: a later file replaced them whole."""
    size = len(path)
    for key in [k for k in document.origin if len(k) > size and k[:size] == path]:
        del document.origin[key]


def _renumber_origins(document: Document, path: FieldPath, moves: dict[int, int]) -> None:
    """Entries of a merged array moved (some were removed): move their origins with them."""
    size = len(path)
    renumbered: dict[FieldPath, str] = {}
    for key in [k for k in document.origin if len(k) > size and k[:size] == path]:
        file = document.origin.pop(key)
        position = key[size]
        if isinstance(position, int) and position in moves:
            renumbered[(*path, moves[position], *key[size + 1 :])] = file
    document.origin.update(renumbered)


def _split_path(dotted: str) -> list[str | int]:
    """``channels[0].windows[1].end`` → parts; ``channels[cetv4.cn]`` names an entry by id."""
    parts: list[str | int] = []
    for token in re.findall(r"\[[^\]]*\]|[^.\[\]]+", dotted):
        if token.startswith("["):
            inner = token[1:-1].strip().strip("\"'")
            parts.append(int(inner) if inner.isascii() and inner.isdigit() else inner)
        else:
            parts.append(token.strip())
    return parts


def set_path(data: dict[str, Any], dotted: str, value: Any) -> FieldPath:
    """Set ``channels[0].windows[1].end`` (or ``channels[cetv4.cn].name_zh`` by id) in a TOML tree.

    Missing tables on the way are created. Returns the path actually set, with list positions.
    """
    parts = _split_path(dotted)
    if not parts or any(part == "" for part in parts):
        raise ScenarioError("is not a field path like rules.rest.minutes", field=_set_field(dotted))
    node: Any = data
    where: list[str | int] = []
    for position, part in enumerate(parts[:-1]):
        create = not isinstance(parts[position + 1], int)
        node, key = _step(node, part, dotted, create=create)
        where.append(key)
    last = parts[-1]
    if isinstance(node, list):
        key = _list_position(node, last, dotted)
        node[key] = value
    elif isinstance(node, dict) and isinstance(last, str):
        node[last] = value
        key = last
    else:
        raise ScenarioError("does not name a field of the scenario", field=_set_field(dotted))
    return (*where, key)


def _list_position(node: list[Any], part: str | int, dotted: str) -> int:
    if isinstance(part, int) or part.isdigit():
        position = int(part)
        if 0 <= position < len(node):
            return position
        raise ScenarioError(
            f"has no entry {position} (there are {len(node)})", field=_set_field(dotted)
        )
    for position, item in enumerate(node):
        if isinstance(item, dict) and item.get("id") == part:
            return position
    raise ScenarioError(f"has no entry with id {part!r}", field=_set_field(dotted))


def _step(node: Any, part: str | int, dotted: str, *, create: bool) -> tuple[Any, str | int]:
    if isinstance(node, list):
        position = _list_position(node, part, dotted)
        return node[position], position
    if isinstance(node, dict) and isinstance(part, str):
        if part not in node:
            if not create:
                raise ScenarioError(f"has no field {part!r}", field=_set_field(dotted))
            node[part] = {}
        return node[part], part
    raise ScenarioError("does not name a field of the scenario", field=_set_field(dotted))


def _path_text(path: FieldPath) -> str:
    """``("channels", 0, "windows")`` → ``channels[0].windows``; odd keys are quoted as in TOML."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        key = (
            part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)
        )
        text += f".{key}" if text else key
    return text


def _set_field(dotted: str) -> str:
    return "--set " + (dotted if dotted.isprintable() else json.dumps(dotted, ensure_ascii=False))
