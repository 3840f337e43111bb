"""Every command that takes a model accepts eval's model flags and the same config-file keys (cli/flags.py)."""

from __future__ import annotations

import pytest

from tests.arena.conftest import LENGTHS, prefer_longer, write_answers, write_prompts
from tests.helpers.openai_server import OpenAIServer
from toolgym.cli import main

MODEL_FLAGS = ("--base-url", "--api-key", "--tool-mode", "--parser", "--request-timeout", "--extra-body")


@pytest.mark.parametrize("command", [["eval"], ["arena", "answer"], ["arena", "judge"], ["loop"]])
def test_each_command_that_takes_a_model_lists_the_model_flags(command, capsys):
    try:
        main([*command, "--help"])
    except SystemExit as e:  # click may exit 0 after printing help
        assert not e.code
    out = capsys.readouterr().out
    assert [flag for flag in MODEL_FLAGS if flag not in out] == []


def test_arena_judge_reads_the_model_keys_of_its_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    db = str(tmp_path / "arena.db")
    prompts = write_prompts(tmp_path / "q.jsonl", 2)
    names = []
    for name in ("alpha", "beta"):
        names.append(f"replay:{write_answers(tmp_path / f'{name}.jsonl', LENGTHS[name])}")
        main(["arena", "answer", "-p", str(prompts), "-m", names[-1], "--db", db])
    with OpenAIServer(prefer_longer) as server:
        (tmp_path / "judge.yaml").write_text(
            f"base_url: {server.url}\napi_key: sk-file\nrequest_timeout: 30\n"
            "extra_body:\n  top_k: 3\n")
        main(["arena", "judge", "-j", "openai:judge", "--config", str(tmp_path / "judge.yaml"), "--db", db,
              "--extra-body", '{"top_k": 7}'])  # a required option (--judge) and a flag over the file
        requests = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert requests  # the judge reached the server the file names, with its key and the flag's body
    for request in requests:
        assert {k.lower(): v for k, v in request.headers.items()}["authorization"] == "Bearer sk-file"
        assert request.body["top_k"] == 7


def test_a_bad_model_key_in_a_loop_config_file_is_named_before_anything_runs(tmp_path, capsys):
    (tmp_path / "loop.yaml").write_text("rounds: 1\nrequest_timeout: 0\n")
    with pytest.raises(SystemExit) as e:
        main(["loop", "--config", str(tmp_path / "loop.yaml"), "--db", str(tmp_path / "runs.db"),
              "--out", str(tmp_path / "loop")])
    err = " ".join(capsys.readouterr().err.split())
    assert e.value.code == 2 and "loop.yaml:2: field request_timeout: Input should be greater than 0" in err
    assert not (tmp_path / "loop").exists()


def test_a_bad_model_flag_of_arena_answer_names_the_flag(tmp_path, capsys):
    prompts = write_prompts(tmp_path / "q.jsonl", 1)
    with pytest.raises(SystemExit) as e:
        main(["arena", "answer", "-p", str(prompts), "-m", "openai:m", "--db", str(tmp_path / "a.db"),
              "--extra-body", "[1]"])
    err = " ".join(capsys.readouterr().err.split())
    assert e.value.code == 2 and "--extra-body: expected a JSON object of request fields, got list" in err
