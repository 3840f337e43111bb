"""The tiny model behind `transformers serve` answers through the openai backend as the local backend does.

A real OpenAI-compatible server (transformers' own, on loopback, offline, float32 like the local
backend on CPU) runs the bundled model; a few fc-core tasks are asked greedily through both backends
and must give the same calls and text. This holds only because a stock tokenizer load of the model
directory tokenizes as toolgym does (tests/models/test_portable_tokenizer.py), and because the
tokenizer's response template turns `<tool_call>` blocks into API tool calls.

`toolgym conformance` (issue 23) runs its grid through the same server and locally.
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
from toolgym.cli import main  # noqa: E402
from toolgym.models import ModelOptions, load_model  # noqa: E402
from toolgym.models.tiny import TINY_MODEL_DIR  # noqa: E402
from toolgym.store import Store  # noqa: E402
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


def test_conformance_through_transformers_serve_matches_the_local_backend(served, tmp_path, capsys):
    """The same checkpoint, served and local, under the hermes and pythonic parsers in native mode.

    transformers serve reads the calls itself (the tokenizer's response template), so the parser toolgym
    would fall back on changes nothing there; on the local backend the wrong parser (pythonic) reads the
    model's Hermes calls as text. The served hermes configuration gives the local one's verdicts, task by
    task: same prompt tokens, same answers, and a call the server cannot parse (HTTP 400) is the same
    parse error toolgym finds locally.
    """
    db = str(tmp_path / "runs.db")
    common = ["--limit", "5", "--tool-modes", "native", "--parsers", "hermes,pythonic", "--db", db]
    main(["conformance", "--model", f"hf:{TINY_MODEL_DIR}", "--prefix", "local", *common])
    main(["conformance", "--model", f"openai:{TINY_MODEL_DIR}", "--base-url", served, "--request-timeout", "300",
          "--prefix", "served", *common])
    assert "use: hermes-native" in capsys.readouterr().out
    with Store(db) as store:
        runs = {r.name: list(store.results(r.id)) for r in store.list_runs()}
    assert sorted(runs) == ["local-hermes-native", "local-pythonic-native", "served-hermes-native",
                            "served-pythonic-native"] and all(len(records) == 5 for records in runs.values())

    def verdicts(name: str) -> dict[str, tuple]:
        return {r.task_id: (r.passed, r.failure) for r in runs[name]}

    assert verdicts("served-hermes-native") == verdicts("local-hermes-native")
    prompts = {r.task_id: r.prompt_tokens for r in runs["local-hermes-native"]}
    answered = [r for r in runs["served-hermes-native"] if r.prompt_tokens]  # a 400 carries no usage
    assert answered and all(r.prompt_tokens == prompts[r.task_id] for r in answered)
    assert verdicts("served-pythonic-native") == verdicts("served-hermes-native")  # the server parsed the calls
    assert verdicts("local-pythonic-native") != verdicts("local-hermes-native")  # locally the parser matters
    served_parse_errors = [r for r in runs["served-hermes-native"] if r.failure == "parse_error"]
    assert all("HTTP 400" in r.explanation for r in served_parse_errors)
