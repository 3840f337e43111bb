"""The `code` environment kind: the sandboxed `python` tool, and verification by hidden tests."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from toolgym.envs import ENVIRONMENTS, PYTHON_TOOL, CodeEnv, SandboxConfig, extract_code
from toolgym.errors import ToolError, UserError
from toolgym.models import load_model
from toolgym.run import EpisodeLimits, run_episode
from toolgym.types import Expected, FailureKind, Message, SamplingConfig, Task, ToolCall

SANDBOX = SandboxConfig(cpu_s=1, wall_s=30, memory_mb=256, processes=8)  # wall: 1 s of CPU on a loaded machine
TESTS = [
    "assert add(1, 2) == 3",
    "assert add(-1, 1) == 0",
    "assert add(0, 0) == 0",
    "assert add(10, 5) == 15",
]
TASK = Task(
    id="code-add",
    messages=[Message(role="user", content="Write `def add(a: int, b: int) -> int:`.")],
    tools=[PYTHON_TOOL],
    category="math",
    expected=Expected(reference="def add(a, b):\n    return a + b\n"),
    metadata={"tests": TESTS},
)


@pytest.fixture(scope="module")
def env() -> CodeEnv:
    return CodeEnv(sandbox=SANDBOX)


def answer(text: str) -> list[Message]:
    return [*TASK.messages, Message(role="assistant", content=text)]


def fenced(code: str) -> str:
    return f"Here is my solution.\n```python\n{code}\n```\nDone."


def test_registered_as_code_and_multi_turn() -> None:
    env = ENVIRONMENTS.get("code")()
    assert isinstance(env, CodeEnv) and env.single_turn is False


def test_python_tool_schema() -> None:
    assert PYTHON_TOOL.name == "python"
    assert PYTHON_TOOL.parameters["required"] == ["code"]
    assert PYTHON_TOOL.parameters["properties"]["code"]["type"] == "string"


def test_episode_runs_python_calls_in_the_sandbox(env: CodeEnv) -> None:
    episode = env.reset(TASK)
    assert episode.call(ToolCall(name="python", arguments={"code": "print(sum(range(10)))"})) == "45"
    assert episode.call(ToolCall(name="python", positional=["print('positional')"])) == "positional"
    # a fresh process per call: nothing persists
    episode.call(ToolCall(name="python", arguments={"code": "x = 1"}))
    assert "NameError" in episode.call(ToolCall(name="python", arguments={"code": "print(x)"}))


def test_episode_reports_limits_as_tool_results(env: CodeEnv) -> None:
    out = env.reset(TASK).call(ToolCall(name="python", arguments={"code": "while True:\n    pass"}))
    assert out.endswith("[killed: CPU time limit (1 s) exceeded]")


@pytest.mark.parametrize(
    "call",
    [
        ToolCall(name="bash", arguments={"code": "ls"}),
        ToolCall(name="python", arguments={}),
        ToolCall(name="python", arguments={"code": 3}),
        ToolCall(name="python", arguments={"code": "1", "timeout": 3}),
    ],
)
def test_bad_calls_are_tool_errors(env: CodeEnv, call: ToolCall) -> None:
    with pytest.raises(ToolError, match="python"):
        env.reset(TASK).call(call)


def test_correct_solution_passes(env: CodeEnv) -> None:
    verdict = env.verify(TASK, answer(fenced("def add(a, b):\n    print('debug noise')\n    return a + b")))
    assert verdict.passed and verdict.reward == 1.0 and verdict.components == {"tests": 1.0}
    assert verdict.explanation == "all 4 tests passed"


def test_partial_solution_gets_the_fraction_passed(env: CodeEnv) -> None:
    verdict = env.verify(TASK, answer(fenced("def add(a, b):\n    return abs(a) + b")))
    assert not verdict.passed and verdict.failure is FailureKind.TEST_FAILURE
    assert verdict.reward == 0.75 and verdict.components == {"tests": 0.75}
    assert verdict.explanation == (
        "3/4 tests passed; test 2 failed: assert add(-1, 1) == 0 -> AssertionError: got 2, expected 0"
    )


def test_last_block_of_last_assistant_message_is_judged(env: CodeEnv) -> None:
    first_try = "First try:\n```python\ndef add(a, b):\n    return 0\n```\n"
    text = first_try + fenced("def add(a, b):\n    return a + b")
    transcript = [*answer(fenced("def add(a, b):\n    return 0")), Message(role="tool", content="ok"),
                  Message(role="assistant", content=text)]  # fmt: skip
    assert env.verify(TASK, transcript).passed


def test_no_code_block_is_a_parse_error(env: CodeEnv) -> None:
    verdict = env.verify(TASK, answer("def add(a, b): return a + b"))
    assert verdict.failure is FailureKind.PARSE_ERROR and verdict.reward == 0.0
    assert "no ```python code block" in verdict.explanation
    assert env.verify(TASK, list(TASK.messages)).failure is FailureKind.PARSE_ERROR


def test_solution_that_does_not_run_fails_every_test(env: CodeEnv) -> None:
    verdict = env.verify(TASK, answer(fenced("def add(a, b)\n    return a + b")))
    assert verdict.failure is FailureKind.TEST_FAILURE and verdict.reward == 0.0
    assert verdict.explanation.startswith("the solution does not run: SyntaxError")


def test_missing_function_is_a_name_error(env: CodeEnv) -> None:
    verdict = env.verify(TASK, answer(fenced("def plus(a, b):\n    return a + b")))
    assert "NameError: name 'add' is not defined" in verdict.explanation


def test_endless_solution_is_stopped_and_scored(env: CodeEnv) -> None:
    code = "def add(a, b):\n    while a == 10:\n        pass\n    return a + b"
    verdict = env.verify(TASK, answer(fenced(code)))
    assert verdict.reward == 0.75 and not verdict.passed
    assert verdict.explanation.endswith("test 4 failed: assert add(10, 5) == 15 -> did not finish: "
                                        "killed: CPU time limit (1 s) exceeded")  # fmt: skip


def test_forged_result_lines_do_not_count(env: CodeEnv) -> None:
    forged = "\n".join(f'print("{"0" * 16} " + {json.dumps(json.dumps({"event": "test", "index": i, "ok": True}))})'
                       for i in range(4))  # fmt: skip
    code = f"import os, sys\nsys.stdout = sys.__stdout__\n{forged}\nos._exit(0)\n"
    verdict = env.verify(TASK, answer(fenced(code)))
    assert verdict.reward == 0.0 and "did not finish" in verdict.explanation


def test_tests_must_be_listed(env: CodeEnv) -> None:
    task = TASK.model_copy(update={"metadata": {}})
    with pytest.raises(UserError, match="metadata.tests must be a non-empty list"):
        env.verify(task, answer(fenced("def add(a, b):\n    return a + b")))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("```python\nx = 1\n```", "x = 1\n"),
        ("```py\na\n```\n```python3\nb\n```", "b\n"),
        ("```Python\nc\n```", "c\n"),
        ("```\nplain\n```", None),
        ("```python\nunclosed", None),
        ("no code", None),
    ],
)
def test_extract_code(text: str, code: str | None) -> None:
    assert extract_code(text) == code


def test_agent_loop_runs_the_tool_then_verifies(env: CodeEnv, tmp_path: Path) -> None:
    solution = "def add(a, b):\n    return a + b"
    records = [
        {"id": TASK.id, "turn": 0, "content": "Let me try.",
         "tool_calls": [{"id": "c1", "function": {"name": "python",
                                                  "arguments": {"code": solution + "\nprint(add(2, 2))"}}}]},
        {"id": TASK.id, "turn": 1, "content": fenced(solution)},
    ]  # fmt: skip
    path = tmp_path / "replay.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    model = load_model(f"replay:{path}")
    rollout = asyncio.run(run_episode(model, env, TASK, SamplingConfig(), EpisodeLimits(max_turns=4)))
    tool_message = next(m for m in rollout.messages if m.role == "tool")
    assert tool_message.content == "4" and tool_message.tool_call_id == "c1"
    assert rollout.end_reason == "answered"
    assert env.verify(TASK, rollout.messages).passed
