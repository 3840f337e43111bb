"""The planned bfcl-mode path gives the unplanned path's first issue on every pair BFCL's data yields."""

from __future__ import annotations

import random

import pytest

from toolgym.check import PERTURBATION_KINDS, perturb, reference_calls
from toolgym.check.bfcl_plan import bfcl_plan
from toolgym.check.calls import _specs
from toolgym.check.matching import call_issues
from toolgym.suites import load_suite
from toolgym.types import ExpectedCall, Tool, ToolCall

from ..suites.bfcl_oracle import bfcl_checker

needs_package = pytest.mark.skipif(bfcl_checker() is None, reason="needs bfcl-eval: pip install --no-deps bfcl-eval")


def _unplanned(call: ToolCall, expected: ExpectedCall, spec, dots: bool) -> list:
    found: list = []  # with a list, call_issues takes the unplanned path and collects every issue
    call_issues(call, expected, spec, "bfcl", dots, found)
    return found


def _assert_plan_agrees(plan, call: ToolCall, expected: ExpectedCall, spec, dots: bool, where) -> None:
    """The plan's first issue, its kind alone, pass/fail and issue count are the unplanned path's."""
    found = _unplanned(call, expected, spec, dots)
    want = found[0] if found else None
    assert plan.issue(call, dots) == want, where
    assert plan.failure(call, dots) is (want.kind if want else None), where
    assert plan.passes(call, dots) is (want is None), where
    if call.name == (plan.dotted if dots else plan.name):
        assert plan.count(call) == len(found), where


@needs_package
def test_plan_matches_the_unplanned_path_on_every_bfcl_pair() -> None:
    pairs = 0
    for n, task in enumerate(load_suite("bfcl").tasks):
        expected = task.expected.calls
        if not expected or "relevance" in task.category:
            continue
        specs = _specs(expected, task.tools)
        ref = reference_calls(expected, task.tools)
        candidates = [ref] + [perturb(ref, task.tools, k, random.Random(n)) for k in PERTURBATION_KINDS]
        for calls in candidates:
            for call in calls or []:
                for e, spec in zip(expected, specs, strict=True):
                    for dots in (False, True):
                        _assert_plan_agrees(bfcl_plan(e, spec), call, e, spec, dots, (task.id, call, e.name))
                        pairs += 1
    assert pairs > 30_000


def test_plan_special_cases_keep_bfcls_type_rules() -> None:
    tool = Tool(
        name="f",
        parameters={
            "type": "object",
            "properties": {
                "s": {"type": "string"},
                "i": {"type": "integer"},
                "x": {"type": "number", "x-bfcl-type": "float"},
                "b": {"type": "boolean"},
            },
            "required": ["s"],
        },
    )
    expected = ExpectedCall(name="f", arguments={"s": ["New York, NY"], "i": [1, ""], "x": [2], "b": [True, ""]})
    spec = _specs([expected], [tool])[0]
    plan = bfcl_plan(expected, spec)
    cases = [
        {"s": "new york ny"},  # BFCL's normalisation
        {"s": "Boston"},
        {"s": 5},
        {"s": "New York, NY", "i": True},  # bool is not int
        {"s": "New York, NY", "i": 1.0},
        {"s": "New York, NY", "x": 2},  # int read as float, equal to the int answer
        {"s": "New York, NY", "x": "2"},
        {"s": "New York, NY", "b": 1},
        {"s": "New York, NY", "b": True, "zzz": 1},
        {"i": 1},
        {"s": "New York, NY"},
    ]
    for args in cases:
        _assert_plan_agrees(plan, ToolCall(name="f", arguments=args), expected, spec, False, args)
    assert plan.passes(ToolCall(name="f", arguments={"s": "new york ny", "x": 2}), False)
