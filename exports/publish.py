"""Publishing an edition: render every format, write it aside, swap it into place.

:func:`publish` asks the publication memory for the edition (UIDs, SEQUENCEs, changes), renders
the formats one after the other into a stage folder beside the output (each file written
atomically), adds ``schedule.json``, the changes report and ``manifest.json``, records the
edition in the memory and only then swaps the stage in. A failure anywhere leaves both the old
output folder and the memory exactly as they were.

The output folder is replaced as a whole, so it must be new, empty or an earlier skyclass
output (one with a skyclass ``manifest.json``); anything else is refused before any work.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from exports import CHANGES_JSON, CHANGES_TEXT, FORMATS, INDEX, SCHEDULE, printing
from exports.changelog import changes
from exports.common import Edition, check_channels
from exports.folder import (
    MANIFEST,
    check_destination,
    default_store,
    manifest,
    read_manifest,
    shown_edition,
)
from exports.memory import PublicationMemory
from exports.published import Report, now
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule
from scheduler.io.files import (
    fault_point,
    output_lock,
    relative_path,
    staged_folder,
    write_atomic,
)
from scheduler.io.loading import resolve

# Where each format writes, so a partial export can keep the other formats' files (the
# exporters' FOLDER constants, written out so that loading this module loads no exporter:
# test_publish checks they agree).
OWNED = {
    "xmltv": ("xmltv/",),
    "ical": ("ical/",),
    "printable": ("posters/", "grids/"),
    "sms": ("sms/",),
    "tables": ("tables/",),
    "eit": ("eit/",),
    "corrections": ("corrections/",),
    "site": (INDEX, SCHEDULE, CHANGES_TEXT, CHANGES_JSON),
}
# True: WeasyPrint; False: HTML only; or any function from HTML to PDF bytes
Pdf = bool | Callable[[str], bytes]
#: The last phase of a publish, after every format's: the manifest, the memory, the swap.
SWAP = "swap"


@dataclass(frozen=True, slots=True)
class Step:
    """How far one phase of a publish (a format, or :data:`SWAP`) has come: ``done`` of
    ``total`` pieces (PDFs for ``printable`` when they are printed, else one), ``piece`` naming
    the one just finished. Phases may overlap: PDFs print while later formats render."""

    phase: str
    done: int
    total: int = 1
    piece: str = ""

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def __str__(self) -> str:
        if self.phase == SWAP:
            return "recording the edition and swapping the folder into place"
        if self.piece:
            return f"{self.phase}: {self.done}/{self.total} PDFs ({self.piece})"
        return f"{self.phase}: {'done' if self.finished else 'rendering'}"


# told each step as it happens (from a second thread too, while PDFs print)
Progress = Callable[[Step], None]


@dataclass(frozen=True, slots=True)
class Publication:
    """What a publish wrote: where, which edition, and what changed since the previous one."""

    out: Path
    edition: int | None
    published_at: datetime
    report: Report | None
    reused: bool
    files: tuple[str, ...]


def formats_of(names: Iterable[str]) -> tuple[str, ...]:
    """Format names in rendering order (``site`` last); ``all`` means every format."""
    wanted = set(names)
    if "all" in wanted or "site" in wanted:
        return FORMATS
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise ScenarioError(
            f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)} or all",
            field="--format",
        )
    return tuple(name for name in FORMATS if name in wanted)


def render(
    edition: Edition,
    formats: Iterable[str] = FORMATS,
    *,
    pdf: Pdf = True,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """Every requested format's files in memory, without the manifest.

    With ``site``: also ``schedule.json``, the changes report (when the edition has one) and the
    index page linking everything.
    """
    files: dict[str, bytes] = {}
    with closing(_rendered(edition, formats_of(formats), files, pdf, progress)) as rendering:
        for _, rendered in rendering:
            files.update(rendered)
    return files


def _rendered(
    edition: Edition,
    formats: tuple[str, ...],
    files: Mapping[str, bytes],
    pdf: Pdf,
    progress: Progress | None = None,
) -> Generator[tuple[str, dict[str, bytes]], None, None]:
    """Each format's files, one format at a time; ``files`` is what the caller has kept so far.

    Printed PDFs take longest, so they start first and print in parallel processes while the
    other formats render here; ``printable`` comes last, or before ``site``, which links it.
    """
    tell = progress if progress is not None else _quiet
    if "printable" not in formats:
        for name in formats:
            yield name, _render_one(name, edition, files, tell, pdf)
        return
    # looked up at call time, so a test can replace the exporter or its PDF renderer
    printable = importlib.import_module("exports.printable")
    tell(Step("printable", 0))
    html = printable.pages(edition)
    pages = printable.pdf_pages(html) if pdf is not False else {}
    renderer = printing.weasyprint_pdf if pdf is True else pdf
    total = max(1, len(pages))
    tell(Step("printable", 0, total))

    def printed(done: int, total: int, path: str) -> None:
        tell(Step("printable", done, total, path))

    def printables(pdfs: Callable[[], dict[str, bytes]]) -> tuple[str, dict[str, bytes]]:
        files = {path: text.encode("utf-8") for path, text in html.items()}
        files.update(pdfs())
        if not pages:
            tell(Step("printable", 1))
        return "printable", files

    with printing.printing(pages, renderer or _no_pdf, printed) as pdfs:
        for name in formats:
            if name == "site":
                yield printables(pdfs)
            if name != "printable":
                yield name, _render_one(name, edition, files, tell, pdf)
        if "site" not in formats:
            yield printables(pdfs)


def _render_one(
    name: str, edition: Edition, files: Mapping[str, bytes], tell: Progress, pdf: Pdf = True
) -> dict[str, bytes]:
    # looked up at call time, so a test can replace one exporter
    module = importlib.import_module(f"exports.{name}")
    tell(Step(name, 0))
    if name == "site":
        extra = {SCHEDULE: edition.schedule.to_json().encode("utf-8")}
        if edition.report is not None:
            extra.update(changes(edition.report))
        rendered = {**extra, **module.render(edition, {**files, **extra})}
    elif name == "corrections":  # one short page: printed here, not by the PDF processes
        renderer = module.weasyprint_pdf if pdf is True else pdf or None
        rendered = dict(module.render(edition, pdf=renderer))
    else:
        rendered = dict(module.render(edition))
    tell(Step(name, 1))
    return rendered


def _quiet(step: Step) -> None:
    """Progress nobody watches."""


def _no_pdf(html: str) -> bytes:
    raise AssertionError("no PDF is printed without pages")


def publish(
    scenario: Scenario,
    schedule: Schedule,
    out: Path,
    *,
    store: Path | None = None,
    memory: PublicationMemory | None = None,
    at: datetime | None = None,
    formats: Iterable[str] = FORMATS,
    pdf: Pdf = True,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Publication:
    """Publish ``schedule`` into ``out`` as a new edition recorded in the memory.

    ``store`` is the SQLite file (default :func:`default_store`); a ready ``memory`` may be
    passed instead. ``at`` is the edition's instant when something changed (default: now,
    or ``SOURCE_DATE_EPOCH``). ``pdf``: True renders PDFs with WeasyPrint, False leaves them
    out, a function renders them its own way.
    """
    store = store if store is not None else default_store(out)
    check_destination(out, store if memory is None else None)
    check_channels(scenario, schedule)  # bad input: refuse before the store is created
    schedule = portable(schedule, scenario, out)
    with output_lock(out):
        owned = memory is None
        memory = memory if memory is not None else PublicationMemory(store)
        try:
            memory.recover(shown_edition)
            with memory.prepare(scenario, schedule, at=at or now(), seed=seed) as plan:
                edition = Edition(
                    scenario, schedule, plan.stamps, plan.published_at, plan.edition, plan.report
                )
                try:
                    files = _write(
                        edition,
                        out,
                        formats_of(formats),
                        pdf,
                        before_swap=lambda: memory.record(plan, out),
                        after_swap=lambda: memory.confirm(plan.edition),
                        progress=progress,
                    )
                except BaseException:
                    if plan.recorded:  # failed between the commit and the swap: settle it now
                        memory.recover(shown_edition)
                    raise
            return Publication(
                out, plan.edition, plan.published_at, plan.report, plan.reused, files
            )
        finally:
            if owned:
                memory.close()


def portable(schedule: Schedule, scenario: Scenario, out: Path) -> Schedule:
    """The schedule as published: it names its scenario by a path relative to the output folder
    (none for the embedded default), so the files are the same wherever the scenario and the
    output folder lie, as long as they lie the same way to each other."""
    source = Path(scenario.source) if scenario.source else None
    if source is None or source.absolute().resolve() == resolve(None).resolve():
        return replace(schedule, scenario=None)
    return replace(schedule, scenario=relative_path(source, out))


def export(
    scenario: Scenario,
    schedule: Schedule,
    out: Path,
    *,
    at: datetime | None = None,
    formats: Iterable[str] = FORMATS,
    pdf: Pdf = True,
    progress: Progress | None = None,
) -> Publication:
    """Export ``schedule`` without a publication memory: UIDs from airing ids, SEQUENCE 0."""
    check_destination(out)
    edition = Edition.unrecorded(scenario, portable(schedule, scenario, out), at=at or now())
    files = _write(edition, out, formats_of(formats), pdf, progress=progress)
    return Publication(out, None, edition.published_at, None, False, files)


def _write(
    edition: Edition,
    out: Path,
    formats: tuple[str, ...],
    pdf: Pdf,
    before_swap: Callable[[], None] | None = None,
    after_swap: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> tuple[str, ...]:
    written: dict[str, bytes] = {}
    with staged_folder(out, before_swap=before_swap, after_swap=after_swap) as stage:
        if formats != FORMATS:
            _carry_over(out, stage, formats, written)
        # closed at once on an error, which stops the PDF printing processes
        with closing(_rendered(edition, formats, written, pdf, progress)) as rendering:
            for name, files in rendering:
                for path, data in files.items():
                    write_atomic(stage / path, data)
                    written[path] = data
                fault_point(f"after-{name}")
        if progress is not None:
            progress(Step(SWAP, 0))
        write_atomic(stage / MANIFEST, manifest(edition, written))
    if progress is not None:
        progress(Step(SWAP, 1))
    return tuple(sorted([*written, MANIFEST]))


def _carry_over(
    out: Path, stage: Path, formats: tuple[str, ...], written: dict[str, bytes]
) -> None:
    """Keep the files of formats not exported this time (a partial export adds to a folder)."""
    document = read_manifest(out) if out.is_dir() else None
    if document is None:
        return
    # corrections belong to the edition that made them: never carried into another one
    owned = tuple(prefix for name in (*formats, "corrections") for prefix in OWNED[name])
    entries = document.get("files")
    for entry in entries if isinstance(entries, list) else []:
        path = str(entry.get("path", "")) if isinstance(entry, dict) else ""
        source = out / path
        if (
            not path
            or path.startswith(owned)
            or Path(path).is_absolute()
            or ".." in Path(path).parts
            or source.is_symlink()
            or not source.is_file()
        ):
            continue  # a hand-edited manifest must not make a publish copy or write elsewhere
        data = source.read_bytes()
        write_atomic(stage / path, data)
        written[path] = data


__all__ = [
    "SWAP",
    "Progress",
    "Publication",
    "Step",
    "export",
    "formats_of",
    "publish",
    "render",
]
