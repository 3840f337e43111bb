"""The answer probe: every answer token labelled by its job, and the model's teacher-forced accuracy per label."""

from __future__ import annotations

import pytest

pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")

from transformers import AutoModelForCausalLM  # noqa: E402

from toolgym.models.hf_tokenizer import load_tokenizer  # noqa: E402
from toolgym.models.tiny import TINY_MODEL_DIR  # noqa: E402
from toolgym.suites.fc_core import build_fc_core  # noqa: E402
from toolgym.train.tiny.data import encode_conversation, task_conversation  # noqa: E402
from toolgym.train.tiny.probe import (  # noqa: E402
    KINDS,
    _char_kinds,
    _token_kinds,
    answer_probe,
    copy_probe,  # noqa: E402
)
from toolgym.types import Expected, ExpectedCall, Message, Task, Tool  # noqa: E402

_SHORT = {"syntax": ".", "name": "N", "key": "K", "value": "V", "text": "t"}


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(TINY_MODEL_DIR)


@pytest.fixture(scope="module")
def model():
    return AutoModelForCausalLM.from_pretrained(TINY_MODEL_DIR, local_files_only=True).float().eval()


def test_characters_of_a_call_are_names_keys_values_or_syntax():
    text = 'No. <tool_call>\n{"name": "f_x", "arguments": {"city": "Oslo", "n": 3, "ok": true}}\n</tool_call>'
    kinds, starts = _char_kinds(text)
    labels = "".join(_SHORT[k] for k in kinds)
    assert starts == {text.index("Oslo"), text.index(": 3") + 2, text.index("true")}
    assert labels[: text.index("<tool_call>")] == "tttt"
    assert labels[text.index("<tool_call>")] == "."
    assert labels[text.index("f_x") : text.index("f_x") + 3] == "NNN"
    assert labels[text.index('"city"') : text.index('"city"') + 6] == ".KKKK."
    assert labels[text.index("Oslo") : text.index("Oslo") + 4] == "VVVV"
    assert labels[text.index(": 3") + 2] == "V" and labels[text.index("true") : text.index("true") + 4] == "VVVV"


def _weather_task(request: str, city: str, unit: str) -> Task:
    tool = Tool(name="get_current_weather", description="Get the weather.", parameters={
        "type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
        "required": ["city"]})
    return Task(id="t", messages=[Message(role="user", content=request)], tools=[tool], category="simple",
                expected=Expected(calls=[ExpectedCall(name=tool.name, arguments={"city": [city], "unit": [unit]})]))


def test_copied_values_start_then_continue_and_new_values_are_new(tokenizer):
    task = _weather_task("Weather in Porto Alegre please", "Porto Alegre", "kelvin")
    ids, mask = encode_conversation(tokenizer, task_conversation(task))
    kinds = _token_kinds(tokenizer, ids, mask, tokenizer.convert_tokens_to_ids("<|im_start|>"))
    assert kinds[0][1] == "decision" and tokenizer.decode([ids[kinds[0][0]]]) == "<tool_call>"
    by_text = [(tokenizer.decode([ids[i]]), kind) for i, kind in kinds]
    city = [k for t, k in by_text if t.strip() and t in "Porto Alegre" and k.startswith("value")]
    assert city[0] == "value_start" and set(city[1:]) <= {"value_continue", "value_continue_ambiguous"}
    assert "value_continue_ambiguous" in city  # the space after "Porto" is one of three in the request
    assert {k for t, k in by_text if t and t in "kelvin"} == {"value_new"}
    assert {k for t, k in by_text if t in ("city", "unit")} == {"key"}
    assert len(kinds) == sum(mask)


def test_probe_counts_every_answer_token_once(model, tokenizer):
    tasks = list(build_fc_core(seed=0, n_train=0, n_test=20).split("test"))
    table = answer_probe(model, tokenizer, tasks, batch_size=8)
    answer_tokens = sum(sum(encode_conversation(tokenizer, task_conversation(t))[1]) for t in tasks)
    assert set(table) <= set(KINDS) and table["decision"]["tokens"] == len(tasks)
    assert sum(row["tokens"] for row in table.values()) == answer_tokens
    assert all(0 <= row["accuracy"] <= 1 and row["errors"] == round(row["tokens"] * (1 - row["accuracy"]))
               for row in table.values())
    assert table["syntax"]["accuracy"] > 0.9  # the bundled model writes well-formed calls


def test_copy_probe_keeps_its_figures_on_the_shared_forward_pass(model, tokenizer):
    tasks = list(build_fc_core(seed=0, n_train=0, n_test=20).split("test"))
    probe = copy_probe(model, tokenizer, tasks, batch_size=8)
    one_by_one = copy_probe(model, tokenizer, tasks, batch_size=1)
    assert probe == one_by_one and probe["continue"]["tokens"] > 0
