"""Prompt sets from JSONL files and suites (toolgym/arena/prompts.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.arena.conftest import write_prompts
from toolgym.arena import load_prompts
from toolgym.arena.prompts import prompt_set_name, question_text
from toolgym.errors import UserError
from toolgym.types import Message


def write(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


def test_prompts_become_toolless_tasks_with_categories(tmp_path):
    suite = load_prompts(str(write_prompts(tmp_path / "q.jsonl", 4)))
    assert suite.name == "arena:q.jsonl" and suite.environment == "arena"
    assert [t.id for t in suite.tasks] == ["p0", "p1", "p2", "p3"]
    assert {t.category for t in suite.tasks} == {"coding", "writing"}
    assert all(not t.tools and t.messages[-1].role == "user" for t in suite.tasks)
    assert prompt_set_name(suite) == f"arena:q.jsonl@{suite.version}"


def test_messages_and_integer_ids_are_accepted(tmp_path):
    path = write(tmp_path / "q.jsonl", {"id": 7, "messages": [{"role": "system", "content": "Be brief."},
                                                              {"role": "user", "content": "Hi"}]})
    task = load_prompts(str(path)).tasks[0]
    assert task.id == "7" and task.category == "general" and len(task.messages) == 2


def test_content_change_changes_the_prompt_set(tmp_path):
    a = prompt_set_name(load_prompts(str(write(tmp_path / "q.jsonl", {"id": "x", "prompt": "one"}))))
    b = prompt_set_name(load_prompts(str(write(tmp_path / "q.jsonl", {"id": "x", "prompt": "two"}))))
    assert a != b


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"q\.jsonl:2: not valid JSON"),
        ({"id": "b", "promt": "typo"}, r"q\.jsonl:2: unknown field 'promt'; did you mean 'prompt'\?"),
        ({"id": "b"}, r"q\.jsonl:2: give either \"prompt\""),
        ({"id": "b", "prompt": "x", "messages": [{"role": "user", "content": "y"}]}, r"q\.jsonl:2: give either"),
        ({"id": "b", "messages": [{"role": "assistant", "content": "y"}]}, r"q\.jsonl:2: .*end with a user message"),
        ({"id": "a", "prompt": "again"}, r"q\.jsonl:2: prompt id 'a' is already used on line 1"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path / "q.jsonl", {"id": "a", "prompt": "fine"}, line)
    with pytest.raises(UserError, match=message):
        load_prompts(str(path))


def test_missing_prompts_file_says_so(tmp_path):
    with pytest.raises(UserError, match=r"prompts file .*missing\.jsonl does not exist"):
        load_prompts(str(tmp_path / "missing.jsonl"))


def test_a_suite_spec_gives_its_test_split(tmp_path):
    task = {"id": "t1", "messages": [{"role": "user", "content": "What is 2+2?"}], "category": "maths"}
    suite = load_prompts(f"jsonl:{write(tmp_path / 'suite.jsonl', task)}")
    assert suite.name.startswith("arena:jsonl:") and [t.id for t in suite.tasks] == ["t1"]


def test_question_text_shows_roles_only_for_a_chat():
    assert question_text([Message(role="user", content="Hi")]) == "Hi"
    chat = question_text([Message(role="system", content="Be brief."), Message(role="user", content="Hi")])
    assert chat == "[system]\nBe brief.\n\n[user]\nHi"
