"""A published folder: its manifest, the publication store beside it, and what may be
replaced (checked before any work)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from exports.common import Edition
from scheduler.domain.errors import ScenarioError
from scheduler.io.files import check_output_folder, writable_parent

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "skyclass-publication"
STORE_SUFFIX = ".skyclass-publications.sqlite"


def default_store(out: Path) -> Path:
    """The memory's default place: one per output folder, beside it (``.NAME.skyclass-…``).

    Sibling output folders never share a memory unless ``--store`` names one for both.
    """
    return out.parent / f".{out.name}{STORE_SUFFIX}"


def check_destination(out: Path, store: Path | None = None) -> None:
    """Refuse an output folder skyclass must not replace, before anything is written."""
    check_output_folder(out)
    resolved = out.resolve()
    here = Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise ScenarioError(
            "is the current folder or contains it; choose a folder inside it, e.g. out/publish",
            file=str(out),
            field="--out",
        )
    if out.is_dir() and any(out.iterdir()) and read_manifest(out) is None:
        raise ScenarioError(
            "holds files skyclass did not write; publishing replaces the whole folder, so "
            "choose a new or empty folder",
            file=str(out),
            field="--out",
        )
    if store is not None:
        _check_store_path(store)
        target = store.resolve()
        if target == resolved or resolved in target.parents:
            raise ScenarioError(
                "lies inside the output folder, which each publish replaces; keep it outside",
                file=str(store),
                field="--store",
            )


def _check_store_path(store: Path) -> None:
    """Refuse a store path that cannot be a file skyclass may write, before any work."""
    try:
        if store.is_dir():
            raise ScenarioError(
                "is a folder, not a publication store file", file=str(store), field="--store"
            )
        if store.exists() and not store.is_file():
            raise ScenarioError("is not a regular file", file=str(store), field="--store")
        if store.exists() and not os.access(store, os.R_OK | os.W_OK):
            raise ScenarioError(
                "cannot be written (the file is read-only)", file=str(store), field="--store"
            )
    except OSError as error:
        raise ScenarioError(
            f"cannot be used ({error.strerror})", file=str(store), field="--store"
        ) from None
    writable_parent(store, "--store")


def read_manifest(out: Path) -> dict[str, object] | None:
    """The folder's skyclass manifest, or None (missing, broken or not skyclass's)."""
    try:
        document = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # a missing or hand-broken manifest
        return None
    if isinstance(document, dict) and document.get("format") == MANIFEST_FORMAT:
        return document
    return None


def shown_edition(out: Path) -> tuple[int, datetime] | None:
    """The edition number and instant an output folder's manifest shows, if any."""
    document = read_manifest(out)
    if document is None:
        return None
    try:
        return int(str(document["edition"])), datetime.fromisoformat(str(document["published_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def manifest(edition: Edition, files: Mapping[str, bytes]) -> bytes:
    """``manifest.json``: the edition and every file with its size and SHA-256."""
    document = {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "scenario": edition.scenario.name,
        "title": edition.scenario.title,
        "seed": edition.schedule.seed,
        "edition": edition.number,
        "published_at": edition.published_at.isoformat(),
        "files": [
            {"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(files.items())
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def published_files(out: Path) -> list[str]:
    """Relative paths of every file in a published folder (for reports and tests)."""
    return sorted(
        str(path.relative_to(out)).replace(os.sep, "/") for path in out.rglob("*") if path.is_file()
    )


__all__ = [
    "MANIFEST",
    "MANIFEST_FORMAT",
    "STORE_SUFFIX",
    "check_destination",
    "default_store",
    "manifest",
    "published_files",
    "read_manifest",
    "shown_edition",
]
