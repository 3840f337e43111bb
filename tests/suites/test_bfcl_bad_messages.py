"""A BFCL message the types refuse: one UserError naming file, line, task and field, worded by `invalid_input`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suites.test_bfcl import answer, question, write
from toolgym.errors import UserError
from toolgym.suites.bfcl import load_bfcl


def _error(folder: Path, categories: list[str] | None = None) -> str:
    with pytest.raises(UserError) as info:
        load_bfcl(folder, categories)
    return " ".join(str(info.value).split())


def test_a_single_turn_message_with_a_bad_role(tmp_path: Path) -> None:
    row = question("simple_python_0")
    row["question"] = [[{"role": "robot", "content": "How far?"}]]
    write(tmp_path, "BFCL_v4_simple_python.json", [row])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0")])
    message = _error(tmp_path)
    assert "BFCL_v4_simple_python.json:1: task 'simple_python_0' question[0]: field 'role': Input should be" in message
    assert message.endswith("(got 'robot'); give role and content")


def test_a_single_turn_message_that_is_not_an_object(tmp_path: Path) -> None:
    row = question("simple_python_0")
    row["question"] = [["How far?"]]
    write(tmp_path, "BFCL_v4_simple_python.json", [row])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0")])
    assert "task 'simple_python_0' question[0]: a message is not an object; give role and content" in _error(tmp_path)


def test_a_multi_turn_message_with_a_bad_role(tmp_path: Path) -> None:
    row = {"id": "multi_turn_base_0", "question": [[{"role": "robot", "content": "hi"}]],
           "initial_config": {}, "involved_classes": ["MathAPI"]}
    write(tmp_path, "BFCL_v4_multi_turn_base.json", [row])
    write(tmp_path, "possible_answer/BFCL_v4_multi_turn_base.json",
          [{"id": "multi_turn_base_0", "ground_truth": [["add(a=1, b=2)"]]}])
    message = _error(tmp_path, ["multi_turn_base"])
    where = "BFCL_v4_multi_turn_base.json:1: task 'multi_turn_base_0': question[0]"
    assert f"{where}: field 'role': Input should be" in message
    assert message.endswith("(got 'robot'); give role and content")
