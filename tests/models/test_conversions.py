"""The one place messages, calls and completions change shape: every backend and the reward adapter use it."""

from __future__ import annotations

import pytest

from toolgym.errors import UserError
from toolgym.models.conversions import (
    calls_from_openai,
    choose_parser,
    completion_from_openai,
    completion_from_text,
    content_text,
    openai_message,
    template_message,
)
from toolgym.types import ImagePart, Message, TextPart, ToolCall


def test_openai_and_template_messages_differ_only_in_call_arguments_and_default_ids():
    m = Message(role="assistant", tool_calls=[ToolCall(name="math.f", arguments={"a": [1, 2]})])
    api = openai_message(m, lambda name: name.replace(".", "_"))
    assert api["tool_calls"] == [
        {"id": "call_math.f", "type": "function", "function": {"name": "math_f", "arguments": '{"a": [1, 2]}'}}
    ]
    assert template_message(m)["tool_calls"] == [
        {"type": "function", "function": {"name": "math.f", "arguments": {"a": [1, 2]}}}
    ]


def test_both_message_shapes_carry_content_parts():
    content = [TextPart(text="what is this?"), ImagePart.of("data:image/png;base64,AAAA")]
    m = Message(role="user", content=content)
    parts = [{"type": "text", "text": "what is this?"},
             {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    assert openai_message(m)["content"] == parts == template_message(m)["content"]


def test_tool_messages_rename_their_tool_for_the_api():
    m = Message(role="tool", content="ok", tool_call_id="c1", name="math.f")
    assert openai_message(m, lambda name: "math_f") == {
        "role": "tool", "content": "ok", "tool_call_id": "c1", "name": "math_f"}


def test_content_text_joins_text_parts_and_keeps_none():
    assert content_text([{"type": "text", "text": "a"}, {"type": "image_url"}, {"type": "text", "text": "b"}]) == "ab"
    assert content_text(None) is None and content_text("x") == "x"


def test_calls_from_openai_keeps_ids_and_names_each_bad_call():
    entries = [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}},
        {"name": "g", "arguments": {"y": 2}},  # the bare function (replay files, TRL)
        {"type": "function", "function": {"name": "h", "arguments": "{"}},
        {"type": "function", "function": {"arguments": "{}"}},
    ]
    calls, errors = calls_from_openai(entries)
    assert calls == [ToolCall(name="f", arguments={"x": 1}, id="c1"), ToolCall(name="g", arguments={"y": 2})]
    assert errors[0].startswith("tool call 3 (h): arguments are not valid JSON")
    assert errors[1].startswith("tool call 4: no function name in")


def test_completion_from_openai_reads_text_with_the_parser_only_when_there_are_no_native_calls():
    text = '<tool_call>{"name": "f", "arguments": {"a": 1}}</tool_call>'
    assert completion_from_openai({"content": text}).tool_calls == []
    parsed = completion_from_openai({"content": text}, parser="hermes")
    assert parsed == completion_from_text(text, "hermes")
    assert parsed.tool_calls == [ToolCall(name="f", arguments={"a": 1})] and parsed.raw == text
    native = completion_from_openai(
        {"content": "sure", "tool_calls": [{"function": {"name": "g", "arguments": "{}"}}]}, str.upper, "hermes")
    assert [c.name for c in native.tool_calls] == ["G"] and native.text == "sure"
    assert native.raw.startswith('{"content": "sure", "tool_calls": [')


def test_choose_parser_prefers_the_users_then_the_family_and_refuses_unknown_names():
    assert choose_parser("pythonic", "Llama-3.1-8B") == "pythonic"
    assert choose_parser(None, "Llama-3.1-8B") == "llama3"
    assert choose_parser(None, "llama-3.1", "{{ '<tool_call>' }}") == "hermes"
    assert choose_parser(None) == "hermes"
    with pytest.raises(UserError, match="hermes"):
        choose_parser("hermez")
