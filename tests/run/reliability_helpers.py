"""Run an evaluation against a loopback OpenAI-compatible server, with a fast retry policy."""

from __future__ import annotations

import asyncio

from toolgym.models import ModelOptions, OpenAIModel, RetryPolicy
from toolgym.run import RunConfig, evaluate_async


def run_against(server, suite, db, *, attempts=4, timeout_s=5.0, run="r"):
    options = ModelOptions(base_url=server.url, timeout_s=timeout_s)
    model = OpenAIModel("m", options, retry=RetryPolicy(max_attempts=attempts, base_delay_s=0.001, max_delay_s=0.01))
    cfg = RunConfig(suite=f"jsonl:{suite}", model="openai:m", db=db, split="all", concurrency=8, run=run)

    async def go():
        try:
            return await evaluate_async(cfg, model=model)
        finally:
            await model.aclose()

    return asyncio.run(go())
