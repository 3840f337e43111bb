"""Crafted runs for the post-training tests: real verdicts of known answers in a real SQLite store."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from toolgym.check import perturb
from toolgym.envs import FunctionCallingEnv
from toolgym.models.tiny import TINY_MODEL_DIR
from toolgym.store import RunManifest, Store
from toolgym.suites import Suite
from toolgym.train.chat import reference_answer
from toolgym.types import FailureKind, Message, Rollout, Task, Usage

needs_tiny = pytest.mark.skipif(
    not (TINY_MODEL_DIR / "model.safetensors").is_file(),
    reason="needs the tiny model's weights: python -m toolgym.train.tiny",
)


def _tiny_test_accuracy() -> float:
    import json

    try:
        record = json.loads((TINY_MODEL_DIR / "training.json").read_text())
        return float(record["test_accuracy"]["all"]["accuracy"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


needs_capable_tiny = pytest.mark.skipif(
    _tiny_test_accuracy() < 0.02,
    reason="needs a trained tiny model: the bundled one is a smoke-test placeholder that passes almost no "
    "fc-core task, so sampling finds nothing to train on (python -m toolgym.train.tiny)",
)


def wrong_answer(task: Task, seed: int = 0) -> Message:
    """An answer the verifier fails: the reference with a wrong value (or a call where none is wanted)."""
    good = reference_answer(task)
    if not good.tool_calls:
        tool = task.tools[0]
        return Message(role="assistant", tool_calls=[{"name": tool.name, "arguments": {}}])
    calls = perturb(good.tool_calls, task.tools, FailureKind.WRONG_VALUE, random.Random(seed))
    calls = calls or perturb(good.tool_calls, task.tools, FailureKind.WRONG_FUNCTION, random.Random(seed))
    return Message(role="assistant", tool_calls=calls)


def write_run(db: Path, name: str, suite: Suite, answers: dict[tuple[str, int], Message], split: str = "train",
              tokens: dict[tuple[str, int], int] | None = None) -> None:
    """Store a run whose rollouts are the given answers, each scored by the real verifier."""
    env = FunctionCallingEnv()
    tasks = {t.id: t for t in suite.tasks}
    repeats = 1 + max(sample for _, sample in answers)
    manifest = RunManifest(suite=suite.name, suite_version=suite.version, model="replay:crafted", split=split,
                           repeats=repeats)
    with Store(str(db)) as store:
        run = store.open_run(name, manifest)
        rows = []
        for (task_id, sample), answer in answers.items():
            task = tasks[task_id]
            messages = [*task.messages, answer]
            n = (tokens or {}).get((task_id, sample), 20)
            rollout = Rollout(task_id=task_id, sample=sample, messages=messages, usage=Usage(completion_tokens=n))
            rows.append((rollout, task.category, env.verify(task, messages)))
        store.write(run.id, rows)
