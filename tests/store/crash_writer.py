"""Helper process for test_crash: writes batches to a store until killed (or for --batches N).

Every rollout of batch b has seed b, so after a kill each seed must have a full batch or none.
Prints `writing B` just before each batch's transaction.
"""

from __future__ import annotations

import argparse

from toolgym.store import RunManifest, Store
from toolgym.types import Message, Rollout, ToolCall, Usage, Verdict

BATCH = 100


def batch(b: int) -> list[tuple[Rollout, str, Verdict]]:
    rows = []
    for i in range(BATCH):
        call = ToolCall(name="lookup", arguments={"query": "x" * 200, "i": i}, id="c1")
        messages = [
            Message(role="user", content="find it " * 40),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", content="result " * 80, tool_call_id="c1", name="lookup"),
            Message(role="assistant", content="done"),
        ]
        r = Rollout(task_id=f"b{b}-t{i}", seed=b, messages=messages, usage=Usage(prompt_tokens=9))
        rows.append((r, "simple", Verdict.ok()))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--batches", type=int, default=None, help="stop after N batches (default: never)")
    args = parser.parse_args()
    store = Store(args.url)
    run = store.open_run("crash", RunManifest(suite="s", suite_version="v", model="tiny"))
    b = 0
    while args.batches is None or b < args.batches:
        rows = batch(b)
        print(f"writing {b}", flush=True)
        store.write(run.id, rows)
        b += 1


if __name__ == "__main__":
    main()
