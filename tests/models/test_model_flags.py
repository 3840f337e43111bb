"""The model flags of `toolgym eval` reach the server: key, per-request timeout, extra body, max tokens,
and the simulated user's own URL and key; help text comes from ModelOptions' field docstrings."""

from __future__ import annotations

import json

import pytest

from tests.helpers.openai_server import OpenAIServer, hang
from tests.run.suite_factory import responder, write_suite
from toolgym.cli import main
from toolgym.models import ModelOptions
from toolgym.store import Store


def _eval(tmp_path, server, *flags):
    suite = write_suite(tmp_path / "s.jsonl", 2)
    main(["eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", server.url, "--split", "all",
          "--db", str(tmp_path / "runs.db"), "-c", "1", *flags])


def test_key_extra_body_and_max_tokens_reach_the_server(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    extra = {"tool_choice": "required", "chat_template_kwargs": {"enable_thinking": False}, "top_p": None}
    with OpenAIServer(responder()) as server:
        _eval(tmp_path, server, "--api-key", "sk-flag", "--extra-body", json.dumps(extra), "--max-tokens", "17")
        requests = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(requests) == 2
    for request in requests:
        assert {k.lower(): v for k, v in request.headers.items()}["authorization"] == "Bearer sk-flag"
        assert request.body["tool_choice"] == "required" and request.body["max_tokens"] == 17
        assert request.body["chat_template_kwargs"] == {"enable_thinking": False} and "top_p" not in request.body


def test_request_timeout_bounds_each_request(tmp_path):
    with OpenAIServer(lambda body: hang(3.0)) as server:
        with pytest.raises(SystemExit):  # every rollout an infrastructure error: the run failed
            _eval(tmp_path, server, "--request-timeout", "0.2")
    with Store(str(tmp_path / "runs.db")) as store:
        (run,) = store.list_runs()
        errors = {r.error for r in store.results(run.id)}
    assert len(errors) == 1 and "no response within 0.2s" in errors.pop()


@pytest.mark.parametrize(("flags", "message"), [
    (["--extra-body", "{tool_choice: auto}"], "--extra-body: not JSON"),
    (["--extra-body", "[1, 2]"], "--extra-body: expected a JSON object of request fields, got list"),
    (["--request-timeout", "0"], "--request-timeout: Input should be greater than 0"),
    (["--gpus-per-model", "2"], "--gpus-per-model: Input should be less than or equal to 1"),
])
def test_bad_model_flags_are_one_located_error(tmp_path, capsys, flags, message):
    with OpenAIServer(responder()) as server, pytest.raises(SystemExit) as exit_info:
        _eval(tmp_path, server, *flags)
        assert not server.requests
    assert exit_info.value.code == 2 and message in " ".join(capsys.readouterr().err.split())


def test_the_simulated_user_options_are_its_own(monkeypatch):
    from toolgym.cli.app import model_options

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    options = model_options("http://127.0.0.1:1/v1", None, None, api_key="sk-model", request_timeout=5)
    user = model_options("http://127.0.0.1:2/v1", None, None, api_key="sk-user", request_timeout=5,
                         flag_prefix="--user-")
    assert (options.api_key, options.base_url, options.timeout_s) == ("sk-model", "http://127.0.0.1:1/v1", 5)
    assert (user.api_key, user.base_url) == ("sk-user", "http://127.0.0.1:2/v1")


def test_help_is_the_field_docstring(capsys):
    try:
        main(["eval", "--help"])
    except SystemExit as e:  # click may exit 0 after printing help
        assert not e.code
    out = " ".join(capsys.readouterr().out.split()).replace("│ ", "")
    for flag, field in (("--request-timeout", "timeout_s"), ("--api-key", "api_key"), ("--extra-body", "extra_body")):
        assert flag in out
        assert ModelOptions.model_fields[field].description.split()[0] in out


def test_a_config_file_sets_how_to_reach_the_model_and_flags_override_it(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with OpenAIServer(responder()) as server:
        (tmp_path / "run.yaml").write_text(
            f"base_url: {server.url}\napi_key: sk-file\ntool_mode: native\nparser: hermes\nrequest_timeout: 30\n"
            "extra_body:\n  tool_choice: required\nmax_tokens: 21\nseed: 4\n")
        suite = write_suite(tmp_path / "s.jsonl", 2)
        main(["eval", f"jsonl:{suite}", "--model", "openai:m", "--split", "all", "--db", str(tmp_path / "runs.db"),
              "--config", str(tmp_path / "run.yaml"), "--api-key", "sk-flag"])
        requests = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(requests) == 2
    for request in requests:
        assert {k.lower(): v for k, v in request.headers.items()}["authorization"] == "Bearer sk-flag"
        assert request.body["tool_choice"] == "required" and request.body["max_tokens"] == 21


def test_a_misspelt_model_key_in_the_config_file_is_named(tmp_path, capsys):
    (tmp_path / "run.yaml").write_text("seed: 1\nbase_ulr: http://localhost:8000/v1\n")
    with pytest.raises(SystemExit):
        main(["eval", "fc-core", "--config", str(tmp_path / "run.yaml"), "--db", str(tmp_path / "runs.db")])
    err = " ".join(capsys.readouterr().err.split())
    assert "run.yaml:2: unknown key 'base_ulr'; did you mean 'base_url'?" in err


def test_arena_answer_takes_the_model_flags(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    (tmp_path / "q.jsonl").write_text('{"id": "q1", "prompt": "Say hi."}\n')
    with OpenAIServer() as server:  # echoes the request
        main(["arena", "answer", "--prompts", str(tmp_path / "q.jsonl"), "--model", "openai:m", "--base-url",
              server.url, "--db", str(tmp_path / "runs.db"), "--api-key", "sk-arena", "--extra-body",
              '{"top_k": 5}'])
        requests = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(requests) == 1 and requests[0].body["top_k"] == 5
    assert {k.lower(): v for k, v in requests[0].headers.items()}["authorization"] == "Bearer sk-arena"
