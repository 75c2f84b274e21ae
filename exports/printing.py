"""Printing HTML pages to PDF: WeasyPrint in parallel processes, one per usable core.

The longest documents start first, so the last to finish is a short one; the caller may do other
work while they print (:func:`printing`). Output bytes do not depend on the number of processes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from multiprocessing import get_context

PdfRenderer = Callable[[str], bytes]
# (documents printed, documents in all, the one just printed)
Progress = Callable[[int, int, str], None]
WORKERS_VARIABLE = "SKYCLASS_PDF_WORKERS"


def weasyprint_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint (fonts found by family name and embedded)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


# the renderer parallel processes run; a stand-in (a test's) runs in this process instead
_WEASYPRINT = weasyprint_pdf


def pdf_workers(jobs: int) -> int:
    """How many processes print PDFs: one per usable core (``SKYCLASS_PDF_WORKERS`` overrides),
    never more than there are documents."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        cores = int(wanted)
    else:
        cores = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    return max(1, min(cores, jobs))


def pdfs(
    pages: Mapping[str, str],
    pdf: PdfRenderer,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """Each page's PDF, keyed like ``pages`` (see :func:`printing`)."""
    with printing(pages, pdf, progress) as printed:
        return printed()


@contextmanager
def printing(
    pages: Mapping[str, str],
    pdf: PdfRenderer,
    progress: Progress | None = None,
) -> Iterator[Callable[[], dict[str, bytes]]]:
    """Start printing each page's PDF; the function it yields waits for them and returns them
    keyed like ``pages``.

    WeasyPrint runs in parallel processes that start at once (the longest documents first, so
    the last to finish is a short one), so the caller can do other work before it asks for the
    PDFs; any other renderer runs in this process when they are asked for. ``progress`` is told
    ``(done, total, path)`` as each PDF is printed. Leaving the block stops the processes, so
    an error or Ctrl-C does not wait for them.
    """
    total = len(pages)
    printed: dict[str, bytes] = {}
    lock = threading.Lock()

    def done(path: str, data: bytes) -> None:
        with lock:  # the pool's result thread calls this too
            printed[path] = data
            count = len(printed)
        if progress is not None:
            progress(count, total, path)

    workers = pdf_workers(total) if pdf is _WEASYPRINT else 1
    if workers == 1:

        def here() -> dict[str, bytes]:
            for path, html in pages.items():
                if path not in printed:
                    done(path, pdf(html))
            return {path: printed[path] for path in pages}

        yield here
        return
    pool = get_context("spawn").Pool(workers, _printer, (os.getpid(),))
    try:
        results = {
            path: pool.apply_async(_WEASYPRINT, (pages[path],), callback=partial(done, path))
            for path in sorted(pages, key=lambda path: -len(pages[path]))
        }
        pool.close()
        yield lambda: {path: results[path].get() for path in pages}
    except BaseException:
        pool.terminate()
        raise
    pool.join()


def _printer(parent: int) -> None:
    """Set up a printing process: it leaves Ctrl-C to its parent (which stops it and prints one
    message) and ends when the parent is gone (killed), instead of waiting for work forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


__all__ = [
    "WORKERS_VARIABLE",
    "PdfRenderer",
    "Progress",
    "pdf_workers",
    "pdfs",
    "printing",
    "weasyprint_pdf",
]
