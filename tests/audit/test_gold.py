"""Gold replay: broken answer keys are found from the tasks alone, bundled suites are clean."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from toolgym.audit import replay_gold
from toolgym.envs import ENVIRONMENTS, StatefulEnv
from toolgym.suites import load_bfcl, load_suite
from toolgym.types import Expected, ToolCall

DATA = Path("/work/shared/data/bfcl-v4")
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs the BFCL v4 data in /work/shared/data/bfcl-v4")
_spec = importlib.util.find_spec("bfcl_eval")
BFCL_EVAL = Path(_spec.origin).parent / "data" if _spec and _spec.origin else None
needs_bfcl_eval = pytest.mark.skipif(
    BFCL_EVAL is None or not (BFCL_EVAL / "BFCL_v4_live_simple.json").is_file(),
    reason="needs the bfcl-eval package (its data/BFCL_v4_live_*.json files)",
)


def env(mode: str = "toolgym"):
    return ENVIRONMENTS.get("function_calling")(mode=mode)


@needs_data
@pytest.mark.parametrize("mode", ["toolgym", "bfcl"])
def test_bfcl_parallel_multiple_12_and_26_fail_gold_replay(mode: str) -> None:
    suite = load_bfcl(DATA, ["parallel_multiple"])
    failures, checked, skipped = replay_gold(env(mode), suite.tasks)
    found = {f.task_id: f for f in failures}
    assert checked == len(suite.tasks) and not skipped
    assert found["parallel_multiple_12"].failure == "unexpected_param"
    assert "'permeability' is not in the schema" in found["parallel_multiple_12"].explanation
    assert found["parallel_multiple_26"].failure == "unexpected_param"
    assert "'type'" in found["parallel_multiple_26"].explanation
    assert len(failures) <= 5  # a handful of real defects, not noise: most keys replay cleanly


@needs_bfcl_eval
def test_bfcl_live_known_bad_entries_fail_gold_replay() -> None:
    suite = load_suite("bfcl:live_simple,live_multiple")
    failures, checked, _ = replay_gold(env(), suite.tasks)
    found = {f.task_id.split("-")[0]: f for f in failures}
    assert checked == len(suite.tasks)
    # a required parameter whose answer key accepts no value at all ([])
    assert found["live_simple_106"].failure == "missing_param"
    assert "auto_loan_payment_start" in found["live_simple_106"].explanation
    # the key answers journey_start_time for Trains_1_FindTrains, which has no such parameter
    assert found["live_multiple_862"].failure == "unexpected_param"
    assert "journey_start_time" in found["live_multiple_862"].explanation
    assert len(failures) < 0.02 * len(suite.tasks)


@needs_bfcl_eval
def test_live_relevance_has_no_gold_answer_and_is_skipped_with_the_reason() -> None:
    suite = load_suite("bfcl:live_relevance")
    failures, checked, skipped = replay_gold(env(), suite.tasks)
    assert (failures, checked) == ([], 0) and "live_relevance" in skipped[0]


@pytest.mark.parametrize("name", ["fc-core", "retail", "files"])
def test_bundled_suites_replay_their_gold_answers_cleanly(name: str) -> None:
    suite = load_suite(name)
    the_env = suite.env
    failures, checked, skipped = replay_gold(the_env, suite.tasks)
    assert failures == [] and checked == len(suite.tasks) and skipped == []


def test_an_accepted_alternative_that_fails_is_reported_with_the_variant() -> None:
    # the key accepts leaving a required parameter out (BFCL's simple_python_17 does): no correct call can
    task = load_suite("fc-core").tasks[0]
    call = task.expected.calls[0]
    name = task.tools[0].parameters["required"][0]
    bad = call.model_copy(update={"arguments": {**call.arguments, name: [*call.arguments[name], ""]}})
    task = task.model_copy(update={"expected": Expected(calls=[bad])})
    failures, _, _ = replay_gold(env(), [task])
    assert len(failures) == 1 and failures[0].replayed.endswith(f"{name} left out")
    assert failures[0].failure == "missing_param"


def test_a_gold_action_that_fails_is_a_gold_error() -> None:
    suite = load_suite("files")
    task = suite.tasks[0]
    broken = task.model_copy(update={"expected": task.expected.model_copy(
        update={"gold_actions": [ToolCall(name="no_such_tool", arguments={})]})})
    failures, checked, _ = replay_gold(StatefulEnv(), [broken])
    assert checked == 1 and failures[0].failure == "gold_error" and "gold_actions[0]" in failures[0].explanation
