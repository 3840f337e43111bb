"""The bundled fc-core suite: shape, splits, determinism, and its answers under the real verifier."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from toolgym.check import PERTURBATION_KINDS, check_calls, perturb, reference_calls
from toolgym.suites.fc_core import CATEGORIES, SPECS, TOOLS, build_fc_core, fc_core
from toolgym.types import ExpectedCall, FailureKind, Task, ToolCall

ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
HHMM = re.compile(r"^\d\d:\d\d$")


@pytest.fixture(scope="module")
def suite():
    return fc_core()


@pytest.fixture(scope="module")
def big():
    """A larger training build, as the tiny model's training script makes (smaller, to stay fast)."""
    return build_fc_core(seed=7, n_train=3000, n_test=0)


def _calls(tasks: list[Task]) -> list[tuple[Task, ExpectedCall]]:
    return [(t, c) for t in tasks for c in t.expected.calls or []]


def _schema(task: Task, name: str) -> dict[str, Any]:
    return next(t for t in task.tools if t.name == name).parameters


# -- shape -----------------------------------------------------------------------------------------------


def test_counts_categories_and_splits(suite):
    assert suite.name == "fc-core" and len(suite.tasks) >= 600 and len(suite.split("test")) >= 300
    counts = Counter(t.category for t in suite.split("test"))
    assert set(counts) == set(CATEGORIES)
    assert 0.12 <= counts["irrelevance"] / len(suite.split("test")) <= 0.18
    assert len({t.id for t in suite.tasks}) == len(suite.tasks)
    for t in suite.tasks:
        assert re.fullmatch(rf"fc-core/{t.split}/{t.category}/\d{{4,}}", t.id)
        assert t.messages[-1].role == "user" and t.messages[-1].content
        assert {"domain", "template"} <= t.metadata.keys()


