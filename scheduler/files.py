"""Reading input files with one clear error, and atomic writes of output files.

Reading: every failure (missing, a folder, unreadable, not UTF-8) is one :class:`ScenarioError`
naming the file, and the line for undecodable bytes. Writing: a reader sees the old good file or
the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scheduler.errors import ScenarioError


def read_bytes(file: Path, *, folder: str = "is a folder, not a file") -> bytes:
    """The bytes of ``file``; ``folder`` is the message when it names a folder."""
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(file)) from None
    except IsADirectoryError:
        raise ScenarioError(folder, file=str(file)) from None
    except OSError as error:
        raise ScenarioError(f"cannot be read ({error.strerror})", file=str(file)) from None
    except ValueError:  # an embedded NUL in the name
        raise ScenarioError("is not a usable file name", file=str(file)) from None


def decode(raw: bytes, file: Path, codec: str = "utf-8") -> str:
    """``raw`` as text; bytes that are not UTF-8 give the line they are on.

    ``codec="utf-8-sig"`` also drops the byte order mark spreadsheet programs write.
    """
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(
            f"is not UTF-8 text (byte {raw[error.start]:#04x} cannot be decoded); save it as UTF-8",
            file=str(file),
            line=line,
        ) from None


def read_text(file: Path, codec: str = "utf-8", *, folder: str = "is a folder, not a file") -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(file, folder=folder), file, codec)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_output_folder(out: Path) -> Path:
    """Refuse output paths that would clobber something that is not an output folder."""
    if out.exists() and not out.is_dir():
        raise ScenarioError("exists and is not a folder", file=str(out), field="--out")
    if str(out).strip() in ("", "/") or out.resolve() == Path.home().resolve():
        raise ScenarioError("is not a safe output folder", file=str(out), field="--out")
    return out


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Build a whole output folder aside and swap it in only when everything was written.

    The block writes into the yielded stage folder; on success the stage replaces ``out`` by
    renames, so ``out`` holds either the previous complete run or the new one. A failure inside
    the block leaves ``out`` exactly as it was.
    """
    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.stage.", dir=out.parent))
    try:
        yield stage
        stage.chmod(0o755)
        previous = out.with_name(f".{out.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        if out.exists():
            os.replace(out, previous)
        os.replace(stage, out)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
