"""Messages and tools in the chat-template shape; reference answers the verifier accepts."""

from __future__ import annotations

from toolgym.envs import FunctionCallingEnv
from toolgym.train.chat import REFUSAL, answer_key, answer_messages, chat_message, reference_answer
from toolgym.types import Message, ToolCall


def test_tool_calls_keep_dict_arguments_and_ids():
    m = Message(role="assistant", tool_calls=[ToolCall(name="f", arguments={"a": [1, 2]}, id="c1")])
    assert chat_message(m) == {
        "role": "assistant", "content": None,
        "tool_calls": [{"type": "function", "id": "c1", "function": {"name": "f", "arguments": {"a": [1, 2]}}}],
    }
    tool = Message(role="tool", content="ok", tool_call_id="c1", name="f")
    assert chat_message(tool) == {"role": "tool", "content": "ok", "tool_call_id": "c1", "name": "f"}


def test_answer_key_ignores_call_ids():
    a = [Message(role="assistant", tool_calls=[ToolCall(name="f", arguments={"x": 1}, id="a")])]
    b = [Message(role="assistant", tool_calls=[ToolCall(name="f", arguments={"x": 1}, id="b")])]
    c = [Message(role="assistant", tool_calls=[ToolCall(name="f", arguments={"x": 2})])]
    assert answer_key(a) == answer_key(b) != answer_key(c)


def test_reference_answers_pass_on_every_train_task(fc_core):
    env = FunctionCallingEnv()
    for task in fc_core.split("train"):
        answer = reference_answer(task)
        assert env.verify(task, [*task.messages, answer]).passed, task.id
        if task.category == "irrelevance":
            assert answer.content == REFUSAL and not answer.tool_calls


def test_answer_is_what_follows_the_task_messages(fc_core):
    task = fc_core.split("train")[0]
    answer = reference_answer(task)
    assert answer_messages(task, [*task.messages, answer]) == [answer]
    edited = [Message(role="user", content="something else"), answer]
    assert answer_messages(task, edited) == [answer]
