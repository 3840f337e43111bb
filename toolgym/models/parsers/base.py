"""What every tool-call parser shares: its result, its record in the registry, and its error.

A parser turns raw model text into tool calls. It never raises on garbage: a malformed call becomes
`ParseResult.error`, which says which call, what was wrong and where (a character offset into the
text), and the calls that did decode are kept beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from ...registry import Registry
from ...types import ToolCall

__all__ = ["TOOL_PARSERS", "CallSyntaxError", "ParseResult", "ToolParser", "join_text"]


class ParseResult(BaseModel):
    """Tool calls decoded from raw text, the text left around them, and what went wrong if anything."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    calls: list[ToolCall] = Field(default_factory=list)
    """Calls decoded, in the order they appear."""
    text: str | None = None
    """Content outside the call markup, stripped; None when there is none."""
    error: str | None = None
    """Why some call could not be decoded: `call 2 at char 57: ...`; None when all decoded."""


@dataclass(frozen=True)
class ToolParser:
    """One tool-call text format: how to read it, how to write it, and how to ask a model for it.

    `render` is the inverse of `parse` (parse(render(calls)).calls == calls): prompt mode uses it to
    write earlier assistant turns back into the conversation, and training data uses it to write
    targets in the format a model was taught.
    """

    name: str
    """Registry name (`hermes`, `llama3`, `pythonic`, `mistral`)."""
    parse: Callable[[str], ParseResult]
    """Raw text -> calls, remaining text, error. Never raises."""
    render: Callable[[list[ToolCall]], str]
    """Calls -> the text a model of this format would emit."""
    instructions: str
    """How to call a function in this format, for a system prompt (prompt mode)."""


class CallSyntaxError(ValueError):
    """One call could not be decoded; raised inside a parser and turned into `ParseResult.error`."""

    def __init__(self, number: int, pos: int, what: str) -> None:
        super().__init__(f"call {number} at char {pos}: {what}")
        self.number = number
        self.pos = pos


def join_text(pieces: list[str]) -> str | None:
    """The content left outside call markup: pieces joined and stripped, None when empty."""
    text = "".join(pieces).strip()
    return text or None


#: name -> ToolParser. Each format module registers itself; `parse_tool_calls(text, name)` looks up here.
TOOL_PARSERS: Registry[ToolParser] = Registry("tool parser")
