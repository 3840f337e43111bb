"""ReplicaPool: one model served by several OpenAI-compatible servers, with load balancing and health.

`--base-url http://a:8000/v1,http://b:8000/v1` names replicas of the same model (several vLLM
servers, one per GPU or node). Each request goes to the healthy replica with the fewest requests in
flight. A replica whose request fails on the infrastructure (refused connection, timeout, 5xx) is
marked down for `COOLDOWN_S` and the request moves to another replica at once; a down replica gets
a request again after its cool-down (the first success marks it up). The attempts in all, over the
replicas, are `ModelOptions.max_retries + 1`; the pool waits (backoff with jitter) only before going
back to a replica that already failed this request. Answers that are about the request or the model
(`UserError`, `RequestRejected`, a parse error) are not moved: another replica would say the same.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

from ..errors import InfraError
from ..types import Completion, Message, SamplingConfig, Tool
from .model import Model, ModelOptions
from .openai import OpenAIModel, RequestRejected
from .retry import RetryPolicy

__all__ = ["COOLDOWN_S", "ReplicaPool", "base_urls"]

COOLDOWN_S = 5.0
"""Seconds a replica that failed is left alone before it is tried again."""


def base_urls(base_url: str | None) -> list[str]:
    """The replica URLs of a `--base-url` value: comma-separated, blanks dropped."""
    return [u.strip() for u in (base_url or "").split(",") if u.strip()]


@dataclass
class _Replica:
    model: OpenAIModel
    in_flight: int = 0
    down_until: float = 0.0
    failures: int = 0
    served: int = 0


class ReplicaPool(Model):
    """`openai:NAME` over several base URLs: requests balanced over the healthy replicas.

    Examples:
        >>> pool = ReplicaPool("m", ModelOptions(base_url="http://a:8000/v1,http://b:8000/v1"))
        >>> [r.model.url for r in pool.replicas]
        ['http://a:8000/v1/chat/completions', 'http://b:8000/v1/chat/completions']
    """

    def __init__(self, name: str, options: ModelOptions) -> None:
        once = RetryPolicy(max_attempts=1)  # one request per attempt: the pool decides where the next goes
        self.replicas = [_Replica(OpenAIModel(name, options.model_copy(update={"base_url": url}), retry=once))
                         for url in base_urls(options.base_url)]
        self.spec = f"openai:{name}"
        self.retry = RetryPolicy.from_retries(options.max_retries)
        self._rng = random.Random()
        self._turn = 0

    def describe(self) -> dict:
        """As one replica describes itself, with every URL (URLs are not part of a run's identity)."""
        return self.replicas[0].model.describe() | {"url": ",".join(r.model.url for r in self.replicas)}

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """One assistant turn from a healthy replica; infrastructure failures move to another."""
        tried: set[int] = set()
        last: InfraError | None = None
        for attempt in range(1, self.retry.max_attempts + 1):
            i = self._pick()
            if i in tried:  # back to a replica that failed this request: give it time first
                await asyncio.sleep(self.retry.delay(attempt - 1, None, self._rng))
            replica = self.replicas[i]
            replica.in_flight += 1
            try:
                out = await replica.model.generate(messages, tools, sampling, task_id=task_id, sample=sample)
            except RequestRejected:
                raise
            except InfraError as e:
                replica.down_until, replica.failures = time.monotonic() + COOLDOWN_S, replica.failures + 1
                tried.add(i)
                last = e
                continue
            finally:
                replica.in_flight -= 1
            replica.down_until, replica.served = 0.0, replica.served + 1
            return out
        raise InfraError(f"all {len(self.replicas)} replicas failed, {self.retry.max_attempts} attempts; "
                         f"the last: {last}") from last

    def _pick(self) -> int:
        """The healthy replica with the fewest requests in flight (ties in turn); none healthy: the soonest back."""
        now = time.monotonic()
        n = len(self.replicas)
        self._turn = (self._turn + 1) % n
        order = [(self._turn + k) % n for k in range(n)]
        healthy = [i for i in order if self.replicas[i].down_until <= now]
        if healthy:
            return min(healthy, key=lambda i: self.replicas[i].in_flight)
        return min(order, key=lambda i: self.replicas[i].down_until)

    async def aclose(self) -> None:
        """Close every replica's connections."""
        for replica in self.replicas:
            await replica.model.aclose()
