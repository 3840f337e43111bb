"""Images reach an OpenAI-compatible server intact, as `image_url` data-URL parts, in native and prompt tool modes."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.openai_server import calls, completion, tool_call
from toolgym.envs import StatefulEnv
from toolgym.images import decode_data_url
from toolgym.models import ModelOptions, OpenAIModel
from toolgym.suites import load_suite
from toolgym.types import Message, SamplingConfig, ToolCall


def zoom_transcript() -> tuple[list[Message], list]:
    """A vision-core zoom task after the zoom call: the thumbnail in the prompt, the zoomed receipt in the result."""
    task = next(t for t in load_suite("vision-core").tasks if t.category == "zoom_expense")
    call = ToolCall(name="zoom", arguments={"image": "receipt"}, id="c0")
    result = StatefulEnv().reset(task).call(call)
    messages = [*task.messages, Message(role="assistant", tool_calls=[call]),
                Message(role="tool", content=result, tool_call_id="c0", name="zoom")]
    return messages, task.tools


def sent_images(body: dict) -> list[bytes]:
    return [decode_data_url(p["image_url"]["url"])[1] for m in body["messages"] if isinstance(m["content"], list)
            for p in m["content"] if p["type"] == "image_url"]


@pytest.mark.parametrize("mode", ["native", "prompt"])
def test_the_server_receives_every_image_byte_for_byte(openai_server, mode):
    messages, tools = zoom_transcript()
    expected = [decode_data_url(p.image_url.url)[1] for m in messages for p in m.images]
    reply = 'Filing.\n<tool_call>\n{"name": "record_expense", "arguments": {"merchant": "A", "amount": 1.5, ' \
        '"currency": "USD"}}\n</tool_call>'
    openai_server.script(completion(reply) if mode == "prompt" else calls(tool_call(
        "record_expense", {"merchant": "A", "amount": 1.5, "currency": "USD"}, id="c1")))
    model = OpenAIModel("vlm", ModelOptions(base_url=openai_server.url, tool_mode=mode))

    async def go():
        try:
            return await model.generate(messages, tools, SamplingConfig())
        finally:
            await model.aclose()

    out = asyncio.run(go())
    assert [c.name for c in out.tool_calls] == ["record_expense"]
    body = openai_server.bodies[0]
    assert len(expected) == 2 and sent_images(body) == expected
    tool_turn = body["messages"][-1]
    if mode == "native":
        assert tool_turn["role"] == "tool" and tool_turn["content"][0]["type"] == "image_url"
    else:
        assert tool_turn["role"] == "user" and "tools" not in body
        kinds = [p["type"] for p in tool_turn["content"]]
        assert kinds == ["text", "image_url", "text"] and tool_turn["content"][0]["text"].startswith(
            "<tool_response>") and tool_turn["content"][-1]["text"] == "\n</tool_response>"
    assert body["messages"][1]["content"][0] == {"type": "text", "text": messages[1].content[0].text}
