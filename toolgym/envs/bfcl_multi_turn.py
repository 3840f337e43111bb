"""BFCL's multi-turn categories: the back-end classes shipped in bfcl-eval, driven by structured calls.

Each episode creates fresh instances of the task's back-end classes (file system, maths, messaging,
posting, tickets, trading, travel, vehicle: bfcl-eval's own code, loaded with BFCL's
`_load_scenario`) and executes each call by name, with its arguments, only for functions offered so
far: the task's tools, and from a later user turn on the functions `multi_turn_miss_func` held back
until then (`metadata["later_tools"]`, offered through `Episode.begin_turn`). A user turn allows
BFCL's 20 steps (`steps_per_turn`; BFCL stops an entry after the 21st). BFCL's own executor instead
rewrites the call string and `eval`s it; results are formatted as BFCL formats them (a dict as JSON,
other values as `str`, an exception as `"Error during execution: ..."`), so the responses compared are
the same.

`verify` is BFCL's `multi_turn_checker` and `multi_turn_irrelevance_checker` (bfcl mode): the
model's calls of each user turn are replayed on fresh instances beside the gold calls; after every
turn with gold calls the public attributes of every instance must be equal (state check) and every
gold result must appear among the model's results so far (response check, a multiset); a turn whose
gold is empty must have no call.

toolgym mode applies the same checks with BFCL's flaws fixed, each tested on the same input:

| rule | bfcl | toolgym |
| --- | --- | --- |
| a turn with nothing to act on (empty gold) | any call fails it | read-only calls free; state unchanged |
| private state (`_current_dir`, ...) | not compared | compared (random generators excepted) |
| results | text, matched in any earlier turn | JSON values (5 == 5.0), matched in the turn |
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import random
from typing import Any

from ..check import Mode, same
from ..errors import UserError
from ..types import FailureKind, Message, Task, Tool, ToolCall, Verdict
from .environment import Environment, Episode, ModeMixin, check_mode

__all__ = ["STEPS_PER_TURN", "BfclMultiTurnEnv", "BfclMultiTurnEpisode", "later_tools", "split_turns"]

#: BFCL's MAXIMUM_STEP_LIMIT (constants/default_prompts.py): an entry stops once a turn passes it
STEPS_PER_TURN = 20

_MODULE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code."
# BFCL's CLASS_FILE_PATH_MAPPING and STATELESS_CLASSES (constants/executable_backend_config.py)
_MODULES = {
    "GorillaFileSystem": "gorilla_file_system",
    "MathAPI": "math_api",
    "MessageAPI": "message_api",
    "TwitterAPI": "posting_api",
    "TicketAPI": "ticket_api",
    "TradingBot": "trading_bot",
    "TravelAPI": "travel_booking",
    "VehicleControlAPI": "vehicle_control",
}
_STATELESS = ("MathAPI",)


def _instances(task: Task) -> dict[str, Any]:
    """Fresh back-end instances for `task`, in BFCL's starting state."""
    out = {}
    for name in task.metadata["involved_classes"]:
        try:
            module = importlib.import_module(_MODULE + _MODULES[name])
        except ImportError as e:
            why = f"BFCL's multi-turn back-ends need bfcl-eval ({e})"
            raise UserError(f"{why}: pip install --no-deps bfcl-eval") from None
        instance = getattr(module, name)()
        if name not in _STATELESS:
            config = copy.deepcopy(task.metadata["initial_config"].get(name, {}))
            instance._load_scenario(config, long_context=task.metadata["long_context"])
        out[name] = instance
    return out


def _format(result: Any) -> str:
    if type(result) is str:
        return result
    if type(result) is dict:
        try:
            return json.dumps(result)
        except (TypeError, ValueError):
            return str(result)
    return str(result)


def later_tools(task: Task) -> dict[int, list[Tool]]:
    """The tools a task offers only from a later user turn on (BFCL's `missed_function`), by turn."""
    later = task.metadata.get("later_tools") or {}
    return {int(turn): [Tool.model_validate(t) for t in tools] for turn, tools in later.items()}


