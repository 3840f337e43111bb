"""Stateful environments: tools read and change a JSON database; an attempt is judged by the state it leaves.

A *domain* (`Domain`, given to `StatefulEnv(domains=...)` by the suite that defines it, or registered
in `DOMAINS`) holds the tool implementations and, optionally, a builder of initial states. A task
names its domain and carries everything else as JSON, so tasks stay plain data (no Python callables
in a `Task`); `StatefulMetadata` is the schema of its metadata, parsed once per task:

| where in the Task                    | what                                                            |
| ------------------------------------ | --------------------------------------------------------------- |
| `metadata["domain"]`                 | the registered domain whose tools run the task (required)       |
| `metadata["initial_state"]`          | the database at the start, a JSON object; or else:              |
| `metadata["state_seed"]`             | an int from which the domain's `build_state` makes that object  |
| `expected.gold_actions`              | calls that, replayed on the initial state, give the goal state  |
| `expected.facts`                     | strings the agent's messages must contain (case-insensitive)    |
| `metadata["required_actions"]`       | tool names whose gold calls must each appear among the agent's  |
|                                      | calls (read-only calls, e.g. authentication, that state misses) |
| `metadata["user_instruction"]`,      | read by the agent loop's simulated and scripted users           |
| `metadata["user_turns"]`             | (`toolgym/run/user.py`), not by the environment                 |

Every rollout gets its own deep copy of the initial state. Tools are written with `@state_tool`:
a typed, documented function whose first parameter receives the state (hidden from the model, and
its `Args:` entry too) and whose other parameters form the JSON Schema the model sees. Tools must
be deterministic functions of the state and their arguments (no clock, no randomness):
verification replays calls. A call that raises leaves the state as it was.

Verification replays the calls the agent made (those the transcript shows answered) on a fresh copy
of the initial state, and the gold actions on another, and compares the two by canonical-JSON hash
(or by the domain's `view` of the states, which may leave out session details such as a shell's
working directory). Reward is 1
only when the state matches and every fact and required action is present; each check is also a
component of the verdict.

Examples:
    >>> @state_tool
    ... def add_note(state: dict, text: str) -> str:
    ...     '''Add a note.
    ...
    ...     Args:
    ...         text: The note.
    ...     '''
    ...     state.setdefault("notes", []).append(text)
    ...     return "ok"
    >>> add_note.parameters["required"]
    ['text']
    >>> episode = StatefulEpisode(Domain("notes", (add_note,)), {})
    >>> episode.call(ToolCall(name="add_note", arguments={"text": "hi"}))
    'ok'
    >>> episode.state
    {'notes': ['hi']}
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import re
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import ToolError, UserError
from ..registry import Registry
from ..tools import ToolDefinitionError, tool
from ..types import Content, FailureKind, ImagePart, Message, Task, TextPart, Tool, ToolCall, Verdict
from .environment import Environment, Episode
from .state import explain_diff, state_hash
from .stateful_metadata import StatefulMetadata

__all__ = ["DOMAINS", "Domain", "StatefulEnv", "StatefulEpisode", "executed_calls", "state_tool"]

log = logging.getLogger(__name__)

State = dict[str, Any]


def state_tool(fn: Callable[..., Any] | None = None, /, *, name: str | None = None) -> Any:
    """`@tool` for stateful tools: the first parameter receives the state and is hidden from the model.

    Examples:
        >>> @state_tool
        ... def count(state: dict) -> int:
        ...     '''How many keys the state has.'''
        ...     return len(state)
        >>> count.fn({"a": 1})
        1
    """
    if fn is None:
        return lambda f: _state_tool(f, name)
    return _state_tool(fn, name)


def _state_tool(fn: Callable[..., Any], name: str | None) -> Tool:
    params = list(inspect.signature(fn).parameters.values())
    if not params or params[0].kind not in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
        code = fn.__code__
        raise ToolDefinitionError(
            f"{code.co_filename}:{code.co_firstlineno}: @state_tool {fn.__qualname__}: the first parameter "
            "must receive the state; write `def f(state: dict, ...)`"
        )
    # a stand-in with the visible signature and fn's file and line, so @tool's messages point at fn
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("a stateful tool runs through its episode")

    code = stand_in.__code__.replace(
        co_filename=fn.__code__.co_filename, co_firstlineno=fn.__code__.co_firstlineno
    )
    visible = types.FunctionType(code, fn.__globals__, fn.__name__)
    functools.update_wrapper(visible, fn)
    visible.__doc__ = _without_arg(inspect.getdoc(fn) or "", params[0].name)
    visible.__signature__ = inspect.signature(fn).replace(parameters=params[1:])  # type: ignore[attr-defined]
    return tool(visible, name=name).model_copy(update={"fn": fn})


def _without_arg(doc: str, name: str) -> str:
    """`doc` without the `Args:` entry of `name` (the state is described for people, not for the model)."""
    out: list[str] = []
    skipping: int | None = None
    in_args = False
    for line in doc.splitlines():
        indent = len(line) - len(line.lstrip())
        if skipping is not None and (not line.strip() or indent > skipping):
            continue
        skipping = None
        if line.strip().endswith(":") and line.strip()[:-1] in ("Args", "Arguments", "Parameters"):
            in_args = True
        elif in_args and re.match(rf"{re.escape(name)}\s*(\([^)]*\))?\s*:", line.strip()):
            skipping = indent
            continue
        out.append(line)
    return "\n".join(out)


@dataclass(frozen=True)
class Domain:
    """A stateful world: its tools and, optionally, how to build an initial state from a seed."""

    name: str
    """Name tasks give in `metadata["domain"]`."""
    tools: tuple[Tool, ...]
    """Tools made with `@state_tool`; each `fn` takes the state first."""
    build_state: Callable[[int], State] | None = None
    """Initial state from `metadata["state_seed"]`, for tasks without `initial_state`."""
    view: Callable[[State], Any] | None = None
    """What verification compares, when not the whole state: e.g. without session details such as a
    working directory, or with insignificant whitespace removed."""

    def tool(self, name: str) -> Tool | None:
        """The tool called `name`, or None."""
        return next((t for t in self.tools if t.name == name), None)

    def schemas(self) -> list[Tool]:
        """The tools as a Task offers them: schemas without implementations."""
        return [t.model_copy(update={"fn": None}) for t in self.tools]

    def compared(self, state: State) -> Any:
        """What verification compares of `state` (`view` of it, or all of it)."""
        return state if self.view is None else self.view(state)


#: domain name -> Domain; suites register theirs when imported
DOMAINS: Registry[Domain] = Registry("stateful domain")


class StatefulEpisode(Episode):
    """One rollout's private state and the domain's tools acting on it."""

    def __init__(self, domain: Domain, state: State) -> None:
        self.domain = domain
        self.state = state

    def call(self, call: ToolCall) -> Content:
        """Run one call; bad arguments and tool failures raise `ToolError` and leave the state unchanged.

        A tool's text is the result; a list of content parts (an image and its caption) is kept as
        parts; anything else is sent as JSON.
        """
        found = self.domain.tool(call.name)
        if found is None or found.fn is None:
            known = ", ".join(t.name for t in self.domain.tools)
            raise ToolError(f"unknown tool {call.name!r}; the tools are: {known}")
        arguments = bind_arguments(found, call)
        before = _copy(self.state)
        try:
            result = found.fn(self.state, **arguments)
        except Exception:
            self.state = before
            raise
        if isinstance(result, str) or _is_parts(result):
            return result
        return json.dumps(result, ensure_ascii=False)


class StatefulEnv(Environment):
    """Multi-turn tasks over a JSON database, verified by final state, facts and required actions.

    Examples:
        >>> notes = Domain("notes", ())
        >>> StatefulEnv(domains=[notes]).kind
        'stateful'
    """

    kind = "stateful"
    single_turn = False

    def __init__(self, *, domains: Iterable[Domain] | None = None) -> None:
        """`domains`: the worlds this environment runs; None: any domain registered in `DOMAINS`."""
        self._domains = None if domains is None else {d.name: d for d in domains}
        self._parsed: dict[str, tuple[Task, StatefulMetadata]] = {}

    def metadata(self, task: Task) -> StatefulMetadata:
        """The task's typed metadata, parsed on first use and kept (a UserError locating a bad field)."""
        known = self._parsed.get(task.id)
        if known is not None and known[0] is task:
            return known[1]
        meta = StatefulMetadata.of(task)
        self._parsed[task.id] = (task, meta)
        return meta

    def domain(self, task: Task) -> Domain:
        """The domain that runs `task`; a UserError naming the task and the known domains otherwise."""
        name = self.metadata(task).domain
        if self._domains is None:
            try:
                return DOMAINS.get(name)
            except UserError as e:
                raise UserError(f"task {task.id!r}: {e} (a suite registers its domain when it is loaded)") from None
        if name not in self._domains:
            raise UserError(f"task {task.id!r}: unknown domain {name!r}; known: {', '.join(sorted(self._domains))}")
        return self._domains[name]

    def initial_state(self, task: Task) -> State:
        """A fresh copy of the task's initial state (from `initial_state`, else the domain and `state_seed`)."""
        meta = self.metadata(task)
        state = meta.initial_state
        if state is None and meta.state_seed is not None:
            domain = self.domain(task)
            if domain.build_state is None:
                raise UserError(
                    f"task {task.id!r}: metadata.state_seed is set but domain {domain.name!r} cannot build "
                    "states from a seed; give metadata.initial_state instead"
                )
            state = domain.build_state(meta.state_seed)
        if not isinstance(state, dict):
            raise UserError(
                f"task {task.id!r}: metadata.initial_state must be a JSON object (got {type(state).__name__}); "
                "give it, or an int metadata.state_seed"
            )
        return _copy(state)

    def reset(self, task: Task) -> StatefulEpisode:
        """A new episode on a private copy of the initial state."""
        return StatefulEpisode(self.domain(task), self.initial_state(task))

    def goal_state(self, task: Task) -> State:
        """The state the gold actions reach; a failing gold action is a UserError naming the task."""
        gold = task.expected.gold_actions
        if gold is None:
            raise UserError(
                f"task {task.id!r}: expected.gold_actions is missing; a stateful task lists the calls that "
                "reach its goal ([] when nothing should change)"
            )
        episode = self.reset(task)
        for i, action in enumerate(gold):
            try:
                episode.call(action)
            except Exception as e:
                raise UserError(
                    f"task {task.id!r}: expected.gold_actions[{i}] ({action.name}) fails on the initial state: "
                    f"{e}; fix the action or the initial state"
                ) from None
        return episode.state

    def final_state(self, task: Task, transcript: list[Message]) -> State:
        """The state the agent's answered calls reach, replayed in order (failed calls change nothing)."""
        episode = self.reset(task)
        for call in executed_calls(_agent_part(task, transcript)):
            try:
                episode.call(call)
            except Exception:  # the agent saw this failure as a tool message; it changed nothing
                continue
        return episode.state

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Judge the transcript: goal state reached, facts stated, required actions taken."""
        agent = _agent_part(task, transcript)
        checks = {
            "state": self._check_state(task, transcript),
            "actions": self._check_actions(task, executed_calls(agent)),
            "facts": _check_facts(task, agent),
        }
        components = {name: c[0] for name, c in checks.items() if c is not None}
        problems = [c[1] for c in checks.values() if c is not None and c[1] is not None]
        if not problems:
            return Verdict.ok("goal state reached" + (", facts stated" if task.expected.facts else ""),
                              components=components)
        explanation = "; ".join(text for _, text in problems)
        return Verdict.fail(problems[0][0], explanation[:500], components=components)

    def _check_state(self, task: Task, transcript: list[Message]) -> _Check:
        domain = self.domain(task)
        goal = domain.compared(self.goal_state(task))
        final = domain.compared(self.final_state(task, transcript))
        if state_hash(goal) == state_hash(final):
            return 1.0, None
        return 0.0, (FailureKind.STATE_MISMATCH, f"final state differs from the goal: {explain_diff(goal, final)}")

    def _check_actions(self, task: Task, made: list[ToolCall]) -> _Check | None:
        names = self.metadata(task).required_actions
        if not names:
            return None
        wanted = [a for a in task.expected.gold_actions or [] if a.name in names]
        if not wanted:
            raise UserError(
                f"task {task.id!r}: metadata.required_actions names {names!r} but no gold action calls them; "
                "list tool names that appear in expected.gold_actions"
            )
        domain = self.domain(task)
        pool = [_call_key(domain, c) for c in made]
        missing = []
        for action in wanted:
            key = _call_key(domain, action)
            if key in pool:
                pool.remove(key)
            else:
                missing.append(f"{action.name}({', '.join(f'{k}={v!r}' for k, v in action.arguments.items())})")
        problem = (FailureKind.MISSING_ACTION, f"required calls not made: {', '.join(missing)}") if missing else None
        return 1 - len(missing) / len(wanted), problem


_Check = tuple[float, tuple[FailureKind, str] | None]
"""A check's component value, and its failure and explanation when it failed."""


