"""Matching calls to expected calls: one call against one expected call, and sets of parallel calls.

`call_issues` is BFCL's `simple_function_checker` (name, required parameters, each emitted parameter,
then the answer's parameters left out) in either mode. Parallel calls are matched greedily in BFCL's
way (each expected call takes the first unused call that passes) or, in toolgym mode, by a maximum
bipartite matching, so that the order of the calls never decides the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from ..types import ExpectedCall, FailureKind, ToolCall
from .bfcl_plan import bfcl_plan
from .issues import Issue, short
from .schema import ToolSpec
from .values import bfcl_issue, omittable, toolgym_issue

__all__ = [
    "Mode",
    "bind_arguments",
    "call_issues",
    "closest_unmatched",
    "explain_unmatched",
    "greedy_match",
    "maximum_match",
    "taken_issue",
]

Mode = Literal["bfcl", "toolgym"]


def bind_arguments(call: ToolCall, tool: ToolSpec) -> tuple[dict[str, Any], Issue | None]:
    """The call's arguments with positional ones bound to the schema's parameter order (toolgym mode)."""
    if not call.positional:
        return call.arguments, None
    if len(call.positional) > len(tool.order):
        extra = short(call.positional[len(tool.order) :])
        return call.arguments, Issue(
            FailureKind.UNEXPECTED_PARAM,
            f"{len(call.positional)} positional arguments for {len(tool.order)} parameters; extra: {extra}",
        )
    args = dict(zip(tool.order, call.positional, strict=False))
    for name, value in call.arguments.items():
        if name in args:
            return args, Issue(
                FailureKind.UNEXPECTED_PARAM, f"parameter {name!r} given both by position and by keyword"
            )
        args[name] = value
    return args, None


def call_issues(
    call: ToolCall,
    expected: ExpectedCall,
    tool: ToolSpec,
    mode: Mode,
    dots_as_underscores: bool,
    found: list[Issue] | None = None,
) -> Issue | None:
    """What is wrong with `call` as the expected call, in BFCL's order.

    Returns the first issue (the one that decides the verdict), or None when the call passes. With
    `found`, checking goes on past the first issue and every issue is appended to it.
    """
    if mode == "bfcl" and found is None:
        return bfcl_plan(expected, tool).issue(call, dots_as_underscores)
    want = tool.name.replace(".", "_") if dots_as_underscores else tool.name
    if call.name != want:
        issue = Issue(FailureKind.WRONG_FUNCTION, f"called {call.name!r}, expected {want!r}")
        if found is not None:
            found.append(issue)
        return issue
    first: Issue | None = None
    if mode == "bfcl" or not call.positional:
        args = call.arguments  # BFCL's decoder drops positional arguments
    else:
        args, first = bind_arguments(call, tool)
        if first is not None:
            if found is None:
                return first
            found.append(first)
    answer = expected.arguments
    for name in tool.required:
        if name not in args:
            issue = Issue(FailureKind.MISSING_PARAM, f"missing required parameter {name!r}")
            if found is None:
                return issue
            found.append(issue)
    check = bfcl_issue if mode == "bfcl" else toolgym_issue
    params = tool.params
    for name, value in args.items():
        spec = params.get(name)
        accepted = answer.get(name)
        if spec is None:
            issue = Issue(FailureKind.UNEXPECTED_PARAM, f"parameter {name!r} is not in the schema")
        elif accepted is None:
            issue = Issue(
                FailureKind.UNEXPECTED_PARAM,
                f"parameter {name!r} (got {short(value)}) is not among the expected {short(list(answer))}",
            )
        else:
            issue = check(spec, value, accepted, name)
        if issue is not None:
            if found is None:
                return issue
            found.append(issue)
    for name, accepted in answer.items():
        if name not in args and name not in tool.required and "" not in accepted:
            if mode == "toolgym" and omittable(params.get(name), accepted):
                continue
            issue = Issue(
                FailureKind.MISSING_PARAM, f"parameter {name!r} left out; accepted {short(accepted)}"
            )
            if found is None:
                return issue
            found.append(issue)
    return found[0] if found else first


def greedy_match(n: int, ok: Callable[[int, int], bool]) -> tuple[int | None, list[int]]:
    """BFCL's parallel matching: each expected call in turn takes the first unused call that passes.

    `ok(i, j)` says whether call j passes as expected call i; it is asked only for unused calls, so a
    correct answer in order costs n checks. Returns the first expected index left without a call
    (None when all matched) and the indices of the calls used so far.
    """
    used: list[int] = []
    for i in range(n):
        for j in range(n):
            if j not in used and ok(i, j):
                used.append(j)
                break
        else:
            return i, used
    return None, used


def maximum_match(n: int, ok: Callable[[int, int], bool]) -> list[int | None]:
    """A maximum bipartite matching (Kuhn's augmenting paths): expected index -> call index or None."""
    owner: list[int | None] = [None] * n

    def augment(i: int, seen: list[bool]) -> bool:
        for j in range(n):
            if not seen[j] and ok(i, j):
                seen[j] = True
                k = owner[j]
                if k is None or augment(k, seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n):
        augment(i, [False] * n)
    match: list[int | None] = [None] * n
    for j, i in enumerate(owner):
        if i is not None:
            match[i] = j
    return match


def closest_unmatched(
    calls: list[ToolCall],
    tools: list[ToolSpec],
    expected_left: list[int],
    calls_left: list[int],
    dots_as_underscores: bool,
    distance: Callable[[int, int], int],
) -> tuple[int, int, bool]:
    """The closest (expected, call) pair among those left unmatched, and whether it fails on its own.

    `distance(i, j)` is the number of issues of call j as expected call i (asked only when the names
    match); a different function counts as farther than any number of issues. So a perturbed call is
    blamed against the expected call it was meant to be. When every leftover pair of the same name
    passes on its own (the matching itself failed), the first leftover pair is returned with False.
    """
    best: tuple[int, int, int] | None = None
    other_function: tuple[int, int] | None = None
    for i in expected_left:
        want = tools[i].name.replace(".", "_") if dots_as_underscores else tools[i].name
        for j in calls_left:
            if calls[j].name != want:
                # a different function is farther than any number of issues: kept only as a last resort
                other_function = other_function or (i, j)
                continue
            d = distance(i, j)
            if d and (best is None or d < best[0]):
                best = (d, i, j)
    if best is not None:
        return best[1], best[2], True
    if other_function is not None:
        return other_function[0], other_function[1], True
    return expected_left[0], calls_left[0], False


def taken_issue(j: int) -> Issue:
    """The issue of a leftover call that passes on its own: another expected call took its match."""
    return Issue(FailureKind.WRONG_VALUE, f"call #{j} was taken by another expected call")


def explain_unmatched(
    calls: list[ToolCall],
    expected: list[ExpectedCall],
    tools: list[ToolSpec],
    expected_left: list[int],
    calls_left: list[int],
    mode: Mode,
    dots_as_underscores: bool,
) -> tuple[int, int, Issue]:
    """The closest (expected, call) pair among those left unmatched, and what is wrong with it."""

    def distance(i: int, j: int) -> int:
        issues: list[Issue] = []
        call_issues(calls[j], expected[i], tools[i], mode, dots_as_underscores, issues)
        return len(issues)

    i, j, fails = closest_unmatched(calls, tools, expected_left, calls_left, dots_as_underscores, distance)
    if not fails:
        return i, j, taken_issue(j)
    return i, j, call_issues(calls[j], expected[i], tools[i], mode, dots_as_underscores)  # type: ignore[return-value]
