from __future__ import annotations

import pytest
from pydantic import ValidationError

from toolgym.store import RunManifest, diff_manifests


def manifest(**changes) -> RunManifest:
    fields = dict(suite="fc-core", suite_version="3f2a9c01d2e4", model="tiny", split="test")
    return RunManifest(**{**fields, **changes})


def test_equal_manifests_have_no_diff() -> None:
    assert manifest().diff(manifest()) == []


def test_diff_names_each_field_with_both_values_in_field_order() -> None:
    old, new = manifest(), manifest(model="openai:gpt-4o", suite_version="99aa", limit=10)
    assert old.diff(new) == ['suite_version: "3f2a9c01d2e4" -> "99aa"', 'model: "tiny" -> "openai:gpt-4o"',
                             "limit: null -> 10"]


def test_diff_goes_into_sampling_and_model_options_by_key() -> None:
    old = manifest(sampling={"temperature": 0.0, "seed": 1}, model_options={"tool_mode": "native"})
    options = {"tool_mode": "prompt", "parser": "x"}
    new = manifest(sampling={"temperature": 0.7, "seed": 1}, model_options=options)
    assert old.diff(new) == [
        'model_options.parser: (absent) -> "x"',
        'model_options.tool_mode: "native" -> "prompt"',
        "sampling.temperature: 0.0 -> 0.7",
    ]


def test_diff_of_stored_json_tolerates_unknown_fields() -> None:
    stored = {**manifest().model_dump(mode="json"), "retired_field": 1}
    assert diff_manifests(stored, manifest().model_dump(mode="json")) == ["retired_field: 1 -> (absent)"]


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({}, "fc-core-tiny-test"),
        ({"split": None}, "fc-core-tiny"),
        ({"model": "openai:Qwen/Qwen2.5-7B-Instruct"}, "fc-core-openai-qwen-qwen2.5-7b-instruct-test"),
        ({"suite": "bfcl:/data/bfcl:simple,multiple"}, "bfcl-data-bfcl-simple-multiple-tiny-test"),
    ],
)
def test_default_run_name_is_readable_and_deterministic(changes: dict, name: str) -> None:
    assert manifest(**changes).default_run_name() == name == manifest(**changes).default_run_name()


def test_model_options_must_be_json() -> None:
    with pytest.raises(ValidationError, match=r"model_options\n.*must be JSON-able"):
        manifest(model_options={"when": object()})


def test_model_options_must_not_hold_secrets() -> None:
    with pytest.raises(ValidationError, match=r"holds api_key, which would be stored in clear text"):
        manifest(model_options={"api_key": "sk-123", "base_url": "http://x"})
    assert manifest(model_options={"api_key": None}).model_options == {"api_key": None}


def test_manifest_is_frozen_and_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        manifest(temperature=0.5)
    with pytest.raises(ValidationError, match="frozen"):
        manifest().repeats = 2  # type: ignore[misc]


def test_sampling_accepts_a_dict_and_validates_it() -> None:
    assert manifest(sampling={"temperature": 0.3}).sampling.temperature == 0.3
    with pytest.raises(ValidationError, match="sampling.top_p"):
        manifest(sampling={"top_p": 2.0})
