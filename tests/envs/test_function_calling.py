"""FunctionCallingEnv: registered by name, verifies the last assistant message of a transcript."""

from __future__ import annotations

import pytest

from toolgym.envs import ENVIRONMENTS, Environment, Episode, FunctionCallingEnv
from toolgym.errors import UserError
from toolgym.types import Expected, ExpectedCall, FailureKind, Message, Task, Tool, ToolCall

TOOL = Tool(
    name="area",
    parameters={"type": "object", "properties": {"base": {"type": "integer"}}, "required": ["base"]},
)


def task(calls: list[ExpectedCall] | None, category: str = "simple") -> Task:
    return Task(
        id="t1",
        messages=[Message(role="user", content="area of base 10?")],
        tools=[TOOL],
        category=category,
        expected=Expected(calls=calls),
    )


def answer(*calls: ToolCall, parse_error: str | None = None) -> Message:
    return Message(role="assistant", tool_calls=list(calls), parse_error=parse_error)


SIMPLE = task([ExpectedCall(name="area", arguments={"base": [10]})])
IRRELEVANT = task([], "irrelevance")


def test_registered_as_function_calling() -> None:
    env = ENVIRONMENTS.get("function_calling")(mode="bfcl")
    assert isinstance(env, FunctionCallingEnv) and isinstance(env, Environment)
    assert env.single_turn and isinstance(env.reset(SIMPLE), Episode)


def test_verifies_the_last_assistant_message() -> None:
    env = FunctionCallingEnv()
    good, bad = (
        answer(ToolCall(name="area", arguments={"base": 10})),
        answer(ToolCall(name="area", arguments={"base": 3})),
    )
    assert env.verify(SIMPLE, [*SIMPLE.messages, good]).passed
    assert env.verify(SIMPLE, [*SIMPLE.messages, bad, good]).passed
    assert env.verify(SIMPLE, [*SIMPLE.messages, good, bad]).failure is FailureKind.WRONG_VALUE


def test_parse_error_is_read_from_the_message_and_scored_by_mode() -> None:
    garbled = [*IRRELEVANT.messages, answer(parse_error="unterminated JSON")]
    assert FunctionCallingEnv(mode="bfcl").verify(IRRELEVANT, garbled).passed
    assert FunctionCallingEnv().verify(IRRELEVANT, garbled).failure is FailureKind.PARSE_ERROR


def test_transcript_without_an_answer() -> None:
    env = FunctionCallingEnv()
    assert env.verify(SIMPLE, list(SIMPLE.messages)).failure is FailureKind.SHOULD_CALL
    assert env.verify(IRRELEVANT, list(IRRELEVANT.messages)).failure is FailureKind.PARSE_ERROR
    assert env.verify(
        IRRELEVANT, [*IRRELEVANT.messages, Message(role="assistant", content="No tool fits.")]
    ).passed


def test_assistant_turn_inside_the_prompt_is_not_the_answer() -> None:
    shot = answer(ToolCall(name="area", arguments={"base": 10}))
    t = SIMPLE.model_copy(
        update={"messages": [*SIMPLE.messages, shot, Message(role="user", content="again")]}
    )
    assert FunctionCallingEnv().verify(t, list(t.messages)).failure is FailureKind.SHOULD_CALL


def test_dots_as_underscores_is_passed_to_the_verifier() -> None:
    dotted = TOOL.model_copy(update={"name": "geo.area"})
    t = SIMPLE.model_copy(
        update={
            "tools": [dotted],
            "expected": Expected(calls=[ExpectedCall(name="geo.area", arguments={"base": [10]})]),
        }
    )
    msg = answer(ToolCall(name="geo_area", arguments={"base": 10}))
    assert FunctionCallingEnv(dots_as_underscores=True).verify(t, [*t.messages, msg]).passed
    assert not FunctionCallingEnv().verify(t, [*t.messages, msg]).passed


def test_bad_mode_and_missing_expected_calls_are_user_errors() -> None:
    with pytest.raises(UserError, match="unknown verifier mode 'lenient'"):
        FunctionCallingEnv(mode="lenient")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="task 't1': expected.calls is missing"):
        FunctionCallingEnv().verify(task(None), [])
