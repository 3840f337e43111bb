"""The files suite: shell-like tools on a virtual tree, gold replay at 100% through the run engine."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.suites.gold_replay import evaluate_replay, write_gold_replay
from toolgym.envs import StatefulEnv
from toolgym.errors import ToolError
from toolgym.run import EpisodeLimits
from toolgym.suites import load_suite
from toolgym.suites.files import FILES, build_files, build_fs
from toolgym.types import FailureKind, Message, ToolCall

HOME = "/home/user"


@pytest.fixture(scope="module")
def suite():
    return load_suite("files")


@pytest.fixture
def shell():
    """A call function on a fresh episode of the files domain."""
    env = StatefulEnv(domains=[FILES])
    task = next(iter(build_files(n_train=0, n_test=1).tasks))
    episode = env.reset(task)

    def run(tool, /, **arguments):
        return episode.call(ToolCall(name=tool, arguments=arguments))

    run.episode = episode
    return run


def test_generation_is_deterministic_per_seed(suite):
    assert build_files().version == suite.version
    assert build_fs(3) == build_fs(3) and build_fs(3) != build_fs(4)


def test_suite_shape(suite):
    assert suite.environment == "stateful" and len(suite.tasks) >= 60
    assert Counter(t.split for t in suite.tasks) == {"test": 40, "train": 40}
    assert len({t.category for t in suite.tasks}) == 17
    lengths = [len(t.expected.gold_actions) for t in suite.tasks]
    assert min(lengths) == 1 and max(lengths) >= 6 and max(lengths) + 1 <= EpisodeLimits().max_turns
    assert all(t.metadata["domain"] == "files" and "user_turns" not in t.metadata for t in suite.tasks)


def test_gold_replay_scores_100_percent_through_evaluate_and_resumes(tmp_path, suite):
    replay = write_gold_replay(tmp_path / "gold.jsonl", suite.tasks)
    run, rows = evaluate_replay(tmp_path, "files", replay, split="all", concurrency=4)
    assert (run.done, run.passed, run.infra_errors) == (80, 80, 0)
    assert {rollout.end_reason for _, rollout, _ in rows} == {"answered"}
    again, _ = evaluate_replay(tmp_path, "files", replay, split="all", concurrency=4)
    assert (again.name, again.done, again.rollouts) == (run.name, 80, 80)


def test_a_stray_file_scores_state_mismatch(tmp_path, suite):
    def extra(task):
        return [ToolCall(name="write_file", arguments={"path": "~/stray.txt", "content": "oops"})]

    replay = write_gold_replay(tmp_path / "wrong.jsonl", suite.split("test"), extra)
    run, rows = evaluate_replay(tmp_path, "files", replay, split="test")
    assert (run.done, run.passed) == (40, 0)
    assert {record.failure for record, _, _ in rows} == {FailureKind.STATE_MISMATCH}
    assert all("+/home/user/stray.txt" in record.explanation for record, _, _ in rows)


def test_relative_paths_and_cd_reach_the_same_tree_as_absolute_gold(suite):
    task = next(t for t in suite.tasks if t.category == "organize")
    folder = task.expected.gold_actions[1].arguments["path"]
    moves = [a.arguments["source"].rsplit("/", 1)[1] for a in task.expected.gold_actions[2:]]
    calls = [ToolCall(name="cd", arguments={"path": "downloads"}),
             ToolCall(name="mkdir", arguments={"path": folder.rsplit("/", 1)[1]})]
    calls += [ToolCall(name="mv", arguments={"source": f"./{m}", "destination": f"{folder}/{m}"}) for m in moves[::-1]]
    calls = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(calls)]
    transcript = [Message(role="assistant", tool_calls=calls),
                  *(Message(role="tool", content="ok", tool_call_id=c.id) for c in calls)]
    assert StatefulEnv().verify(task, transcript).passed


def test_mkdir_needs_the_parent_unless_parents_is_set(shell):
    with pytest.raises(ToolError, match="No such file or directory"):
        shell("mkdir", path="~/a/b")
    shell("mkdir", path="~/a/b", parents=True)
    assert shell("ls", path="~/a") == "b/"
    with pytest.raises(ToolError, match="File exists"):
        shell("mkdir", path="~/a")


def test_mv_into_a_directory_renames_and_moves_subtrees(shell):
    shell("mkdir", path="box")
    shell("mv", source="notes.txt", destination="box")
    assert shell("cat", path="box/notes.txt").startswith("call ")
    shell("mv", source="box", destination="documents/crate")
    assert shell("ls", path="documents/crate") == "notes.txt"
    with pytest.raises(ToolError, match="inside itself"):
        shell("mv", source="documents", destination="documents/crate")


def test_cp_needs_recursive_for_directories_and_rm_too(shell):
    with pytest.raises(ToolError, match="-r not specified"):
        shell("cp", source="logs", destination="logs2")
    shell("cp", source="logs", destination="logs2", recursive=True)
    assert shell("ls", path="logs2") == shell("ls", path="logs")
    with pytest.raises(ToolError, match="Is a directory"):
        shell("rm", path="logs2")
    shell("rm", path="logs2", recursive=True)
    with pytest.raises(ToolError, match="No such file"):
        shell("ls", path="logs2")
    shell("cd", path="logs")
    with pytest.raises(ToolError, match="working directory"):
        shell("rm", path="~", recursive=True)


def test_grep_find_and_write(shell):
    assert shell("grep", pattern="TODO", path="todo.txt") == "/home/user/todo.txt:2:- TODO: file taxes"
    assert "/home/user/todo.txt:2:" in shell("grep", pattern="todo", path="~", recursive=True, ignore_case=True)
    assert all(line.endswith(".log") for line in shell("find", path="logs", name="*.log").splitlines())
    shell("write_file", path="todo.txt", content="- more\n", append=True)
    assert shell("cat", path="todo.txt").endswith("taxes\n- more\n")
    assert shell("pwd") == HOME and shell("cd", path="..") == "/home" and shell("cd", path="~") == HOME
