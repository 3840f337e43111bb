"""What a run holds open while it runs: where rollouts run, the model under test, and the store.

`evaluate_async`, `arena.answer_async` and `arena.judge_async` (its judge is the model) open the three
in the same order and close them the same way whatever ends the run (its end, an error, Ctrl-C), so
a failed model load or an unreachable database never leaves executor workers or model servers behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from ..models import Model, ModelOptions
from ..store import Store
from .executors import Executor, executor_for

__all__ = ["Opened", "opened"]


@dataclass(frozen=True, slots=True)
class Opened:
    """The executor, model and store of one run, open until its `opened` block ends."""

    executor: Executor
    model: Model
    store: Store


@asynccontextmanager
async def opened(
    executor: Executor | str, model: Model | str, options: ModelOptions | None, db: str
) -> AsyncIterator[Opened]:
    """Open a run's executor (an instance or a spec), model (an instance or a spec it loads) and store.

    A model given as an instance stays open for its caller to reuse; one loaded here, the executor
    and the store are closed when the block ends, and whatever was already open when a later step
    fails is closed before the error propagates.
    """
    async with AsyncExitStack() as stack:
        runs_on = executor if isinstance(executor, Executor) else executor_for(executor)
        stack.push_async_callback(runs_on.aclose)
        if isinstance(model, str):
            model = runs_on.load_model(model, options)
            stack.push_async_callback(model.aclose)
        store = stack.enter_context(Store(db))
        yield Opened(runs_on, model, store)
