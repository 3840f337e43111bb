"""A suite carries its environment: `Suite.env`, `@suite("name")`, and every spec kind giving one."""

from __future__ import annotations

import pytest

from tests.run import counter_domain as cd
from toolgym import RunConfig, evaluate
from toolgym.envs import ENVIRONMENTS, CodeEnv, FunctionCallingEnv, StatefulEnv
from toolgym.errors import UserError
from toolgym.run.evaluate import environment_for
from toolgym.store import Store
from toolgym.suites import SUITES, Suite, load_suite, suite
from toolgym.types import Expected, Message, Task


@pytest.fixture
def clean_suites(monkeypatch):
    monkeypatch.setattr(SUITES, "_items", dict(SUITES._items))


def irrelevant(task_id: str = "i1") -> Task:
    return Task(id=task_id, category="irrelevance", messages=[Message(role="user", content="hello")],
                expected=Expected(calls=[]))


def test_a_suite_built_from_a_kind_name_gets_that_kind(clean_suites):
    built = Suite(name="s", environment="stateful", tasks=[])
    assert type(built.env) is StatefulEnv and built.environment == "stateful"
    with pytest.raises(UserError, match="unknown environment 'statefull'.*Did you mean 'stateful'"):
        Suite(name="s", environment="statefull", tasks=[])


def test_a_suite_given_an_instance_records_its_kind_and_keeps_it_out_of_the_version():
    env = StatefulEnv(domains=[cd.COUNTER])
    held = Suite(name="c", env=env, tasks=[cd.task()])
    assert held.env is env and held.environment == "stateful"
    assert held.version == Suite(name="c", environment="stateful", tasks=[cd.task()]).version
    assert "env" not in held.model_dump()
    with pytest.raises(ValueError, match="env must be an Environment instance"):
        Suite(name="c", env="stateful", tasks=[])


def test_the_suite_decorator_registers_a_function_of_tasks(clean_suites):
    @suite("greetings")
    def greetings() -> list[Task]:
        return [irrelevant("i1"), irrelevant("i2")]

    built = greetings()
    assert built.name == "greetings" and type(built.env) is FunctionCallingEnv and len(built.tasks) == 2
    assert load_suite("greetings").version == built.version


def test_the_suite_decorator_gives_tasks_their_environment(clean_suites):
    env = StatefulEnv(domains=[cd.COUNTER])

    @suite("counting", env=env)
    def counting() -> list[Task]:
        return [cd.task()]

    assert load_suite("counting").env is env and load_suite("counting").environment == "stateful"


def test_a_decorated_function_returning_something_else_is_a_user_error(clean_suites):
    @suite("broken")
    def broken():
        return 3

    with pytest.raises(UserError, match=r"@suite\('broken'\) .*broken\(\) returned int; return a list of Task"):
        load_suite("broken")


def test_a_second_suite_under_a_taken_name_is_refused(clean_suites):
    with pytest.raises(ValueError, match="suite 'fc-core' is registered twice"):
        suite("fc-core")(lambda: [])


@pytest.mark.parametrize(("spec", "kind"), [("fc-core", FunctionCallingEnv), ("retail", StatefulEnv),
                                            ("files", StatefulEnv), ("code", CodeEnv)])
def test_bundled_suites_hold_their_environment(spec, kind):
    loaded = load_suite(spec)
    assert type(loaded.env) is kind and type(ENVIRONMENTS.get(loaded.environment)()) is kind
    if kind is StatefulEnv:  # its own domain, not the global table
        assert loaded.env.domain(loaded.tasks[0]).name == spec


def test_the_run_mode_reaches_a_matching_verifier_without_changing_the_suites():
    fc = load_suite("fc-core")
    env, sandbox = environment_for(RunConfig(mode="bfcl"), fc)
    assert env.mode == "bfcl" and fc.env.mode == "toolgym" and sandbox is None
    assert environment_for(RunConfig(), fc)[0] is fc.env
    stateful = load_suite("retail")
    assert environment_for(RunConfig(mode="bfcl"), stateful)[0] is stateful.env


def test_the_run_sandbox_reaches_a_copy_of_the_code_environment():
    code = load_suite("code")
    env, _ = environment_for(RunConfig(sandbox="process"), code)
    assert env.sandbox.isolation == "process" and code.env.sandbox.isolation == "auto"


def test_python_file_with_a_decorated_suite_evaluates_with_its_own_environment(tmp_path, monkeypatch, clean_suites):
    (tmp_path / "mine.py").write_text(
        "from toolgym import Domain, StatefulEnv, StatefulMetadata, Task, Message, Expected, ToolCall, "
        "state_tool, suite\n"
        "@state_tool\n"
        "def bump(state: dict) -> int:\n"
        "    '''Add one.'''\n"
        "    state['n'] += 1\n"
        "    return state['n']\n"
        "@suite('bumps', env=StatefulEnv(domains=[Domain('bumps', (bump,))]))\n"
        "def bumps():\n"
        "    meta = StatefulMetadata(domain='bumps', initial_state={'n': 0}).as_metadata()\n"
        "    return [Task(id='b1', category='c', messages=[Message(role='user', content='bump')],\n"
        "                 tools=[bump.model_copy(update={'fn': None})], metadata=meta,\n"
        "                 expected=Expected(gold_actions=[ToolCall(name='bump')]))]\n")
    cd.write_replay(tmp_path / "gold.jsonl", "b1", [[{"function": {"name": "bump", "arguments": {}}}], "done"])
    monkeypatch.chdir(tmp_path)
    by_file = load_suite("py:mine.py:bumps")
    assert by_file.name == "py:mine.py:bumps" and by_file.env is load_suite("bumps").env
    run = evaluate(RunConfig(suite="py:mine.py:bumps", model="replay:gold.jsonl", db="runs.db"))
    assert (run.done, run.passed) == (1, 1)
    with Store("runs.db") as store:
        assert store.get_run(run.name).manifest.suite == "py:mine.py:bumps"
