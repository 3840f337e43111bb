"""`arena answer` runs end as `eval` runs do: `failed` with the cause, `interrupted` on Ctrl-C, never `running`."""

from __future__ import annotations

import asyncio

import pytest

from tests.arena.conftest import write_prompts
from tests.helpers.openai_server import OpenAIServer, status
from toolgym.arena import AnswerConfig, answer_async
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.models import ModelOptions
from toolgym.models.openai import OpenAIModel
from toolgym.models.retry import RetryPolicy
from toolgym.store import Store


def _answer(server, prompts, db, **kw):
    model = OpenAIModel("m", ModelOptions(base_url=server.url, timeout_s=5),
                        retry=RetryPolicy(max_attempts=2, base_delay_s=0.001, max_delay_s=0.01))
    cfg = AnswerConfig(prompts=str(prompts), model="openai:m", db=db, run="answers", concurrency=1)
    return asyncio.run(answer_async(cfg, model=model, **kw))


def test_every_answer_failing_on_the_infrastructure_is_a_failed_run(tmp_path):
    prompts, db = write_prompts(tmp_path / "q.jsonl"), str(tmp_path / "a.db")
    with OpenAIServer(lambda body: status(500, "the GPU fell off the bus")) as server:
        run = _answer(server, prompts, db)
    assert run.status == "failed" and "infrastructure errors" in run.cause and "GPU fell off" in run.cause


def test_an_error_about_the_whole_run_records_failed_with_its_cause(tmp_path):
    prompts, db = write_prompts(tmp_path / "q.jsonl"), str(tmp_path / "a.db")
    with OpenAIServer(lambda body: status(401, "Incorrect API key provided")) as server, \
            pytest.raises(UserError, match="HTTP 401"):
        _answer(server, prompts, db)
    with Store(db) as store:
        run = store.get_run("answers")
    assert run.status == "failed" and "HTTP 401" in run.cause


def test_ctrl_c_leaves_the_run_interrupted_with_what_finished_stored(tmp_path):
    prompts, db = write_prompts(tmp_path / "q.jsonl"), str(tmp_path / "a.db")

    def stop_after_two(result, progress) -> None:
        if progress.done >= 2:
            raise KeyboardInterrupt  # what the signal raises in the main thread

    with OpenAIServer() as server, pytest.raises(KeyboardInterrupt):
        _answer(server, prompts, db, on_result=stop_after_two)
    with Store(db) as store:
        run = store.get_run("answers")
    assert run.status == "interrupted" and run.done >= 2 and run.cause is None


def test_the_cli_exits_1_on_a_failed_answer_run(tmp_path, capsys):
    prompts, db = write_prompts(tmp_path / "q.jsonl"), str(tmp_path / "a.db")
    with OpenAIServer(lambda body: status(500, "the GPU fell off the bus")) as server, \
            pytest.raises(SystemExit) as exit_info:
        main(["arena", "answer", "-p", str(prompts), "-m", "openai:m", "--base-url", server.url, "--db", db,
              "--run", "answers", "--limit", "1", "--request-timeout", "5"])
    assert exit_info.value.code == 1
    assert "run failed: answers: every rollout of this invocation failed" in " ".join(capsys.readouterr().err.split())