class BfclMultiTurnEpisode(Episode):
    """One rollout's back-end instances; calls reach them by name, only for functions offered so far."""

    def __init__(self, task: Task) -> None:
        self.instances = _instances(task)
        self.offered = list(task.tools)
        self.later = later_tools(task)
        self.methods = _methods(self.instances, {t.name for t in self.offered})

    def begin_turn(self, user_turn: int) -> list[Tool] | None:
        """From the turn BFCL adds held-back functions, offer them too (after the others, as BFCL does)."""
        added = self.later.get(user_turn)
        if not added:
            return None
        self.offered = self.offered + added
        self.methods = _methods(self.instances, {t.name for t in self.offered})
        return self.offered

    def call(self, call: ToolCall) -> str:
        """Run the method named by the call, as BFCL formats its result or error."""
        method = self.methods.get(call.name)
        if method is None:
            return f"Error during execution: function {call.name!r} is not available"
        # fresh values, as BFCL's eval of the call string makes: back-ends keep and mutate what they get
        positional, arguments = copy.deepcopy(call.positional), copy.deepcopy(call.arguments)
        try:
            return _format(method(*positional, **arguments))
        except Exception as e:  # BFCL returns the error to the model as the call's result
            return f"Error during execution: {e}"


def split_turns(task: Task, transcript: list[Message]) -> list[list[list[ToolCall]]]:
    """The model's calls per user turn, per step (one assistant message is one step)."""
    n = len(task.messages)
    answer = transcript[n:] if transcript[:n] == task.messages else transcript
    turns: list[list[list[ToolCall]]] = [[]]
    for m in answer:
        if m.role == "user":
            turns.append([])
        elif m.role == "assistant" and m.tool_calls:
            turns[-1].append(list(m.tool_calls))
    return turns


class BfclMultiTurnEnv(ModeMixin, Environment):
    """BFCL's multi-turn categories, verified by BFCL's state and response checks."""

    kind = "bfcl_multi_turn"
    single_turn = False
    steps_per_turn = STEPS_PER_TURN

    def __init__(self, mode: Mode = "toolgym") -> None:
        self.mode: Mode = check_mode(mode, self.kind)

    def reset(self, task: Task) -> BfclMultiTurnEpisode:
        """Fresh back-end instances for one rollout."""
        return BfclMultiTurnEpisode(task)

    def needs_agent_loop(self, task: Task) -> str | None:
        """A `multi_turn_miss_func` task offers some functions only from a later user turn (`begin_turn`)."""
        later = later_tools(task)
        if later:
            names = sorted(t.name for tools in later.values() for t in tools)
            return f"task {task.id!r} offers {names} only from user turn {min(later)} on (tools that change per turn)"
        return super().needs_agent_loop(task)

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """BFCL's multi-turn verdict on the transcript's calls, turn by turn."""
        gold = [[ToolCall.model_validate(c) for c in turn] for turn in task.metadata["gold_turns"]]
        model = split_turns(task, transcript)
        if len(model) != len(gold):
            return Verdict.fail(
                FailureKind.LIMIT_REACHED,
                f"the episode ended after {len(model)} of {len(gold)} user turns (BFCL: force-terminated)",
            )
        if self.mode == "toolgym":
            return _toolgym_check(task, model, gold)
        for i, (steps, calls) in enumerate(zip(model, gold, strict=True)):
            if not calls and steps:
                return Verdict.fail(FailureKind.SHOULD_ABSTAIN, f"turn {i}: calls made where none should be")
        return _state_and_responses(task, model, gold)


