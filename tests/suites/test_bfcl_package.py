"""BFCL v4 from the installed bfcl-eval package: every single-turn category, and BFCL's own verdicts."""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from collections import Counter

import pytest

from toolgym.check import PERTURBATION_KINDS, check_calls, perturb, reference_calls
from toolgym.errors import UserError
from toolgym.suites import load_suite
from toolgym.suites.bfcl import AGENTIC, GROUPS, MULTI_TURN, SINGLE_TURN
from toolgym.types import ToolCall

from .bfcl_oracle import bfcl_checker, bfcl_verdict, raw_entries

installed = bfcl_checker() is not None
needs_package = pytest.mark.skipif(not installed, reason="needs bfcl-eval: pip install --no-deps bfcl-eval")

#: tasks whose BFCL answer cannot pass BFCL's own checker (nor toolgym's), with the reason
BROKEN = {
    "parallel_multiple_12": "answer passes 'permeability' to calculate_voltage_difference, which lacks it",
    "parallel_multiple_26": "answer passes 'type' (a key of the transactions items) as a parameter",
    "live_simple_106-63-0": "answer leaves out the required 'auto_loan_payment_start'",
    "live_simple_112-68-0": "answer leaves out the required 'acc_routing_start'",
    "live_multiple_507-149-4": "answer leaves out the required 'origin_airport'",
    "live_multiple_862-181-3": "answer passes 'journey_start_time', which the schema lacks",
    "live_multiple_964-207-0": "answer leaves out the required 'statement'",
    "simple_java_36": "ArrayList of any: BFCL reads every item as a string, the answer has 42 and true",
    "simple_java_65": "ArrayList of any: BFCL reads every item as a string, the answer has true",
}
#: broken in bfcl mode only: BFCL compares a nested answer's value that is not a list of accepted values
BROKEN_BFCL_ONLY = {"simple_java_64": "HashMap answer {'format': 'epoch_millis'} is not a list of values"}


def test_bfcl_eval_imports_in_the_project_venv_without_its_dependencies() -> None:
    """toolgym reads bfcl-eval's data and imports only its type converters, with --no-deps installed."""
    code = (
        "import sys; from toolgym.suites import load_suite; from toolgym.check import check_calls;"
        "s = load_suite('bfcl:simple_java'); t = s.tasks[0];"
        "check_calls([], t.expected.calls, t.tools, t.category, mode='bfcl');"
        "from toolgym.check.language import _converter; _converter('java'); _converter('javascript');"
        "print(len(s.tasks), sorted(m for m in sys.modules if m.startswith('bfcl_eval')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, (
        f"bfcl-eval must be importable in this venv ({sys.executable} -m pip install --no-deps "
        f"bfcl-eval; `make` does it): {out.stderr[-600:]}"
    )
    count, modules = out.stdout.split(" ", 1)
    assert count == "100"
    # the converters and their constant tables, nothing that pulls in model SDKs or writes files
    assert "model_config" not in modules and "eval_config" not in modules and "type_convertor" in modules


@needs_package
def test_bfcl_spec_reads_every_single_turn_category_from_the_package() -> None:
    suite = load_suite("bfcl")
    assert suite.name == "bfcl"
    counts = Counter(t.metadata["bfcl_category"] for t in suite.tasks)
    assert counts == {
        "simple_python": 400, "simple_java": 100, "simple_javascript": 50, "multiple": 200, "parallel": 200,
        "parallel_multiple": 200, "irrelevance": 240, "live_simple": 258, "live_multiple": 1053,
        "live_parallel": 16, "live_parallel_multiple": 24, "live_irrelevance": 884, "live_relevance": 16,
    }
    empty = [t for t in suite.tasks if not t.tools]
    assert len(empty) == 4 and {t.category for t in empty} == {"live_irrelevance"}


@needs_package
def test_category_and_group_specs() -> None:
    assert {t.category for t in load_suite("bfcl:live_simple,simple_python").tasks} == {"live_simple", "simple"}
    assert {t.metadata["bfcl_category"] for t in load_suite("bfcl:non_python").tasks} == set(GROUPS["non_python"])
    assert load_suite("bfcl:live").name == "bfcl:live"


@needs_package
@pytest.mark.parametrize(("name", "why"), [(AGENTIC[3], "needs the internet"), (AGENTIC[4], "needs the internet")])
def test_unsupported_categories_are_refused_with_the_reason(name: str, why: str) -> None:
    with pytest.raises(UserError) as info:
        load_suite(f"bfcl:{name}")
    msg = str(info.value)
    assert f"{name!r} is not run: " in msg and why in msg and "single-turn ones" in msg and "bfcl:memory" in msg
    assert {t.category for t in load_suite(f"bfcl:{MULTI_TURN[1]}").tasks} == {"multi_turn_miss_func"}


