"""A publish interrupted at every phase never loses an edition: the output folder shows edition 1
or the complete edition 2, the publication store agrees with it, and the next publish succeeds.

Phases are named by the ``SKYCLASS_FAULT`` hook (scheduler/io/files.py ``fault_point``): the run
sends itself SIGKILL (or the signal named after a colon) at that point.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from publishing_case import Case, snapshot

import scheduler.io.files
from exports.folder import shown_edition
from exports.memory import PublicationMemory
from scheduler.io.files import output_lock

RENDER = ["after-xmltv", "after-ical", "after-sms", "after-tables"]
SWAP = ["before-commit", "before-swap", "after-swap", "after-confirm"]
Editions = tuple[dict[str, bytes], dict[str, bytes]]


def _store_agrees(out: Path) -> int:
    """The edition the folder shows, after checking the store (once settled) agrees with it."""
    shown = shown_edition(out)
    assert shown is not None
    with PublicationMemory(out.parent / "store.sqlite") as memory:
        memory.recover(shown_edition)
        numbers = [report.edition for report in memory.editions()]
    assert numbers == list(range(1, shown[0] + 1)), (numbers, shown)
    return shown[0]


def _leftovers(out: Path) -> list[str]:
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.") or p.name == f".{out.name}.lock"
    )


def _interrupt_and_resume(
    case: Case, editions: Editions, fault: str, prelude: Callable[[], None] | None = None
) -> int:
    first, second = editions
    out = case.folder / "out" / "publish"
    done = case.run(case.first, out)
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == first
    killed = case.run(case.second, out, fault=fault, prelude=prelude)
    assert killed.returncode != 0, f"the fault {fault} was never reached"
    assert "Traceback" not in killed.stderr
    if fault == "between-renames":  # the one window of the fallback: repaired by the next run
        assert not out.exists()
        with output_lock(out):
            pass
    shown = snapshot(out)
    assert shown in (first, second), f"{fault}: the folder shows neither edition"
    assert _store_agrees(out) == (1 if shown == first else 2)
    resumed = case.run(case.second, out)
    assert resumed.returncode == 0, resumed.stderr
    assert snapshot(out) == second
    assert _store_agrees(out) == 2
    assert _leftovers(out) == []
    return killed.returncode


@pytest.mark.parametrize("phase", RENDER + SWAP)
def test_sigkill_at_every_phase_loses_no_edition(
    case: Case, editions: Editions, phase: str
) -> None:
    assert _interrupt_and_resume(case, editions, phase) == -9


def test_sigkill_between_the_two_renames_of_the_fallback_swap(
    case: Case, editions: Editions
) -> None:
    """Without an atomic exchange (a file system lacking renameat2) the two renames leave a
    moment with no output folder; the next run puts the previous edition back."""

    def without_exchange() -> None:
        scheduler.io.files._exchange = lambda stage, out: False  # type: ignore[assignment]

    assert _interrupt_and_resume(case, editions, "between-renames", without_exchange) == -9


@pytest.mark.parametrize(
    "fault", ["after-ical:SIGTERM", "before-swap:SIGTERM", "after-sms:SIGINT", "after-swap:SIGINT"]
)
def test_sigterm_and_sigint_unwind_cleanly(case: Case, editions: Editions, fault: str) -> None:
    code = _interrupt_and_resume(case, editions, fault)
    assert code in (130, 143)


def test_a_second_publish_into_the_same_folder_is_refused_naming_the_holder(
    case: Case, editions: Editions
) -> None:
    out = case.folder / "out" / "publish"
    assert case.run(case.first, out).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\n"
            "from scheduler.io.files import output_lock\n"
            f"with output_lock(Path({str(out)!r})):\n    print('held', flush=True)\n"
            "    sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        refused = case.run(case.second, out)
        assert refused.returncode == 2
        assert f"process {holder.pid}" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert snapshot(out) == editions[0]
    finally:
        holder.communicate("", timeout=30)
    assert case.run(case.second, out).returncode == 0
    assert snapshot(out) == editions[1]


def test_a_store_held_by_another_publish_is_refused(case: Case, editions: Editions) -> None:
    out = case.folder / "out" / "publish"
    assert case.run(case.first, out).returncode == 0
    store = out.parent / "store.sqlite"
    with PublicationMemory(store):  # held like a publish into another folder would hold it
        other = case.folder / "out" / "other"
        refused = case.run(case.second, other)
    assert refused.returncode == 2 and "in use by another skyclass publish" in refused.stderr
    assert not other.exists()
    assert case.run(case.second, out).returncode == 0
    assert snapshot(out) == editions[1]


def test_a_store_in_a_write_transaction_of_another_program_is_refused_after_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import exports.memory

    store = tmp_path / "store.sqlite"
    PublicationMemory(store).close()
    monkeypatch.setattr(exports.memory, "STORE_TIMEOUT", 0.1)
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with (
            pytest.raises(exports.memory.ScenarioError, match="held by another program"),
            PublicationMemory(store) as memory,
        ):
            memory._begin()
        assert time.monotonic() - started < 10
    finally:
        other.rollback()
        other.close()


def test_the_store_is_settled_to_what_the_folder_shows(case: Case, editions: Editions) -> None:
    """Killed after the store's commit and before the swap: the pending edition is undone, so
    the airings and editions are exactly as after edition 1."""
    out = case.folder / "out" / "publish"
    assert case.run(case.first, out).returncode == 0
    with PublicationMemory(out.parent / "store.sqlite") as memory:
        before = (memory.stamps(), [r.to_record() for r in memory.editions()])
    assert case.run(case.second, out, fault="before-swap").returncode == -9
    with PublicationMemory(out.parent / "store.sqlite") as memory:
        assert memory.recover(shown_edition) == [2]
        assert (memory.stamps(), [r.to_record() for r in memory.editions()]) == before
    assert json.loads((out / "manifest.json").read_text())["edition"] == 1


def test_sigkill_at_random_moments_loses_no_edition(case: Case, editions: Editions) -> None:
    """Besides the named phases: a publish of edition 2 over edition 1 killed from outside at 12
    random moments (a fixed seed); after each the folder shows a complete edition the store
    agrees with. Where the kill came too late, edition 1 is put back for the next attempt."""
    first, second = editions
    out = case.folder / "out" / "publish"
    assert case.run(case.first, out).returncode == 0
    pristine = case.folder / "pristine"
    shutil.copytree(out.parent, pristine)
    started = time.monotonic()
    assert case.run(case.second, out).returncode == 0
    length = time.monotonic() - started
    moments = random.Random(13)
    for attempt in range(12):
        shutil.rmtree(out.parent)
        shutil.copytree(pristine, out.parent)
        case.run(case.second, out, kill_after=moments.uniform(0, length))
        assert snapshot(out) in (first, second), f"attempt {attempt}: neither edition"
        _store_agrees(out)
        assert case.run(case.second, out).returncode == 0
        assert snapshot(out) == second and _leftovers(out) == []
