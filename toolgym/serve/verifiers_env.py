"""A toolgym suite as a `verifiers` environment, so prime-rl (and `vf-eval`) train and evaluate on it.

verifiers (0.4, its `verifiers.v1` API) splits an environment into a taskset (the rows), tasks (setup
and `@reward` functions), tool servers (`Toolset`s, MCP servers launched per rollout) and a harness
(the program that talks to the model). This module fills each part from a toolgym suite:

* `ToolgymTaskset` yields one `ToolgymTask` per task of the suite's split; the prompt is the task's
  messages (system and user).
* `ToolgymToolset` is the per-rollout tool server: it resets the toolgym environment for its task (a
  private world per rollout) and serves the task's tools, with their JSON schemas, over MCP; a tool's
  failure is an MCP error result worded as toolgym's agent loop words it.
* `ToolgymTask.toolgym` is the reward: the rollout's messages become a toolgym transcript and the
  suite's own verifier judges it (`Environment.verify`); the verdict's components are recorded as
  metrics. The adapter does not catch a verifier's exception: verifiers' scoring boundary records it
  as the rollout's error instead of a reward. Single-turn suites stop after the first model response,
  as in toolgym.
* `ToolgymHarness` is verifiers' tool-calling chat loop (the `null` harness), so the model sees the
  task's tools and nothing else (verifiers' default harness would add a bash tool).

verifiers loads a taskset by the name of a top-level module; `toolgym_verifiers` re-exports these
classes (`vf-eval toolgym-verifiers --env.taskset.suite retail`). Any suite spec works, `remote:URL`
included: then the worlds live in `toolgym serve-env` processes and only the HTTP client runs here.

verifiers pins `mcp==2.0.0` while toolgym's own MCP features need `mcp>=2.3`, so this adapter runs in
a separate environment with toolgym installed without the `mcp` extra (`pip install toolgym verifiers`);
it imports only toolgym's core.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any, Literal, cast

import verifiers.v1 as vf
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent
from mcp.types import Tool as MCPTool
from pydantic import Field, TypeAdapter
from verifiers.v1.harnesses.null import NullHarness

from ..errors import UserError
from ..types import Message, Task, ToolCall, text_of
from .adapter_calls import call_tool, suite_tasks

__all__ = [
    "ToolgymData",
    "ToolgymHarness",
    "ToolgymTask",
    "ToolgymTaskConfig",
    "ToolgymTaskset",
    "ToolgymTasksetConfig",
    "ToolgymToolset",
    "toolgym_transcript",
]

_VF_MESSAGE = TypeAdapter(vf.Message)


class ToolgymTaskConfig(vf.TaskConfig):
    """Settings every task of the taskset shares (`--env.taskset.task.*`)."""

    tools: vf.ToolsetConfig = vf.ToolsetConfig()
    """Where each rollout's tool server runs (verifiers' runtime choice; a subprocess by default)."""


class ToolgymTasksetConfig(vf.TasksetConfig):
    """Which toolgym suite to serve (`--env.taskset.*`)."""

    suite: str = ""
    """A toolgym suite spec: `retail`, `fc-core`, `jsonl:FILE`, `remote:http://HOST:PORT`, ... (required)."""
    split: Literal["train", "test"] | None = "train"
    """The suite's split to yield; None for every task."""
    mode: Literal["toolgym", "bfcl"] = "toolgym"
    """toolgym's verifier mode for call matching (`toolgym` or BFCL's stricter `bfcl`)."""
    task: ToolgymTaskConfig = ToolgymTaskConfig()


class ToolgymData(vf.TaskData):
    """One toolgym task as verifiers sees it; the tool server and the reward look the task up by id."""

    suite: str
    """The suite spec the task comes from."""
    task_id: str
    """The toolgym task id."""
    mode: str = "toolgym"
    """toolgym's verifier mode."""
    single_turn: bool = False
    """True when the suite's environment judges the first model response alone (function calling)."""
    category: str = ""
    """The task's category in its suite."""
    tool_names: list[str] = Field(default_factory=list)
    """The task's tools, so the reward can undo a harness's server prefix on tool names."""


class ToolgymToolset(vf.Toolset[vf.ToolsetConfig, vf.State]):
    """The tool server of one rollout: a fresh episode of the task's environment, its tools over MCP."""

    TOOL_PREFIX = None  # the model sees the task's own tool names, as toolgym's verifier expects them

    def __init__(self, config: vf.ToolsetConfig) -> None:
        super().__init__(config)
        self._task: Task | None = None
        self._episode: Any = None

    async def setup_task(self, task: ToolgymData) -> None:  # type: ignore[override]
        """Open the rollout's episode (verifiers calls this once, before serving)."""
        tasks = suite_tasks(task.suite, task.mode)
        self._task = tasks.task(task.task_id)
        self._episode = await asyncio.to_thread(tasks.env.reset, self._task)
        self._exit_stack.callback(self._episode.close)

    def register(self, mcp: MCPServer) -> None:
        """Serve the task's tools: their schemas come from the task, so no Python signature stands in."""
        server = cast(Any, mcp)  # the SDK's protocol handlers call these two public methods
        server.list_tools = self.list_tools
        server.call_tool = self.call_tool

    async def list_tools(self) -> list[MCPTool]:
        """The task's tools with their JSON schemas (none before the task is set up)."""
        tools = self._task.tools if self._task is not None else []
        return [MCPTool(name=t.name, description=t.description or None, input_schema=t.parameters) for t in tools]

    async def call_tool(self, name: str, arguments: dict[str, Any] | None, context: Context | None = None,
                        ) -> CallToolResult:
        """Run one call on the rollout's episode; a failing tool is an error result the model reads."""
        if self._episode is None:
            return _result("Error: no task was set up for this tool server", True)
        text, failed = await asyncio.to_thread(call_tool, self._episode, ToolCall(name=name, arguments=arguments or {}))
        return _result(text, failed)


