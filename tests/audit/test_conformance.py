"""Serving conformance on the real tiny model: configurations, prompt mode, template options, the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.audit.test_cli import cli, flat
from toolgym.audit import Configuration, chat_template_variables, configurations, conformance_report
from toolgym.errors import UserError
from toolgym.models import ModelOptions, load_model
from toolgym.models.tiny import TINY_MODEL_DIR
from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, Tool, Verdict

THINKING = "{%- if enable_thinking %}<think>on</think>{% endif -%}"


@pytest.fixture
def thinking_model(tmp_path: Path) -> Path:
    """The tiny model with a chat template that has one serving option, `enable_thinking`."""
    folder = tmp_path / "tiny-thinking"
    folder.mkdir()
    for name in ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                 "tokenizer_config.json"):
        shutil.copy(TINY_MODEL_DIR / name, folder / name)
    (folder / "chat_template.jinja").write_text((TINY_MODEL_DIR / "chat_template.jinja").read_text() + THINKING)
    return folder


def test_every_parser_by_mode_by_template_option() -> None:
    configs = configurations(["hermes", "pythonic"], ["native", "prompt"], ["enable_thinking"])
    assert len(configs) == 2 * 2 * 3
    assert configs[0].label() == "hermes-native"
    assert "hermes-native-enable_thinking=true" in {c.label() for c in configs}
    assert len(configurations()) == 4 * 2  # all registered parsers, both modes, template defaults
    with pytest.raises(UserError, match="hermes"):
        configurations(["hermez"])
    with pytest.raises(UserError, match="--tool-modes"):
        configurations(["hermes"], ["server"])


def test_template_variables_are_the_templates_options(thinking_model: Path) -> None:
    assert chat_template_variables((TINY_MODEL_DIR / "chat_template.jinja").read_text()) == []
    assert chat_template_variables((thinking_model / "chat_template.jinja").read_text()) == ["enable_thinking"]


def test_prompt_mode_and_template_options_change_what_the_local_model_sees(thinking_model: Path) -> None:
    tool = Tool(name="get_weather", description="Weather.", parameters={
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
    chat = [Message(role="user", content="Weather in Paris?")]
    config = Configuration(parser="pythonic", tool_mode="prompt", template={"enable_thinking": True})
    native = load_model(f"hf:{thinking_model}", ModelOptions())
    prompted = load_model(f"hf:{thinking_model}", config.options(ModelOptions()))
    plain, shown = native.render(chat, [tool]), prompted.render(chat, [tool])
    assert "<tools>" not in plain and "<think>" not in plain
    assert "<tools>" in shown and '"get_weather"' in shown and shown.rstrip().endswith("<think>on</think>")
    assert prompted.describe()["tool_mode"] == "prompt" and prompted.parser == "pythonic"
    assert prompted.describe()["chat_template_kwargs"] == {"enable_thinking": True}


def test_conformance_of_the_tiny_model_tables_each_configuration_against_the_best(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "runs.db")
    cli("conformance", "--model", "tiny", "--limit", "4", "--parsers", "hermes,pythonic", "--tool-modes", "native",
        "--db", db)
    out = flat(capsys.readouterr().out)
    assert "2 configurations of tiny on fc-core" in out and "no options beyond the standard" in out
    names = ("conformance-tiny-hermes-native", "conformance-tiny-pythonic-native")
    with Store(db) as store:
        assert {r.name for r in store.list_runs()} == set(names)
        assert all(store.get_run(n).done == 4 for n in names)
        report = conformance_report(store, [(Configuration(parser=n.split("-")[2], tool_mode="native"), n)
                                            for n in names])
    best, other = report.results
    assert best.versus_best is None and other.versus_best is not None
    assert best.accuracy.value >= other.accuracy.value
    assert other.versus_best.value == pytest.approx(other.accuracy.value - best.accuracy.value)
    assert f"use: {best.configuration.label()}" in out
    assert " best " in out


def test_a_configuration_whose_rollouts_all_error_is_reported_unusable(tmp_path: Path) -> None:
    good, bad = Configuration(parser="hermes", tool_mode="native"), Configuration(parser="hermes", tool_mode="prompt")
    with Store(str(tmp_path / "runs.db")) as store:
        for config, verdict, error in ((good, Verdict.ok(), None),
                                       (bad, Verdict.fail(FailureKind.INFRA_ERROR, "timed out"), "timed out")):
            run = store.open_run(config.label(), RunManifest(suite="s", suite_version="v", model="m"))
            rollouts = [(Rollout(task_id=f"t{i}", error=error, end_reason="error" if error else "answered"), "c",
                         verdict) for i in range(3)]
            store.write(run.id, rollouts)
        report = conformance_report(store, [(good, good.label()), (bad, bad.label())])
    assert report.recommended == good
    unusable = report.results[-1]
    assert unusable.accuracy is None and unusable.errors == 3 and unusable.error == "timed out"


def test_conformance_over_http_finds_the_parser_a_server_without_its_tool_parser_needs(tmp_path: Path, capsys) -> None:
    """A real loopback server that writes Hermes calls as plain text (vLLM started without --tool-call-parser)."""
    import re

    from tests.helpers.openai_server import OpenAIServer, completion
    from tests.run.suite_factory import write_suite

    def hermes_text(body) -> object:
        i, j = map(int, re.findall(r"\d+", body["messages"][-1]["content"])[:2])
        call = {"name": "add_numbers", "arguments": {"a": i, "b": j}}
        return completion(f"<tool_call>{json.dumps(call)}</tool_call>")

    suite = write_suite(tmp_path / "suite.jsonl", 6)
    db = str(tmp_path / "runs.db")
    with OpenAIServer(responder=hermes_text) as server:
        cli("conformance", "--model", "openai:served", "--base-url", server.url, "--suite", f"jsonl:{suite}",
            "--split", "all", "--parsers", "hermes,pythonic", "--db", db)
        native = [r for r in server.requests if r.body.get("tools")]
        assert native and all("<tools>" in r.body["messages"][0]["content"]
                              for r in server.requests if not r.body.get("tools"))
    out = flat(capsys.readouterr().out)
    assert "4 configurations of openai:served" in out and "use: hermes-" in out
    with Store(db) as store:
        runs = {r.name: r for r in store.list_runs()}
    assert runs["conformance-openai-served-hermes-native"].passed == 6
    assert runs["conformance-openai-served-hermes-prompt"].passed == 6
    assert runs["conformance-openai-served-pythonic-native"].passed == 0  # the text is not read as a call
    assert runs["conformance-openai-served-pythonic-prompt"].passed == 0


def test_conformance_reaches_a_server_with_the_model_flags_of_every_command(tmp_path: Path, monkeypatch) -> None:
    """--api-key, --request-timeout and --extra-body, as `eval` takes them; template options still merge in."""
    from tests.helpers.openai_server import OpenAIServer, completion
    from tests.run.suite_factory import write_suite

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    suite = write_suite(tmp_path / "suite.jsonl", 2)
    with OpenAIServer(responder=lambda body: completion("no idea")) as server:
        cli("conformance", "--model", "openai:served", "--base-url", server.url, "--suite", f"jsonl:{suite}",
            "--split", "all", "--parsers", "hermes", "--tool-modes", "native", "--template-var", "enable_thinking",
            "--api-key", "sk-conf", "--request-timeout", "30", "--extra-body", '{"top_k": 5}',
            "--db", str(tmp_path / "runs.db"))
        requests = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(requests) == 3 * 2  # defaults, enable_thinking on, off; two tasks each
    for request in requests:
        assert {k.lower(): v for k, v in request.headers.items()}["authorization"] == "Bearer sk-conf"
        assert request.body["top_k"] == 5
    assert sorted(str(r.body.get("chat_template_kwargs")) for r in requests) == (
        ["None"] * 2 + ["{'enable_thinking': False}"] * 2 + ["{'enable_thinking': True}"] * 2)
