"""The episodes a server holds: isolated, expiring, bounded in number, safe under many clients at once.

Each episode is one rollout's private state (`Environment.reset`), addressed by a random 128-bit id
so one client cannot guess another's. An episode expires `ttl_s` seconds after its last use; when
`max_episodes` are open and none has expired, opening another is refused (the server answers 429)
rather than evicting a live episode, which would corrupt someone's rollout. Calls on one episode
run one at a time (its own lock); calls on different episodes run in parallel.

Examples:
    >>> table = EpisodeTable(max_episodes=1, ttl_s=60)
    >>> first = table.open(Episode(), "t1")
    >>> try:
    ...     table.open(Episode(), "t2")
    ... except TooManyEpisodes as e:
    ...     print(str(e)[:30])
    1 episodes are open (the limit
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from ..envs import Episode

__all__ = ["EpisodeTable", "OpenEpisode", "TooManyEpisodes"]

log = logging.getLogger(__name__)


class TooManyEpisodes(Exception):
    """The table is full of live episodes."""


@dataclass
class OpenEpisode:
    """One open episode and what it belongs to."""

    episode: Episode
    task_id: str
    expires: float
    lock: threading.Lock = field(default_factory=threading.Lock)


class EpisodeTable:
    """Open episodes by id, with expiry and a bound."""

    def __init__(self, max_episodes: int = 1024, ttl_s: float = 600.0) -> None:
        self.max_episodes = max_episodes
        self.ttl_s = ttl_s
        self._open: dict[str, OpenEpisode] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._open)

    def open(self, episode: Episode, task_id: str) -> str:
        """Add `episode`; its new id. Raises TooManyEpisodes when full of unexpired episodes."""
        with self._lock:
            expired = self._expired()
            if len(self._open) - len(expired) >= self.max_episodes:
                raise TooManyEpisodes(
                    f"{len(self._open)} episodes are open (the limit); close finished ones or start the server "
                    "with a larger --max-episodes"
                )
            gone = [self._open.pop(i) for i in expired]
            episode_id = secrets.token_hex(16)
            self._open[episode_id] = OpenEpisode(episode, task_id, time.monotonic() + self.ttl_s)
        for old in gone:
            _close(old.episode)
        return episode_id

    def get(self, episode_id: str) -> OpenEpisode | None:
        """The live episode `episode_id` (its expiry pushed back), or None when unknown or expired."""
        with self._lock:
            found = self._open.get(episode_id)
            if found is None:
                return None
            if found.expires < time.monotonic():
                del self._open[episode_id]
                expired = found
                found = None
            else:
                found.expires = time.monotonic() + self.ttl_s
                return found
        _close(expired.episode)
        return None

    def close(self, episode_id: str) -> bool:
        """Close and forget `episode_id`; False when it was not open."""
        with self._lock:
            found = self._open.pop(episode_id, None)
        if found is not None:
            with found.lock:
                _close(found.episode)
        return found is not None

    def close_all(self) -> None:
        """Close every episode (server shutdown)."""
        with self._lock:
            everything, self._open = list(self._open.values()), {}
        for found in everything:
            _close(found.episode)

    def _expired(self) -> list[str]:
        now = time.monotonic()
        return [i for i, e in self._open.items() if e.expires < now]


def _close(episode: Episode) -> None:
    try:
        episode.close()
    except Exception:  # a failing close must not take the server's table down with it
        log.exception("closing an episode failed")
