"""Faults of the machine during a publish: a full disk and a read-only target.

Each is made real on a small tmpfs, which needs root (CI runs as root); elsewhere the tests are
skipped. After each the previous edition is byte-identical, the run ends with one line and the
right exit code, and the next publish (once the fault is gone) succeeds.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from publishing_case import Case, snapshot

Editions = tuple[dict[str, bytes], dict[str, bytes]]


def _mount(target: Path, *options: str) -> None:
    subprocess.run(["mount", *options, str(target)], check=True, capture_output=True)


@pytest.fixture
def small_disk(case: Case) -> Iterator[Path]:
    """A 4 MB tmpfs as the parent of the output folder."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    disk = case.folder / "out"
    disk.mkdir()
    try:
        _mount(disk, "-t", "tmpfs", "-o", "size=4m", "tmpfs")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until at most ``leave`` bytes are free; the filler file is returned."""
    filler = disk / "filler"
    with filler.open("wb") as stream:
        try:
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave:
                stream.write(b"\0" * 4096)
                stream.flush()
        except OSError:
            pass
    return filler


@pytest.mark.parametrize("leave", [0, 16 * 1024, 64 * 1024])
def test_a_full_disk_fails_the_run_and_keeps_the_edition(
    case: Case, editions: Editions, small_disk: Path, leave: int
) -> None:
    out = small_disk / "publish"
    assert case.run(case.first, out).returncode == 0
    filler = _fill(small_disk, leave)
    failed = case.run(case.second, out)
    assert failed.returncode == 1, failed.stderr
    assert "disk is full" in failed.stderr and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert snapshot(out) == editions[0]
    filler.unlink()
    resumed = case.run(case.second, out)
    assert resumed.returncode == 0, resumed.stderr
    assert snapshot(out) == editions[1]
    assert sorted(p.name for p in small_disk.iterdir()) == ["publish", "store.sqlite"]


def test_a_read_only_target_is_refused_and_keeps_the_edition(
    case: Case, editions: Editions, small_disk: Path
) -> None:
    out = small_disk / "publish"
    assert case.run(case.first, out).returncode == 0
    _mount(small_disk, "-o", "remount,ro")
    try:
        refused = case.run(case.second, out)
    finally:
        _mount(small_disk, "-o", "remount,rw")
    assert refused.returncode == 2, refused.stderr
    assert "read-only" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert snapshot(out) == editions[0]
    assert case.run(case.second, out).returncode == 0
    assert snapshot(out) == editions[1]
