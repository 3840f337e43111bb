"""Suites are checked at load: a task with no messages, an expected call of a tool the task does not
offer, and a repeated id are each one error naming the task, in every source (JSONL, BFCL, bundled)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolgym.errors import UserError
from toolgym.suites import SUITES, load_suite
from toolgym.suites.bfcl import load_bfcl
from toolgym.suites.checks import check_tasks
from toolgym.types import Expected, ExpectedCall, Message, Task, ToolCall

from .test_bfcl import answer, question, write

TOOL = {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {}}}


def task(task_id: str = "t1", **fields: object) -> dict:
    return {"id": task_id, "messages": [{"role": "user", "content": "hi"}], "category": "c", "tools": [TOOL],
            "expected": {"calls": [{"name": "get_weather", "arguments": {}}]}, **fields}


def write_suite(path: Path, *tasks: dict) -> str:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks))
    return f"jsonl:{path}"


def test_a_task_with_no_messages_is_named(tmp_path: Path) -> None:
    spec = write_suite(tmp_path / "s.jsonl", task(), task("t2", messages=[]))
    with pytest.raises(UserError, match=r"s\.jsonl:2: task 't2' messages: the list is empty.*give at least one"):
        load_suite(spec)


def test_an_expected_call_of_a_tool_not_offered_is_named(tmp_path: Path) -> None:
    typo = task("t3", expected={"calls": [{"name": "get_wether", "arguments": {}}]})
    spec = write_suite(tmp_path / "s.jsonl", task(), typo)
    with pytest.raises(UserError, match=r"s\.jsonl:2: task 't3' expected\.calls: tool 'get_wether' is not offered "
                                        r"by the task \(its tools: get_weather\), so no answer can pass"):
        load_suite(spec)


def test_a_gold_action_of_a_tool_not_offered_is_named(tmp_path: Path) -> None:
    gold = task("t4", expected={"gold_actions": [{"name": "refund", "arguments": {}}]})
    with pytest.raises(UserError, match=r"task 't4' expected\.gold_actions: tool 'refund' is not offered"):
        load_suite(write_suite(tmp_path / "s.jsonl", gold))


def test_duplicate_ids_in_a_jsonl_suite_are_named_as_duplicates(tmp_path: Path) -> None:
    spec = write_suite(tmp_path / "s.jsonl", task(), task("t2"), task())
    with pytest.raises(UserError, match=r"s\.jsonl:3: duplicate task id 't1' \(already used on line 1\)"):
        load_suite(spec)


def test_duplicate_question_ids_in_bfcl_are_duplicates_not_missing_answers(tmp_path: Path) -> None:
    write(tmp_path, "BFCL_v4_simple_python.json", [question("simple_python_0"), question("simple_python_0")])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0")])
    with pytest.raises(UserError) as caught:
        load_bfcl(tmp_path)
    message = str(caught.value)
    assert "BFCL_v4_simple_python.json:2" in message and "duplicate: already used on line 1" in message
    assert "no possible answer" not in message


def test_duplicate_answer_ids_in_bfcl_are_named(tmp_path: Path) -> None:
    write(tmp_path, "BFCL_v4_simple_python.json", [question("simple_python_0")])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0"),
                                                                   answer("simple_python_0")])
    with pytest.raises(UserError, match=r"possible_answer/BFCL_v4_simple_python\.json:2:.*duplicate"):
        load_bfcl(tmp_path)


def test_the_shared_check_names_file_and_line_when_the_importer_recorded_them() -> None:
    def made(task_id: str, **meta: object) -> Task:
        return Task(id=task_id, messages=[Message(role="user", content="x")], category="c", metadata=meta)

    with pytest.raises(UserError, match=r"BFCL_v4_live_simple\.json:7: duplicate task id 'a' \(also at "
                                        r"BFCL_v4_live_simple\.json:3\)"):
        check_tasks([made("a", file="BFCL_v4_live_simple.json", line=3),
                     made("a", file="BFCL_v4_live_simple.json", line=7)], "bfcl")
    bad = Task(id="b", messages=[Message(role="user", content="x")], category="c",
               expected=Expected(calls=[ExpectedCall(name="nope")]))
    with pytest.raises(UserError, match=r"my-suite task #2: task 'b' expected\.calls: tool 'nope'"):
        check_tasks([made("a"), bad], "my-suite")
    gold = Task(id="g", messages=[], category="c", expected=Expected(gold_actions=[ToolCall(name="x")]))
    with pytest.raises(UserError, match="messages: the list is empty"):
        check_tasks([gold], "s")


@pytest.mark.parametrize("name", SUITES.names())
def test_every_bundled_suite_passes_the_checks(name: str) -> None:
    assert load_suite(name).tasks
