"""The function-call verifier: the calls a model made against the acceptable call sets, in two modes.

`check_calls` dispatches by category as BFCL does: a category containing "parallel" (or a task with
more than one expected call) matches calls in any order; otherwise exactly one call is made and
checked against the expected function's schema ("simple", "multiple"). A task with no expected call,
or a category containing "irrelevance", is passed by making no call; BFCL's "live_relevance" is
passed by making any call (toolgym mode: to an offered function). BFCL's Java and JavaScript
parameters are strings read with BFCL's own converters (`check/language.py`).

`mode="bfcl"` reproduces BFCL v4's AST checker (Python categories) exactly. `mode="toolgym"`, the
default, applies the same rules with BFCL's known flaws fixed:

| rule | bfcl | toolgym |
| --- | --- | --- |
| undecodable calls where no call is expected | pass, flag `decode_failure_as_abstention` | parse_error |
| positional arguments (`ToolCall.positional`) | dropped, flag `positional_args_dropped` | bound in order |
| passing the schema's `default` | a value like any other | = omitting it (*) |
| parallel calls | greedy first match (flag `greedy_first_match`) | maximum matching |
| dicts, lists of dicts | one level, no types, `==` on values | recursive, typed |
| array items | typed one level deep, no int->float | every depth, int->float |
| value equality | Python `==` (True == 1) | typed (True != 1 == 1.0) |
| strings | drop ` ,./-_*^`: "5.5" == "55" | keep numbers' marks (**) |
| `[]` for a parameter that may be omitted | accepted (`""` reads as `[]`) | wrong_value |
| Gorilla `any` | a string, or the answer's type | any type |

(*) and leaving it out is accepted when the default is an accepted value.
(**) separators between digits, signs and leading decimal points: see `check/normalize.py`.

Both modes: names must match exactly (with `dots_as_underscores`, the expected name's dots become
underscores, as BFCL does for models whose APIs forbid dots); every required parameter must be
present; every emitted parameter must be in the schema and among the answer's parameters; types are
exact (bool is not int; only int->float for floats and tuple->list for tuples); a value whose type
is the answer's rather than the schema's is a "variable" and is compared as it is; an answer's
parameter left out must accept `""`. Lists are order-sensitive and compared whole.

The answer is a `CallVerdict`: in bfcl mode the failure kind is found by each expected call's
`BfclPlan` without writing any message, and the explanation is written when first read (most
candidates fail, and their explanation costs more than their check); `verdict()` gives the `Verdict`.
"""

from __future__ import annotations

import copy
from typing import Any

from ..errors import UserError
from ..types import ExpectedCall, FailureKind, Tool, ToolCall
from .bfcl_plan import BfclPlan, bfcl_plan
from .call_verdict import CallVerdict
from .issues import Issue, short
from .language import language_literal
from .matching import (
    Mode,
    call_issues,
    closest_unmatched,
    explain_unmatched,
    greedy_match,
    maximum_match,
    taken_issue,
)
from .schema import ToolSpec, tool_spec

__all__ = ["CallVerdict", "Mode", "check_calls", "reference_calls"]


class _TaskSpecs:
    """One task's expected calls read once: their tool specs and, for bfcl mode, their plans."""

    __slots__ = ("expected", "calls", "tools", "specs", "plans")

    def __init__(self, expected: list[ExpectedCall], tools: list[Tool]) -> None:
        self.expected = expected
        self.calls = tuple(expected)
        self.tools = tuple(tools)
        self.specs = _find_specs(expected, tools)
        self.plans: list[BfclPlan] | None = None  # bfcl mode's, made on first use (`bfcl_plans`)

    def bfcl_plans(self) -> list[BfclPlan]:
        """The expected calls' plans for bfcl mode, made once (toolgym mode never needs them)."""
        if self.plans is None:
            self.plans = [bfcl_plan(e, s) for e, s in zip(self.expected, self.specs, strict=True)]
        return self.plans


# id(expected list) -> its _TaskSpecs; the entry holds the list, so its id is not reused while cached
_TASKS: dict[int, _TaskSpecs] = {}


