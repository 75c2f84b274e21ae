"""Reading input files with one clear error, and atomic writes of output files.

Reading: every failure (missing, a folder, a FIFO or device, too large, unreadable, not UTF-8) is
one :class:`ScenarioError` naming the file, and the line for undecodable bytes. Writing: a reader
sees the old good file or the new one, never half of one; a whole output folder is built aside
and exchanged with the old one in one atomic step (:func:`staged_folder`), under a lock
(:func:`output_lock`) that names the process holding it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scheduler.domain.errors import ScenarioError

# Largest input file read (scenario TOML, catalog CSV, schedule JSON/CSV): far above the term's
# 1.5 MB schedule, far below what would exhaust memory.
MAX_INPUT_BYTES = 64 * 1024 * 1024
FILE_MODE, FOLDER_MODE = 0o644, 0o755  # published files are served by any web server
# Test hook (docs/publishing.md): "PHASE" or "PHASE:SIGNAL" makes a run signal itself at PHASE.
FAULT = "SKYCLASS_FAULT"


def fault_point(phase: str) -> None:
    """Send this process SIGKILL (or the signal named after a colon) when ``SKYCLASS_FAULT``
    names ``phase``; the fault tests use it to interrupt a publish at each of its phases."""
    wanted, _, name = os.environ.get(FAULT, "").partition(":")
    if wanted == phase:
        os.kill(os.getpid(), getattr(signal, name or "SIGKILL"))


def _cause(error: OSError) -> str:
    if error.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return error.strerror or str(error)


def read_bytes(
    file: Path, *, folder: str = "is a folder, not a file", limit: int = MAX_INPUT_BYTES
) -> bytes:
    """The bytes of ``file``, which must be a regular file of at most ``limit`` bytes.

    ``folder`` is the message when it names a folder. FIFOs and devices are refused without
    reading (opening does not wait for a writer).
    """
    try:
        handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(file)) from None
    except IsADirectoryError:
        raise ScenarioError(folder, file=str(file)) from None
    except OSError as error:
        raise ScenarioError(f"cannot be read ({_cause(error)})", file=str(file)) from None
    except ValueError:  # an embedded NUL in the name
        raise ScenarioError("is not a usable file name", file=str(file)) from None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if stat.S_ISDIR(status.st_mode):
            raise ScenarioError(folder, file=str(file))
        if not stat.S_ISREG(status.st_mode):
            raise ScenarioError("is not a regular file (a FIFO, device or socket)", file=str(file))
        too_large = ScenarioError(f"is larger than {limit // 2**20} MB", file=str(file))
        if status.st_size > limit:
            raise too_large
        try:
            os.set_blocking(handle, True)
            data = stream.read(limit + 1)
        except OSError as error:
            raise ScenarioError(f"cannot be read ({_cause(error)})", file=str(file)) from None
        if len(data) > limit:
            raise too_large
        return data


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
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename over ``path``.

    The file is readable by everyone (0644), like any published file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), FILE_MODE)
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def relative_path(path: str | Path, folder: Path) -> str:
    """``path`` as seen from ``folder`` (``../scenario/scenario.toml``), with ``/`` separators:
    what an output may record of an input, so it reads the same wherever both are copied."""
    return Path(os.path.relpath(Path(path).absolute(), folder.absolute())).as_posix()


def check_output_folder(out: Path) -> Path:
    """Refuse output paths that would clobber something that is not an output folder.

    Also refuses, before any work, a path below a regular file and a parent folder that exists
    but cannot be written.
    """
    if str(out).strip() in ("", "/") or "\0" in str(out):
        raise ScenarioError("is not a safe output folder", file=str(out), field="--out")
    try:
        if out.exists() and not out.is_dir():
            raise ScenarioError("exists and is not a folder", file=str(out), field="--out")
        if out.resolve() == Path.home().resolve():
            raise ScenarioError("is not a safe output folder", file=str(out), field="--out")
    except OSError as error:
        raise ScenarioError(
            f"cannot be used ({_cause(error)})", file=str(out), field="--out"
        ) from None
    writable_parent(out, "--out")
    return out


def writable_parent(path: Path, field: str) -> Path:
    """The nearest existing folder above ``path``, refused (bad input) when it is a file or
    cannot be written: an output that cannot be created is refused before any work."""
    try:
        parent = path.absolute().parent
        while not parent.exists():
            parent = parent.parent
    except OSError as error:
        raise ScenarioError(
            f"cannot be used ({_cause(error)})", file=str(path), field=field
        ) from None
    if not parent.is_dir():
        raise ScenarioError(
            f"cannot be created: {parent} is a file, not a folder", file=str(path), field=field
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ScenarioError(
            f"cannot be written: folder {parent} is read-only", file=str(path), field=field
        )
    return parent


# -- the output lock ----------------------------------------------------------------------------
_held: dict[Path, tuple[int, int]] = {}  # lock file → (descriptor, depth): re-entrant per process


def lock_file(out: Path) -> Path:
    """The lock file of an output folder: ``.NAME.lock`` beside it, holding the holder's pid."""
    return out.absolute().parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder for one run; a second run into it is refused, naming the holder.

    The lock is an ``flock`` on :func:`lock_file`, so the kernel drops it when its process dies
    (even by SIGKILL). Taking it first repairs what an interrupted run left (:func:`recover`).
    """
    path = lock_file(out)
    if path in _held:
        handle, depth = _held[path]
        _held[path] = (handle, depth + 1)
        try:
            yield
        finally:
            _held[path] = (handle, _held[path][1] - 1)
        return
    handle = _acquire(path, out)
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        _held[path] = (handle, 1)
        recover(out)
        yield
    finally:
        _held.pop(path, None)
        Path(path).unlink(missing_ok=True)  # while still locked: the next run makes a new one
        os.close(handle)  # releases the flock


def _acquire(path: Path, out: Path) -> int:
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except OSError as error:
            raise ScenarioError(
                f"cannot be locked ({_cause(error)})", file=str(path), field="--out"
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise ScenarioError(
                f"is being written by another skyclass run (process {holder}, lock {path}); "
                "try again when it has finished",
                file=str(out),
                field="--out",
            ) from None
        try:
            if os.stat(path).st_ino == os.fstat(handle).st_ino:
                return handle
        except FileNotFoundError:
            pass
        os.close(handle)  # the holder removed the file as we locked it: take the new one


def recover(out: Path) -> None:
    """Repair what an interrupted run left beside ``out`` (call with the lock held).

    A stage folder is an unfinished or superseded edition: removed. ``.NAME.previous`` exists only
    between the two renames of the fallback swap: put back when ``out`` is missing, else removed.
    """
    parent = out.absolute().parent
    previous = parent / f".{out.name}.previous"
    if previous.is_dir() and not out.exists():
        os.replace(previous, out)
    shutil.rmtree(previous, ignore_errors=True)
    for stage in parent.glob(f".{out.name}.stage.*"):
        shutil.rmtree(stage, ignore_errors=True)


# -- the swap -----------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(stage: Path, out: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False when not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(stage), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a file system without exchange: use the two renames
    raise OSError(code, os.strerror(code), str(out))


def _swap(stage: Path, out: Path) -> None:
    """Make ``stage`` the output folder; ``stage`` then holds the old one (or nothing)."""
    if not os.path.lexists(out):
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        return
    previous = out.absolute().parent / f".{out.name}.previous"
    os.replace(out, previous)
    fault_point("between-renames")
    os.replace(stage, out)
    os.replace(previous, stage)


def _open_to_everyone(folder: Path) -> None:
    folder.chmod(FOLDER_MODE)
    for root, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(root, name), FOLDER_MODE)
        for name in files:
            os.chmod(os.path.join(root, name), FILE_MODE)


_CRITICAL = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def staged_folder(
    out: Path,
    *,
    before_swap: Callable[[], None] | None = None,
    after_swap: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Build a whole output folder aside and swap it in only when everything was written.

    The block writes into the yielded stage folder; on success the stage and ``out`` are
    exchanged in one atomic rename, so ``out`` always shows a complete run, the previous or the
    new one (a SIGKILL included). ``before_swap`` and ``after_swap`` (the publication memory's
    commit and confirmation) run with SIGINT/SIGTERM/SIGHUP held back, next to the swap. A failure
    inside the block leaves ``out`` exactly as it was; leftovers of a killed run are removed by
    the next one (:func:`recover`).
    """
    check_output_folder(out)
    if out.is_symlink():  # the folder a web server's link points at is the one to replace
        out = Path(os.path.realpath(out))
    with output_lock(out):
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.stage.", dir=out.absolute().parent))
        try:
            yield stage
            _open_to_everyone(stage)
            fault_point("before-commit")
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _CRITICAL)
            try:
                if before_swap is not None:
                    before_swap()
                fault_point("before-swap")
                _swap(stage, out)
                fault_point("after-swap")
                if after_swap is not None:
                    after_swap()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            fault_point("after-confirm")
        finally:
            shutil.rmtree(stage, ignore_errors=True)
