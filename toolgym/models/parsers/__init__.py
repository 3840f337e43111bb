"""Tool-call parsers: raw model text -> tool calls, remaining text and a precise error.

One module per format, each registered in `TOOL_PARSERS` under its name:

* `hermes`   Hermes / Qwen: `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`, several per turn
* `llama3`   Llama 3.x JSON: `{"name": ..., "parameters": {...}}`, with or without `<|python_tag|>`
* `pythonic` Python calls: `[f(a=1), math.factorial(5)]`, read with `ast`, literals only
* `mistral`  `[TOOL_CALLS][{...}]` and the newer `[TOOL_CALLS]name[ARGS]{...}`

No parser raises on garbage: what cannot be decoded is `ParseResult.error`.

Examples:
    >>> result = parse_tool_calls('<tool_call>{"name": "f", "arguments": {"a": 1}}</tool_call>', "hermes")
    >>> result.calls[0].name, result.calls[0].arguments, result.error
    ('f', {'a': 1}, None)
"""

from __future__ import annotations

from ...types import ToolCall
from .base import TOOL_PARSERS, CallSyntaxError, ParseResult, ToolParser
from .family import parser_for_model
from .hermes import HERMES, parse_hermes
from .json_calls import decode_arguments
from .llama3 import LLAMA3, parse_llama3
from .mistral import MISTRAL, parse_mistral
from .pythonic import PYTHONIC, parse_pythonic

__all__ = [
    "HERMES",
    "LLAMA3",
    "MISTRAL",
    "PYTHONIC",
    "TOOL_PARSERS",
    "CallSyntaxError",
    "ParseResult",
    "ToolParser",
    "decode_arguments",
    "parse_hermes",
    "parse_llama3",
    "parse_mistral",
    "parse_pythonic",
    "parse_tool_calls",
    "parser_for_model",
    "render_tool_calls",
]


def parse_tool_calls(text: str, parser: str = "hermes") -> ParseResult:
    """Decode the tool calls in raw model `text` with the parser registered as `parser`.

    Raises:
        UserError: when `parser` is not a registered parser name (the message lists them).
    """
    return TOOL_PARSERS.get(parser).parse(text)


def render_tool_calls(calls: list[ToolCall], parser: str = "hermes") -> str:
    """Write `calls` as the text a model using format `parser` emits (the inverse of parsing)."""
    return TOOL_PARSERS.get(parser).render(calls)
