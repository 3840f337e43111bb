"""The OpenAI-compatible backend against a real HTTP server on loopback (tests/helpers/openai_server.py)."""

import asyncio
import json
import socket
import time

import pytest

from tests.helpers.openai_server import (
    FaultMix,
    OpenAIServer,
    Reply,
    bad_arguments,
    call_first_tool,
    calls,
    completion,
    hang,
    not_json,
    rate_limited,
    reset,
    status,
    tool_call,
    truncated,
)
from toolgym.errors import InfraError, UserError
from toolgym.models import ModelOptions, OpenAIModel, RetryPolicy, load_model
from toolgym.models.openai import RequestRejected
from toolgym.types import Message, SamplingConfig, Tool, ToolCall

FAST = RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.01, jitter=0.0)
USER = [Message(role="user", content="What is 5!?")]
GREEDY = SamplingConfig()
FACTORIAL = Tool(
    name="math.factorial",
    description="n!",
    parameters={"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
)


def make(server: OpenAIServer, retry: RetryPolicy = FAST, **options) -> OpenAIModel:
    return OpenAIModel("test-model", ModelOptions(base_url=server.url, **options), retry=retry)


def ask(model, messages=USER, tools=(), sampling=GREEDY, n=None):
    async def go():
        try:
            if n is not None:
                return await model.generate_many(messages, list(tools), sampling, n)
            return await model.generate(messages, list(tools), sampling)
        finally:
            await model.aclose()

    return asyncio.run(go())


def test_text_reply_fills_the_completion(openai_server):
    openai_server.script(completion("120", usage=(12, 3)))
    out = ask(make(openai_server))
    assert out.text == "120" and out.tool_calls == [] and out.parse_error is None
    assert (out.usage.prompt_tokens, out.usage.completion_tokens) == (12, 3)
    assert out.finish_reason == "stop" and out.raw == "120" and 0 < out.latency_s < 5


def test_native_tool_calls_are_decoded_and_dotted_names_mapped_back(openai_server):
    openai_server.script(calls(tool_call("math_factorial", {"n": 5}, id="c1")))
    out = ask(make(openai_server), tools=[FACTORIAL])
    assert out.tool_calls == [ToolCall(name="math.factorial", arguments={"n": 5}, id="c1")]
    assert out.finish_reason == "tool_calls" and json.loads(out.raw)["tool_calls"][0]["id"] == "c1"
    sent = openai_server.bodies[0]
    assert sent["tools"][0]["function"]["name"] == "math_factorial" and sent["tool_choice"] == "auto"


def test_dotted_names_in_history_are_mapped_and_collisions_kept_apart(openai_server):
    twin = Tool(name="math_factorial", parameters={"type": "object", "properties": {}})
    history = [
        *USER,
        Message(role="assistant", tool_calls=[ToolCall(name="math.factorial", arguments={"n": 5}, id="c1")]),
        Message(role="tool", tool_call_id="c1", name="math.factorial", content="120"),
    ]
    openai_server.script(calls(tool_call("math_factorial_2", {"n": 6}), tool_call("math_factorial", {})))
    out = ask(make(openai_server), messages=history, tools=[FACTORIAL, twin])
    sent = openai_server.bodies[0]
    # the name the API accepts keeps itself; the dotted one is renamed around it
    assert [t["function"]["name"] for t in sent["tools"]] == ["math_factorial_2", "math_factorial"]
    assert sent["messages"][1]["tool_calls"][0]["function"]["name"] == "math_factorial_2"
    assert sent["messages"][2]["name"] == "math_factorial_2"
    assert [c.name for c in out.tool_calls] == ["math.factorial", "math_factorial"]


def test_sampling_fields_and_extra_body_pass_through(openai_server):
    extra = {"top_k": 20, "parallel_tool_calls": False, "tool_choice": "required", "max_tokens": None}
    extra["chat_template_kwargs"] = {"enable_thinking": False}
    model = make(openai_server, extra_body=extra, api_key="sk-test")
    ask(model, tools=[FACTORIAL], sampling=SamplingConfig(temperature=0.7, top_p=0.9, max_tokens=64, seed=11))
    sent = openai_server.bodies[0]
    assert sent["model"] == "test-model" and sent["temperature"] == 0.7 and sent["top_p"] == 0.9
    assert sent["seed"] == 11 and "max_tokens" not in sent and "n" not in sent
    assert sent["top_k"] == 20 and sent["parallel_tool_calls"] is False and sent["tool_choice"] == "required"
    assert sent["chat_template_kwargs"] == {"enable_thinking": False}
    assert openai_server.requests[0].headers["authorization"] == "Bearer sk-test"
    assert "sk-test" not in json.dumps(model.describe())


def test_generate_many_sends_n_and_puts_usage_on_the_first(openai_server):
    openai_server.script(completion("a", n=3, usage=(7, 9)))
    out = ask(make(openai_server), n=3)
    assert [c.text for c in out] == ["a", "a", "a"] and openai_server.bodies[0]["n"] == 3
    assert out[0].usage.completion_tokens == 9 and out[1].usage.completion_tokens == 0


@pytest.mark.parametrize("fault", [status(500), status(502), status(503), truncated(), reset(), not_json()])
def test_infrastructure_faults_are_retried(openai_server, fault):
    openai_server.script(fault, completion("ok"))
    assert ask(make(openai_server)).text == "ok"
    assert len(openai_server.bodies) == 2


def test_retry_after_is_honoured(openai_server):
    openai_server.script(rate_limited(0.3), completion("ok"))
    start = time.perf_counter()
    assert ask(make(openai_server)).text == "ok"
    assert 0.3 <= time.perf_counter() - start < 3


def test_retry_after_ms_is_honoured(openai_server):
    openai_server.script(status(503), completion("ok"))
    openai_server._queue[0].headers["retry-after-ms"] = "250"
    start = time.perf_counter()
    assert ask(make(openai_server)).text == "ok"
    assert 0.25 <= time.perf_counter() - start < 3


def test_hang_past_the_timeout_is_retried_then_an_infra_error(openai_server):
    openai_server.script(hang(5), hang(5))
    model = make(openai_server, RetryPolicy(max_attempts=2, base_delay_s=0.001, jitter=0), timeout_s=0.2)
    start = time.perf_counter()
    with pytest.raises(InfraError, match=r"failed after 2 attempts: no response within 0.2s \(timeout\)"):
        ask(model)
    assert 0.4 <= time.perf_counter() - start < 3


def test_persistent_5xx_is_one_infra_error_naming_url_status_and_attempts(openai_server):
    openai_server.script(*[status(503, "overloaded")] * 3)
    with pytest.raises(InfraError) as info:
        ask(make(openai_server))
    message = str(info.value)
    assert message.startswith(f"POST {openai_server.url}/chat/completions failed after 3 attempts: HTTP 503")
    assert "overloaded" in message and len(openai_server.bodies) == 3


def test_a_200_without_choices_is_retried_as_infrastructure(openai_server):
    from tests.helpers.openai_server import Reply

    openai_server.script(*[Reply(body={"error": "busy"})] * 3)
    with pytest.raises(InfraError, match="with no choices in the body"):
        ask(make(openai_server))


def test_unreachable_server_is_one_infra_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = OpenAIModel("m", ModelOptions(base_url=f"http://127.0.0.1:{port}/v1"), retry=FAST)
    with pytest.raises(
        InfraError, match=rf"127.0.0.1:{port}/v1/chat/completions failed after 3 attempts: cannot"
    ):
        ask(model)


@pytest.mark.parametrize(
    ("code", "body", "hint"),
    [(400, "The model `test-model` does not exist.", "check the model name"),
     (401, "Invalid API key", "check the API key (--api-key"),
     (403, "The model `test-model` does not exist.", "its access to this model"),
     (404, "The model `test-model` does not exist.", "check the model name"),
     (400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      "use --tool-mode prompt")],
)
def test_errors_about_the_whole_run_are_user_errors_with_the_fitting_hint(openai_server, code, body, hint):
    openai_server.script(status(code, body))
    with pytest.raises(UserError) as info:
        ask(make(openai_server))
    message = str(info.value)
    assert f"returned HTTP {code} for model 'test-model'" in message and body[-9:] in message
    assert hint in message and len(openai_server.bodies) == 1
    assert ("prompt" in message) == ("tool-call-parser" in body)  # the prompt-mode hint only where it helps


# what `transformers serve` (5.25) answered for the tiny model's broken <tool_call> blocks
SERVE_BROKEN_JSON = ("json parser could not parse region as JSON.\nContent: '\\n{\"name\": 406.0,'\n"
                     "Error: Expecting property name enclosed in double quotes: line 2 column 16 (char 16)")
SERVE_BAD_NAME = ("1 validation error for ChatCompletionMessageFunctionToolCall\nfunction.name\n  Input should be "
                  "a valid string [type=string_type, input_value=406.0, input_type=float]")


@pytest.mark.parametrize("detail", [SERVE_BROKEN_JSON, SERVE_BAD_NAME])
def test_a_400_about_the_models_tool_call_is_the_models_parse_error(openai_server, detail):
    openai_server.script(Reply(400, {"detail": detail}))
    out = ask(make(openai_server))
    assert out.tool_calls == [] and out.text is None and len(openai_server.bodies) == 1
    assert out.parse_error.startswith("the server could not parse the model output as tool calls (HTTP 400")
    assert detail[:30] in out.parse_error and detail[:30] in out.raw


@pytest.mark.parametrize(("body", "explained"), [
    ("This model's maximum context length is 1024 tokens. However, you requested 1300 tokens",
     "outgrew the model's context"),
    ("temperature must be non-negative", "the server refused this request"),
])
def test_a_400_about_this_request_only_is_recorded_on_the_rollout(openai_server, body, explained):
    openai_server.script(status(400, body))
    with pytest.raises(RequestRejected) as info:
        ask(make(openai_server))
    assert isinstance(info.value, InfraError) and explained in str(info.value) and len(openai_server.bodies) == 1


def test_invalid_tool_arguments_are_a_parse_error_not_retried(openai_server):
    openai_server.script(bad_arguments("get_weather"))
    out = ask(make(openai_server))
    assert out.tool_calls == [] and len(openai_server.bodies) == 1
    assert out.parse_error.startswith(
        "tool call 1 (get_weather): arguments are not valid JSON: Expecting ',' delimiter"
    )
    assert '{\\"city\\": \\"Paris\\"' in out.raw


def test_prompt_mode_renders_tools_and_parses_text(openai_server):
    history = [
        Message(role="system", content="Be brief."),
        *USER,
        Message(role="assistant", tool_calls=[ToolCall(name="math.factorial", arguments={"n": 4}, id="c0")]),
        Message(role="tool", tool_call_id="c0", content="24"),
    ]
    reply = 'Computing.\n<tool_call>\n{"name": "math.factorial", "arguments": {"n": 5}}\n</tool_call>'
    openai_server.script(completion(reply))
    out = ask(make(openai_server, tool_mode="prompt"), messages=history, tools=[FACTORIAL])
    assert (
        out.tool_calls == [ToolCall(name="math.factorial", arguments={"n": 5})] and out.text == "Computing."
    )
    sent = openai_server.bodies[0]
    assert "tools" not in sent and "tool_choice" not in sent
    assert [m["role"] for m in sent["messages"]] == ["system", "user", "assistant", "user"]
    system = sent["messages"][0]["content"]
    assert system.startswith("Be brief.\n\n# Tools") and '"name": "math.factorial"' in system
    assert "<tool_call>" in sent["messages"][2]["content"]
    assert sent["messages"][3]["content"] == "<tool_response>\n24\n</tool_response>"


def test_prompt_mode_with_the_pythonic_parser(openai_server):
    openai_server.script(completion("[math.factorial(n=5)]"))
    out = ask(make(openai_server, tool_mode="prompt", parser="pythonic"), tools=[FACTORIAL])
    assert out.tool_calls == [ToolCall(name="math.factorial", arguments={"n": 5})]
    assert "Python list of calls" in openai_server.bodies[0]["messages"][0]["content"]


def test_native_mode_falls_back_to_an_explicit_parser(openai_server):
    openai_server.script(
        completion('<tool_call>{"name": "math.factorial", "arguments": {"n": 3}}</tool_call>')
    )
    out = ask(make(openai_server, parser="hermes"), tools=[FACTORIAL])
    assert out.tool_calls == [ToolCall(name="math.factorial", arguments={"n": 3})]


def test_keep_alive_connection_is_reused(openai_server):
    model = make(openai_server)

    async def go():
        for _ in range(5):
            await model.generate(USER, [], SamplingConfig())
        await model.aclose()

    asyncio.run(go())
    assert len({r.client for r in openai_server.requests}) == 1


def test_the_model_works_across_event_loops(openai_server):
    model = make(openai_server)
    for _ in range(2):
        asyncio.run(model.generate(USER, [], SamplingConfig()))
    asyncio.run(model.aclose())
    assert len(openai_server.bodies) == 2


def test_seeded_fault_mix_is_survived_and_deterministic():
    injected = []
    for _ in range(2):
        with OpenAIServer(responder=call_first_tool, fault_mix=FaultMix(seed=7, rate=0.5)) as server:
            model = make(server)

            async def go(model=model):
                prompts = [[Message(role="user", content=f"task {i}")] for i in range(20)]
                out = await asyncio.gather(
                    *(model.generate(p, [FACTORIAL], SamplingConfig()) for p in prompts)
                )
                await model.aclose()
                return out

            outs = asyncio.run(go())
            assert all(o.tool_calls[0].name == "math.factorial" for o in outs)
            injected.append(dict(server.injected))
    assert injected[0] == injected[1] and sum(injected[0].values()) > 5


def test_load_model_spec_keeps_colons_in_the_name():
    model = load_model("openai:qwen2.5:7b", ModelOptions(base_url="http://localhost:11434/v1/"))
    assert isinstance(model, OpenAIModel) and model.name == "qwen2.5:7b" and model.spec == "openai:qwen2.5:7b"
    assert model.url == "http://localhost:11434/v1/chat/completions"
    assert load_model("openai:gpt-4o-mini").url == "https://api.openai.com/v1/chat/completions"


@pytest.mark.parametrize(
    ("spec", "options", "message"),
    [
        ("openai:", {}, "needs a model name"),
        (
            "openai:m",
            {"base_url": "localhost:8000/v1"},
            "base URL 'localhost:8000/v1' must start with http://",
        ),
        ("openai:m", {"tool_mode": "text"}, "tool_mode 'text' is not one of 'native', 'prompt'"),
        ("openai:m", {"parser": "hermez"}, "unknown tool parser 'hermez'. Did you mean 'hermes'"),
    ],
)
def test_bad_options_are_user_errors(spec, options, message):
    with pytest.raises(UserError, match=message):
        load_model(spec, ModelOptions(**options))