def _result(text: str, failed: bool) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=failed)


class ToolgymTask(vf.Task[ToolgymData, vf.State, ToolgymTaskConfig]):
    """One toolgym task: its tools come from a `ToolgymToolset`, its reward from the suite's verifier."""

    @classmethod
    def toolsets(cls, config: ToolgymTaskConfig) -> list[vf.Toolset]:
        """One tool server per rollout, so every rollout acts on its own world."""
        return [ToolgymToolset(config.tools)]

    @vf.stop
    def single_turn(self, response: vf.Response) -> bool:
        """Single-turn suites judge the first response alone: stop there, as toolgym's agent loop does."""
        return self.data.single_turn

    @vf.reward(weight=1.0)
    async def toolgym(self, trace: vf.Trace) -> float:
        """The rollout's reward: toolgym's verdict; components become metrics, the verdict goes in `trace.info`."""
        tasks = suite_tasks(self.data.suite, self.data.mode)
        task = tasks.task(self.data.task_id)
        transcript = toolgym_transcript(task, trace.messages, single_turn=self.data.single_turn)
        verdict = await asyncio.to_thread(tasks.env.verify, task, transcript)
        for name, value in verdict.components.items():
            trace.record_metric(f"toolgym_{name}", float(value))
        trace.info["toolgym"] = {"passed": verdict.passed, "failure": verdict.failure,
                                 "explanation": verdict.explanation}
        return verdict.reward


class ToolgymTaskset(vf.Taskset[ToolgymTask, ToolgymTasksetConfig]):
    """The tasks of one split of a toolgym suite."""

    def load(self) -> Iterator[ToolgymTask]:
        """One verifiers task per toolgym task, in the suite's order."""
        if not self.config.suite:
            raise UserError("the toolgym taskset needs a suite: pass --env.taskset.suite SPEC (e.g. retail, fc-core)")
        tasks = suite_tasks(self.config.suite, self.config.mode)
        for task in tasks.suite.split(self.config.split):
            data = ToolgymData(id=task.id, name=task.id, prompt=_prompt(task), suite=self.config.suite,
                               task_id=task.id, mode=self.config.mode, single_turn=tasks.env.single_turn,
                               category=task.category, tool_names=[t.name for t in task.tools])
            yield ToolgymTask(data, self.config.task)


class ToolgymHarness(NullHarness):
    """verifiers' tool-calling chat loop: the model gets the task's tools (over MCP) and no shell."""


def _prompt(task: Task) -> list[Any]:
    """The task's opening messages in verifiers' types (text and image parts keep their OpenAI shape)."""
    return [_VF_MESSAGE.validate_python(m.to_openai()) for m in task.messages]


def toolgym_transcript(task: Task, messages: list[Any], *, single_turn: bool = False) -> list[Message]:
    """The toolgym transcript of a rollout: the task's messages, then what followed the first model turn.

    verifiers' messages are typed (`AssistantMessage` with raw JSON arguments, `ToolMessage`); arguments
    that are not a JSON object make the turn a parse error, as toolgym's parsers would. Tool names that
    a harness qualified with a server prefix (`mcp__server__name`, `server_name`) are mapped back.
    """
    start = next((i for i, m in enumerate(messages) if m.role == "assistant"), len(messages))
    names = {t.name for t in task.tools}
    out: list[Message] = list(task.messages)
    for message in messages[start:]:
        if message.role == "assistant":
            out.append(_assistant(message, names))
            if single_turn:
                break
        elif message.role == "tool":
            out.append(Message(role="tool", content=_text(message.content), tool_call_id=message.tool_call_id,
                               name=_tool_name(message.name, names) if message.name else None))
        else:
            out.append(Message(role=message.role, content=_text(message.content)))
    return out


def _assistant(message: Any, names: set[str]) -> Message:
    calls, errors = [], []
    for call in message.tool_calls or []:
        try:
            arguments = json.loads(call.arguments) if call.arguments.strip() else {}
        except json.JSONDecodeError as e:
            errors.append(f"{call.name}: arguments are not JSON ({e})")
            continue
        if not isinstance(arguments, dict):
            errors.append(f"{call.name}: arguments are {type(arguments).__name__}, not a JSON object")
            continue
        calls.append(ToolCall(name=_tool_name(call.name, names), arguments=arguments, id=call.id))
    return Message(role="assistant", content=message.content, tool_calls=calls,
                   parse_error="; ".join(errors) or None)


def _tool_name(name: str, names: set[str]) -> str:
    if name in names:
        return name
    for known in sorted(names, key=len, reverse=True):
        if name.endswith((f"__{known}", f"_{known}")):
            return known
    return name


def _text(content: Any) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    try:
        return text_of(Message.model_validate({"role": "user", "content": [p.model_dump() for p in content]}).content,
                       image="[image]")
    except ValueError as e:
        raise UserError(f"a message part toolgym cannot read: {e}") from None


if __name__ == "__main__":  # verifiers starts each rollout's tool server as `python -m <this module>`
    ToolgymToolset.run()
