"""Suites defined in Python: `py:FILE.py:NAME`, `module:NAME` and the `toolgym.suites` entry points.

The README's example is extracted from README.md and run through the CLI as a user would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.train.crafted import needs_tiny
from toolgym.cli import main
from toolgym.envs import DOMAINS
from toolgym.errors import UserError
from toolgym.store import Store
from toolgym.suites import load_suite

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_example() -> tuple[str, list[str]]:
    """The example's Python file and the `toolgym` commands that follow it."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```python\n(# my_suite\.py\n.*?)```\s*```bash\n(.*?)```", text, re.S)
    assert found, "README.md lost its 'Your own environment' example"
    commands = [line.split("#")[0].split()[1:] for line in found.group(2).splitlines() if line.startswith("toolgym ")]
    return found.group(1), commands


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    # each test imports its own copy of the file, which registers the domain again: start from a clean table
    monkeypatch.setattr(DOMAINS, "_items", dict(DOMAINS._items))
    code, _ = _readme_example()
    (tmp_path / "my_suite.py").write_text(code, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_example_runs_as_written(user_dir, capsys):
    code, commands = _readme_example()
    assert 25 <= len([line for line in code.splitlines() if line.strip()]) <= 45
    assert [c[0] for c in commands] == ["suite", "eval", "eval"]
    for command in commands[:2]:
        main([*command, "--db", "runs.db"] if command[0] == "eval" else command)
    assert "100.0" in capsys.readouterr().out  # the gold calls leave the goal state: 3 of 3
    with Store("runs.db") as store:
        (run,) = store.list_runs()
    assert run.manifest.suite == "py:my_suite.py:suite" and run.done == 3 and run.passed == 3


def test_a_wrong_call_is_judged_by_the_state_it_leaves(user_dir, capsys):
    (user_dir / "wrong.jsonl").write_text(
        '{"id": "list-1", "tool_calls": [{"function": {"name": "add_item", "arguments": {"item": "apples", '
        '"quantity": 2}}}]}\n'
        '{"id": "list-2", "tool_calls": [{"function": {"name": "remove_item", "arguments": {"item": "milk"}}}]}\n'
        '{"id": "list-3", "content": "Done!"}\n')
    main(["eval", "py:my_suite.py:suite", "--model", "replay:wrong.jsonl", "--db", "runs.db", "--max-turns", "1"])
    with Store("runs.db") as store:
        (run,) = store.list_runs()
    assert run.done == 3 and run.passed == 1


def test_data_and_arena_take_a_python_suite(user_dir, capsys):
    train = (user_dir / "my_suite.py").read_text().replace('category="lists",', 'category="lists", split="train",')
    train = train.replace('"shopping-list"', '"shopping-list-train"')  # both files are imported here
    (user_dir / "train_suite.py").write_text(train)
    main(["suite", "reference", "py:train_suite.py:suite", "--out", "gold.jsonl"])
    main(["eval", "py:train_suite.py:suite", "--model", "replay:gold.jsonl", "--split", "train", "--db", "runs.db",
          "--run", "sampled"])
    main(["data", "sft", "sampled", "--db", "runs.db", "--out", "sft", "--jsonl"])
    assert len((user_dir / "sft" / "data.jsonl").read_text().splitlines()) == 3
    main(["arena", "answer", "--prompts", "py:my_suite.py:suite", "--model", "replay:gold.jsonl",
          "--db", "runs.db"])
    assert "3" in capsys.readouterr().out


def test_a_module_attribute_spec(user_dir, monkeypatch):
    monkeypatch.syspath_prepend(str(user_dir))
    suite = load_suite("my_suite:suite")
    assert suite.name == "my_suite:suite" and [t.id for t in suite.tasks] == ["list-1", "list-2", "list-3"]


def test_an_installed_plugin_is_found_by_its_entry_point(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "bank_plugin").mkdir(parents=True)
    (site / "bank_plugin" / "__init__.py").write_text(
        "from toolgym.suites import Suite\n"
        "from toolgym.types import Message, Task\n"
        "def suite():\n"
        "    return Suite(name='bank', tasks=[Task(id='b1', category='c',\n"
        "                 messages=[Message(role='user', content='hi')])])\n"
        "def broken():\n"
        "    raise RuntimeError('no connection to the bank')\n")
    dist = site / "bank_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bank-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[toolgym.suites]\nbank = bank_plugin:suite\nbroken = bank_plugin:broken\n")
    monkeypatch.syspath_prepend(str(site))
    assert [t.id for t in load_suite("bank").tasks] == ["b1"]
    with pytest.raises(UserError, match=r"entry point 'broken' \(bank_plugin:broken.*RuntimeError: no connection"):
        load_suite("broken")
    with pytest.raises(UserError, match="installed plugins: bank, broken"):
        load_suite("bnak")


@pytest.mark.parametrize(("content", "spec", "message"), [
    (None, "py:missing.py:suite", r"'missing.py' does not exist"),
    ("x = 1\n", "py:s.py:suite", r"'suite' is not defined there; it defines: no Suite"),
    ("from toolgym.suites import Suite\nmy_suite = Suite(name='n', tasks=[])\n", "py:s.py:my_suit",
     r"did you mean 'my_suite'\?"),
    ("suite = 3\n", "py:s.py:suite", r"expected a Suite \(or a function returning one\), got int"),
    ("a = 1\nb = (\n", "py:s.py:suite", r"s\.py:2: importing it raised SyntaxError"),
    ("a = 1\nraise ValueError('bad config')\n", "py:s.py:suite", r"s\.py:2: importing it raised ValueError: bad"),
    (None, "no_such_module_x:suite", r"no module 'no_such_module_x'"),
])
def test_bad_python_suites_are_one_located_error(tmp_path, monkeypatch, content, spec, message):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "s.py").write_text(content)
    with pytest.raises(UserError, match=message):
        load_suite(spec)



@needs_tiny
@pytest.mark.slow
def test_loop_takes_a_python_suite(user_dir, capsys):
    """`loop` resolves `py:` suites as eval, data and arena do: it tests, samples train and, when the tiny
    model passes none of these stateful tasks, stops with the cause and keeps both runs."""
    code = (user_dir / "my_suite.py").read_text().replace('"shopping-list"', '"shopping-list-loop"')
    (user_dir / "loop_suite.py").write_text(
        code + "\n_train = [t.model_copy(update={'id': t.id + '-train', 'split': 'train'}) for t in suite.tasks]\n"
        "suite = suite.model_copy(update={'tasks': list(suite.tasks) + _train})\n")
    with pytest.raises(SystemExit) as info:
        main(["loop", "--model", "tiny", "--suite", "py:loop_suite.py:suite", "--rounds", "1", "--samples", "1",
              "--max-steps", "1", "--max-tokens", "48", "--db", "loop.db", "--out", "loop", "--device", "cpu"])
    assert info.value.code == 2  # a UserError: what to change is in the message
    assert "no sft rows from loop-r0-train (3 train tasks" in capsys.readouterr().err
    with Store("loop.db") as store:
        runs = {r.name: r for r in store.list_runs()}
    assert runs["loop-r0-test"].done == 3 and runs["loop-r0-train"].done == 3
    assert runs["loop-r0-test"].manifest.suite == runs["loop-r0-train"].manifest.suite == "py:loop_suite.py:suite"
    assert {t.split for t in load_suite("py:loop_suite.py:suite").tasks} == {"train", "test"}
