"""Typed task metadata: the simulated user's, the code kind's and the MCP kind's contracts.

Bad metadata in a user's suite file is one UserError at load, naming where, the task, the field and
what it must be; the readers (users, verifiers) read fields parsed by the same classes.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from toolgym.cli import main
from toolgym.envs import CodeEnv
from toolgym.envs.task_metadata import CodeMetadata, MCPMetadata, UserMetadata
from toolgym.errors import UserError
from toolgym.run.user import ScriptedUser, SimulatedUser, user_for
from toolgym.suites import load_suite
from toolgym.types import Message, Task

ASK = [{"role": "user", "content": "What is my order's status?"}]


def task(**metadata) -> Task:
    return Task(id="t1", category="c", messages=ASK, metadata=metadata)


def jsonl_suite(tmp_path: Path, *rows: dict) -> str:
    path = tmp_path / "mine.jsonl"
    lines = [{"id": f"t{i}", "category": "c", "messages": ASK, **row} for i, row in enumerate(rows, start=1)]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    return f"jsonl:{path}"


def load_error(spec: str) -> str:
    with pytest.raises(UserError) as caught:
        load_suite(spec)
    return " ".join(str(caught.value).split())


def test_user_turns_that_are_not_strings_fail_at_load_naming_file_line_task_and_field(tmp_path):
    spec = jsonl_suite(tmp_path, {}, {"metadata": {"user_turns": ["fine", 3]}})
    message = load_error(spec)
    assert f"{spec.removeprefix('jsonl:')}:2: task 't2' metadata.user_turns must be a list of strings" in message
    assert "field user_turns[1]: Input should be a valid string (got 3)" in message


def test_a_blank_user_instruction_fails_at_load(tmp_path):
    message = load_error(jsonl_suite(tmp_path, {"metadata": {"user_instruction": "  "}}))
    assert "task 't1' metadata.user_instruction must be a non-empty string" in message


def test_the_cli_reports_bad_metadata_as_a_usage_error(tmp_path, capsys):
    spec = jsonl_suite(tmp_path, {"metadata": {"user_turns": "and then?"}})
    with pytest.raises(SystemExit) as exited:
        main(["eval", spec, "--model", "tiny", "--db", str(tmp_path / "r.db")])
    err = " ".join(capsys.readouterr().err.split())
    assert exited.value.code == 2 and "task 't1' metadata.user_turns must be a list of strings" in err
    assert not (tmp_path / "r.db").exists()  # nothing was run


def test_a_code_task_without_tests_in_a_python_suite_file_fails_at_load(tmp_path, monkeypatch):
    (tmp_path / "mine.py").write_text(
        "from toolgym import Suite, Task\nfrom toolgym.envs import CodeEnv\n\n"
        "suite = Suite(name='mine', env=CodeEnv(), tasks=[\n"
        "    Task(id='add', category='c', messages=[{'role': 'user', 'content': 'Write add.'}],"
        " metadata={'tests': 'assert add(1, 2) == 3'})])\n")
    monkeypatch.chdir(tmp_path)
    message = load_error("py:mine.py:suite")
    assert "task 'add' metadata.tests must be a non-empty list of assert statements (strings)" in message
    assert "(got 'assert add(1, 2) == 3')" in message


def test_an_mcp_check_without_what_to_look_for_is_named_with_its_index():
    bad = task(mcp={"servers": {"notes": {"command": "x"}}, "checks": [{"name": "read", "contains": "a"},
                                                                          {"name": "read"}]})
    problem = MCPMetadata.problem(bad)
    assert problem.startswith("metadata.mcp must be an object naming the MCP servers")
    assert "field mcp.checks[1]: a check needs `contains` or `absent`" in problem
    with pytest.raises(UserError, match=r"task 't1': metadata.mcp must be .*field mcp is missing"):
        MCPMetadata.of(task())


def test_mcp_metadata_is_read_as_fields():
    spec = MCPMetadata.of(task(mcp={"servers": {"time": {"command": "{python}"}}, "required_tools": ["now"],
                                    "checks": [{"name": "now", "absent": "1999"}]})).mcp
    assert spec.servers == {"time": {"command": "{python}"}} and spec.workdir is None
    assert spec.required_tools == ["now"] and spec.checks[0].absent == "1999" and spec.checks[0].arguments == {}


def test_other_keys_pass_through_and_the_metadata_round_trips():
    meta = UserMetadata.of(task(user_turns=["and the total?"], domain="retail"))
    assert meta.user_turns == ["and the total?"] and meta.user_instruction is None
    assert meta.as_metadata() == {"user_turns": ["and the total?"], "domain": "retail"}
    assert CodeMetadata.of(task(tests=["assert f() == 1"])).tests == ["assert f() == 1"]


def test_the_readers_use_the_typed_metadata():
    assert isinstance(user_for(task(user_turns=["more"]), None), ScriptedUser)
    assert user_for(task(), None) is None
    said = asyncio.run(ScriptedUser().reply(task(user_turns=["more"]), [Message(role="user", content="hi")]))
    assert said.message.text == "more"
    with pytest.raises(UserError, match="metadata.user_turns must be a list of strings"):
        user_for(task(user_turns="more"), None)
    with pytest.raises(UserError, match="metadata.user_instruction is missing"):
        asyncio.run(SimulatedUser(model=None).reply(task(), []))  # type: ignore[arg-type]
    with pytest.raises(UserError, match="metadata.tests must be a non-empty list"):
        CodeEnv().verify(task(tests=[]), [])


def test_a_stateful_task_without_its_domain_in_a_python_suite_file_fails_at_load(tmp_path, monkeypatch):
    (tmp_path / "mine.py").write_text(
        "from toolgym import Suite, Task, StatefulEnv\n\n"
        "suite = Suite(name='mine', env=StatefulEnv(domains=[]), tasks=[\n"
        "    Task(id='order', category='c', messages=[{'role': 'user', 'content': 'Cancel it.'}],"
        " metadata={'initial_state': {}})])\n")
    monkeypatch.chdir(tmp_path)
    message = load_error("py:mine.py:suite")
    assert "task #1: task 'order' metadata.domain is missing; name a stateful domain" in message
