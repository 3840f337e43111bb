"""RetryPolicy: when and how long to wait before retrying a request that failed for infrastructure.

Infrastructure failures are a refused or reset connection, a timeout, HTTP 429 and 5xx, a broken body.

Waits grow exponentially from `base_delay_s` up to `max_delay_s`, with random jitter so that many
clients that failed together do not retry together; a server's `Retry-After` is honoured (never
retried sooner than it asks, up to `max_retry_after_s`). When the attempts are spent, the last
failure is raised as one `InfraError` naming what was tried, how often and what went wrong.

Examples:
    >>> policy = RetryPolicy(max_attempts=3, base_delay_s=0.1, jitter=0.0)
    >>> [policy.delay(n, None, random.Random(0)) for n in (1, 2)]
    [0.1, 0.2]
    >>> policy.delay(1, retry_after=2.0, rng=random.Random(0))
    2.0
"""

from __future__ import annotations

import asyncio
import email.utils
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InfraError

__all__ = ["RetryPolicy", "RetryableError", "parse_retry_after", "with_retries"]

T = TypeVar("T")


class RetryPolicy(BaseModel):
    """Exponential backoff with jitter, honouring Retry-After."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    max_attempts: int = Field(default=5, ge=1)
    """Attempts in all, the first included (1 means never retry)."""
    base_delay_s: float = Field(default=0.5, ge=0.0)
    """Wait after the first failure; each further failure doubles it."""
    max_delay_s: float = Field(default=30.0, ge=0.0)
    """Longest backoff wait."""
    jitter: float = Field(default=0.5, ge=0.0, le=1.0)
    """Fraction of each backoff wait drawn at random (0: exact waits; 0.5: between half and all of it)."""
    max_retry_after_s: float = Field(default=120.0, ge=0.0)
    """Longest `Retry-After` honoured; a server asking for more is waited on this long."""

    @classmethod
    def from_retries(cls, retries: int) -> RetryPolicy:
        """The default policy with `retries` retries after the first attempt (ModelOptions.max_retries)."""
        return cls(max_attempts=retries + 1)

    def delay(self, failures: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after the `failures`-th failed attempt (1-based)."""
        backoff = min(self.max_delay_s, self.base_delay_s * 2 ** (failures - 1))
        backoff *= 1.0 - self.jitter * rng.random()
        if retry_after is None:
            return backoff
        return max(backoff, min(retry_after, self.max_retry_after_s))


class RetryableError(Exception):
    """One failed attempt worth retrying, raised by the attempt given to `with_retries`."""

    def __init__(self, message: str, retry_after: float | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds the server asked to wait (Retry-After), if it did."""
        self.hint = hint
        """What the user might do about it, appended to the final InfraError."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    rng: random.Random | None = None,
) -> T:
    """Run `attempt` until it returns, retrying on `RetryableError` as `policy` allows.

    Any other exception propagates at once (a 400 or a model error is not retried).

    Raises:
        InfraError: `"{what} failed after N attempts: {last error}"`, once the attempts are spent.
    """
    rng = rng or random.Random()
    for failures in range(1, policy.max_attempts + 1):
        try:
            return await attempt()
        except RetryableError as e:
            last = e
            if failures < policy.max_attempts:
                await asyncio.sleep(policy.delay(failures, e.retry_after, rng))
    tries = f"{policy.max_attempts} attempt" + ("s" if policy.max_attempts > 1 else "")
    hint = f"; {last.hint}" if last.hint else ""
    raise InfraError(f"{what} failed after {tries}: {last}{hint}") from last
