"""The next week solved ahead, on the second core, while this process solves the current one.

A week's answer depends only on its model's key (calendar, demand, carried lessons, template:
what :class:`scheduler.solver.solving._Runner` caches by), and the engine is deterministic for
a key, seed and budget. So while week k is solved here, a forked child solves week k + 1 under
the key it will most likely have (progress moved on as the week before moved it, the same
carried lessons and template). When week k is done and week k + 1's real key is that guess, the
child's answer is taken, exactly the answer this process would have computed; otherwise the
child is stopped and the week solved here. Speculation never changes a schedule, only how soon
it comes.

The child is forked (it inherits the scenario, nothing is pickled but its answer), ignores
Ctrl-C (the parent stops it) and ends with the parent's deadline.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Hashable
from multiprocessing.connection import Connection
from typing import Any

from scheduler.solver.solve_types import WeekAnswer

#: Seconds between looks at Ctrl-C and the clock while waiting for the child.
POLL = 0.05


class Ahead:
    """One week being solved in a forked child under a guessed key."""

    def __init__(self, key: Hashable, solve: Callable[[], WeekAnswer]) -> None:
        context = multiprocessing.get_context("fork")
        self.key = key
        self._reader, writer = context.Pipe(duplex=False)
        self._process: Any = context.Process(target=_child, args=(solve, writer), daemon=True)
        self._process.start()
        writer.close()

    def answer(self, stop: Callable[[], bool]) -> WeekAnswer | None:
        """Wait for the child's answer (None if it failed, or ``stop`` said so first: Ctrl-C
        or the time limit)."""
        while not self._reader.poll(POLL):
            if stop() or (not self._process.is_alive() and not self._reader.poll()):
                self.cancel()
                return None
        try:
            answer = self._reader.recv()
        except (EOFError, OSError):
            answer = None
        self._close()
        return answer if isinstance(answer, WeekAnswer) else None

    def cancel(self) -> None:
        """Stop the child: its guess was wrong, or the solve is over."""
        if self._process.is_alive():
            self._process.kill()
        self._close()

    def _close(self) -> None:
        self._process.join()
        self._reader.close()


def available() -> bool:
    """Whether this process can fork a child that inherits the scenario (the platform forks,
    and this is not a daemonic worker, which may have no children)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def _child(solve: Callable[[], WeekAnswer], writer: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        writer.send(solve())
    except Exception:  # any failure: the parent solves the week itself
        writer.send(None)
    finally:
        writer.close()


__all__ = ["Ahead", "available"]
