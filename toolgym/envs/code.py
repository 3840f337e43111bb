"""Code: the agent writes a Python function, tries it with a sandboxed `python` tool, and hidden tests judge it.

A task's user message asks for a function with a given signature. The agent may call
`python(code)` (each call is a fresh sandboxed process: nothing persists between calls) and ends with
the final code in a ```python block. The verifier takes the last such block of the last assistant
message, runs it with the task's hidden tests (`Task.metadata["tests"]`, assert statements) in the
sandbox, and scores the fraction of tests passed.

Hidden tests stay hidden from the agent: each `python` call runs in a sandbox of its own that holds
the interpreter and the call's code only (the default bwrap sandbox does not mount the repository,
so the suite's tests and reference solutions are out of reach), and verification is a separate
sandbox invocation, started after the episode, into which only the final code and the tests go
(never the reference solution). Inside that verification run the tests share a process with the
candidate code, so code written to forge its own verdict there (inspecting the harness, writing fake
result lines) is not prevented; it can no longer have learnt the tests beforehand. Results travel on
a line tagged with a fresh random token, and the candidate's own prints are sent to /dev/null, so
ordinary output never confuses the verifier.
"""

from __future__ import annotations

import ast
import json
import re
import secrets
import textwrap

from ..errors import InfraError, ToolError, UserError
from ..tools import tool
from ..types import FailureKind, Message, Task, ToolCall, Verdict
from .environment import Environment, Episode
from .sandbox import IsolationChoice, SandboxConfig, SandboxResult, run_python
from .task_metadata import CodeMetadata

__all__ = ["PYTHON_TOOL", "CodeEnv", "CodeEpisode", "extract_code"]

_BLOCK = re.compile(r"```[ \t]*(?:python3?|py)[ \t]*\r?\n(.*?)```", re.DOTALL | re.IGNORECASE)
_VERIFY_OUTPUT_BYTES = 65536  # room for one result line per test, whatever the candidate prints


@tool(name="python")
def python(code: str) -> str:
    """Run Python 3 code in a fresh sandbox and return what it printed (stdout, then errors).

    Each call starts a new process: variables and files do not persist between calls, so define and
    test everything in one call and print what you want to see. There is no network.

    Args:
        code: The Python source to run, as a complete program.
    """
    return run_python(code).render()


#: The `python` tool offered by code tasks (its `fn` runs with the default sandbox limits).
PYTHON_TOOL = python


class CodeEpisode(Episode):
    """One rollout of a code task: executes the agent's `python` calls in the sandbox."""

    def __init__(self, sandbox: SandboxConfig) -> None:
        self.sandbox = sandbox

    def call(self, call: ToolCall) -> str:
        """Run a `python` call and return its rendered result; other tools are refused."""
        if call.name != "python":
            raise ToolError(f"unknown tool {call.name!r}; the only tool here is python(code)")
        args = dict(call.arguments)
        if call.positional and "code" not in args:
            args["code"] = call.positional[0]
        code = args.pop("code", None)
        if not isinstance(code, str) or args or len(call.positional) > 1:
            raise ToolError("python takes exactly one argument, `code`: the program to run, as a string")
        return run_python(code, self.sandbox).render()


class CodeEnv(Environment):
    """Multi-turn code tasks: the `python` tool runs in the sandbox, hidden tests decide the verdict.

    Examples:
        >>> env = CodeEnv(sandbox=SandboxConfig(cpu_s=2, wall_s=10))
        >>> env.single_turn
        False
    """

    kind = "code"
    single_turn = False
    blocking = True

    def __init__(self, *, sandbox: SandboxConfig | None = None) -> None:
        self.sandbox = sandbox or SandboxConfig()

    def with_sandbox(self, isolation: IsolationChoice) -> CodeEnv:
        """A copy whose sandbox uses `isolation` (a run's `--sandbox`); the original is unchanged."""
        return CodeEnv(sandbox=self.sandbox.model_copy(update={"isolation": isolation}))

    def reset(self, task: Task) -> CodeEpisode:
        """A fresh episode: each tool call gets its own sandbox, so no state is shared."""
        return CodeEpisode(self.sandbox)

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Run the last ```python block of the last assistant message with the task's hidden tests.

        Raises:
            InfraError: the sandbox did not start the test harness.
        """
        tests = CodeMetadata.of(task).tests
        n = len(task.messages)
        answer = transcript[n:] if transcript[:n] == task.messages else transcript
        last = next((m for m in reversed(answer) if m.role == "assistant"), None)
        code = extract_code(last.text) if last else None
        if code is None:
            where = "the last assistant message has" if last else "the transcript has no assistant message, so"
            return Verdict.fail(FailureKind.PARSE_ERROR, f"{where} no ```python code block", components={"tests": 0.0})
        token = secrets.token_hex(8)
        config = self.sandbox.model_copy(
            update={"max_output_bytes": max(self.sandbox.max_output_bytes, _VERIFY_OUTPUT_BYTES)}
        )
        result = run_python(_harness(tests, token), config, files={"solution.py": code})
        return _verdict(tests, _results(result, token), result)


