import asyncio
import json

import pytest

from toolgym.errors import InfraError, UserError
from toolgym.models import ModelOptions, ReplayModel, load_model
from toolgym.models.replay import ReplayRecord, write_replay
from toolgym.types import Message, SamplingConfig, ToolCall

USER = [Message(role="user", content="hi")]


def write(tmp_path, *lines):
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def answer(model, task_id, sample=0, messages=USER):
    return asyncio.run(model.generate(messages, [], SamplingConfig(), task_id=task_id, sample=sample))


def test_both_line_shapes(tmp_path):
    path = write(
        tmp_path,
        {"id": "t1", "text": 'Sure <tool_call>{"name": "f", "arguments": {"a": 1}}</tool_call>'},
        {"id": "t2", "text": "[math.factorial(5)]", "parser": "pythonic"},
        {
            "id": "t3",
            "tool_calls": [
                {"id": "c", "type": "function", "function": {"name": "g", "arguments": '{"b": 2}'}}
            ],
        },
        {
            "id": "t4",
            "tool_calls": [{"function": {"name": "h", "arguments": {"c": 3}}}],
            "content": "Calling.",
        },
        {"id": "t5", "content": "I cannot help."},
    )
    model = load_model(f"replay:{path}")
    assert isinstance(model, ReplayModel) and model.describe()["records"] == 5
    t1 = answer(model, "t1")
    assert (
        t1.tool_calls == [ToolCall(name="f", arguments={"a": 1})]
        and t1.text == "Sure"
        and t1.raw.startswith("Sure")
    )
    assert answer(model, "t2").tool_calls == [ToolCall(name="math.factorial", positional=[5])]
    assert answer(model, "t3").tool_calls == [ToolCall(name="g", arguments={"b": 2}, id="c")]
    t4 = answer(model, "t4")
    assert t4.tool_calls == [ToolCall(name="h", arguments={"c": 3})] and t4.text == "Calling."
    t5 = answer(model, "t5")
    assert t5.tool_calls == [] and t5.text == "I cannot help." and t5.parse_error is None


def test_default_parser_comes_from_options(tmp_path):
    path = write(tmp_path, {"id": "t", "text": '{"name": "f", "parameters": {}}'})
    model = load_model(f"replay:{path}", ModelOptions(parser="llama3"))
    assert answer(model, "t").tool_calls == [ToolCall(name="f")]


def test_samples_and_turns(tmp_path):
    path = write(
        tmp_path,
        {"id": "t", "content": "any sample"},
        {"id": "t", "sample": 1, "content": "sample one"},
        {"id": "t", "turn": 1, "content": "second turn"},
    )
    model = load_model(f"replay:{path}")
    assert answer(model, "t").text == "any sample" and answer(model, "t", sample=3).text == "any sample"
    assert answer(model, "t", sample=1).text == "sample one"
    later = [*USER, Message(role="assistant", content="x"), Message(role="user", content="more")]
    assert answer(model, "t", messages=later).text == "second turn"


def test_bad_recorded_output_is_a_parse_error_not_a_user_error(tmp_path):
    path = write(
        tmp_path,
        {"id": "t", "tool_calls": [{"function": {"name": "g", "arguments": '{"b": '}}]},
        {"id": "u", "text": "<tool_call>{oops}</tool_call>"},
    )
    model = load_model(f"replay:{path}")
    assert answer(model, "t").parse_error.startswith("tool call 1 (g): arguments are not valid JSON")
    assert answer(model, "u").parse_error.startswith("call 1 at char 11: invalid JSON")


def test_missing_task_is_that_tasks_error_naming_file_and_task(tmp_path):
    path = write(tmp_path, {"id": "t", "content": "x"})
    with pytest.raises(
        InfraError, match=rf"{path}: no recorded answer for task 'nope' \(sample 0, turn 0\); add"
    ):
        answer(load_model(f"replay:{path}"), "nope")
    model = load_model(f"replay:{path}")
    assert answer(model, "t").text == "x"
    with pytest.raises(InfraError, match=r"turn 1"):
        answer(model, "t", messages=[*USER, Message(role="assistant", content="x")])


def test_turns_count_from_the_prompt_even_when_it_holds_assistant_messages(tmp_path):
    """BFCL's live prompts may end on an earlier assistant reply: the first answer is still turn 0."""
    path = write(tmp_path, {"id": "t", "content": "first"}, {"id": "t", "turn": 1, "content": "second"})
    model = load_model(f"replay:{path}")
    prompt = [*USER, Message(role="assistant", content="earlier"), Message(role="user", content="again")]
    assert answer(model, "t", messages=prompt).text == "first"
    assert answer(model, "t", messages=prompt).text == "first"  # a retried turn is the same turn
    later = [*prompt, Message(role="assistant", content="first"), Message(role="user", content="more")]
    assert answer(model, "t", messages=later).text == "second"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"id": "t", "text": "x"',
            r":2: not valid JSON \(Expecting ',' delimiter at column 24\); write one JSON",
        ),
        ("[1, 2]", r":2: expected a JSON object with an \"id\", got list"),
        ({"id": "t", "txt": "x"}, r":2: unknown field 'txt'; did you mean 'text'\? known fields: id, sample"),
        ({"text": "x"}, r":2: field 'id' is missing; every line needs it"),
        (
            {"id": "t", "sample": -1, "text": "x"},
            r":2: field 'sample': Input should be greater than or equal to 0",
        ),
        ({"id": "t"}, r':2: needs "text" \(raw output\) or "tool_calls"'),
        ({"id": "t", "text": "x", "content": "y"}, r'give either "text" or "tool_calls"/"content", not both'),
        (
            {"id": "t", "text": "x", "parser": "hermez"},
            r':2: field "parser": unknown parser \'hermez\'; known: hermes',
        ),
        (
            {"id": "t", "tool_calls": [{"function": {"arguments": {}}}]},
            r':2: field "tool_calls\[0\].function.name"',
        ),
        ({"id": "a", "content": "again"}, r":2: task 'a' sample None turn 0 is already recorded at line 1"),
    ],
)
def test_malformed_lines_name_file_line_and_field(tmp_path, line, message):
    path = write(tmp_path, {"id": "a", "content": "first"}, line)
    with pytest.raises(UserError, match=message) as info:
        load_model(f"replay:{path}")
    assert str(info.value).startswith(f"{path}:2: ")


def test_missing_file_and_empty_spec(tmp_path):
    with pytest.raises(UserError, match=r"replay file '.*nope.jsonl' not found; give replay:PATH"):
        load_model(f"replay:{tmp_path / 'nope.jsonl'}")
    with pytest.raises(UserError, match="needs a file"):
        load_model("replay:")


def test_write_replay_round_trips(tmp_path):
    records = [
        ReplayRecord(id="t", text="[f(a=1)]", parser="pythonic"),
        ReplayRecord(id="t", sample=1, tool_calls=[ToolCall(name="g", arguments={"x": 1}).to_openai()]),
    ]
    path = tmp_path / "rec.jsonl"
    assert write_replay(path, records) == 2
    assert json.loads(path.read_text().splitlines()[0]) == {
        "id": "t",
        "text": "[f(a=1)]",
        "parser": "pythonic",
    }
    model = load_model(f"replay:{path}")
    assert answer(model, "t").tool_calls == [ToolCall(name="f", arguments={"a": 1})]
    assert answer(model, "t", sample=1).tool_calls == [ToolCall(name="g", arguments={"x": 1}, id="call_g")]
