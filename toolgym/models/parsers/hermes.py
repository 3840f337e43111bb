"""Hermes / Qwen tool calls: one JSON object per `<tool_call>...</tool_call>` block.

Used by Hermes 2/3, Qwen 2.5 and Qwen 3 (and vLLM's `--tool-call-parser hermes`)::

    Let me look that up.
    <tool_call>
    {"name": "get_weather", "arguments": {"city": "Paris"}}
    </tool_call>
    <tool_call>
    {"name": "get_time", "arguments": {"tz": "Europe/Paris"}}
    </tool_call>

A final block left open (generation stopped at the closing tag or at the token limit) runs to the
end of the text. Text outside the blocks is the message content.
"""

from __future__ import annotations

import json

from ...types import ToolCall
from .base import TOOL_PARSERS, CallSyntaxError, ParseResult, ToolParser, join_text
from .json_calls import call_from_object, decode_json_at, skip_space
from .literals import literal_value

__all__ = ["HERMES", "parse_hermes", "render_hermes"]

_OPEN, _CLOSE = "<tool_call>", "</tool_call>"


def _decode_block(text: str, start: int, end: int, number: int) -> ToolCall:
    pos = skip_space(text, start, end)
    if pos == end:
        raise CallSyntaxError(number, start, f"empty {_OPEN} block")
    try:
        value, after = decode_json_at(text[:end], pos, number)
    except CallSyntaxError:
        try:  # some Hermes fine-tunes write a Python dict: {'name': 'f', 'arguments': {...}}
            return call_from_object(literal_value(text[pos:end].strip()), number, pos)
        except (ValueError, TypeError):
            pass
        raise
    rest = skip_space(text, after, end)
    if rest < end:
        raise CallSyntaxError(number, rest, f"unexpected text after the call object: {text[rest:end][:20]!r}")
    return call_from_object(value, number, pos)


def parse_hermes(text: str) -> ParseResult:
    """Decode every `<tool_call>` block of `text`; the rest is content."""
    calls: list[ToolCall] = []
    errors: list[str] = []
    pieces: list[str] = []
    pos = 0
    number = 0
    while (start := text.find(_OPEN, pos)) >= 0:
        pieces.append(text[pos:start])
        number += 1
        body = start + len(_OPEN)
        close = text.find(_CLOSE, body)
        end = close if close >= 0 else len(text)
        try:
            calls.append(_decode_block(text, body, end, number))
        except CallSyntaxError as e:
            errors.append(str(e))
        pos = end + len(_CLOSE) if close >= 0 else end
    pieces.append(text[pos:])
    return ParseResult(calls=calls, text=join_text(pieces), error="; ".join(errors) or None)


def render_hermes(calls: list[ToolCall]) -> str:
    """Calls as Hermes blocks, one per line group."""
    return "\n".join(
        f"{_OPEN}\n{json.dumps({'name': c.name, 'arguments': c.arguments}, ensure_ascii=False)}\n{_CLOSE}"
        for c in calls
    )


HERMES = TOOL_PARSERS.register("hermes")(
    ToolParser(
        name="hermes",
        parse=parse_hermes,
        render=render_hermes,
        instructions=(
            'To call a function, write a JSON object with the keys "name" (the function\'s name) and '
            '"arguments" (an object of argument values) between <tool_call> and </tool_call> tags. '
            "Write one block per call; several blocks call several functions:\n"
            '<tool_call>\n{"name": "function_name", "arguments": {"argument": "value"}}\n</tool_call>'
        ),
    )
)