def extract_code(text: str) -> str | None:
    r"""The last ```python (or ```py) fenced block of `text`, without its fences; None if there is none.

    Examples:
        >>> extract_code("Here:\n```python\ndef f():\n    return 1\n```")
        'def f():\n    return 1\n'
    """
    blocks = _BLOCK.findall(text)
    return blocks[-1] if blocks else None


def _harness(tests: list[str], token: str) -> str:
    """The test program: imports the candidate, runs each test, reports one tagged JSON line per test."""
    head = f"""\
import builtins as _tg_b, json as _tg_json, os as _tg_os, sys as _tg_sys
_tg_fd = _tg_os.dup(1)
def _tg_say(**kw):
    _tg_os.write(_tg_fd, ({token!r} + " " + _tg_json.dumps(kw) + "\\n").encode())
_tg_say(event="start")
_tg_sys.stdout = _tg_b.open(_tg_os.devnull, "w")
try:
    from solution import *
except _tg_b.BaseException as _tg_e:
    _tg_say(event="import", error=f"{{_tg_b.type(_tg_e).__name__}}: {{_tg_e}}"[:300])
    _tg_os._exit(0)
"""
    defs = [f"def _tg_test_{i}():\n{textwrap.indent(_instrument(t), '    ')}\n" for i, t in enumerate(tests)]
    run = f"""\
for _tg_i in _tg_b.range({len(tests)}):
    try:
        _tg_b.globals()[f"_tg_test_{{_tg_i}}"]()
        _tg_say(event="test", index=_tg_i, ok=True)
    except _tg_b.BaseException as _tg_e:
        _tg_say(event="test", index=_tg_i, ok=False, error=f"{{_tg_b.type(_tg_e).__name__}}: {{_tg_e}}"[:300])
_tg_sys.stdout.flush()
"""
    return head + "\n".join(defs) + run


def _instrument(test: str) -> str:
    """`assert f(x) == y` becomes a check that reports what f(x) returned; other tests stay as written."""
    try:
        tree = ast.parse(test)
    except SyntaxError as e:
        raise UserError(f"hidden test {test!r} (metadata.tests) is not valid Python: {e}; fix the test") from None
    node = tree.body[0] if len(tree.body) == 1 else None
    if not (isinstance(node, ast.Assert) and node.msg is None and isinstance(node.test, ast.Compare)):
        return test
    cmp = node.test
    if len(cmp.ops) != 1 or not isinstance(cmp.ops[0], ast.Eq):
        return test
    left, right = ast.unparse(cmp.left), ast.unparse(cmp.comparators[0])
    return (
        f"_tg_got = {left}\n_tg_want = {right}\n"
        f'assert _tg_got == _tg_want, f"got {{_tg_got!r:.200}}, expected {{_tg_want!r:.200}}"'
    )


def _results(result: SandboxResult, token: str) -> dict[int, str | None] | str:
    """Test index -> None (passed) or its error; or the import error; InfraError when nothing ran."""
    events = []
    for line in result.stdout.splitlines():
        head, _, body = line.partition(" ")
        if head == token:
            events.append(json.loads(body))
    if not events or events[0] != {"event": "start"}:
        raise InfraError(f"the sandbox did not run the test harness ({result.status}): {result.stderr[-300:]}")
    for event in events[1:]:
        if event["event"] == "import":
            return event["error"]
    return {e["index"]: None if e["ok"] else e["error"] for e in events[1:] if e["event"] == "test"}


def _verdict(tests: list[str], results: dict[int, str | None] | str, run: SandboxResult) -> Verdict:
    n = len(tests)
    if isinstance(results, str):
        why = f"the solution does not run: {results}"
        return Verdict.fail(FailureKind.TEST_FAILURE, why, components={"tests": 0.0})
    passed = sum(1 for i in range(n) if i in results and results[i] is None)
    score = passed / n
    if passed == n:
        return Verdict.ok(f"all {n} tests passed", components={"tests": 1.0})
    first = next(i for i in range(n) if results.get(i, "missing") is not None)
    error = results.get(first) or f"did not finish: {run.status}"
    shown = "; ".join(line.strip() for line in tests[first].splitlines())
    why = f"{passed}/{n} tests passed; test {first + 1} failed: {shown} -> {error}"
    return Verdict(
        reward=score, passed=False, failure=FailureKind.TEST_FAILURE, explanation=why, components={"tests": score}
    )
