"""BFCL mode's hot path: one expected call read once into a plan of per-parameter tests.

`call_issues(..., mode="bfcl")` is asked the same question about the same expected call again and
again (every candidate of a task, every pair of a parallel matching), and most of its work does not
depend on the call: which parameters are required, which answers may not be left out, each answer's
type and its strings standardized. A `BfclPlan` does that work once per expected call and keeps, per
parameter, a small test specialised to the parameter's type. Three questions are answered without
writing any message: does the call pass (`passes`), what kind of failure comes first (`failure`), how
many issues has it (`count`, which ranks the pairs a failed parallel matching leaves over). The message
(`issue`) is built by `values.bfcl_issue`, only when an explanation is read, so verdicts and
explanations are those of the unplanned path (a test compares the two on every BFCL candidate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..types import ExpectedCall, FailureKind, ToolCall
from .issues import Issue, short
from .normalize import bfcl_standardize
from .schema import ToolSpec
from .values import NOTHING, bfcl_failure, bfcl_issue, bfcl_ok, first_answer

__all__ = ["BfclPlan", "bfcl_plan"]

Test = Callable[[Any], bool]

# enum members looked up once (a class attribute lookup on an Enum is slow, and these are hot)
_WRONG_FUNCTION, _MISSING_PARAM, _UNEXPECTED_PARAM = (
    FailureKind.WRONG_FUNCTION,
    FailureKind.MISSING_PARAM,
    FailureKind.UNEXPECTED_PARAM,
)
_WRONG_VALUE, _WRONG_TYPE = FailureKind.WRONG_VALUE, FailureKind.WRONG_TYPE


def _value_test(spec: Any, accepted: list[Any]) -> tuple[Test, tuple[type, ...] | None]:
    """`lambda v: bfcl_ok(spec, v, accepted)`, specialised where the parameter's type allows.

    The special cases are the scalar ones where neither the value's type nor a "variable" answer can
    change which branch of `bfcl_ok` runs; everything else goes through `bfcl_ok` itself. With the
    test come the types a failing value may have and still be a wrong value rather than a wrong type
    (None: ask `bfcl_issue`).
    """
    types = spec.bfcl_py
    answer = first_answer(accepted)
    answer_type = None if answer is NOTHING else type(answer)
    if spec.language is not None or types is None or spec.is_tuple or spec.items is not None:
        return (lambda v: bfcl_ok(spec, v, accepted)), None
    if spec.is_float:
        if types == (float,) and answer_type in (None, int, float):
            # an int is read as a float first; an int answer makes the value a "variable": same test
            return (lambda v: (type(v) is float or type(v) is int) and float(v) in accepted), (float, int)
        return (lambda v: bfcl_ok(spec, v, accepted)), None
    if types == (str,) and answer_type in (None, str):
        strings = frozenset(bfcl_standardize(c) for c in accepted if type(c) is str)
        return (lambda v: type(v) is str and bfcl_standardize(v) in strings), types
    if types == (int,) and answer_type in (None, int):
        return (lambda v: type(v) is int and v in accepted), types
    if types == (bool,) and answer_type in (None, bool):
        return (lambda v: type(v) is bool and v in accepted), types
    return (lambda v: bfcl_ok(spec, v, accepted)), None


class BfclPlan:
    """What `call_issues` in bfcl mode needs of one expected call, found once."""

    __slots__ = (
        "expected",
        "tool",
        "name",
        "dotted",
        "required",
        "left_out",
        "required_set",
        "must_give",
        "tests",
        "value_types",
        "answer",
    )

    def __init__(self, expected: ExpectedCall, tool: ToolSpec) -> None:
        self.expected = expected
        self.tool = tool
        self.name = tool.name
        self.dotted = tool.name.replace(".", "_")
        self.required = tool.required
        self.answer = expected.arguments
        # answers that must be given: not required (checked first), and "" (omission) not accepted
        self.left_out = tuple(
            n for n, acc in expected.arguments.items() if n not in tool.required and "" not in acc
        )
        self.required_set = frozenset(self.required)
        self.must_give = frozenset(self.left_out) | self.required_set
        planned = {n: _value_test(tool.params[n], acc) for n, acc in expected.arguments.items() if n in tool.params}
        self.tests: dict[str, Test] = {n: test for n, (test, _) in planned.items()}
        self.value_types: dict[str, tuple[type, ...] | None] = {n: types for n, (_, types) in planned.items()}

    def passes(self, call: ToolCall, dots_as_underscores: bool) -> bool:
        """`call_issues(call, ..., mode="bfcl") is None`, without building any message."""
        if call.name != (self.dotted if dots_as_underscores else self.name):
            return False
        args = call.arguments
        tests = self.tests
        for name, value in args.items():
            test = tests.get(name)
            if test is None or not test(value):
                return False
        return args.keys() >= self.must_give

    def failure(self, call: ToolCall, dots_as_underscores: bool) -> FailureKind | None:
        """The kind of `issue(call, dots_as_underscores)`, without building its message."""
        if call.name != (self.dotted if dots_as_underscores else self.name):
            return _WRONG_FUNCTION
        args = call.arguments
        if not args.keys() >= self.required_set:
            return _MISSING_PARAM
        tests = self.tests
        for name, value in args.items():
            test = tests.get(name)
            if test is None:
                return _UNEXPECTED_PARAM
            if not test(value):
                kind = self._value_failure(name, value)
                if kind is not None:
                    return kind
        if not args.keys() >= self.must_give:
            return _MISSING_PARAM
        return None

    def count(self, call: ToolCall) -> int:
        """How many issues `call_issues` collects for a call of the right name (a pair's distance)."""
        args = call.arguments
        n = len(self.must_give.difference(args))  # required ones and answers left out
        tests = self.tests
        for name, value in args.items():
            test = tests.get(name)
            if test is None or (not test(value) and self._value_failure(name, value) is not None):
                n += 1
        return n

    def _value_failure(self, name: str, value: Any) -> FailureKind | None:
        types = self.value_types[name]
        if types is None:
            return bfcl_failure(self.tool.params[name], value, self.answer[name])
        return _WRONG_VALUE if type(value) in types else _WRONG_TYPE

    def issue(self, call: ToolCall, dots_as_underscores: bool) -> Issue | None:
        """The first issue in BFCL's order (name, required, each argument, left out), or None."""
        want = self.dotted if dots_as_underscores else self.name
        if call.name != want:
            return Issue(FailureKind.WRONG_FUNCTION, f"called {call.name!r}, expected {want!r}")
        args = call.arguments
        for name in self.required:
            if name not in args:
                return Issue(FailureKind.MISSING_PARAM, f"missing required parameter {name!r}")
        tests = self.tests
        for name, value in args.items():
            test = tests.get(name)
            if test is None:
                if name not in self.tool.params:
                    return Issue(FailureKind.UNEXPECTED_PARAM, f"parameter {name!r} is not in the schema")
                return Issue(
                    FailureKind.UNEXPECTED_PARAM,
                    f"parameter {name!r} (got {short(value)}) is not among the expected {short(list(self.answer))}",
                )
            if not test(value):
                issue = bfcl_issue(self.tool.params[name], value, self.answer[name], name)
                if issue is not None:
                    return issue
        for name in self.left_out:
            if name not in args:
                accepted = self.answer[name]
                return Issue(FailureKind.MISSING_PARAM, f"parameter {name!r} left out; accepted {short(accepted)}")
        return None


# id(expected call) -> plan; the plan holds the call, its arguments dict and the tool spec, so an id
# is not reused while cached and an expected call whose arguments were replaced is planned again.
_PLANS: dict[int, BfclPlan] = {}


def bfcl_plan(expected: ExpectedCall, tool: ToolSpec) -> BfclPlan:
    """The plan of `expected` against `tool`, made once per pair of objects."""
    plan = _PLANS.get(id(expected))
    if plan is not None and plan.expected is expected and plan.tool is tool and plan.answer is expected.arguments:
        return plan
    plan = BfclPlan(expected, tool)
    if len(_PLANS) >= 1 << 14:
        _PLANS.clear()
    _PLANS[id(expected)] = plan
    return plan
