import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from toolgym.errors import InfraError, UserError
from toolgym.models.retry import RetryableError, RetryPolicy, parse_retry_after, with_retries

RNG = random.Random(0)


def test_backoff_doubles_and_is_capped():
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=3.0, jitter=0.0)
    assert [policy.delay(n, None, RNG) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_jitter_stays_within_its_fraction():
    policy = RetryPolicy(base_delay_s=1.0, jitter=0.5)
    delays = [policy.delay(1, None, RNG) for _ in range(200)]
    assert all(0.5 <= d <= 1.0 for d in delays) and len(set(delays)) > 100


def test_retry_after_is_a_floor_and_is_capped():
    policy = RetryPolicy(base_delay_s=0.1, jitter=0.0, max_retry_after_s=10)
    assert policy.delay(1, 2.0, RNG) == 2.0
    assert policy.delay(1, 0.01, RNG) == 0.1
    assert policy.delay(1, 3600, RNG) == 10


def test_from_retries_counts_the_first_attempt():
    assert RetryPolicy.from_retries(4).max_attempts == 5


def test_parse_retry_after():
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0 and parse_retry_after("0.5") == 0.5
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("-4") == 0.0


def test_with_retries_returns_after_failures():
    attempts = []

    async def flaky():
        attempts.append(time.perf_counter())
        if len(attempts) < 3:
            raise RetryableError("HTTP 503", retry_after=0.05)
        return "ok"

    policy = RetryPolicy(max_attempts=3, base_delay_s=0.001, jitter=0.0)
    assert asyncio.run(with_retries(flaky, policy, what="POST x")) == "ok"
    assert attempts[1] - attempts[0] >= 0.05 and attempts[2] - attempts[1] >= 0.05


def test_with_retries_raises_one_infra_error_with_the_last_failure_and_hint():
    async def down():
        raise RetryableError("cannot connect (refused)", hint="is the server running?")

    policy = RetryPolicy(max_attempts=2, base_delay_s=0.001)
    with pytest.raises(
        InfraError, match=r"^POST u failed after 2 attempts: cannot connect \(refused\); is the"
    ):
        asyncio.run(with_retries(down, policy, what="POST u"))


def test_other_errors_are_not_retried():
    calls = []

    async def bad_key():
        calls.append(1)
        raise UserError("HTTP 401")

    with pytest.raises(UserError):
        asyncio.run(with_retries(bad_key, RetryPolicy(max_attempts=5), what="POST u"))
    assert calls == [1]


def test_policy_validates_its_fields():
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
