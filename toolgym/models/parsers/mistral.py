"""Mistral tool calls: `[TOOL_CALLS]` followed by a JSON array, or by `name[ARGS]{...}`.

Mistral 7B v0.3, Mixtral and Mistral Nemo (vLLM's `--tool-call-parser mistral`) write one array::

    [TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}, "id": "a1b2c3d4e"}]

Newer tokenizers (Mistral Small 3.2, Magistral, Devstral) write each call as its name then its
arguments, optionally with a call id::

    [TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_time[CALL_ID]x1[ARGS]{"tz": "UTC"}

When the server skipped special tokens, `[TOOL_CALLS]` is missing; a text that is only a JSON array
of `{"name": ...}` objects is then read as calls. Text before the first `[TOOL_CALLS]` is content.
"""

from __future__ import annotations

import json
import re

from ...types import ToolCall
from .base import TOOL_PARSERS, CallSyntaxError, ParseResult, ToolParser, join_text
from .json_calls import call_from_object, decode_arguments, decode_json_at, skip_space

__all__ = ["MISTRAL", "parse_mistral", "render_mistral"]

_MARK, _ARGS, _CALL_ID = "[TOOL_CALLS]", "[ARGS]", "[CALL_ID]"
_EOS = re.compile(r"</s>")
_BARE_ARRAY = re.compile(r'\s*\[\s*\{\s*"(?:name|function|type|id)"\s*:')


def _json_calls(text: str, pos: int, number: int) -> tuple[list[ToolCall], int]:
    """The calls of the array (or single object) at `pos`, and the index after it."""
    value, end = decode_json_at(text, pos, number + 1)
    items = value if isinstance(value, list) else [value]
    return [call_from_object(item, number + i, pos) for i, item in enumerate(items, 1)], end


def _named_call(text: str, pos: int, end: int, number: int) -> tuple[ToolCall, int]:
    """The `name[CALL_ID]id[ARGS]{...}` call at `pos`, and the index after its arguments."""
    args = text.find(_ARGS, pos, end)
    if args < 0:
        raise CallSyntaxError(number, pos, f"expected a JSON array or name{_ARGS}{{...}} after {_MARK}")
    name, _, call_id = text[pos:args].partition(_CALL_ID)
    if not name.strip():
        raise CallSyntaxError(number, pos, f"no function name before {_ARGS}")
    start = skip_space(text, args + len(_ARGS), end)
    value, after = decode_json_at(text[:end], start, number)
    try:
        arguments = decode_arguments(value)
    except ValueError as e:
        raise CallSyntaxError(number, start, f"{name.strip()}: {e}") from None
    return ToolCall(name=name.strip(), arguments=arguments, id=call_id.strip() or None), after


def _segment(text: str, pos: int, end: int, number: int) -> tuple[list[ToolCall], str]:
    """Calls in the text between one `[TOOL_CALLS]` and the next; returns them and trailing text."""
    start = skip_space(text, pos, end)
    if start < end and text[start] in "[{" and not text.startswith((_ARGS, _CALL_ID), start):
        calls, after = _json_calls(text[:end], start, number)
    else:
        call, after = _named_call(text, start, end, number + 1)
        calls = [call]
    return calls, text[after:end]


def parse_mistral(text: str) -> ParseResult:
    """Decode Mistral calls from `text`; text before and after them is content."""
    text = _EOS.sub("", text)
    first = text.find(_MARK)
    if first < 0:
        if not _BARE_ARRAY.match(text):
            return ParseResult(text=join_text([text]))
        first, skip = 0, 0
    else:
        skip = len(_MARK)
    calls: list[ToolCall] = []
    pieces = [text[:first]]
    errors: list[str] = []
    pos = first + skip
    while pos <= len(text):
        end = text.find(_MARK, pos)
        end = len(text) if end < 0 else end
        try:
            found, rest = _segment(text, pos, end, len(calls) + len(errors))
            calls.extend(found)
            pieces.append(rest)
        except CallSyntaxError as e:
            errors.append(str(e))
        pos = end + len(_MARK)
    return ParseResult(calls=calls, text=join_text(pieces), error="; ".join(errors) or None)


def render_mistral(calls: list[ToolCall]) -> str:
    """Calls as one `[TOOL_CALLS]` JSON array."""
    items = [{"name": c.name, "arguments": c.arguments} | ({"id": c.id} if c.id else {}) for c in calls]
    return _MARK + json.dumps(items, ensure_ascii=False)


MISTRAL = TOOL_PARSERS.register("mistral")(
    ToolParser(
        name="mistral",
        parse=parse_mistral,
        render=render_mistral,
        instructions=(
            f"To call functions, answer with {_MARK} followed by a JSON array of calls, each an object "
            'with "name" and "arguments": '
            f'{_MARK}[{{"name": "function_name", "arguments": {{"argument": "value"}}}}]'
        ),
    )
)