def _check_facts(task: Task, agent: list[Message]) -> _Check | None:
    facts = task.expected.facts
    if not facts:
        return None
    said = _norm(" \n ".join(m.text for m in agent if m.role == "assistant"))
    missing = [f for f in facts if _norm(f) not in said]
    problem = (FailureKind.MISSING_FACT, f"not stated: {', '.join(map(repr, missing))}") if missing else None
    return 1 - len(missing) / len(facts), problem


def executed_calls(messages: list[Message]) -> list[ToolCall]:
    """The calls of `messages` that were answered, in order.

    The agent loop answers an assistant message's calls in order, one tool message each, right after
    it; a turn cut short by a limit has calls and no answers, and those calls never ran.
    """
    out: list[ToolCall] = []
    for i, message in enumerate(messages):
        if message.role != "assistant" or not message.tool_calls:
            continue
        answered = 0
        while i + 1 + answered < len(messages) and messages[i + 1 + answered].role == "tool":
            answered += 1
        out.extend(message.tool_calls[:answered])
    return out


def bind_arguments(found: Tool, call: ToolCall) -> dict[str, Any]:
    """The call's keyword arguments (positional ones bound by schema order), checked against the schema.

    Raises:
        ToolError: naming the argument, for an unknown, missing or mistyped argument.
    """
    properties: dict[str, Any] = found.parameters.get("properties", {})
    names = list(properties)
    if len(call.positional) > len(names):
        raise ToolError(f"{call.name} takes {len(names)} arguments, got {len(call.positional)} positional")
    arguments = dict(zip(names, call.positional, strict=False))
    for key, value in call.arguments.items():
        if key in arguments:
            raise ToolError(f"{call.name}: argument {key!r} given twice")
        arguments[key] = value
    for key in arguments:
        if key not in properties:
            raise ToolError(f"{call.name}: unknown argument {key!r}; its arguments are: {', '.join(names) or 'none'}")
    for key in found.parameters.get("required", []):
        if key not in arguments:
            raise ToolError(f"{call.name}: missing required argument {key!r}")
    for key, value in arguments.items():
        problem = _type_problem(properties[key], value, key)
        if problem:
            raise ToolError(f"{call.name}: {problem}")
    return arguments


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,),
}