def test_tools_span_domains_and_describe_every_parameter():
    assert len(TOOLS) >= 40 and len({t.name for t in TOOLS}) == len(TOOLS)
    assert len({s.domain for s in SPECS}) >= 6

    def described(schema: dict[str, Any], where: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{where}.{name} has no description"
            described(prop, f"{where}.{name}")
            described(prop.get("items", {}), f"{where}.{name}[]")

    for t in TOOLS:
        assert t.description and t.fn is not None
        described(t.parameters, t.name)
    kinds = Counter(p.get("type") for t in TOOLS for p in t.parameters["properties"].values())
    assert {"string", "integer", "number", "boolean", "array", "object"} <= set(kinds)
    assert any("enum" in p for t in TOOLS for p in t.parameters["properties"].values())


def test_each_category_has_its_shape(suite):
    for t in suite.tasks:
        calls, offered = t.expected.calls, [x.name for x in t.tools]
        assert calls is not None and {c.name for c in calls} <= set(offered)
        if t.category == "simple":
            assert len(offered) == 1 and len(calls) == 1
        elif t.category == "multiple":
            assert 2 <= len(offered) <= 5 and len(calls) == 1
        elif t.category == "parallel":
            assert len(offered) == 1 and len(calls) >= 2
        elif t.category == "parallel_multiple":
            assert len(calls) >= 2 and len({c.name for c in calls}) >= 2
        else:
            assert calls == [] and 1 <= len(offered) <= 3


def test_irrelevance_offers_no_tool_of_the_requests_domain(suite):
    domain = {s.tool.name: s.domain for s in SPECS}
    for t in suite.tasks:
        if t.category != "irrelevance" or t.metadata["template"].startswith("offtopic:"):
            continue
        asked = t.metadata["template"].split(":")[0]
        assert all(domain[x.name] != domain[asked] for x in t.tools), t.id


def test_expected_calls_fit_their_schemas(suite):
    for t, call in _calls(suite.tasks):
        schema = _schema(t, call.name)
        assert set(call.arguments) == set(schema["properties"]), t.id
        for name in schema["required"]:
            assert "" not in call.arguments[name], f"{t.id}: required {name} may be omitted"


def test_every_tool_is_called_in_both_splits(suite):
    for split in ("train", "test"):
        called = {c.name for _, c in _calls(suite.split(split))}
        assert called == {t.name for t in TOOLS}, f"{split} never calls {sorted({t.name for t in TOOLS} - called)}"


def test_optional_parameters_are_sometimes_stated_and_sometimes_left_out(big):
    stated, omitted = set(), set()
    for _task, call in _calls(big.tasks):
        for name, accepted in call.arguments.items():
            (omitted if accepted[0] == "" else stated).add((call.name, name))
    optional = {(t.name, p) for t in TOOLS for p in t.parameters["properties"] if p not in t.parameters["required"]}
    assert optional <= stated, sorted(optional - stated)
    assert optional <= omitted, sorted(optional - omitted)


# -- the request states the values --------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):  # possible-answer dicts map keys to lists of accepted values
        return [s for v in value.values() for s in _strings(v[0] if isinstance(v, list) else v)]
    return []


def test_free_text_values_appear_verbatim_in_the_request(suite):
    for t, call in _calls(suite.tasks):
        text = t.messages[-1].content
        for name, accepted in call.arguments.items():
            prop = _schema(t, call.name)["properties"][name]
            if accepted[0] == "" or "enum" in prop or "enum" in prop.get("items", {}):
                continue
            options = [[s for s in _strings(a) if not ISO_DATE.match(s) and not HHMM.match(s)] for a in accepted]
            found = any(all(s in text for s in opt) for opt in options)
            assert found, f"{t.id}: {name}={accepted[0]!r} not in {text!r}"


# -- splits -----------------------------------------------------------------------------------------------


def _templates(tasks: list[Task]) -> set[str]:
    return {part for t in tasks for part in t.metadata["template"].split("+")}


def test_train_and_test_share_no_template(suite):
    train, test = _templates(suite.split("train")), _templates(suite.split("test"))
    assert train and test and not train & test, sorted(train & test)[:5]


def _open_values(tasks: list[Task]) -> set[str]:
    """Every stated value that is not from the tools' closed vocabularies (enums, booleans, defaults)."""
    out = set()
    for t, call in _calls(tasks):
        for name, accepted in call.arguments.items():
            prop = _schema(t, call.name)["properties"][name]
            if "enum" in prop or "enum" in prop.get("items", {}) or prop["type"] == "boolean":
                continue
            for a in accepted:
                if a == "" or a == prop.get("default"):
                    continue
                items = a if isinstance(a, list) and not any(isinstance(x, dict) for x in a) else [a]
                out.update(json.dumps(x, sort_keys=True) for x in items)
    return out


def test_train_and_test_share_no_open_value(suite):
    shared = _open_values(suite.split("train")) & _open_values(suite.split("test"))
    assert not shared, sorted(shared)[:10]


def test_train_values_are_diverse(big):
    values = _open_values(big.tasks)
    assert len(values) > 5000
    cities = {a[0] for t, c in _calls(big.tasks) for n, a in c.arguments.items() if n == "city" and a[0]}
    assert len(cities) > 150


# -- determinism --------------------------------------------------------------------------------------------


def test_same_seed_same_hash_other_seed_other_hash():
    a, b = build_fc_core(seed=3, n_train=60, n_test=60), build_fc_core(seed=3, n_train=60, n_test=60)
    assert a.version == b.version and a.tasks == b.tasks
    assert build_fc_core(seed=4, n_train=60, n_test=60).version != a.version


def test_hash_does_not_depend_on_hash_randomization():
    code = "from toolgym.suites.fc_core import build_fc_core; print(build_fc_core(5, 80, 80).version)"
    versions = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("0", "4242")
    }
    assert len(versions) == 1


def test_fc_core_is_cached():
    assert fc_core() is fc_core()


# -- under the verifier ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["toolgym", "bfcl"])
def test_reference_answers_pass(suite, mode):
    failed = []
    for t in suite.tasks:
        v = check_calls(reference_calls(t.expected.calls), t.expected.calls, t.tools, t.category, mode=mode)
        if not v.passed:
            failed.append(f"{t.id}: {v.explanation}")
    assert not failed, "\n".join(failed[:10])


@pytest.mark.parametrize("mode", ["toolgym", "bfcl"])
@pytest.mark.parametrize("kind", PERTURBATION_KINDS, ids=[k.value for k in PERTURBATION_KINDS])
def test_perturbed_answers_fail_with_their_kind(suite, kind, mode):
    rng, made, wrong = random.Random(0), 0, []
    for t in suite.split("test"):
        if not t.expected.calls:
            continue
        calls = perturb(reference_calls(t.expected.calls), t.tools, kind, rng)
        if calls is None:
            continue
        made += 1
        v = check_calls(calls, t.expected.calls, t.tools, t.category, mode=mode)
        if v.failure is not kind:
            wrong.append(f"{t.id}: {v.failure} ({v.explanation})")
    assert made >= 100 and not wrong, "\n".join(wrong[:10])


def test_calling_on_an_irrelevance_task_or_abstaining_on_the_others_fails(suite):
    for t in suite.split("test"):
        if t.category == "irrelevance":
            any_call = [ToolCall(name=t.tools[0].name, arguments={})]
            assert check_calls(any_call, [], t.tools, t.category).failure is FailureKind.SHOULD_ABSTAIN
        else:
            assert check_calls([], t.expected.calls, t.tools, t.category).failure is FailureKind.SHOULD_CALL
