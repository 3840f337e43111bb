"""Fixtures of the web view's tests: a real SQLite store with runs, answers and hostile transcripts,
the app served by uvicorn on 127.0.0.1 in a thread, and (for the browser tests) Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, ToolCall, Usage, Verdict

PAYLOADS = [
    '</script><script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    "javascript:window.__pwned='link'",
]
"""Hostile model output: none of it may ever execute in the view."""

CATEGORIES = ["simple", "multiple", "parallel"]
ARENA_MODELS = ["model-strong", "model-weak", "model-mid"]


def _rollout(task_id: str, sample: int, answer: str, tool_result: str = '{"temperature": 18}') -> Rollout:
    call = ToolCall(name="get_weather", arguments={"city": "Paris", "unit": "celsius"}, id="call_1")
    return Rollout(
        task_id=task_id, sample=sample, seed=sample,
        messages=[
            Message(role="system", content="You are a helpful assistant with tools."),
            Message(role="user", content=f"Weather in Paris? ({task_id})"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", name="get_weather", content=tool_result, tool_call_id="call_1"),
            Message(role="assistant", content=answer),
        ],
        usage=Usage(prompt_tokens=100 + sample, completion_tokens=20), latency_s=0.5 + sample / 10,
    )


def _eval_run(store: Store, name: str, model: str, passing: set[int], hostile: bool) -> None:
    manifest = RunManifest(suite="weather", suite_version="v1", model=model, split="test", repeats=2)
    run = store.open_run(name, manifest)
    rows = []
    for i in range(60):
        task_id, category = f"task-{i:03d}", CATEGORIES[i % 3]
        for sample in range(2):
            answer = PAYLOADS[i % 3] if hostile and i < 9 else f"It is 18 °C in Paris (answer {i})."
            result = PAYLOADS[(i + 1) % 3] if hostile and i < 9 else '{"temperature": 18}'
            ok = i in passing
            verdict = Verdict.ok(components={"name": 1.0, "args": 1.0}) if ok else Verdict.fail(
                FailureKind.WRONG_VALUE if i % 2 else FailureKind.WRONG_FUNCTION,
                f"unit: expected 'celsius' (task {i})", components={"name": 1.0, "args": 0.5})
            rows.append((_rollout(task_id, sample, answer, result), category, verdict))
    store.write(run.id, rows)
    store.set_status(run.id, "finished")


def _answer_run(store: Store, model: str, quality: str) -> None:
    manifest = RunManifest(suite="arena:prompts.jsonl", suite_version="p1", model=model, mode="arena")
    run = store.open_run(f"answers-{model}", manifest)
    rows = []
    for i in range(12):
        rollout = Rollout(task_id=f"q{i:02d}", messages=[
            Message(role="user", content=f"Question {i}: explain tool calling."),
            Message(role="assistant", content=f"{quality} answer {i} <b>bold?</b> {PAYLOADS[i % 3]}"),
        ])
        rows.append((rollout, "general", Verdict(reward=1.0, passed=True, flags=["arena_answer"])))
    store.write(run.id, rows)
    store.set_status(run.id, "finished")


@pytest.fixture(scope="session")
def view_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with two evaluation runs of one suite (B better than A), and three arena answer runs."""
    db = str(tmp_path_factory.mktemp("view") / "view.db")
    with Store(db) as store:
        _eval_run(store, "weather-a", "openai:model-a", passing=set(range(0, 60, 3)), hostile=True)
        _eval_run(store, "weather-b", "openai:model-b", passing=set(range(0, 60, 2)), hostile=False)
        for model, quality in zip(ARENA_MODELS, ["thorough", "terse", "fair"], strict=True):
            _answer_run(store, model, quality)
    return db


@dataclass
class Served:
    """A view served on loopback."""

    url: str
    db: str

    def client(self, **kw: object) -> httpx.Client:
        """An HTTP client of this server that keeps cookies."""
        return httpx.Client(base_url=self.url, timeout=30, **kw)  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_in_thread(config: object) -> Iterator[str]:
    """Run the view with uvicorn in a thread; yields its base URL and stops it afterwards."""
    import uvicorn

    from toolgym.view import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config.model_copy(update={"port": port})),  # type: ignore[attr-defined]
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the view did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def served(view_db: str, tmp_path: Path) -> Iterator[Served]:
    """The view over a fresh copy of `view_db` (votes of one test do not leak into another)."""
    from toolgym.view import ViewConfig

    db = str(tmp_path / "view.db")
    shutil.copy(view_db, db)
    config = ViewConfig(db=db, admin_token="admin-token-0123456789", votes_per_minute=60)
    for url in serve_in_thread(config):
        yield Served(url, db)


def chromium_path() -> str | None:
    """Debian's chromium (TOOLGYM_CHROMIUM, else on PATH); Playwright's own download does not work here."""
    return os.environ.get("TOOLGYM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
