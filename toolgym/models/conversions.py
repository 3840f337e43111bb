"""The conversions between toolgym's messages and what models read and write, each written once.

Every backend (openai, local, tiny, replay) and the GRPO reward adapter (`train/rewards.py`) go
through these functions, so a rule changes in one place for all of them:

* `openai_message`: a Message as the Chat Completions API reads it (call arguments as JSON strings);
* `template_message`: a Message as a chat template reads it (call arguments as dicts: Qwen, Llama and
  the tiny model's templates iterate over them or write them with `tojson`);
* `openai_tools`: the tools as an OpenAI `tools` list, for the API and for `apply_chat_template`;
* `content_text`: OpenAI message content (a string, or a list of parts) as text;
* `calls_from_openai`: OpenAI `tool_calls` entries as ToolCalls, with one located error per bad entry;
* `completion_from_openai`: an OpenAI assistant message (content and tool_calls) as a Completion;
* `completion_from_text`: raw model text, read with a tool-call parser, as a Completion;
* `choose_parser`: the tool-call parser a model is read with (the user's choice, else its family's).

Both message shapes start from `Message.to_openai`, which writes the content (text, or text and image
parts); content read back from a server or a trainer is flattened in `content_text` alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..types import Completion, Message, Tool, ToolCall
from .parsers import TOOL_PARSERS, decode_arguments, parser_for_model

__all__ = [
    "Rename",
    "calls_from_openai",
    "choose_parser",
    "completion_from_openai",
    "completion_from_text",
    "content_text",
    "openai_message",
    "openai_tools",
    "template_message",
]

Rename = Callable[[str], str]
"""Maps a tool name on its way out (the API's `^[a-zA-Z0-9_-]{1,64}$`) or back in; identity by default."""


def _same(name: str) -> str:
    return name


def openai_message(message: Message, rename: Rename = _same) -> dict[str, Any]:
    """The message as the Chat Completions API expects it; `rename` maps tool names to the API's.

    `Message.to_openai` writes the content, text or text and image parts.
    """
    out = message.to_openai()
    for entry in out.get("tool_calls", []):
        entry["function"]["name"] = rename(entry["function"]["name"])
    if "name" in out:
        out["name"] = rename(out["name"])
    return out


def template_message(message: Message) -> dict[str, Any]:
    """The message as a chat template reads it: OpenAI shape, call arguments as dicts, ids only when set.

    The same dict serves inference (`LocalModel.render`) and training data (`toolgym.train`), so a
    model is trained on exactly the prompts it is later asked. The parse error is toolgym's and stays out.
    """
    out = message.to_openai()
    if message.tool_calls:
        out["tool_calls"] = [_template_call(call) for call in message.tool_calls]
    return out


def _template_call(call: ToolCall) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "function", "function": {"name": call.name, "arguments": dict(call.arguments)}}
    if call.id is not None:
        entry["id"] = call.id
    return entry


def openai_tools(tools: list[Tool], rename: Rename = _same) -> list[dict[str, Any]]:
    """The tools as an OpenAI `tools` list (what `apply_chat_template(tools=...)` takes too)."""
    out = []
    for tool in tools:
        entry = tool.to_openai()
        entry["function"]["name"] = rename(tool.name)
        out.append(entry)
    return out


def content_text(content: Any) -> str | None:
    """OpenAI message content as text: a string as it is, the text parts of a list joined, None kept."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return json.dumps(content)


def calls_from_openai(entries: Any, rename: Rename = _same) -> tuple[list[ToolCall], list[str]]:
    """OpenAI `tool_calls` entries as ToolCalls, and one error per entry that does not decode.

    An entry is `{"id", "type": "function", "function": {"name", "arguments"}}` or the bare function;
    arguments are a JSON string or an object. Errors name the call (1-based) and its function:
    `tool call 2 (get_weather): arguments are not valid JSON: ...`. Ids are kept.
    """
    calls, errors = [], []
    for number, entry in enumerate(entries if isinstance(entries, list) else [entries], 1):
        try:
            calls.append(_openai_call(entry, number, rename))
        except ValueError as e:
            errors.append(str(e))
    return calls, errors


def _openai_call(entry: Any, number: int, rename: Rename) -> ToolCall:
    fn = entry.get("function", entry) if isinstance(entry, dict) else None
    if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
        raise ValueError(f"tool call {number}: no function name in {json.dumps(entry, default=str)[:80]}")
    name = rename(fn["name"])
    try:
        arguments = decode_arguments(fn.get("arguments"))
    except ValueError as e:
        raise ValueError(f"tool call {number} ({name}): {e}") from None
    call_id = entry.get("id")
    return ToolCall(name=name, arguments=arguments, id=call_id if isinstance(call_id, str) else None)


def completion_from_openai(message: dict[str, Any], rename: Rename = _same, parser: str | None = None) -> Completion:
    """An OpenAI assistant message (`content`, `tool_calls`) as a Completion.

    Calls that do not decode are the model's `parse_error`. With `parser`, a message without
    `tool_calls` has its text read with that parser (prompt mode, a server started without its tool
    parser, a TRL completion that is plain text).
    """
    content = content_text(message.get("content"))
    raw_calls = message.get("tool_calls") or []
    if not raw_calls and content and parser is not None:
        return completion_from_text(content, parser)
    calls, errors = calls_from_openai(raw_calls, rename)
    raw = json.dumps({"content": content, "tool_calls": raw_calls}, default=str) if raw_calls else content or ""
    return Completion(text=content or None, tool_calls=calls, raw=raw, parse_error="; ".join(errors) or None)


def completion_from_text(raw: str, parser: str) -> Completion:
    """Raw model text read with the tool-call parser registered as `parser`: calls, the text around them, the error."""
    parsed = TOOL_PARSERS.get(parser).parse(raw)
    return Completion(text=parsed.text, tool_calls=parsed.calls, raw=raw, parse_error=parsed.error)


def choose_parser(explicit: str | None, model_name: str = "", chat_template: str | None = None) -> str:
    """The tool-call parser to read a model with: `explicit` when given, else its family's (`parser_for_model`).

    Raises:
        UserError: `explicit` is not a registered parser (the message lists the known ones).
    """
    return TOOL_PARSERS.get(explicit or parser_for_model(model_name, chat_template)).name
