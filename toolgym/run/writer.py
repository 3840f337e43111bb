"""Batched, crash-safe writing of results while a run goes on.

Results are buffered and written in one transaction per batch from a thread (SQLite and PostgreSQL
calls block), so a crash loses at most the last unflushed batch and work in flight — never a
duplicate, because the store upserts on (run, task, sample).
"""

from __future__ import annotations

import asyncio
import time

from ..store import Store
from .scheduler import Result

__all__ = ["BatchWriter"]


class BatchWriter:
    """Collects results and writes them in batches of `batch_size` or every `interval_s` seconds."""

    def __init__(self, store: Store, run_id: int, batch_size: int = 64, interval_s: float = 0.5) -> None:
        self.store = store
        self.run_id = run_id
        self.batch_size = batch_size
        self.interval_s = interval_s
        self._buffer: list[Result] = []
        self._last_flush = time.monotonic()
        self._lock = asyncio.Lock()

    async def put(self, result: Result) -> None:
        """Queue one result; flush when the batch is full or old enough."""
        self._buffer.append(result)
        if len(self._buffer) >= self.batch_size or time.monotonic() - self._last_flush >= self.interval_s:
            await self.flush()

    async def flush(self) -> None:
        """Write everything buffered so far in one transaction."""
        async with self._lock:
            batch, self._buffer = self._buffer, []
            self._last_flush = time.monotonic()
            if batch:
                rows = [(r.rollout, r.category, r.verdict) for r in batch]
                await asyncio.to_thread(self.store.write, self.run_id, rows)
