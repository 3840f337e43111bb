"""Parallel matching (greedy and maximum), positional binding and blame."""

from __future__ import annotations

from tests.check.cases import call, exp, tool
from toolgym.check.matching import bind_arguments, call_issues, explain_unmatched, greedy_match, maximum_match
from toolgym.check.schema import tool_spec
from toolgym.types import FailureKind


def oracle(matrix: list[list[bool]]):
    asked: list[tuple[int, int]] = []

    def ok(i: int, j: int) -> bool:
        asked.append((i, j))
        return matrix[i][j]

    return ok, asked


def test_greedy_takes_the_first_unused_call_and_can_get_stuck() -> None:
    ok, _ = oracle([[True, True], [True, False]])
    assert greedy_match(2, ok) == (1, [0])


def test_greedy_asks_only_n_checks_for_a_correct_answer_in_order() -> None:
    ok, asked = oracle([[True, False, False], [False, True, False], [False, False, True]])
    assert greedy_match(3, ok) == (None, [0, 1, 2])
    assert asked == [(0, 0), (1, 1), (2, 2)]


def test_maximum_matching_finds_the_assignment_greedy_misses() -> None:
    ok, _ = oracle([[True, True], [True, False]])
    assert maximum_match(2, ok) == [1, 0]
    ok, _ = oracle([[True, True, False], [True, False, False], [True, False, False]])
    assert sorted(j for j in maximum_match(3, ok) if j is not None) == [0, 1]


def test_positional_arguments_bind_in_schema_order() -> None:
    spec = tool_spec(tool("f", (), a={"type": "integer"}, b={"type": "integer"}))
    assert bind_arguments(call("f", 1, b=2), spec) == ({"a": 1, "b": 2}, None)
    args, issue = bind_arguments(call("f", 1, 2, 3), spec)
    assert (
        issue is not None and issue.kind is FailureKind.UNEXPECTED_PARAM and "3 positional" in issue.message
    )


def test_call_issues_can_collect_every_issue() -> None:
    spec = tool_spec(tool("f", ("a",), a={"type": "integer"}, b={"type": "string"}))
    found: list = []
    first = call_issues(call("f", b=3, c=1), exp("f", a=[1], b=["x"]), spec, "toolgym", False, found)
    assert first is found[0]
    assert [i.kind.value for i in found] == ["missing_param", "wrong_type", "unexpected_param"]


def test_blame_goes_to_the_closest_leftover_pair() -> None:
    t = tool("f", ("x", "y"), x={"type": "integer"}, y={"type": "integer"})
    spec = tool_spec(t)
    expected = [exp("f", x=[1], y=[1])]
    calls = [call("g", x=1, y=1), call("f", x=1, y=2)]
    i, j, issue = explain_unmatched(calls, expected, [spec], [0], [0, 1], "toolgym", False)
    assert (i, j, issue.kind) == (0, 1, FailureKind.WRONG_VALUE)
