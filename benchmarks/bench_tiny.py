"""Benchmark of the bundled tiny model's answers: fc-core test accuracy per category, with intervals.

Greedy answers to every task of the test split (never seen in training), checked in toolgym mode
by the same checker `toolgym eval` uses. Prints accuracy with 95% Wilson intervals per category and
overall, how often it abstains with text on irrelevance tasks, how often it wrongly abstains on
tasks that need a call, and the parse-error rate. Beside the tiny model it scores two baselines
measured in the same run, so the figure reads against something: `gold` (the reference answers,
which must score 100%) and `first-tool` (call the first offered tool with no arguments, which shows
what the categories give away for free). For a local model it then prints the answer probe
(`toolgym.train.tiny.probe`): teacher-forced accuracy of the reference answers' tokens by their job
(call or abstain, tool name, argument key, starting or continuing a copy, values not in the request),
which says where the failures above come from.

Run: .venv/bin/python benchmarks/bench_tiny.py [--threads 2] [--model tiny|hf:PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter

import torch

from toolgym.check import check_calls, reference_calls
from toolgym.models import ModelOptions, load_model
from toolgym.models.local import LocalModel
from toolgym.stats import accuracy
from toolgym.suites import load_suite
from toolgym.train.tiny.probe import answer_probe
from toolgym.types import SamplingConfig, Task, ToolCall


async def _answers(model, tasks: list[Task]) -> list:
    sampling = SamplingConfig(temperature=0.0, max_tokens=256)
    try:
        return await asyncio.gather(*(model.generate(t.messages, t.tools, sampling) for t in tasks))
    finally:
        await model.aclose()


def _verdicts(tasks: list[Task], answers: list[list[ToolCall]], parse_errors: list[str | None]) -> list:
    return [
        check_calls(calls, t.expected.calls or [], t.tools, t.category, mode="toolgym", parse_error=error)
        for t, calls, error in zip(tasks, answers, parse_errors, strict=True)
    ]


def _report(name: str, tasks: list[Task], verdicts: list) -> None:
    report = accuracy([(t.id, t.category, v.passed) for t, v in zip(tasks, verdicts, strict=True)])
    cells = [f"{k} {e.value:6.1%} [{e.low:.1%}, {e.high:.1%}]" for k, e in sorted(report.by_category.items())]
    o = report.overall
    print(f"{name:>10}: all {o.value:6.1%} [{o.low:.1%}, {o.high:.1%}]")
    for cell in cells:
        print(f"{'':>12}{cell}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--no-probe", action="store_true", help="skip the teacher-forced answer probe")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tasks = load_suite("fc-core").split("test")

    gold = [reference_calls(t.expected.calls or []) for t in tasks]
    _report("gold", tasks, _verdicts(tasks, gold, [None] * len(tasks)))
    first = [[ToolCall(name=t.tools[0].name, arguments={})] for t in tasks]
    _report("first-tool", tasks, _verdicts(tasks, first, [None] * len(tasks)))

    model = load_model(args.model, ModelOptions(device="cpu", batch_size=64))
    start = time.perf_counter()
    completions = asyncio.run(_answers(model, tasks))
    wall = time.perf_counter() - start
    verdicts = _verdicts(tasks, [c.tool_calls for c in completions], [c.parse_error for c in completions])
    _report(args.model, tasks, verdicts)

    irrelevant = [c for t, c in zip(tasks, completions, strict=True) if t.category == "irrelevance"]
    needs_call = [c for t, c in zip(tasks, completions, strict=True) if t.category != "irrelevance"]
    abstained = sum(not c.tool_calls and bool(c.text) for c in irrelevant)
    wrongly = sum(not c.tool_calls and c.parse_error is None for c in needs_call)
    failures = Counter(v.failure.value for v in verdicts if not v.passed and v.failure)
    print(f"abstains with text on irrelevance: {abstained}/{len(irrelevant)}")
    print(f"no call where one is needed: {wrongly}/{len(needs_call)}")
    print(f"parse errors: {sum(c.parse_error is not None for c in completions)}/{len(tasks)}")
    print(f"failure kinds: {dict(failures.most_common())}")
    print(f"{len(tasks)} tasks answered in {wall:.1f} s ({args.threads} threads, batch 64)")
    # the probe scores answer tokens by the chat template's generation markers (the tiny model's have them)
    if isinstance(model, LocalModel) and "generation" in (model.tokenizer.chat_template or "") and not args.no_probe:
        _print_probe(answer_probe(model.model, model.tokenizer, list(tasks)))


def _print_probe(table: dict) -> None:
    total = sum(row["errors"] for row in table.values())
    print("answer probe (teacher-forced, reference answers of the test split):")
    print(f"  {'kind':<26} {'tokens':>7} {'accuracy':>9} {'errors':>7} {'share':>6}")
    for kind, row in table.items():
        share = row["errors"] / max(1, total)
        print(f"  {kind:<26} {row['tokens']:>7} {row['accuracy']:>9.1%} {row['errors']:>7} {share:>6.0%}")


if __name__ == "__main__":
    main()
