"""Benchmark of local generation: the bundled tiny model's tokens per second at batch 1 and batch 32.

Prompts are fc-core test tasks (tools in the system prompt, one request). Batch 1 sends the requests
one after another; batch 32 sends 32 at once, which the backend's micro-batcher turns into one
left-padded `generate`. Greedy decoding, at most 96 new tokens. Throughput counts generated tokens
(end-of-turn included) over wall time; each figure is the median of the repeats.

Run: .venv/bin/python benchmarks/bench_generate.py [--repeats 5] [--threads 2] [--device cpu]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import torch

from toolgym.models import ModelOptions, load_model
from toolgym.suites import load_suite
from toolgym.types import SamplingConfig, Task


async def _round(model, tasks: list[Task], batch: int, sampling: SamplingConfig) -> tuple[int, float]:
    start = time.perf_counter()
    tokens = 0
    for i in range(0, len(tasks), batch):
        chunk = tasks[i : i + batch]
        done = await asyncio.gather(*(model.generate(t.messages, t.tools, sampling) for t in chunk))
        tokens += sum(c.usage.completion_tokens for c in done)
    return tokens, time.perf_counter() - start


def measure(model, tasks: list[Task], batch: int, repeats: int) -> dict[str, float]:
    """Median tokens/s and seconds per request over `repeats` rounds of `tasks` at one batch size."""
    sampling = SamplingConfig(temperature=0.0, max_tokens=96)

    async def rounds() -> list[tuple[int, float]]:
        await _round(model, tasks[:batch], batch, sampling)  # warm-up
        out = [await _round(model, tasks, batch, sampling) for _ in range(repeats)]
        await model.aclose()
        return out

    results = asyncio.run(rounds())
    rates = [tokens / wall for tokens, wall in results]
    per_request = [wall / len(tasks) for _, wall in results]
    return {
        "batch": batch,
        "requests": len(tasks),
        "tokens_per_s": round(statistics.median(rates), 1),
        "s_per_request": round(statistics.median(per_request), 4),
        "tokens_per_request": round(statistics.median(t / len(tasks) for t, _ in results), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--requests", type=int, default=64, help="requests per round")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tasks = load_suite("fc-core").split("test")[: args.requests]
    start = time.perf_counter()
    model = load_model("tiny", ModelOptions(device=args.device, batch_size=32))
    print(f"load: {time.perf_counter() - start:.2f} s, device {args.device}, {args.threads} threads")
    for batch in (1, 32):
        n = min(len(tasks), 16) if batch == 1 else len(tasks)
        print(measure(model, tasks[:n], batch, args.repeats))


if __name__ == "__main__":
    main()
