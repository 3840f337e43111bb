"""PortableModel: a model named by spec that every process it is sent to builds for itself.

A live backend holds sockets (an `httpx.AsyncClient`) or weights, which cannot travel to a Ray
worker; its spec and options can. Pickling a `PortableModel` keeps only those two, and the worker
that unpickles it loads its own backend on first use, with its own connection pool.
"""

from __future__ import annotations

from ...models import Model, ModelOptions, load_model
from ...types import Completion, Message, SamplingConfig, Tool

__all__ = ["PortableModel"]


class PortableModel(Model):
    """`load_model(spec, options)`, loaded lazily in whichever process uses it."""

    def __init__(self, spec: str, options: ModelOptions | None = None) -> None:
        self.spec = spec
        self.options = options or ModelOptions()
        self._inner: Model | None = None

    def __reduce__(self) -> tuple:
        return (PortableModel, (self.spec, self.options))  # never the loaded backend

    @property
    def inner(self) -> Model:
        """The backend in this process (loaded on first use)."""
        if self._inner is None:
            self._inner = load_model(self.spec, self.options)
        return self._inner

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """One assistant turn from this process's backend."""
        return await self.inner.generate(messages, tools, sampling, task_id=task_id, sample=sample)

    def describe(self) -> dict:
        """What the backend itself says (the manifest must match a local run's)."""
        return self.inner.describe()

    async def aclose(self) -> None:
        """Close this process's backend, if it was loaded."""
        inner, self._inner = self._inner, None
        if inner is not None:
            await inner.aclose()
