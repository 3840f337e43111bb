"""The bundled `code` suite: its shape, and its hidden tests run for real in the sandbox."""

from __future__ import annotations

import ast

import pytest

from toolgym.envs import ENVIRONMENTS, CodeEnv, SandboxConfig
from toolgym.suites import SUITES, load_suite
from toolgym.suites.code import code_suite
from toolgym.types import FailureKind, Message, Task

SUITE = code_suite()
ENV = CodeEnv(sandbox=SandboxConfig(cpu_s=2, wall_s=10, memory_mb=256, processes=8))


def answered(task: Task, code: str) -> list[Message]:
    return [*task.messages, Message(role="assistant", content=f"Final answer:\n```python\n{code}```")]


def test_registered_with_its_environment_kind() -> None:
    assert "code" in SUITES.names()
    suite = load_suite("code")
    assert suite.name == "code" and suite.environment == "code" and suite.version == SUITE.version
    assert isinstance(suite.env, CodeEnv) and isinstance(ENVIRONMENTS.get(suite.environment)(), CodeEnv)


def test_splits_and_categories() -> None:
    assert len(SUITE.split("train")) == 10
    assert len(SUITE.split("test")) >= 30
    assert SUITE.categories() == ["strings", "lists", "math"]
    assert len({t.id for t in SUITE.tasks}) == len(SUITE.tasks)


@pytest.mark.parametrize("task", SUITE.tasks, ids=lambda t: t.id)
def test_task_shape(task: Task) -> None:
    name = task.metadata["entry_point"]
    assert [t.name for t in task.tools] == ["python"]
    assert task.metadata["signature"] in task.messages[-1].content and "`python` tool" in task.messages[-1].content
    tests = task.metadata["tests"]
    assert len(tests) >= 4 and all(name in t for t in tests)
    assert any(isinstance(n, ast.Assert) for t in tests for n in ast.walk(ast.parse(t)))
    defined = [n.name for n in ast.parse(task.expected.reference).body if isinstance(n, ast.FunctionDef)]
    assert defined == [name]


@pytest.mark.parametrize("task", SUITE.tasks, ids=lambda t: t.id)
def test_reference_solution_passes_its_hidden_tests(task: Task) -> None:
    verdict = ENV.verify(task, answered(task, task.expected.reference))
    assert verdict.passed, verdict.explanation
    assert verdict.reward == 1.0


@pytest.mark.parametrize("task", SUITE.tasks, ids=lambda t: t.id)
def test_hidden_tests_reject_a_stub(task: Task) -> None:
    stub = f"{task.metadata['signature']}\n    return None\n"
    verdict = ENV.verify(task, answered(task, stub))
    assert verdict.failure is FailureKind.TEST_FAILURE
    assert verdict.reward <= 0.5, f"a stub passes {verdict.reward:.0%} of the tests of {task.id}"