@needs_package
def test_java_parameters_are_offered_as_strings_and_read_as_java() -> None:
    task = next(t for t in load_suite("bfcl:simple_java").tasks if t.id == "simple_java_27")
    nums = task.tools[0].parameters["properties"]["nums"]
    assert nums["type"] == "string" and "items" not in nums
    assert nums["x-bfcl-type"] == "Array" and nums["x-bfcl-language"] == "java"
    assert "Java Array type parameter in string representation" in nums["description"]
    assert task.tools[0].description.endswith("Note that the provided function is in Java 8 SDK syntax.")
    ref = reference_calls(task.expected.calls, task.tools)
    assert ref[0].arguments["nums"].startswith("new integer[]{")
    for mode in ("bfcl", "toolgym"):
        assert check_calls(ref, task.expected.calls, task.tools, task.category, mode=mode).passed
        not_a_string = [ToolCall(name=ref[0].name, arguments={**ref[0].arguments, "nums": [2, 7]})]
        v = check_calls(not_a_string, task.expected.calls, task.tools, task.category, mode=mode)
        assert v.failure.value == "wrong_type" and "String" in v.explanation


@needs_package
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_live_relevance_passes_any_call_and_fails_no_call(mode: str) -> None:
    task = load_suite("bfcl:live_relevance").tasks[0]
    call = [ToolCall(name=task.tools[0].name)]
    assert check_calls(call, [], task.tools, task.category, mode=mode).passed
    assert check_calls([], [], task.tools, task.category, mode=mode).failure.value == "should_call"
    made_up = check_calls([ToolCall(name="nope")], [], task.tools, task.category, mode=mode)
    assert made_up.passed is (mode == "bfcl")  # BFCL does not look at what was called


@needs_package
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_every_reference_answer_passes_except_documented_broken(mode: str) -> None:
    failed = {}
    for task in load_suite("bfcl").tasks:
        calls = reference_calls(task.expected.calls, task.tools)
        if task.category == "live_relevance":
            calls = [ToolCall(name=task.tools[0].name)]
        v = check_calls(calls, task.expected.calls, task.tools, task.category, mode=mode)  # type: ignore[arg-type]
        if not v.passed:
            failed[task.id] = v.explanation
    broken = BROKEN | (BROKEN_BFCL_ONLY if mode == "bfcl" else {})
    assert sorted(failed) == sorted(broken), failed


@needs_package
def test_placeholder_properties_do_not_refuse_other_keys_in_toolgym_mode() -> None:
    """live_multiple_189-83-0: the schema lists placeholder keys; JSON Schema allows others."""
    task = next(t for t in load_suite("bfcl:live_multiple").tasks if t.id == "live_multiple_189-83-0")
    ref = reference_calls(task.expected.calls, task.tools)
    assert check_calls(ref, task.expected.calls, task.tools, task.category, mode="toolgym").passed
    closed = copy.deepcopy(task.tools)
    tool = next(t for t in closed if t.name == "sendHttpRequest")
    tool.parameters["properties"]["data"]["additionalProperties"] = False
    v = check_calls(ref, task.expected.calls, closed, task.category, mode="toolgym")
    assert v.failure.value == "wrong_value" and "additionalProperties is false" in v.explanation


@needs_package
def test_bfcl_mode_agrees_with_bfcls_own_checker_on_every_category() -> None:
    """Reference answers and seeded perturbations of them: toolgym's bfcl verdict == BFCL's, every one."""
    from toolgym.suites.bfcl_package import bfcl_package_data

    raw = raw_entries(bfcl_package_data())
    disagree, seen = [], Counter()
    for n, task in enumerate(load_suite("bfcl").tasks):
        category = task.metadata["bfcl_category"]
        entry, truth = raw[task.id]
        ref = reference_calls(task.expected.calls, task.tools)
        if category == "live_relevance":
            ref = [ToolCall(name=task.tools[0].name)]
        candidates = [ref] + [perturb(ref, task.tools, kind, random.Random(n)) for kind in PERTURBATION_KINDS]
        if "relevance" in category and task.tools:  # both kinds: with and without a call
            candidates += [[], [ToolCall(name=task.tools[-1].name, arguments={"x": 1})]]
        for calls in (c for c in candidates if c is not None):
            theirs = bfcl_verdict(category, copy.deepcopy(entry), copy.deepcopy(truth), copy.deepcopy(calls))
            ours = check_calls(calls, task.expected.calls, task.tools, task.category, mode="bfcl")
            seen[category] += 1
            if ours.passed != theirs:
                disagree.append((task.id, theirs, ours.explanation))
    assert not disagree, disagree[:5]
    assert set(seen) == set(SINGLE_TURN) and sum(seen.values()) > 18_000
