"""The retail suite: deterministic generation, policy-shaped tasks, gold replay at 100% through the run engine."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.suites.gold_replay import evaluate_replay, write_gold_replay
from toolgym.envs import StatefulEnv, state_hash
from toolgym.errors import ToolError
from toolgym.run import EpisodeLimits
from toolgym.suites import load_suite
from toolgym.suites.retail import POLICY, RETAIL, build_retail
from toolgym.types import FailureKind, Message, ToolCall

REFUSED = {"cancel_refused", "address_refused", "return_refused", "refund_refused", "exchange_refused",
           "other_customer_refused"}
READ_ONLY = {"order_status", "order_total", "customer_id"}


@pytest.fixture(scope="module")
def suite():
    return load_suite("retail")


def test_generation_is_deterministic_per_seed(suite):
    assert build_retail().version == suite.version
    assert build_retail(seed=1, n_train=3, n_test=3).version != build_retail(seed=0, n_train=3, n_test=3).version


def test_suite_shape(suite):
    assert suite.environment == "stateful" and len(suite.tasks) >= 60
    assert Counter(t.split for t in suite.tasks) == {"test": 40, "train": 40}
    assert len({t.category for t in suite.tasks}) == 17 and len({t.id for t in suite.tasks}) == len(suite.tasks)
    lengths = [len(t.expected.gold_actions) for t in suite.tasks]
    assert min(lengths) == 1 and max(lengths) >= 6
    assert max(lengths) + 1 <= EpisodeLimits().max_turns  # the gold dialogue fits the default limits
    for t in suite.tasks:
        assert t.messages[0] == Message(role="system", content=POLICY) and t.messages[1].role == "user"
        assert t.metadata["required_actions"] == [t.expected.gold_actions[0].name]
        assert t.metadata["user_turns"][-1].endswith("###STOP###") and t.metadata["user_instruction"]
        assert [tool.name for tool in t.tools] == [tool.name for tool in RETAIL.tools]


def test_refusals_and_questions_leave_the_database_unchanged_and_requests_change_it(suite):
    env = StatefulEnv()
    for task in suite.tasks:
        unchanged = state_hash(env.goal_state(task)) == state_hash(env.initial_state(task))
        assert unchanged == (task.category in REFUSED | READ_ONLY), task.id


def test_gold_replay_scores_100_percent_through_evaluate_and_resumes(tmp_path, suite):
    replay = write_gold_replay(tmp_path / "gold.jsonl", suite.tasks)
    run, rows = evaluate_replay(tmp_path, "retail", replay, split="all", concurrency=4)
    assert (run.done, run.passed, run.infra_errors) == (80, 80, 0)
    assert {rollout.end_reason for _, rollout, _ in rows} == {"user_stop"}
    assert all(v.components["actions"] == 1.0 for _, _, v in rows)
    again, _ = evaluate_replay(tmp_path, "retail", replay, split="all", concurrency=4)
    assert (again.name, again.done, again.rollouts) == (run.name, 80, 80)


def test_an_extra_write_scores_state_mismatch(tmp_path, suite):
    def extra(task):
        first = sorted(task.metadata["initial_state"]["customers"])[0]
        address = {"street": "1 Nowhere Road", "city": "Nome", "state": "AK", "zip": "99762"}
        return [ToolCall(name="update_customer_address", arguments={"customer_id": first, **address})]

    replay = write_gold_replay(tmp_path / "wrong.jsonl", suite.split("test"), extra)
    run, rows = evaluate_replay(tmp_path, "retail", replay, split="test")
    assert (run.done, run.passed) == (40, 0)
    assert {record.failure for record, _, _ in rows} == {FailureKind.STATE_MISMATCH}
    assert all("Nowhere Road" in record.explanation for record, _, _ in rows)


def test_obeying_the_customer_against_the_policy_fails(suite):
    task = next(t for t in suite.tasks if t.category == "cancel_refused")
    order_id = task.expected.gold_actions[-1].arguments["order_id"]
    cancel = ToolCall(name="cancel_order", arguments={"order_id": order_id, "reason": "no longer needed"}, id="x")
    transcript = [Message(role="assistant", tool_calls=[cancel]), Message(role="tool", content="{}", tool_call_id="x")]
    verdict = StatefulEnv().verify(task, task.messages + transcript)
    assert verdict.failure == FailureKind.STATE_MISMATCH and f"orders.{order_id}.status" in verdict.explanation


def _episode(suite, category):
    task = next(t for t in suite.tasks if t.category == category)
    return task, StatefulEnv().reset(task)


def test_a_return_to_a_gift_card_credits_it_at_once(suite):
    task = next(t for t in suite.tasks if t.category == "return"
                and t.expected.gold_actions[-1].arguments["payment_method_id"].startswith("gift_card"))
    episode = StatefulEnv().reset(task)
    action = task.expected.gold_actions[-1]
    customer = episode.state["orders"][action.arguments["order_id"]]["customer_id"]
    card = action.arguments["payment_method_id"]
    before = episode.state["customers"][customer]["payment_methods"][card]["balance"]
    episode.call(action)
    order = episode.state["orders"][action.arguments["order_id"]]
    refund = order["return"]["refund"]
    assert order["status"] == "return requested" and refund > 0
    assert episode.state["customers"][customer]["payment_methods"][card]["balance"] == round(before + refund, 2)
    with pytest.raises(ToolError, match="cannot be changed any more"):
        episode.call(action)


def test_exchanges_need_an_available_variant_of_the_same_product(suite):
    task, episode = _episode(suite, "exchange_refused")
    order = episode.state["orders"][task.expected.gold_actions[1].arguments["order_id"]]
    product = episode.state["products"][task.expected.gold_actions[2].arguments["product_id"]]
    item = next(i for i in order["items"] if i["product_id"] == product["product_id"])
    gone = next(v for v in product["variants"].values() if not v["available"] and v["item_id"] != item["item_id"])
    exchange = {"order_id": order["order_id"], "item_ids": [item["item_id"]], "payment_method_id":
                order["payment_method_id"]}
    with pytest.raises(ToolError, match="out of stock"):
        episode.call(ToolCall(name="exchange_items", arguments={**exchange, "new_item_ids": [gone["item_id"]]}))
    other = next(i for v in episode.state["products"].values() if v is not product for i in v["variants"])
    with pytest.raises(ToolError, match="is not a variant of"):
        episode.call(ToolCall(name="exchange_items", arguments={**exchange, "new_item_ids": [other]}))
    episode.state["products"][product["product_id"]]["variants"][gone["item_id"]]["available"] = True
    with pytest.raises(ToolError, match="not one of the customer's"):
        episode.call(ToolCall(name="exchange_items", arguments={**exchange, "new_item_ids": [gone["item_id"]],
                                                                "payment_method_id": "paypal_0000"}))
    done = episode.call(ToolCall(name="exchange_items", arguments={**exchange, "new_item_ids": [gone["item_id"]]}))
    assert '"status": "exchange requested"' in done
