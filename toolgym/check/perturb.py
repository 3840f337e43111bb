"""Targeted corruptions of a correct answer, each meant to fail with one named failure kind.

Tests of bundled suites use them to show that the verifier catches each kind of mistake, and the
verify benchmark uses them as realistic failing answers. A corruption sees only the calls and the
tools (not the accepted values), so it moves values far from the original ("Paris" -> "Parisqz",
7 -> 7926) and avoids documented defaults, which toolgym mode takes as omission.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from ..types import FailureKind, Tool, ToolCall
from .schema import MISSING, ParamSpec, ToolSpec, tool_spec
from .values import same

__all__ = ["PERTURBATION_KINDS", "perturb"]

#: The failure kinds `perturb` can produce.
PERTURBATION_KINDS: tuple[FailureKind, ...] = (
    FailureKind.WRONG_FUNCTION,
    FailureKind.MISSING_PARAM,
    FailureKind.UNEXPECTED_PARAM,
    FailureKind.WRONG_TYPE,
    FailureKind.WRONG_VALUE,
    FailureKind.WRONG_COUNT,
)

_WRONG_TYPED: tuple[Any, ...] = ("zz-wrong-type", 987654321, 0.5, {"zz": "wrong-type"})


def _copy(calls: list[ToolCall]) -> list[ToolCall]:
    return [
        ToolCall(name=c.name, arguments=copy.deepcopy(c.arguments), positional=copy.deepcopy(c.positional))
        for c in calls
    ]


def _wrong_count(calls: list[ToolCall], rng: random.Random) -> list[ToolCall]:
    if len(calls) > 1 and rng.random() < 0.5:
        del calls[rng.randrange(len(calls))]
    else:
        calls.insert(rng.randrange(len(calls) + 1), calls[rng.randrange(len(calls))].model_copy(deep=True))
    return calls


def _mutated(value: Any, spec: ParamSpec | None) -> Any:
    """`value` with one leaf moved far away, keeping every type; MISSING when nothing can move."""
    t = type(value)
    if t is str:
        return value + "qz"
    if t is bool:
        return not value
    if t is int:
        return value + 7919
    if t is float:
        return value + 1234.5
    items = spec.items if spec is not None else None
    if t is list:
        for i, v in enumerate(value):
            new = _mutated(v, items)
            if new is not MISSING:
                return [*value[:i], new, *value[i + 1 :]]
        item_types = items.py if items is not None else None
        if not value and item_types and item_types[0] in (str, int, float):
            return [item_types[0]("7919")]
        return MISSING
    if t is dict:
        props = spec.properties if spec is not None else None
        for k, v in value.items():
            new = _mutated(v, props.get(k) if props else None)
            if new is not MISSING:
                return {**value, k: new}
    return MISSING


def _wrong_value(call: ToolCall, tool: ToolSpec, rng: random.Random) -> bool:
    options = []
    for name, value in call.arguments.items():
        spec = tool.params.get(name)
        if spec is None:
            continue
        new = _mutated(value, spec)
        if new is MISSING or (spec.default is not MISSING and same(new, spec.default)):
            continue
        options.append((type(value) is bool, name, new))
    if not options:
        return False
    best = [o for o in options if not o[0]] or options  # a flipped bool may be accepted too: last resort
    _, name, new = rng.choice(best)
    call.arguments[name] = new
    return True


def _wrong_type(call: ToolCall, tool: ToolSpec, rng: random.Random) -> bool:
    options = []
    for name, value in call.arguments.items():
        spec = tool.params.get(name)
        if spec is None or spec.py is None or spec.bfcl_py is None:
            continue
        avoid = {*spec.py, *spec.bfcl_py, type(value)}
        if spec.is_float:
            avoid.add(int)
        if spec.is_tuple:
            avoid.add(tuple)
        new = next((w for w in _WRONG_TYPED if type(w) not in avoid), MISSING)
        if new is not MISSING:
            options.append((name, new))
    if not options:
        return False
    name, new = rng.choice(options)
    call.arguments[name] = copy.deepcopy(new)
    return True


def perturb(
    calls: list[ToolCall], tools: list[Tool], kind: FailureKind, rng: random.Random
) -> list[ToolCall] | None:
    """A copy of the correct `calls` corrupted so that its verdict should be `kind`.

    Args:
        calls: A correct answer (e.g. `reference_calls(task.expected.calls)`).
        tools: The task's tools.
        kind: One of `PERTURBATION_KINDS`.
        rng: Chooses the call and parameter to corrupt.

    Returns:
        The corrupted calls, or None when this kind of mistake cannot be made on this answer (no
        call to corrupt, no required parameter to drop, no typed parameter...).
    """
    if kind not in PERTURBATION_KINDS:
        raise ValueError(f"perturb() makes {[k.value for k in PERTURBATION_KINDS]}, not {kind!r}")
    if not calls:
        return None
    calls = _copy(calls)
    if kind is FailureKind.WRONG_COUNT:
        return _wrong_count(calls, rng)
    by_name = {t.name: t for t in tools}
    order = list(range(len(calls)))
    rng.shuffle(order)
    for i in order:
        call = calls[i]
        tool = by_name.get(call.name)
        if tool is None:
            continue
        spec = tool_spec(tool)
        if kind is FailureKind.WRONG_FUNCTION:
            others = [n for n in by_name if n != call.name]
            call.name = rng.choice(others) if others else call.name + "_other"
            return calls
        if kind is FailureKind.UNEXPECTED_PARAM:
            name = "unexpected_param"
            while name in spec.params or name in call.arguments:
                name += "_x"
            call.arguments[name] = "unexpected"
            return calls
        if kind is FailureKind.MISSING_PARAM:
            required = [n for n in spec.required if n in call.arguments]
            if required:
                del call.arguments[rng.choice(required)]
                return calls
        elif kind is FailureKind.WRONG_TYPE:
            if _wrong_type(call, spec, rng):
                return calls
        elif _wrong_value(call, spec, rng):
            return calls
    return None
