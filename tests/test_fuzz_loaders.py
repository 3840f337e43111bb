"""Fuzzing every loader of user files: whatever the bytes, only toolgym's own UserError comes out.

Suites (JSONL, BFCL question and answer files), replay files, arena votes, prompts and reference
rankings, and YAML configs get arbitrary bytes, arbitrary JSON, and JSON built from each format's
own field names with wrong-typed values (the near misses a user writes). A loader may accept the
file or raise UserError; any other exception (KeyError, TypeError, RecursionError...) is a bug.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolgym.arena import AnswerConfig, LeaderboardConfig, read_votes
from toolgym.arena.prompts import load_prompts
from toolgym.arena.reference import read_reference
from toolgym.errors import UserError
from toolgym.models.replay import load_replay
from toolgym.run import RunConfig, load_config_file
from toolgym.suites import load_suite
from toolgym.suites.bfcl import load_bfcl

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)

scalars = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True) | st.text(max_size=12)


def json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    """JSON whose object keys are mostly the format's own field names."""
    names = st.sampled_from(keys) | st.text(max_size=6)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=5),
                        max_leaves=25)


def near_misses(keys: list[str], required: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects that start valid-looking (the required fields) and get fields added, dropped or retyped."""
    values = json_values(keys)
    return st.builds(lambda extra, drop: {k: v for k, v in {**required, **extra}.items() if k not in drop},
                     st.dictionaries(st.sampled_from(keys), values, max_size=4),
                     st.sets(st.sampled_from(list(required) or ["_"]), max_size=2))


def jsonl_files(keys: list[str], required: dict[str, Any]) -> st.SearchStrategy[bytes]:
    line = (near_misses(keys, required).map(json.dumps) | json_values(keys).map(json.dumps)
            | st.text(max_size=30) | st.just("[" * 3000))
    text_file = st.lists(line, min_size=1, max_size=4).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))
    return text_file | st.binary(max_size=60)


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="toolgym-fuzz-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def only_user_errors(load: Callable[[], Any]) -> None:
    try:
        load()
    except UserError:
        pass


MESSAGE = {"role": "user", "content": "hi"}
TASK_KEYS = ["id", "messages", "tools", "category", "split", "expected", "metadata", "role", "content", "name",
             "description", "parameters", "type", "properties", "required", "calls", "arguments", "gold_actions",
             "tool_calls", "items", "enum"]
TASK = {"id": "t1", "messages": [MESSAGE], "category": "c",
        "tools": [{"name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}],
        "expected": {"calls": [{"name": "f", "arguments": {}}]}}


@FUZZ
@given(jsonl_files(TASK_KEYS, TASK))
def test_jsonl_suites(data: bytes) -> None:
    with folder() as tmp:
        (tmp / "s.jsonl").write_bytes(data)
        only_user_errors(lambda: load_suite(f"jsonl:{tmp / 's.jsonl'}"))


BFCL_KEYS = ["id", "question", "function", "ground_truth", "name", "description", "parameters", "type",
             "properties", "required", "items", "role", "content", "dict", "string", "integer", "float", "array",
             "tuple", "any", "boolean", "default", "enum"]
BFCL_QUESTION = {"id": "simple_python_0", "question": [[MESSAGE]],
                 "function": [{"name": "f", "description": "d",
                               "parameters": {"type": "dict", "properties": {"x": {"type": "integer"}},
                                              "required": ["x"]}}]}
BFCL_ANSWER = {"id": "simple_python_0", "ground_truth": [{"f": {"x": [1]}}]}


@FUZZ
@given(jsonl_files(BFCL_KEYS, BFCL_QUESTION), jsonl_files(BFCL_KEYS, BFCL_ANSWER))
def test_bfcl_files(questions: bytes, answers: bytes) -> None:
    with folder() as tmp:
        (tmp / "possible_answer").mkdir()
        (tmp / "BFCL_v4_simple_python.json").write_bytes(questions)
        (tmp / "possible_answer" / "BFCL_v4_simple_python.json").write_bytes(answers)
        only_user_errors(lambda: load_bfcl(tmp))


REPLAY_KEYS = ["id", "sample", "turn", "text", "parser", "tool_calls", "content", "function", "name", "arguments",
               "type", "hermes", "pythonic"]


@FUZZ
@given(jsonl_files(REPLAY_KEYS, {"id": "t1", "tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]}))
def test_replay_files(data: bytes) -> None:
    with folder() as tmp:
        (tmp / "r.jsonl").write_bytes(data)
        only_user_errors(lambda: load_replay(tmp / "r.jsonl"))


VOTE_KEYS = ["model_a", "model_b", "winner", "prompt_id", "answer_a", "answer_b", "category", "tie", "tie (bothbad)"]


@FUZZ
@given(jsonl_files(VOTE_KEYS, {"model_a": "x", "model_b": "y", "winner": "model_a"}))
def test_vote_files(data: bytes) -> None:
    with folder() as tmp:
        (tmp / "v.jsonl").write_bytes(data)
        only_user_errors(lambda: read_votes(tmp / "v.jsonl", "votes"))


@FUZZ
@given(jsonl_files(["id", "prompt", "messages", "category", "role", "content"], {"id": "p1", "prompt": "hi"}))
def test_prompt_files(data: bytes) -> None:
    with folder() as tmp:
        (tmp / "p.jsonl").write_bytes(data)
        only_user_errors(lambda: load_prompts(str(tmp / "p.jsonl")))


@FUZZ
@given(json_values(["gpt", "llama"]).map(json.dumps).map(str.encode) | st.binary(max_size=40), st.booleans())
def test_reference_rankings(data: bytes, as_json: bool) -> None:
    with folder() as tmp:
        path = tmp / ("ref.json" if as_json else "ref.txt")
        path.write_bytes(data)
        only_user_errors(lambda: read_reference(path))


CONFIGS = [RunConfig, AnswerConfig, LeaderboardConfig]


def yaml_files() -> st.SearchStrategy[bytes]:
    keys = sorted({k for c in CONFIGS for k in c.model_fields})
    dumped = near_misses(keys, {"seed": 1}).map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode())
    tricks = st.sampled_from([b"a: !!python/object/apply:os.system ['true']\n", b"seed: 1\nseed: 2\n",
                              b"? [a]\n: 1\n", b"&a [*a]\n", b"seed: *nope\n", b"- [" * 500, b"{a: 1, a: 2}\n",
                              b"seed: !!binary AAAA\n", b"\t- x\n", b"seed: 1\n---\nseed: 2\n"])
    return dumped | tricks | st.binary(max_size=60) | st.text(max_size=60).map(str.encode)


@FUZZ
@given(yaml_files(), st.sampled_from(CONFIGS))
def test_yaml_configs(data: bytes, config: type) -> None:
    with folder() as tmp:
        (tmp / "c.yaml").write_bytes(data)
        only_user_errors(lambda: load_config_file(tmp / "c.yaml", config))


@pytest.mark.parametrize("text", [b"&a [*a]\n", b"seed: 1\n---\nseed: 2\n"])
def test_yaml_corner_cases_found_by_fuzzing(tmp_path: Path, text: bytes) -> None:
    (tmp_path / "c.yaml").write_bytes(text)
    with pytest.raises(UserError, match="c.yaml"):
        load_config_file(tmp_path / "c.yaml", RunConfig)
