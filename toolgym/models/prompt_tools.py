"""Prompt mode: tools described in the system prompt and calls read back from text.

For servers without native tool calling (a plain completion server, a chat template without tools,
a base model) the tools go into the system prompt as JSON Schemas inside `<tools></tools>`, with the
calling instructions of a tool-call format (Hermes by default), and the model's text is read back
with that format's parser. Earlier turns are rewritten to match, so the model sees one format only:
an assistant turn's calls become text in the format, and tool results become a user turn of
`<tool_response>` blocks. No `tools` field and no `tool` role reach the server.

Images stay images: a user turn keeps its image parts, and a tool result's images go in its
`<tool_response>` block as image parts between the block's text (a vision model sees them where the
result is). The system prompt is text only.
"""

from __future__ import annotations

import json
from typing import Any

from ..types import Message, TextPart, Tool
from .parsers import TOOL_PARSERS

__all__ = ["prompt_messages", "tools_system_prompt"]


def tools_system_prompt(tools: list[Tool], parser: str = "hermes") -> str:
    """The system-prompt section that offers `tools` and explains how to call them in format `parser`."""
    schemas = "\n".join(json.dumps(t.to_openai(), ensure_ascii=False) for t in tools)
    return (
        "# Tools\n\n"
        "You may call one or more of the functions below to answer the user. Each is described by "
        "a JSON Schema inside <tools></tools>:\n"
        f"<tools>\n{schemas}\n</tools>\n\n"
        f"{TOOL_PARSERS.get(parser).instructions}\n"
        "If none of the functions fits the request, answer in plain text without calling any."
    )


def _tool_results(messages: list[Message]) -> dict[str, Any]:
    if not any(m.images for m in messages):
        blocks = "\n".join(f"<tool_response>\n{m.text}\n</tool_response>" for m in messages)
        return {"role": "user", "content": blocks}
    parts: list[Any] = []
    for i, m in enumerate(messages):
        parts.append(TextPart(text=("\n" if i else "") + "<tool_response>\n" + m.text))
        parts += m.images
        parts.append(TextPart(text="\n</tool_response>"))
    return Message(role="user", content=parts).to_openai()


def prompt_messages(
    messages: list[Message], tools: list[Tool], parser: str = "hermes"
) -> list[dict[str, Any]]:
    """`messages` as plain chat messages for a server without tool support (system, user, assistant)."""
    render = TOOL_PARSERS.get(parser).render
    system = [m.text for m in messages[:1] if m.role == "system"]
    if tools:
        system.append(tools_system_prompt(tools, parser))
    out: list[dict[str, Any]] = [{"role": "system", "content": "\n\n".join(system)}] if system else []
    pending: list[Message] = []
    for m in messages[1:] if messages[:1] and messages[0].role == "system" else messages:
        if m.role == "tool":
            pending.append(m)
            continue
        if pending:
            out.append(_tool_results(pending))
            pending = []
        if m.role == "assistant" and m.tool_calls:
            content = "\n".join(x for x in (m.text, render(m.tool_calls)) if x)
            out.append({"role": "assistant", "content": content})
        else:
            out.append({"role": m.role, "content": m.to_openai()["content"] or ""})  # image parts kept
    if pending:
        out.append(_tool_results(pending))
    return out
