"""The public API: `from toolgym import ...` offers the names users call, each resolving, and stays light."""

import json
import subprocess
import sys

import pytest

import toolgym

HEAVY = ("torch", "transformers", "trl", "fastapi", "datasets")

# Pinned on purpose: a name added to or removed from the API is a decision, made here as well.
EXPORTED = [
    "DPORunConfig", "Domain", "Environment", "Episode", "Expected", "ExpectedCall", "FunctionCallingEnv",
    "GRPORunConfig", "InfraError", "Message", "Model", "ModelOptions", "RunConfig", "SFTRunConfig",
    "SamplingConfig", "StatefulEnv", "StatefulMetadata", "Suite", "Task", "Tool", "ToolCall", "ToolError",
    "ToolgymError",
    "UserError", "Verdict", "__version__", "evaluate", "evaluate_async", "load_model", "load_suite",
    "state_tool", "suite", "tool", "train_dpo", "train_grpo", "train_sft",
]


def python(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_exported_names_are_pinned():
    assert sorted(toolgym.__all__) == sorted(EXPORTED)
    assert set(toolgym._EXPORTS) | {"__version__"} == set(toolgym.__all__)
    assert len(set(toolgym.__all__)) == len(toolgym.__all__)


@pytest.mark.parametrize("name", EXPORTED)
def test_each_exported_name_resolves_to_its_subpackage_object(name):
    value = getattr(toolgym, name)
    assert value is not None
    if name != "__version__":
        home = __import__(value.__module__, fromlist=["_"]) if hasattr(value, "__module__") else None
        assert home is None or getattr(home, name, value) is value, f"toolgym.{name} is not {value.__module__}.{name}"


def test_from_toolgym_import_gives_the_same_objects_as_the_subpackages():
    from toolgym import RunConfig, Suite, Task, evaluate, state_tool, tool, train_grpo
    from toolgym.envs import state_tool as envs_state_tool
    from toolgym.run import RunConfig as run_config
    from toolgym.run import evaluate as run_evaluate
    from toolgym.suites import Suite as suites_suite
    from toolgym.tools import tool as tools_tool
    from toolgym.train import train_grpo as train_train_grpo
    from toolgym.types import Task as types_task

    assert (RunConfig, evaluate, Suite, Task, tool, state_tool, train_grpo) == (
        run_config, run_evaluate, suites_suite, types_task, tools_tool, envs_state_tool, train_train_grpo)


def test_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="'evalute'"):
        toolgym.evalute  # noqa: B018


def test_dir_lists_the_exported_names():
    assert set(EXPORTED) <= set(dir(toolgym))


def test_import_toolgym_imports_only_the_root_and_its_version():
    tops = ("toolgym", *HEAVY)
    seen = python(f"import json, sys, toolgym; print(json.dumps(sorted(m for m in sys.modules "
                  f"if m.split('.')[0] in {tops!r})))")
    assert seen == ["toolgym", "toolgym._version"]


def test_resolving_every_exported_name_stays_light():
    seen = python("import json, sys, toolgym; [getattr(toolgym, n) for n in toolgym.__all__]; "
                  f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    assert seen == []
