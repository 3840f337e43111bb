"""Voter sessions: a random session id in a cookie, a CSRF token per session, a per-session rate limit.

Sessions live in memory (a restart starts fresh ones; the votes themselves are in the database).
Each holds the ballots drawn for it: which models sit behind A and B is known only here, never in
a page, until the session has voted on that ballot.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Ballot", "Sessions", "VoterSession"]

_MAX_BALLOTS = 20  # open ballots kept per session; drawing more drops the oldest


@dataclass
class Ballot:
    """One prompt and two answers shown to one voter, the models hidden until the vote."""

    id: str
    prompt_set: str
    prompt_id: str
    category: str
    question: str
    left: str
    """Model behind answer A (shown first)."""
    right: str
    """Model behind answer B."""
    answer_left: str
    answer_right: str
    choice: str | None = None
    """The vote cast: a, b, tie or bothbad; None while open."""


@dataclass
class VoterSession:
    """One browser's session."""

    id: str
    csrf: str
    ballots: OrderedDict[str, Ballot] = field(default_factory=OrderedDict)
    vote_times: deque[float] = field(default_factory=deque)

    @property
    def voter(self) -> str:
        """What is stored with a vote: a hash of the session id, so the id itself never leaves memory."""
        return hashlib.sha256(self.id.encode()).hexdigest()[:16]

    def csrf_ok(self, token: str | None) -> bool:
        """Whether a form carried this session's CSRF token (constant-time comparison)."""
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())



class Sessions:
    """The live voter sessions, bounded in number (the least recently used go first)."""

    def __init__(self, votes_per_minute: int, max_sessions: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._votes_per_minute = votes_per_minute
        self._max = max_sessions
        self._clock = clock
        self._sessions: OrderedDict[str, VoterSession] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> VoterSession | None:
        """The session with this id, if it is live."""
        with self._lock:
            session = self._sessions.get(session_id or "")
            if session is not None:
                self._sessions.move_to_end(session.id)
            return session

    def create(self) -> VoterSession:
        """A new session with fresh random id and CSRF token."""
        session = VoterSession(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32))
        with self._lock:
            self._sessions[session.id] = session
            while len(self._sessions) > self._max:
                self._sessions.popitem(last=False)
        return session

    def add_ballot(self, session: VoterSession, ballot: Ballot) -> None:
        """Keep a ballot drawn for `session`, dropping its oldest beyond 20."""
        with self._lock:
            session.ballots[ballot.id] = ballot
            while len(session.ballots) > _MAX_BALLOTS:
                session.ballots.popitem(last=False)

    def claim(self, session: VoterSession, ballot_id: str, choice: str) -> Ballot | None:
        """Mark an open ballot of `session` as voted `choice`; None when there is none or it was voted."""
        with self._lock:
            ballot = session.ballots.get(ballot_id)
            if ballot is None or ballot.choice is not None:
                return None
            ballot.choice = choice
            return ballot

    def release(self, session: VoterSession, ballot: Ballot) -> None:
        """Open a claimed ballot again (its vote could not be stored)."""
        with self._lock:
            ballot.choice = None

    def take_vote_slot(self, session: VoterSession) -> bool:
        """Count a vote against the session's rate; False when it already cast its votes of the last minute."""
        now = self._clock()
        with self._lock:
            while session.vote_times and now - session.vote_times[0] >= 60.0:
                session.vote_times.popleft()
            if len(session.vote_times) >= self._votes_per_minute:
                return False
            session.vote_times.append(now)
            return True