def _task_specs(expected: list[ExpectedCall], tools: list[Tool]) -> _TaskSpecs:
    entry = _TASKS.get(id(expected))
    # still the entry of these lists, not changed in place since
    if entry is not None and entry.expected is expected and entry.calls == tuple(expected):
        if entry.tools == tuple(tools):
            return entry
    entry = _TaskSpecs(expected, tools)
    if len(_TASKS) >= 4096:
        _TASKS.clear()
    _TASKS[id(expected)] = entry
    return entry


def _specs(expected: list[ExpectedCall], tools: list[Tool]) -> list[ToolSpec]:
    return _task_specs(expected, tools).specs


def _find_specs(expected: list[ExpectedCall], tools: list[Tool]) -> list[ToolSpec]:
    by_name = _tools_by_name(tools)
    specs = []
    for e in expected:
        spec = by_name.get(e.name)
        if spec is None:
            raise UserError(
                f"expected call {e.name!r} names no tool of the task (tools: {sorted(by_name)}); "
                "fix the task's expected calls or its tools"
            )
        specs.append(spec)
    return specs


# id(tools list) -> (the list, its tools, name -> spec); the entry holds the list, so its id is not
# reused while cached, and a list whose items changed is read again.
_BY_NAME: dict[int, tuple[list[Tool], tuple[Tool, ...], dict[str, ToolSpec]]] = {}


def _tools_by_name(tools: list[Tool]) -> dict[str, ToolSpec]:
    entry = _BY_NAME.get(id(tools))
    if entry is not None and entry[0] is tools and len(entry[1]) == len(tools):
        if all(a is b for a, b in zip(entry[1], tools, strict=True)):
            return entry[2]
    by_name = {t.name: tool_spec(t) for t in tools}
    if len(_BY_NAME) >= 4096:
        _BY_NAME.clear()
    _BY_NAME[id(tools)] = (tools, tuple(tools), by_name)
    return by_name


def _names(calls: list[ToolCall] | list[ExpectedCall]) -> str:
    return short([c.name for c in calls])


def _count_explanation(calls: list[ToolCall], expected: list[ExpectedCall] | None) -> str:
    if expected is None:
        return f"made {len(calls)} calls {_names(calls)}, expected 1"
    return f"made {len(calls)} calls {_names(calls)}, expected {len(expected)} {_names(expected)}"


def _plan_explanation(where: str, plan: BfclPlan, call: ToolCall, dots: bool) -> str:
    issue = plan.issue(call, dots)
    assert issue is not None, "written only for a call the plan found failing"
    return f"{where}: {issue.message}"


def _fail(issue: Issue, where: str, flags: tuple[str, ...] = (), **kw: Any) -> CallVerdict:
    return CallVerdict(False, issue.kind, f"{where}: {issue.message}", flags, **kw)


# how a category is checked, by the words BFCL's category names contain
_RELEVANCE, _IRRELEVANCE, _PARALLEL, _SINGLE = "relevance", "irrelevance", "parallel", "single"
_SHAPES: dict[str, str] = {}
_WRONG_COUNT = FailureKind.WRONG_COUNT


def _shape(category: str) -> str:
    if "irrelevance" in category:
        shape = _IRRELEVANCE
    elif "relevance" in category:
        shape = _RELEVANCE
    elif "parallel" in category:
        shape = _PARALLEL
    else:
        shape = _SINGLE
    if len(_SHAPES) < 4096:
        _SHAPES[category] = shape
    return shape


