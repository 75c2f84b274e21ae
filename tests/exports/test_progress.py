"""Publishing reports every phase as it goes; the PDFs print while the other formats render,
and the bytes are the same however they are printed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from export_fixtures import PUBLISHED_AT
from rich.console import Console

from exports import FORMATS, printing
from exports.common import Edition
from exports.publish import SWAP, Step, export, render
from scheduler.cli.progress import PHASES, exporting


def stand_in(html: str) -> bytes:
    """Stands in for WeasyPrint (runs in this process)."""
    return b"%PDF-1.7 stand-in " + str(len(html)).encode()


def _steps(edition: Edition, out: Path, **options: object) -> list[Step]:
    steps: list[Step] = []
    export(
        edition.scenario,
        edition.schedule,
        out,
        at=PUBLISHED_AT,
        progress=steps.append,
        **options,  # type: ignore[arg-type]
    )
    return steps


def test_every_export_phase_starts_and_finishes(edition: Edition, tmp_path: Path) -> None:
    steps = _steps(edition, tmp_path / "out", pdf=stand_in)
    started = list(dict.fromkeys(step.phase for step in steps if step.done == 0))
    # the PDFs start first (they take longest), the manifest and the swap come last
    assert started == [
        "printable",
        "xmltv",
        "ical",
        "sms",
        "tables",
        "eit",
        "corrections",
        "site",
        SWAP,
    ]
    assert {step.phase for step in steps if step.finished} == set(started)
    assert steps[-1] == Step(SWAP, 1)
    printed = [step for step in steps if step.piece]
    assert [(step.done, step.total) for step in printed] == [(1, 3), (2, 3), (3, 3)]
    assert {step.piece for step in printed} == {
        "posters/grade-03.pdf",
        "posters/grade-12.pdf",
        "grids/cetv4.cn.pdf",
    }
    assert str(printed[0]) == f"printable: 1/3 PDFs ({printed[0].piece})"
    # the printable phase finishes before the site, which links its files
    finished = [step.phase for step in steps if step.finished]
    assert finished.index("printable") < finished.index("site")


def test_without_pdfs_the_printable_phase_still_finishes(edition: Edition, tmp_path: Path) -> None:
    steps = _steps(edition, tmp_path / "out", pdf=False, formats=["printable", "sms"])
    assert [(step.phase, step.done, step.total) for step in steps] == [
        ("printable", 0, 1),
        ("printable", 0, 1),
        ("sms", 0, 1),
        ("sms", 1, 1),
        ("printable", 1, 1),
        (SWAP, 0, 1),
        (SWAP, 1, 1),
    ]


@pytest.mark.parametrize("formats", [["printable"], ["printable", "sms"], ["ical", "printable"]])
def test_a_partial_render_with_printables_gives_their_files(
    edition: Edition, formats: list[str]
) -> None:
    files = render(edition, formats, pdf=stand_in)
    whole = render(edition, pdf=stand_in)
    assert {path for path in files if path.startswith(("posters/", "grids/"))} == {
        path for path in whole if path.startswith(("posters/", "grids/"))
    }
    assert all(files[path] == whole[path] for path in files)


def test_parallel_printing_gives_the_same_publication_as_printing_here(
    edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint in two processes while the other formats render, then in this process."""
    monkeypatch.setenv(printing.WORKERS_VARIABLE, "2")
    parallel = render(edition)
    monkeypatch.setenv(printing.WORKERS_VARIABLE, "1")
    here = render(edition)
    assert parallel == here
    assert parallel["grids/cetv4.cn.pdf"].startswith(b"%PDF-")


def test_a_failing_format_stops_the_printing_processes(
    edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exports.sms

    def broken(*args: object, **kwargs: object) -> dict[str, bytes]:
        raise RuntimeError("broken exporter")

    monkeypatch.setenv(printing.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(exports.sms, "render", broken)
    with pytest.raises(RuntimeError, match="broken exporter"):
        render(edition)
    import multiprocessing

    assert multiprocessing.active_children() == []


def _display(quiet: bool, terminal: bool) -> str:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=terminal, width=100, color_system=None)
    with exporting(quiet, console) as progress:
        for phase in ["load", "printable", *FORMATS[:2], SWAP]:
            progress(Step(phase, 0, 2 if phase == "printable" else 1))
        progress(Step("printable", 1, 2, "posters/grade-03.pdf"))
        for phase in ["load", *FORMATS[:2], SWAP]:
            progress(Step(phase, 1))
        progress(Step("printable", 2, 2, "grids/cetv4.cn.pdf"))
    return screen.getvalue()


def test_the_display_shows_every_phase_on_a_terminal() -> None:
    shown = _display(quiet=False, terminal=True)
    for phase in ["load", "printable", "xmltv", "ical", SWAP]:
        assert PHASES[phase] in shown
    assert "2/2" in shown and "exported in" in shown


@pytest.mark.parametrize(("quiet", "terminal"), [(True, True), (False, False), (True, False)])
def test_the_display_is_silent_when_quiet_or_not_on_a_terminal(quiet: bool, terminal: bool) -> None:
    assert _display(quiet, terminal) == ""