def _type_problem(schema: dict[str, Any], value: Any, path: str) -> str | None:
    kind = schema.get("type")
    allowed = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    if allowed is not None and (not isinstance(value, allowed) or (kind != "boolean" and isinstance(value, bool))):
        article = "an" if kind[0] in "aeiou" else "a"
        return f"argument {path!r} must be {article} {kind}, got {type(value).__name__} {value!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"argument {path!r} must be one of {schema['enum']!r}, got {value!r}"
    if kind == "array" and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            problem = _type_problem(schema["items"], item, f"{path}[{i}]")
            if problem:
                return problem
    if kind == "object" and isinstance(value, dict):
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            problem = _type_problem(sub, item, f"{path}.{key}") if isinstance(sub, dict) else None
            if problem:
                return problem
    return None


def _call_key(domain: Domain, call: ToolCall) -> str:
    """A comparable form of a call: defaults filled in, strings trimmed and case-folded."""
    found = domain.tool(call.name)
    try:
        arguments = bind_arguments(found, call) if found else dict(call.arguments)
    except ToolError:
        arguments = dict(call.arguments)
    properties = found.parameters.get("properties", {}) if found else {}
    full = {k: p["default"] for k, p in properties.items() if "default" in p} | arguments
    return json.dumps([call.name, _fold(full)], sort_keys=True)


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().casefold()
    if isinstance(value, list):
        return [_fold(v) for v in value]
    if isinstance(value, dict):
        return {k: _fold(v) for k, v in value.items()}
    return value


def _is_parts(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(p, TextPart | ImagePart) for p in value)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _agent_part(task: Task, transcript: list[Message]) -> list[Message]:
    n = len(task.messages)
    return transcript[n:] if transcript[:n] == task.messages else transcript


def _copy(state: State) -> State:
    # a JSON round trip: a private copy, and proof that the state stays JSON
    return json.loads(json.dumps(state))