def check_calls(
    calls: list[ToolCall],
    expected: list[ExpectedCall],
    tools: list[Tool],
    category: str,
    *,
    mode: Mode = "toolgym",
    parse_error: str | None = None,
    dots_as_underscores: bool = False,
) -> CallVerdict:
    """Judge the calls a model made against the expected calls of a function-calling task.

    Args:
        calls: The calls decoded from the model's answer.
        expected: The expected calls, each parameter with its accepted values (`""`: may be omitted);
            `[]` means the right answer is to make no call.
        tools: The tools offered, whose schemas give types, required parameters and defaults.
        category: The task's category; decides how calls are matched (see the module docstring).
        mode: `"bfcl"` for BFCL v4's exact semantics, `"toolgym"` for the same with its flaws fixed.
        parse_error: Why the answer's tool calls could not be decoded, if they could not.
        dots_as_underscores: Expect `a_b` for a tool named `a.b` (models whose API forbids dots).

    Returns:
        A passing verdict, or a failing one naming the failure kind, function, parameter, value got
        and values accepted. Its explanation may be written when first read, from `calls`,
        `expected` and `tools` as they are then: read it (or call `verdict()`) before changing them.

    Examples:
        >>> v = check_calls([ToolCall(name="f", arguments={"x": 2})],
        ...                 [ExpectedCall(name="f", arguments={"x": [1]})],
        ...                 [Tool(name="f", parameters={"type": "object",
        ...                       "properties": {"x": {"type": "integer"}}})], "simple")
        >>> v.failure, v.explanation
        (<FailureKind.WRONG_VALUE: 'wrong_value'>, "f: parameter 'x': got 2, accepted [1]")
    """
    if mode != "bfcl" and mode != "toolgym":
        raise UserError(f"unknown verifier mode {mode!r}; use one of ['bfcl', 'toolgym']")
    shape = _SHAPES.get(category) or _shape(category)
    if shape is _RELEVANCE:
        return _check_relevance(calls, tools, mode, parse_error)
    no_call = not expected or shape is _IRRELEVANCE
    if parse_error is not None:
        if mode == "bfcl" and no_call:
            return CallVerdict(
                True,
                None,
                f"no call decoded ({short(parse_error)}); BFCL counts a decode failure as abstention",
                ("decode_failure_as_abstention",),
            )
        return CallVerdict(
            False, FailureKind.PARSE_ERROR, f"tool calls could not be decoded: {short(parse_error)}"
        )
    if no_call:
        if calls:
            return CallVerdict(False, FailureKind.SHOULD_ABSTAIN, f"expected no call, got {_names(calls)}")
        return CallVerdict(True, None, "correctly made no call")
    if not calls:
        return CallVerdict(False, FailureKind.SHOULD_CALL, f"expected {_names(expected)}, got no call")
    flags: tuple[str, ...] = ()
    if mode == "bfcl":
        for c in calls:
            if c.positional:
                flags = ("positional_args_dropped",)
                break
    task = _task_specs(expected, tools)
    if shape is _PARALLEL or len(expected) > 1:
        return _check_parallel(calls, task, mode, dots_as_underscores, flags)
    if len(calls) != 1:
        return CallVerdict(False, _WRONG_COUNT, (_count_explanation, calls, None), flags)
    call = calls[0]
    if mode == "bfcl":
        plan = (task.plans or task.bfcl_plans())[0]
        kind = plan.failure(call, dots_as_underscores)
        if kind is None:
            return CallVerdict(True, None, "correct", flags)
        return CallVerdict(False, kind, (_plan_explanation, plan.name, plan, call, dots_as_underscores), flags)
    issue = call_issues(call, expected[0], task.specs[0], mode, dots_as_underscores)
    if issue is not None:
        return _fail(issue, task.specs[0].name, flags)
    return CallVerdict(True, None, "correct", flags)


def _check_relevance(calls: list[ToolCall], tools: list[Tool], mode: Mode, parse_error: str | None) -> CallVerdict:
    """BFCL's live_relevance: some function fits, so any decoded call passes (its arguments are not checked).

    toolgym mode also requires every call to name an offered function.
    """
    if parse_error is not None:
        return CallVerdict(False, FailureKind.PARSE_ERROR, f"tool calls could not be decoded: {short(parse_error)}")
    if not calls:
        return CallVerdict(False, FailureKind.SHOULD_CALL, "a function fits the request, but no call was made")
    if mode == "toolgym":
        offered = {t.name for t in tools}
        unknown = [c.name for c in calls if c.name not in offered]
        if unknown:
            why = f"called {short(unknown)}, offered {short(sorted(offered))}"
            return CallVerdict(False, FailureKind.WRONG_FUNCTION, why)
    return CallVerdict(True, None, "made a call where one was needed")


