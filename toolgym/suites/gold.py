"""Gold actions of the generated suites (files, retail, vision-core), written as the calls they stand for.

`call("rename", src=..., dst=...)` reads like the tool call an agent would make; the tool name is
positional-only, so a tool may itself take an argument named `tool`.
"""

from __future__ import annotations

from typing import Any

from ..types import ToolCall

__all__ = ["call"]


def call(tool: str, /, **arguments: Any) -> ToolCall:
    """A gold action: `tool` called with `arguments`."""
    return ToolCall(name=tool, arguments=arguments)
