"""Function calling: single-turn tasks whose answer is a set of tool calls (or none).

Categories follow BFCL: `simple` (one function, one call), `multiple` (several functions, one call),
`parallel` (several calls to one function), `parallel_multiple` (several calls to several
functions), `irrelevance` (no function fits: the right answer is no call).
"""

from __future__ import annotations

from ..check import Mode, check_calls
from ..errors import UserError
from ..types import FailureKind, Message, Task, Verdict
from .environment import Environment, ModeMixin, check_mode

__all__ = ["FunctionCallingEnv"]


class FunctionCallingEnv(ModeMixin, Environment):
    """Verifies the last assistant message's tool calls against the task's acceptable call sets.

    Examples:
        >>> env = FunctionCallingEnv(mode="bfcl")
        >>> env.single_turn
        True
    """

    kind = "function_calling"
    single_turn = True

    def __init__(self, mode: Mode = "toolgym", *, dots_as_underscores: bool = False) -> None:
        self.mode: Mode = check_mode(mode, self.kind)
        self.dots_as_underscores = dots_as_underscores

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Judge the last assistant message of `transcript` (its tool calls and parse error)."""
        expected = task.expected.calls
        if expected is None:
            raise UserError(
                f"task {task.id!r}: expected.calls is missing; a function-calling task lists its "
                "expected calls ([] when the right answer is no call)"
            )
        n = len(task.messages)
        answer = transcript[n:] if transcript[:n] == task.messages else transcript
        last = next((m for m in reversed(answer) if m.role == "assistant"), None)
        if last is None:
            relevance = "relevance" in task.category and "irrelevance" not in task.category
            no_call = not relevance and (not expected or "irrelevance" in task.category)
            if no_call:
                return Verdict.fail(
                    FailureKind.PARSE_ERROR, "no assistant message in the transcript: no answer"
                )
            return Verdict.fail(
                FailureKind.SHOULD_CALL, "no assistant message in the transcript: no call made"
            )
        return check_calls(
            last.tool_calls,
            expected,
            task.tools,
            task.category,
            mode=self.mode,
            parse_error=last.parse_error,
            dots_as_underscores=self.dots_as_underscores,
        ).verdict()