def _state_and_responses(task: Task, model: list[list[list[ToolCall]]], gold: list[list[ToolCall]]) -> Verdict:
    mine, theirs = BfclMultiTurnEpisode(task), BfclMultiTurnEpisode(task)
    # BFCL replays the model's calls with every function of the classes, offered or not
    mine.methods = _all_methods(mine.instances)
    theirs.methods = _all_methods(theirs.instances)
    results: list[str] = []
    for i, (steps, calls) in enumerate(zip(model, gold, strict=True)):
        for step in steps:
            results += [mine.call(c) for c in step]
        expected = [theirs.call(c) for c in calls]
        if not calls:
            continue
        if not steps:
            return Verdict.fail(FailureKind.SHOULD_CALL, f"turn {i}: no call made; expected {len(calls)}")
        for name, instance in theirs.instances.items():
            diff = _differences(mine.instances[name], instance)
            if diff:
                return Verdict.fail(FailureKind.STATE_MISMATCH, f"turn {i}: {name} differs in {diff}")
        left = list(results)
        for r in expected:
            if r in left:
                left.remove(r)
            else:
                return Verdict.fail(FailureKind.MISSING_ACTION, f"turn {i}: no call gave the result {r[:80]!r}")
    return Verdict.ok("every turn's state and results match BFCL's gold calls")


def _state(instances: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every attribute of every instance, private ones included, random generators left out; copied."""
    return {
        name: {k: copy.deepcopy(v) for k, v in vars(i).items() if not isinstance(v, random.Random)}
        for name, i in instances.items()
    }


def _value(result: str) -> Any:
    try:
        return json.loads(result)
    except (ValueError, RecursionError):
        return result


def _toolgym_check(task: Task, model: list[list[list[ToolCall]]], gold: list[list[ToolCall]]) -> Verdict:
    mine, theirs = BfclMultiTurnEpisode(task), BfclMultiTurnEpisode(task)
    mine.methods = _all_methods(mine.instances)
    theirs.methods = _all_methods(theirs.instances)
    for i, (steps, calls) in enumerate(zip(model, gold, strict=True)):
        before = _state(mine.instances)
        results = [_value(mine.call(c)) for step in steps for c in step]
        expected = [_value(theirs.call(c)) for c in calls]
        if not calls:
            if _state(mine.instances) != before:
                why = f"turn {i}: the state changed where nothing was to be done"
                return Verdict.fail(FailureKind.SHOULD_ABSTAIN, why)
            continue
        if not steps:
            return Verdict.fail(FailureKind.SHOULD_CALL, f"turn {i}: no call made; expected {len(calls)}")
        ours, gold_state = _state(mine.instances), _state(theirs.instances)
        for name in gold_state:
            diff = [k for k in gold_state[name] if ours[name].get(k) != gold_state[name][k]]
            if diff:
                return Verdict.fail(FailureKind.STATE_MISMATCH, f"turn {i}: {name} differs in {diff}")
        left = list(results)
        for r in expected:
            match = next((k for k, x in enumerate(left) if same(x, r)), None)
            if match is None:
                why = f"turn {i}: no call of this turn gave {str(r)[:80]!r}"
                return Verdict.fail(FailureKind.MISSING_ACTION, why)
            left.pop(match)
    return Verdict.ok("every turn's state (private included) and results match BFCL's gold calls")


def _methods(instances: dict[str, Any], offered: set[str]) -> dict[str, Any]:
    return {k: m for k, m in _all_methods(instances).items() if k in offered}


def _all_methods(instances: dict[str, Any]) -> dict[str, Any]:
    """Public methods by name (BFCL's `inspect.getmembers(instance, inspect.ismethod)`, private ones left out)."""
    return {
        name: getattr(instance, name)
        for instance in instances.values()
        for name in dir(type(instance))
        if not name.startswith("_") and inspect.isfunction(getattr(type(instance), name))
    }


def _differences(model: Any, gold: Any) -> list[str]:
    """BFCL's `_compare_instances`: public attributes that differ."""
    return [a for a in vars(gold) if not a.startswith("_") and getattr(model, a) != getattr(gold, a)]
