"""Stateful environments as TRL tool environments: multi-turn GRPO rollouts whose tool calls run on toolgym's state.

TRL's GRPOTrainer (>= 1.0) plays multi-turn rollouts itself when given `environment_factory`: an
object whose public methods are the tools, with `reset(**row)` before each rollout. TRL renders the
tools into the prompt from each method's signature and Google docstring, so `environment_classes`
writes one class per stateful domain whose methods are made from the domain's tool schemas (type
hints from the JSON types, `(choices: [...])` for enums). A method runs the call on the rollout's
`StatefulEpisode`; a `ToolError` reaches the model as `{"error": ...}`, as in `toolgym eval`.

`StatefulReward` then verifies each finished rollout the way `toolgym eval` does: the task's
messages plus the completion's messages (assistant turns and tool results) replayed on a fresh state
against the gold actions, with the facts and required actions checked.

A task only toolgym's agent loop can play (tools that change between user turns, prerequisite
conversations: `Environment.needs_agent_loop`) is refused with the reason.

Known gaps: TRL decides when a rollout ends (no simulated user, no per-task turn limit beyond
`max_tool_calling_iterations`), and parses calls with the tokenizer's response template, which must
be set for the chat template (TRL knows Qwen, Llama, ...; hermes-style models get Qwen 3's).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from ..envs import Environment, StatefulEnv
from ..errors import UserError
from ..types import Task, Tool, ToolCall
from .rewards import completion_messages

__all__ = ["StatefulReward", "environment_classes"]

log = logging.getLogger(__name__)

_PY_TYPES: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "object": dict}


def _annotation(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "array":
        return list[_annotation(schema.get("items") or {})]  # type: ignore[misc]
    return _PY_TYPES.get(kind if isinstance(kind, str) else "", str)


def _docstring(tool: Tool) -> str:
    lines = [tool.description or tool.name, ""]
    properties = tool.parameters.get("properties", {})
    if properties:
        lines.append("Args:")
        for name, spec in properties.items():
            text = " ".join((spec.get("description") or name).split())
            if "enum" in spec:
                text += f" (choices: {json.dumps(spec['enum'])})"
            lines.append(f"    {name}: {text}")
    return "\n".join(lines)


def _method(tool: Tool) -> Callable[..., str]:
    """A method named like the tool whose signature and docstring give back the tool's schema."""

    def call(self: Any, **arguments: Any) -> str:
        return self.episode.call(ToolCall(name=tool.name, arguments=arguments))

    properties = tool.parameters.get("properties", {})
    required = set(tool.parameters.get("required", []))
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    ordered = sorted(properties.items(), key=lambda kv: kv[0] not in required)  # required first, as Python wants
    for name, spec in ordered:
        default = inspect.Parameter.empty if name in required else None
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=_annotation(spec)))
    call.__name__ = call.__qualname__ = tool.name
    call.__doc__ = _docstring(tool)
    call.__signature__ = inspect.Signature(params, return_annotation=str)  # type: ignore[attr-defined]
    call.__annotations__ = {p.name: p.annotation for p in params[1:]} | {"return": str}
    return call


def environment_classes(env: Environment, tasks: Sequence[Task]) -> dict[str, type]:
    """One TRL environment class per domain of `tasks`, keyed by domain name (the rows' `environment` column).

    Each instance holds one rollout: `reset(task=TASK_JSON, **row)` loads the task and opens an
    episode of it (a fresh copy of its initial state); the tool methods act on it. A local
    `StatefulEnv` gives the domain's tools; any other multi-turn environment (a `RemoteEnvironment`)
    gives the tools its tasks offer, grouped by `metadata["domain"]`.
    """
    classes: dict[str, type] = {}
    for task in tasks:
        refused = env.needs_agent_loop(task)
        if refused:
            raise UserError(f"{refused}; a TRL tool environment has one set of tool methods and one episode per "
                            "rollout, so train on another suite or drop such tasks")
        if isinstance(env, StatefulEnv):
            domain = env.domain(task)
            name, tools = domain.name, domain.tools
        else:
            name, tools = str(task.metadata.get("domain", "tools")), tuple(task.tools)
        if name not in classes:
            classes[name] = _environment_class(env, name, tools)
    return classes


def _environment_class(env: Environment, name: str, tools: Sequence[Tool]) -> type:
    def __init__(self: Any) -> None:
        self.task: Task | None = None
        self.episode: Any = None

    def reset(self: Any, task: str, **row: Any) -> None:
        if self.episode is not None:  # TRL reuses instances: end the previous rollout's episode
            self.episode.close()
        self.task = Task.model_validate_json(task)
        self.episode = env.reset(self.task)

    members: dict[str, Any] = {"__init__": __init__, "reset": reset, "__doc__": f"toolgym domain {name}"}
    for tool in tools:
        if tool.name in members or tool.name.startswith("_"):
            raise ValueError(f"domain {name!r}: tool name {tool.name!r} clashes with the environment's methods")
        members[tool.name] = _method(tool)
    return type(f"{name.title().replace('_', '')}ToolEnvironment", (), members)


class StatefulReward:
    """`reward_funcs` entry for tool-using rollouts: `(prompts, completions, environments, **columns)`.

    Args:
        env: The multi-turn environment that verifies (stateful, or a remote one).
        parser: Tool-call parser for assistant text TRL did not parse into calls.
    """

    def __init__(self, env: Environment, parser: str = "hermes") -> None:
        self.env = env
        self.parser = parser
        self.errors = 0
        """Rollouts the verifier raised on (left out of the reward)."""
        self.__name__ = "verifier"

    def __call__(
        self, prompts: Sequence[Any], completions: Sequence[Any], environments: Sequence[Any], **columns: Any
    ) -> list[float | None]:
        """One reward per rollout, from the task each environment instance was reset with."""
        out: list[float | None] = []
        for completion, environment in zip(completions, environments, strict=True):
            task: Task = environment.task
            transcript = [*task.messages, *completion_messages(completion, self.parser)]
            try:
                out.append(self.env.verify(task, transcript).reward)
            except Exception:  # recorded: a verifier bug is not the model's failure
                log.exception("verifier failed on task %s", task.id)
                self.errors += 1
                out.append(None)
        return out
