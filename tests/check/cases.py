"""Short builders for verifier tests: tools, calls, expected calls, and one check."""

from __future__ import annotations

from typing import Any

from toolgym.check import Mode, check_calls
from toolgym.types import ExpectedCall, Tool, ToolCall, Verdict

MODES: tuple[Mode, ...] = ("bfcl", "toolgym")


def tool(name: str, required: tuple[str, ...] = (), **props: dict[str, Any]) -> Tool:
    """A tool whose parameters are `props` (name -> JSON Schema)."""
    return Tool(name=name, parameters={"type": "object", "properties": props, "required": list(required)})


def call(name: str, *positional: Any, **arguments: Any) -> ToolCall:
    """A decoded call."""
    return ToolCall(name=name, arguments=arguments, positional=list(positional))


def exp(name: str, **accepted: list[Any]) -> ExpectedCall:
    """An expected call: parameter -> accepted values."""
    return ExpectedCall(name=name, arguments=accepted)


def check(
    calls: list[ToolCall] | ToolCall,
    expected: list[ExpectedCall] | ExpectedCall,
    tools: list[Tool] | Tool,
    mode: Mode,
    category: str = "simple",
    **kw: Any,
) -> Verdict:
    """`check_calls` with single items accepted in place of lists, as the `Verdict` it gives."""
    calls = calls if isinstance(calls, list) else [calls]
    expected = expected if isinstance(expected, list) else [expected]
    tools = tools if isinstance(tools, list) else [tools]
    return check_calls(calls, expected, tools, category, mode=mode, **kw).verdict()


def kinds(
    calls: Any, expected: Any, tools: Any, category: str = "simple", **kw: Any
) -> tuple[str | None, ...]:
    """The failure kind (None: passed) in bfcl mode and in toolgym mode."""
    out = []
    for mode in MODES:
        v = check(calls, expected, tools, mode, category, **kw)
        assert v.passed == (v.failure is None) and v.reward == (1.0 if v.passed else 0.0), v
        out.append(None if v.failure is None else v.failure.value)
    return tuple(out)
