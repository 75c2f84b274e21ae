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

import hashlib
import importlib
import json
import os
from collections.abc import Callable, Generator, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from exports import CHANGES_JSON, CHANGES_TEXT, FORMATS, INDEX, SCHEDULE, printing
from exports.common import Edition, check_channels
from exports.memory import PublicationMemory, Report, now
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule
from scheduler.io.files import (
    check_output_folder,
    fault_point,
    output_lock,
    relative_path,
    staged_folder,
    writable_parent,
    write_atomic,
)
from scheduler.io.loading import resolve

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "skyclass-publication"
STORE_SUFFIX = ".skyclass-publications.sqlite"
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
CHANGE_NAMES = {"added": "新增", "moved": "调整时间", "changed": "修改内容", "dropped": "撤下"}


@dataclass(frozen=True, slots=True)
class Publication:
    """What a publish wrote: where, which edition, and what changed since the previous one."""

    out: Path
    edition: int | None
    published_at: datetime
    report: Report | None
    reused: bool
    files: tuple[str, ...]


def default_store(out: Path) -> Path:
    """The memory's default place: one per output folder, beside it (``.NAME.skyclass-…``).

    Sibling output folders never share a memory unless ``--store`` names one for both.
    """
    return out.parent / f".{out.name}{STORE_SUFFIX}"


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
    if out.is_dir() and any(out.iterdir()) and _manifest(out) is None:
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


def _manifest(out: Path) -> dict[str, object] | None:
    try:
        document = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # a missing or hand-broken manifest
        return None
    if isinstance(document, dict) and document.get("format") == MANIFEST_FORMAT:
        return document
    return None


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


def shown_edition(out: Path) -> tuple[int, datetime] | None:
    """The edition number and instant an output folder's manifest shows, if any."""
    document = _manifest(out)
    if document is None:
        return None
    try:
        return int(str(document["edition"])), datetime.fromisoformat(str(document["published_at"]))
    except (KeyError, TypeError, ValueError):
        return None


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
    document = _manifest(out) if out.is_dir() else None
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


def changes(report: Report) -> dict[str, bytes]:
    """The changes report as ``changes.txt`` (people) and ``changes.json`` (tools)."""
    counts = report.counts()
    lines = [
        f"节目变更报告 · 第{report.edition}版 · 发布于 {report.published_at:%Y-%m-%d %H:%M} UTC",
        (
            f"上一版：第{report.previous}版（{report.previous_at:%Y-%m-%d %H:%M} UTC）"
            if report.previous is not None and report.previous_at is not None
            else "上一版：无（首次发布）"
        ),
        f"范围：{'、'.join(report.channels)} {report.first}–{report.last}，"
        f"共 {report.airings} 个节目",
        " · ".join(f"{CHANGE_NAMES[what]} {what} {count}" for what, count in counts.items()),
    ]
    for what in CHANGE_NAMES:
        entries = report.of(what)
        if not entries:
            continue
        lines += ["", f"{CHANGE_NAMES[what]}（{what}）"]
        for change in entries:
            when = (
                f"{_span(change.before)} → {_span(change.after)}"
                if what in ("moved", "changed")
                else _span(change.after or change.before)
            )
            lines.append(
                f"  {change.channel} {when}  {change.title}  [{change.id}]"
                + (f" SEQUENCE {change.sequence}" if what in ("moved", "changed") else "")
            )
    text = "\n".join(lines) + "\n"
    data = json.dumps(report.to_record(), ensure_ascii=False, indent=1) + "\n"
    return {CHANGES_TEXT: text.encode("utf-8"), CHANGES_JSON: data.encode("utf-8")}


def _span(span: tuple[str, str] | None) -> str:
    if span is None:
        return "—"
    start, end = (datetime.fromisoformat(text) for text in span)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def published_files(out: Path) -> list[str]:
    """Relative paths of every file in a published folder (for reports and tests)."""
    return sorted(
        str(path.relative_to(out)).replace(os.sep, "/") for path in out.rglob("*") if path.is_file()
    )


__all__ = [
    "MANIFEST",
    "SWAP",
    "Progress",
    "Publication",
    "Step",
    "check_destination",
    "default_store",
    "export",
    "formats_of",
    "manifest",
    "publish",
    "published_files",
    "render",
]
