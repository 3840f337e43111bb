"""JSON Lines suites: validated up front with file:line errors, held compactly, identical to eager tasks."""

from __future__ import annotations

import json

import pytest

from tests.run.suite_factory import make_tasks, write_suite
from toolgym.errors import UserError
from toolgym.suites import CompactTasks, Suite, load_suite


def test_compact_suite_reads_back_the_same_tasks_and_version(tmp_path):
    path = write_suite(tmp_path / "s.jsonl", 10)
    suite = load_suite(f"jsonl:{path}")
    assert isinstance(suite.tasks, CompactTasks)
    eager = Suite(name=suite.name, tasks=make_tasks(10))
    assert list(suite.tasks) == list(eager.tasks)
    assert suite.version == eager.version
    assert suite.categories() == eager.categories()
    assert [t.id for t in suite.split("test")[:3]] == ["t0000", "t0001", "t0002"]
    assert len(suite.split("train")) == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"s.jsonl:2: not valid JSON"),
        (json.dumps({"id": "x", "messages": [], "category": "simple", "split": "dev"}), r"s.jsonl:2: field split"),
        (json.dumps({"id": "t0000", "messages": [], "category": "simple"}), r"s.jsonl:2: duplicate task id 't0000'"),
    ],
)
def test_bad_lines_name_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "s.jsonl"
    path.write_text(make_tasks(1)[0].model_dump_json() + "\n" + line + "\n")
    with pytest.raises(UserError, match=message):
        load_suite(f"jsonl:{path}")


def test_missing_and_empty_files_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_suite(f"jsonl:{tmp_path / 'nope.jsonl'}")
    (tmp_path / "e.jsonl").write_text("\n")
    with pytest.raises(UserError, match="no tasks"):
        load_suite(f"jsonl:{tmp_path / 'e.jsonl'}")
