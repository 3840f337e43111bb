"""A real SQLite store with two runs written through `Store.write`, for the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, SamplingConfig, ToolCall, Usage, Verdict

EVIL = '<script>alert("pwned")</script><img src="https://evil.example/x.png">'
"""Model output that must be shown, never run or fetched."""


def _rollout(task_id: str, sample: int = 0, answer: str | None = "done", calls=(), latency=1.0) -> Rollout:
    messages = [
        Message(role="system", content="You can call tools."),
        Message(role="user", content=f"Please do task {task_id}."),
        Message(role="assistant", content=answer, tool_calls=list(calls)),
    ]
    if calls:
        messages.append(Message(role="tool", content='{"temp": 21}', tool_call_id="c1", name=calls[0].name))
    return Rollout(task_id=task_id, sample=sample, seed=sample, messages=messages,
                   usage=Usage(prompt_tokens=100, completion_tokens=20), latency_s=latency)


def _fail(kind: FailureKind, why: str) -> Verdict:
    return Verdict.fail(kind, why)


def _alpha(store: Store) -> None:
    run = store.open_run("alpha", RunManifest(suite="fc-core", suite_version="abc123", model="tiny",
                                              split="test", sampling=SamplingConfig(seed=7)))
    weather = ToolCall(name="get_weather", arguments={"city": "Paris</pre><b>bold</b>"}, id="c1")
    store.write(run.id, [
        (_rollout("simple-ok-1", latency=0.5), "simple", Verdict.ok()),
        (_rollout("simple-ok-2", latency=1.5), "simple", Verdict.ok()),
        (_rollout("simple-bad-3", answer=EVIL, latency=4.0), "simple",
         _fail(FailureKind.SHOULD_CALL, "expected a call to get_weather, got text")),
        (_rollout("parallel-ok-1"), "parallel", Verdict.ok()),
        (_rollout("parallel-bad-2", answer=None, calls=[weather]), "parallel",
         _fail(FailureKind.WRONG_VALUE, "city: expected 'Paris', got 'Paris</pre><b>bold</b>'")),
        (_rollout("irrelevance-bad-1", answer=None, calls=[weather]), "irrelevance",
         _fail(FailureKind.SHOULD_ABSTAIN, "no tool fits; expected no call")),
    ])
    infra = _rollout("simple-infra-4").model_copy(update={"error": "HTTP 503 after 3 retries"})
    store.write(run.id, [(infra, "simple", _fail(FailureKind.INFRA_ERROR, "HTTP 503 after 3 retries"))])
    store.write(run.id, [(_rollout("parallel-unscored-3"), "parallel", None)])


def _beta(store: Store) -> None:
    run = store.open_run("beta", RunManifest(suite="fc-core", suite_version="abc123", model="openai:qwen",
                                             split="test", repeats=2, mode="bfcl"))
    rows = []
    for sample in range(2):
        rows += [
            (_rollout("simple-ok-1", sample), "simple", Verdict.ok()),
            (_rollout("simple-ok-2", sample), "simple",
             Verdict.ok() if sample == 0 else _fail(FailureKind.WRONG_TYPE, "unit: expected str, got int")),
            (_rollout("parallel-ok-1", sample), "parallel", Verdict.ok()),
        ]
    store.write(run.id, rows)


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite URL of a store with runs `alpha` (failures, an infra error, an unscored rollout) and
    `beta` (two repeats, bfcl mode)."""
    path: Path = tmp_path_factory.mktemp("report") / "toolgym.db"
    with Store(str(path)) as store:
        _alpha(store)
        _beta(store)
    return str(path)
