"""A server that rejects single requests (4xx about that request) does not stop the run.

`transformers serve` answers HTTP 400 when the model's `<tool_call>` holds broken JSON: that rollout
is the model's parse error, explained with the server's words; a 400 for a context overflow is
recorded on its rollout as a `request_rejected` failure (scored, not retried on resume); the other
rollouts go on. An error about the whole
run (a bad key) stops it at once.
"""

from __future__ import annotations

import pytest

from tests.helpers.openai_server import OpenAIServer, Reply, status
from tests.run.reliability_helpers import run_against
from tests.run.suite_factory import expected_passes, responder, write_suite
from toolgym.errors import UserError
from toolgym.store import Store

BROKEN_JSON = ("json parser could not parse region as JSON.\nContent: '\\n{\"name\": 406.0,'\n"
               "Error: Expecting property name enclosed in double quotes: line 2 column 16 (char 16)")


def _rejecting(task_rejections: dict[str, Reply]):
    answer = responder()

    def respond(body):
        question = body["messages"][-1]["content"]
        for number, reply in task_rejections.items():
            if question.startswith(f"What is {number} plus"):
                return reply
        return answer(body)

    return respond


def test_one_rejected_request_is_recorded_and_the_run_goes_on(tmp_path):
    n = 12
    suite = write_suite(tmp_path / "s.jsonl", n)
    db = str(tmp_path / "runs.db")
    rejections = {"3": Reply(400, {"detail": BROKEN_JSON}),
                  "5": status(400, "This model's maximum context length is 1024 tokens; you requested 1300")}
    with OpenAIServer(_rejecting(rejections)) as server:
        run = run_against(server, suite, db)
        sent = len(server.requests)
        again = run_against(server, suite, db)  # a resume sends nothing: no rollout is left to retry
        assert len(server.requests) == sent and again.status == "finished"
    assert run.done == n and run.infra_errors == 0  # the context overflow is the model's failure, scored
    with Store(db) as store:
        rows = {r.task_id: r for r in store.results(run.id)}
        assert ("t0005", 0) in store.done_keys(run.id)  # so a resume does not send it again
    parse, overflow = rows["t0003"], rows["t0005"]
    assert parse.failure == "parse_error" and not parse.passed
    assert "the server could not parse the model output as tool calls (HTTP 400" in parse.explanation
    assert overflow.failure == "request_rejected" and overflow.passed is False and overflow.error is None
    assert "outgrew the model's context" in overflow.explanation
    others = [r for task_id, r in rows.items() if task_id not in ("t0003", "t0005")]
    assert sum(r.passed for r in others) == run.passed >= expected_passes(n) - 2


def test_an_error_about_the_whole_run_stops_it_with_its_hint(tmp_path):
    suite = write_suite(tmp_path / "s.jsonl", 6)
    with OpenAIServer(lambda body: status(401, "Incorrect API key provided")) as server, \
            pytest.raises(UserError, match=r"HTTP 401.*check the API key \(--api-key or OPENAI_API_KEY\)"):
        run_against(server, suite, str(tmp_path / "runs.db"))
