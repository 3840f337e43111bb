import json

import pytest

from toolgym.models.parsers import parse_tool_calls
from toolgym.models.prompt_tools import prompt_messages, tools_system_prompt
from toolgym.types import Message, Tool, ToolCall

WEATHER = Tool(
    name="get_weather",
    description="Weather in a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
CALLS = [
    ToolCall(name="get_weather", arguments={"city": "Oslo"}, id="c1"),
    ToolCall(name="get_weather", id="c2"),
]
CONVERSATION = [
    Message(role="user", content="Weather in Oslo?"),
    Message(role="assistant", content="Checking.", tool_calls=CALLS),
    Message(role="tool", tool_call_id="c1", name="get_weather", content='{"temp": 3}'),
    Message(role="tool", tool_call_id="c2", name="get_weather", content='{"temp": 4}'),
    Message(role="assistant", content="It is 3 degrees."),
    Message(role="user", content="Thanks"),
]


def test_system_prompt_lists_schemas_and_the_format():
    prompt = tools_system_prompt([WEATHER], "hermes")
    schemas = prompt.split("<tools>\n")[1].split("\n</tools>")[0]
    assert json.loads(schemas) == WEATHER.to_openai()
    assert "<tool_call>" in prompt and "plain text" in prompt


@pytest.mark.parametrize("parser", ["hermes", "llama3", "pythonic", "mistral"])
def test_history_is_rewritten_in_the_format(parser):
    out = prompt_messages(CONVERSATION, [WEATHER], parser)
    assert [m["role"] for m in out] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert all(set(m) == {"role", "content"} for m in out)
    assert out[2]["content"].startswith("Checking.\n")
    parsed = parse_tool_calls(out[2]["content"], parser)
    assert [(c.name, c.arguments) for c in parsed.calls] == [(c.name, c.arguments) for c in CALLS]
    assert parsed.text == "Checking."
    assert (
        out[3]["content"]
        == '<tool_response>\n{"temp": 3}\n</tool_response>\n<tool_response>\n{"temp": 4}\n</tool_response>'
    )


def test_an_existing_system_message_is_kept_first():
    out = prompt_messages([Message(role="system", content="Be brief."), *CONVERSATION[:1]], [WEATHER])
    assert out[0]["content"].startswith("Be brief.\n\n# Tools") and len(out) == 2


def test_without_tools_no_tool_section_is_added():
    assert prompt_messages(CONVERSATION[:1], []) == [{"role": "user", "content": "Weather in Oslo?"}]
