"""Lazy hand-out of jobs in chunks, with retries first: the driver's side of back-pressure.

The driver takes the next chunk from the planned job iterator only when a worker lane is free, so
no more than (lanes x chunk) jobs exist at once, whatever the run's size. A chunk whose worker died
comes back and is handed out again before new work; the hand-out is finished only when the
iterator is spent *and* no chunk is out, so a chunk that fails last is still done by someone.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from itertools import islice

from ..scheduler import Job

__all__ = ["HandOut"]


class HandOut:
    """Chunks of `size` jobs from `jobs`, handed out on demand; failed chunks are handed out again."""

    def __init__(self, jobs: Iterable[Job], size: int) -> None:
        self._jobs = iter(jobs)
        self._size = max(1, size)
        self._retry: deque[list[Job]] = deque()
        self._out = 0
        self._spent = False
        self._changed = asyncio.Condition()
        self.retried = 0
        """Chunks handed out again after their worker died."""

    async def take(self) -> list[Job] | None:
        """The next chunk, or None when every job is done; waits while the last chunks are still out."""
        async with self._changed:
            while True:
                chunk = self._retry.popleft() if self._retry else list(islice(self._jobs, self._size))
                if chunk:
                    self._out += 1
                    return chunk
                self._spent = True
                if not self._out:
                    self._changed.notify_all()
                    return None
                await self._changed.wait()  # a chunk still out may come back

    async def finish(self, chunk: list[Job], *, failed: bool = False) -> None:
        """Report a chunk handed out by `take`: done, or `failed` (it will be handed out again)."""
        async with self._changed:
            self._out -= 1
            if failed:
                self._retry.append(chunk)
                self.retried += 1
            self._changed.notify_all()

    async def finished(self) -> None:
        """Return once every job is done: the iterator spent, no chunk out, none to hand out again."""
        async with self._changed:
            while not (self._spent and not self._out and not self._retry):
                await self._changed.wait()
