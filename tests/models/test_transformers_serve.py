"""The tiny model behind `transformers serve` answers through the openai backend as the local backend does.

A real OpenAI-compatible server (transformers' own, on loopback, offline, float32 like the local
backend on CPU) runs the bundled model; a few fc-core tasks are asked greedily through both backends
and must give the same calls and text. This holds only because a stock tokenizer load of the model
directory tokenizes as toolgym does (tests/models/test_portable_tokenizer.py), and because the
tokenizer's response template turns `<tool_call>` blocks into API tool calls.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")
pytest.importorskip("openai", reason="transformers serve needs its serving extras: pip install 'toolgym[serving]'")
pytest.importorskip("uvicorn", reason="transformers serve needs its serving extras: pip install 'toolgym[serving]'")

from tests.train.crafted import needs_tiny  # noqa: E402
from toolgym.models import ModelOptions, load_model  # noqa: E402
from toolgym.models.tiny import TINY_MODEL_DIR  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.types import SamplingConfig  # noqa: E402

pytestmark = [needs_tiny, pytest.mark.slow]

CLI = Path(sys.executable).with_name("transformers")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CLI.is_file() and shutil.which("transformers") is None:
        pytest.skip("needs the `transformers` console script beside this Python")
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [str(CLI) if CLI.is_file() else "transformers", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--device", "cpu", "--dtype", "float32", str(TINY_MODEL_DIR)]
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 240  # imports and the model load are slow on a loaded machine
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(1)
        else:
            pytest.fail(f"transformers serve did not come up: {log.read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _answers(spec: str, options: ModelOptions, tasks) -> list:
    model = load_model(spec, options)

    async def go():
        try:
            return [await model.generate(t.messages, t.tools, SamplingConfig(max_tokens=96)) for t in tasks]
        finally:
            await model.aclose()

    return asyncio.run(go())


def test_served_and_local_answers_are_the_same(served):
    tasks = [t for t in load_suite("fc-core").split("test") if t.expected.calls][:4]
    local = _answers(f"hf:{TINY_MODEL_DIR}", ModelOptions(device="cpu"), tasks)
    remote = _answers(f"openai:{TINY_MODEL_DIR}", ModelOptions(base_url=served, timeout_s=120), tasks)
    compared = 0
    for task, mine, theirs in zip(tasks, local, remote, strict=True):
        if mine.parse_error:
            # the server refuses the whole answer (HTTP 400) where toolgym keeps the calls that do parse;
            # both score the task as the model's parse error, and the run goes on
            assert theirs.parse_error and "(HTTP 400" in theirs.parse_error, task.id
            continue
        assert theirs.parse_error is None, (task.id, theirs.parse_error)
        assert [(c.name, c.arguments) for c in theirs.tool_calls] == [(c.name, c.arguments) for c in mine.tool_calls]
        assert (theirs.text or "").strip() == (mine.text or "").strip(), task.id
        compared += bool(mine.tool_calls)
    assert compared >= 2, "at least two tasks should give the same tool calls through both backends"
