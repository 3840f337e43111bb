"""Whether a `running` run is still being worked on: its process's heartbeat, and its pid on this host.

A process that sets a run `running` records its pid and host (schema 7) and, while the run stays
`running` in that process, renews `runs.heartbeat_at` every `HEARTBEAT_S` from a background thread
(schema 9). A reader calls such a run `stale` when

* its heartbeat is older than `STALE_AFTER_S`, wherever the process ran (another machine writing to
  the same PostgreSQL server or shared file, a process that hangs, a pid the system gave to another
  program), or
* the process is on this host and no longer exists (killed with SIGKILL, a crash): at once.

Heartbeats compare the writer's clock with the reader's, so hosts must agree on the time to well
within `STALE_AFTER_S` (NTP does). A run written before schema 9 has no heartbeat; only the pid
check applies to it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["HEARTBEAT_S", "STALE_AFTER_S", "Heartbeat", "read_status"]

log = logging.getLogger(__name__)

HEARTBEAT_S = 20.0
"""Seconds between two renewals of a running run's `heartbeat_at`."""

STALE_AFTER_S = 120.0
"""A `running` run whose heartbeat is older than this reads `stale` (six missed heartbeats)."""


def read_status(status: str, pid: int | None, host: str | None, heartbeat_at: datetime | None) -> str:
    """The status to show for a stored run: `stale` for a `running` one nobody works on any more."""
    if status != "running":
        return status
    if heartbeat_at is not None:
        beat = heartbeat_at.astimezone(UTC) if heartbeat_at.tzinfo else heartbeat_at.replace(tzinfo=UTC)
        if datetime.now(UTC) - beat > timedelta(seconds=STALE_AFTER_S):
            return "stale"
    if pid is not None and host == socket.gethostname() and not _alive(pid):
        return "stale"
    return status


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by another user
        return True
    return True


class Heartbeat:
    """A daemon thread that calls `beat(run_ids)` every `HEARTBEAT_S` while some run is registered.

    The thread ends once no run is left, so a process that opens many runs one after another holds
    at most one.

    A failed beat (the database busy past its timeout, a network hiccup to PostgreSQL) is logged and
    the next one tried: a missed beat only matters after `STALE_AFTER_S`.
    """

    def __init__(self, beat: Callable[[set[int]], None]) -> None:
        self._beat = beat
        self._runs: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, run_id: int) -> None:
        """Keep `run_id` alive from now on (the thread starts with the first run)."""
        with self._lock:
            self._runs.add(run_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="toolgym-heartbeat", daemon=True)
                self._thread.start()

    def discard(self, run_id: int) -> None:
        """Stop renewing `run_id` (it finished, failed or was interrupted)."""
        with self._lock:
            self._runs.discard(run_id)

    def stop(self) -> None:
        """End the thread; a beat in progress is waited for."""
        self._stop.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):  # the module global is read each time: tests shorten it
            with self._lock:
                runs = set(self._runs)
                if not runs:  # every run ended: the thread ends too (`add` starts a new one)
                    self._thread = None
                    return
            try:
                self._beat(runs)
            except Exception as e:  # noqa: BLE001 - a beat must never end the run it reports on
                log.warning("could not renew the heartbeat of runs %s: %s", sorted(runs), e)
