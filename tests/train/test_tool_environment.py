"""Stateful domains as TRL tool environments: methods with the tools' schemas, rollouts verified by final state."""

from __future__ import annotations

from typing import Literal

import pytest

from toolgym.envs import Domain, StatefulEnv, state_tool
from toolgym.errors import ToolError
from toolgym.train import StatefulReward, environment_classes
from toolgym.types import Expected, Message, Task, ToolCall


@state_tool
def add_note(state: dict, text: str, tag: Literal["home", "work"] = "home", pinned: bool = False) -> str:
    """Add a note.

    Args:
        text: What the note says.
        tag: Where the note belongs.
        pinned: Whether it stays on top.
    """
    state.setdefault("notes", []).append({"text": text, "tag": tag, "pinned": pinned})
    return "added"


@state_tool
def count_notes(state: dict, tags: list[str] | None = None) -> int:
    """Count the notes.

    Args:
        tags: Only notes with these tags.
    """
    return sum(1 for n in state.get("notes", []) if not tags or n["tag"] in tags)


NOTES = Domain("notes", (add_note, count_notes))
TASK = Task(
    id="n1", category="notes", split="train",
    messages=[Message(role="user", content="Note that the plumber comes Friday, for work.")],
    tools=NOTES.schemas(),
    expected=Expected(gold_actions=[ToolCall(name="add_note", arguments={"text": "plumber Friday", "tag": "work"})]),
    metadata={"domain": "notes", "initial_state": {}},
)


def test_one_class_per_domain_with_a_method_per_tool():
    env = StatefulEnv(domains=[NOTES])
    classes = environment_classes(env, [TASK])
    assert list(classes) == ["notes"]
    instance = classes["notes"]()
    instance.reset(task=TASK.model_dump_json(), prompt=[], task_id="n1")
    assert instance.add_note(text="plumber Friday", tag="work") == "added"
    assert instance.count_notes(tags=["work"]) == "1"
    assert instance.episode.state["notes"][0]["tag"] == "work"
    with pytest.raises(ToolError, match="must be one of"):
        instance.add_note(text="x", tag="garden")


def test_methods_render_the_tools_schemas_for_the_chat_template():
    utils = pytest.importorskip("transformers.utils", reason="needs transformers: pip install 'toolgym[local]'")
    instance = environment_classes(StatefulEnv(domains=[NOTES]), [TASK])["notes"]()
    schema = utils.get_json_schema(instance.add_note)["function"]
    assert schema["name"] == "add_note" and schema["description"] == "Add a note."
    params = schema["parameters"]
    assert params["required"] == ["text"]
    assert params["properties"]["tag"]["enum"] == ["home", "work"]
    assert params["properties"]["pinned"]["type"] == "boolean"
    counted = utils.get_json_schema(instance.count_notes)["function"]["parameters"]["properties"]["tags"]
    assert counted["type"] == "array" and counted["items"]["type"] == "string"


def test_rollouts_are_rewarded_by_the_state_they_reach():
    env = StatefulEnv(domains=[NOTES])
    instance = environment_classes(env, [TASK])["notes"]()
    instance.reset(task=TASK.model_dump_json())
    call = {"name": "add_note", "arguments": {"text": "plumber Friday", "tag": "work"}}
    right = [
        {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": call}]},
        {"role": "tool", "name": "add_note", "content": "added"},
        {"role": "assistant", "content": "Noted."},
    ]
    wrong = [{"role": "assistant", "content": "Sure, I will remember."}]
    reward = StatefulReward(env)
    assert reward([TASK.messages] * 2, [right, wrong], environments=[instance, instance]) == [1.0, 0.0]