def _check_parallel(
    calls: list[ToolCall], task: _TaskSpecs, mode: Mode, dots: bool, flags: tuple[str, ...]
) -> CallVerdict:
    expected, specs = task.expected, task.specs
    n = len(expected)
    if len(calls) != n:
        return CallVerdict(
            False,
            _WRONG_COUNT,
            (_count_explanation, calls, expected),
            flags,
        )
    memo: list[list[bool | None]] = [[None] * n for _ in range(n)]
    plans = (task.plans or task.bfcl_plans()) if mode == "bfcl" else None
    if plans is not None:

        def ok(i: int, j: int) -> bool:
            passes = memo[i][j]
            if passes is None:
                passes = memo[i][j] = plans[i].passes(calls[j], dots)
            return passes

    else:

        def ok(i: int, j: int) -> bool:
            passes = memo[i][j]
            if passes is None:
                passes = memo[i][j] = call_issues(calls[j], expected[i], specs[i], mode, dots) is None
            return passes

    failed_at, used = greedy_match(n, ok)  # BFCL's rule; when it succeeds a full matching exists
    if failed_at is None:
        return CallVerdict(True, None, "correct", flags)
    match = maximum_match(n, ok)
    expected_left = [i for i, j in enumerate(match) if j is None]
    if not expected_left:
        if mode == "toolgym":
            return CallVerdict(True, None, "correct", flags)
        # a full matching exists, but BFCL's greedy order took the wrong call first
        flags = (*flags, "greedy_first_match")
        expected_left, calls_left = [failed_at], [j for j in range(n) if j not in used]
    else:
        # blame what the best matching leaves over: the greedy order would blame an innocent call
        taken = {j for j in match if j is not None}
        calls_left = [j for j in range(n) if j not in taken]
    components = {"matched_calls": (n - len(expected_left) if mode == "toolgym" else len(used)) / n}
    if plans is None:
        i, j, issue = explain_unmatched(calls, expected, specs, expected_left, calls_left, mode, dots)
        return _fail(issue, f"{specs[i].name} (expected call #{i}, call #{j})", flags, components=components)

    def distance(i: int, j: int) -> int:
        return plans[i].count(calls[j])  # issues counted without writing their messages

    i, j, fails = closest_unmatched(calls, specs, expected_left, calls_left, dots, distance)
    where = f"{specs[i].name} (expected call #{i}, call #{j})"
    if not fails:
        return _fail(taken_issue(j), where, flags, components=components)
    plan, call = plans[i], calls[j]
    return CallVerdict(
        False,
        plan.failure(call, dots),
        (_plan_explanation, where, plan, call, dots),
        flags,
        components,
    )


def _resolve(value: Any) -> Any:
    """An accepted value made concrete: a dict of accepted lists becomes a dict of first values."""
    if type(value) is dict and all(type(v) is list for v in value.values()):
        out = {}
        for k, accepted in value.items():
            first = next((a for a in accepted if not (type(a) is str and a == "")), None)
            if first is not None or None in accepted:
                out[k] = _resolve(first)
        return out
    if type(value) is list:
        return [_resolve(v) for v in value]
    return copy.deepcopy(value)


def reference_calls(expected: list[ExpectedCall], tools: list[Tool] | None = None) -> list[ToolCall]:
    """The reference answer: each parameter's first accepted value other than `""`.

    Parameters that may only be omitted are left out. With `tools`, a BFCL Java/JavaScript
    parameter's value is written as the literal string BFCL's converter reads back. The reference
    must score 100% in both modes; the tests check this on every bundled and BFCL task.
    """
    by_name = _tools_by_name(tools) if tools else {}
    out = []
    for e in expected:
        spec = by_name.get(e.name)
        args = {}
        for name, accepted in e.arguments.items():
            for a in accepted:
                if not (type(a) is str and a == ""):
                    args[name] = _resolve(a)
                    param = spec.params.get(name) if spec is not None else None
                    if param is not None and param.language is not None:
                        args[name] = language_literal(param.language, args[name])
                    break
        out.append(ToolCall(name=e.name, arguments=args))
    return out
