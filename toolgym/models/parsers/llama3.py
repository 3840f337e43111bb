"""Llama 3.x JSON tool calls: `{"name": ..., "parameters": {...}}`, one or several.

Llama 3.1/3.3 (and vLLM's `--tool-call-parser llama3_json`) emit a bare JSON object, sometimes
after `<|python_tag|>`, with `"parameters"` (or `"arguments"`); several calls are separated by `;`
or newlines, or given as a JSON array::

    <|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}; {"name": "get_time", ...}

Without `<|python_tag|>`, calls start at the first `{"name": ...` object (or `[` before it); text
before and after them is content. End-of-turn tokens (`<|eom_id|>`, `<|eot_id|>`) are dropped.
"""

from __future__ import annotations

import json
import re

from ...types import ToolCall
from .base import TOOL_PARSERS, CallSyntaxError, ParseResult, ToolParser, join_text
from .json_calls import call_from_object, decode_json_at

__all__ = ["LLAMA3", "parse_llama3", "render_llama3"]

_TAG = "<|python_tag|>"
_END_TOKENS = re.compile(r"<\|(?:eom_id|eot_id|end_of_text)\|>")
_CALL_START = re.compile(r'(?:\[\s*)?\{\s*"(?:name|type|function)"\s*:')
_SEPARATORS = ";,"


def _decode_calls(text: str, pos: int, number: int) -> tuple[list[ToolCall], int, int]:
    """Decode the object or array at `pos`; returns its calls, the end and the last call number."""
    value, end = decode_json_at(text, pos, number + 1)
    items = value if isinstance(value, list) else [value]
    calls = []
    for item in items:
        number += 1
        calls.append(call_from_object(item, number, pos))
    return calls, end, number


def parse_llama3(text: str) -> ParseResult:
    """Decode Llama-3 JSON calls from `text`; text outside them is content."""
    text = _END_TOKENS.sub("", text)
    pieces: list[str] = []
    tag = text.find(_TAG)
    if tag >= 0:
        pieces.append(text[:tag])
        text = text[:tag] + " " * len(_TAG) + text[tag + len(_TAG) :].replace(_TAG, "\n" * len(_TAG))
        pos = tag + len(_TAG)
    else:
        match = _CALL_START.search(text)
        if match is None:
            return ParseResult(text=join_text([text]))
        pieces.append(text[: match.start()])
        pos = match.start()
    calls: list[ToolCall] = []
    errors: list[str] = []
    number = 0
    first = tag >= 0  # right after the tag, any object or array is meant as calls
    while True:
        while pos < len(text) and (text[pos].isspace() or text[pos] in _SEPARATORS):
            pos += 1
        if pos == len(text):
            break
        if not (_CALL_START.match(text, pos) or (first and text[pos] in "{[")):
            match = _CALL_START.search(text, pos)
            pieces.append(text[pos : match.start() if match else len(text)])
            if match is None:
                break
            pos = match.start()
        first = False
        try:
            found, pos, number = _decode_calls(text, pos, number)
            calls.extend(found)
        except CallSyntaxError as e:
            errors.append(str(e))
            number = e.number
            match = _CALL_START.search(text, pos + 1)
            if match is None:
                break
            pos = match.start()
    return ParseResult(calls=calls, text=join_text(pieces), error="; ".join(errors) or None)


def render_llama3(calls: list[ToolCall]) -> str:
    """Calls as Llama-3 JSON objects, one per line."""
    return "\n".join(
        json.dumps({"name": c.name, "parameters": c.arguments}, ensure_ascii=False) for c in calls
    )


LLAMA3 = TOOL_PARSERS.register("llama3")(
    ToolParser(
        name="llama3",
        parse=parse_llama3,
        render=render_llama3,
        instructions=(
            "To call a function, answer with only a JSON object of the form "
            '{"name": "function_name", "parameters": {"argument": "value"}}. '
            "For several calls, write one such object per line."
        ),
    )
)
