"""A stateful task's metadata is typed: parsed once per task, and a bad field is one located UserError."""

from __future__ import annotations

import pytest

from tests.run import counter_domain as cd
from toolgym.envs import StatefulMetadata
from toolgym.errors import UserError


def test_metadata_is_parsed_into_fields_and_extra_keys_pass_through():
    task = cd.task().model_copy(update={"metadata": {
        "domain": "counter", "initial_state": {"count": 0, "log": []}, "required_actions": ["peek"],
        "user_instruction": "count to two"}})
    meta = StatefulMetadata.of(task)
    assert (meta.domain, meta.initial_state, meta.state_seed, meta.required_actions) == (
        "counter", {"count": 0, "log": []}, None, ["peek"])
    assert meta.model_extra == {"user_instruction": "count to two"}


def test_as_metadata_round_trips_and_leaves_out_unset_fields():
    meta = StatefulMetadata(domain="counter", state_seed=3)
    assert meta.as_metadata() == {"domain": "counter", "state_seed": 3}
    task = cd.task().model_copy(update={"metadata": meta.as_metadata()})
    assert StatefulMetadata.of(task) == meta


@pytest.mark.parametrize(("metadata", "message"), [
    ({"initial_state": {}}, r"task 't1': metadata.domain is missing; name a stateful domain"),
    ({"domain": 7, "initial_state": {}}, r"task 't1': metadata.domain: .*\(got int 7\); name a stateful domain"),
    ({"domain": "c", "state_seed": "7"}, r"task 't1': metadata.state_seed: .*\(got str '7'\); give an int"),
    ({"domain": "c", "initial_state": [1]}, r"task 't1': metadata.initial_state must be a JSON object \(got list"),
    ({"domain": "c", "initial_state": {}, "required_actions": "peek"},
     r"task 't1': metadata.required_actions: .*\(got str 'peek'\); list tool names"),
    ({"domain": "c", "initial_state": {}, "required_actions": ["peek", 3]},
     r"task 't1': metadata.required_actions.1: .*\(got int 3\)"),
])
def test_a_bad_field_is_one_error_naming_the_task_the_field_the_value_and_the_fix(metadata, message):
    task = cd.task().model_copy(update={"metadata": metadata})
    with pytest.raises(UserError, match=message):
        StatefulMetadata.of(task)


def test_the_environment_parses_each_task_once(monkeypatch):
    env, task = cd.env(), cd.task()
    parsed = []
    real = StatefulMetadata.of.__func__
    monkeypatch.setattr(StatefulMetadata, "of", classmethod(lambda cls, t: parsed.append(t.id) or real(cls, t)))
    env.verify(task, [])
    env.verify(task, [])
    env.reset(task)
    assert parsed == ["t1"]
    changed = task.model_copy(update={"metadata": {**task.metadata, "required_actions": []}})
    env.reset(changed)  # another Task object with the same id (a re-loaded suite): parsed again
    assert parsed == ["t1", "t1"]

