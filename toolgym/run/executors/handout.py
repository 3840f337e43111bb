"""Lazy hand-out of jobs in chunks, with retries first: the driver's side of back-pressure.

The driver takes the next chunk from the planned job iterator only when a worker lane is free and
fewer than `most_out` chunks are out, so no more than (most_out x chunk) jobs exist at once, whatever
the run's size or the number of workers (nodes may join mid-run). A chunk whose worker died
comes back and is handed out again before new work; the hand-out is finished only when the
iterator is spent *and* no chunk is out, so a chunk that fails last is still done by someone.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Iterable
from itertools import islice

from ..scheduler import Job

__all__ = ["HandOut"]


class HandOut:
    """Chunks of `size` jobs from `jobs`, handed out on demand; failed chunks are handed out again."""

    def __init__(self, jobs: Iterable[Job], size: int, *, most_out: int | None = None) -> None:
        self._jobs = iter(jobs)
        self._size = max(1, size)
        # a fair semaphore: a lane that just finished a chunk queues behind lanes already waiting, so
        # workers that join mid-run get chunks too
        self._slots = asyncio.Semaphore(most_out or sys.maxsize)
        self._retry: deque[list[Job]] = deque()
        self._out = 0
        self._spent = False
        self._changed = asyncio.Condition()
        self.retried = 0
        """Chunks handed out again after their worker died."""

    async def take(self) -> list[Job] | None:
        """The next chunk, or None when every job is done.

        Waits while `most_out` chunks are out, and while the last chunks are out (one may come back).
        """
        await self._slots.acquire()
        try:
            async with self._changed:
                while True:
                    chunk = self._retry.popleft() if self._retry else list(islice(self._jobs, self._size))
                    if chunk:
                        self._out += 1
                        return chunk
                    self._spent = True
                    if not self._out:
                        self._changed.notify_all()
                        self._slots.release()
                        return None
                    await self._changed.wait()
        except BaseException:
            self._slots.release()
            raise

    async def finish(self, chunk: list[Job], *, failed: bool = False) -> None:
        """Report a chunk handed out by `take`: done, or `failed` (it will be handed out again)."""
        async with self._changed:
            self._out -= 1
            if failed:
                self._retry.append(chunk)
                self.retried += 1
            self._changed.notify_all()
        self._slots.release()

    @property
    def done(self) -> bool:
        """Every job is done: the iterator spent, no chunk out, none to hand out again."""
        return self._spent and not self._out and not self._retry

    async def finished(self) -> None:
        """Return once every job is done."""
        async with self._changed:
            while not self.done:
                await self._changed.wait()
