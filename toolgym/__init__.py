"""toolgym: post-train and evaluate tool-using LLM agents.

One environment (tools + tasks + verifier) is a benchmark, a reward and a data source. The names
users call live here, so that a script never needs the subpackage layout:

    from toolgym import RunConfig, evaluate

    run = evaluate(RunConfig(suite="fc-core", model="tiny", limit=5, db="runs.db"))

`import toolgym` stays light: each name below is imported on first use (PEP 562's module
`__getattr__`), so importing the package loads no torch, transformers, trl or fastapi, and reading
`toolgym.train_sft` loads only what training needs. Modules inside the package never import this
root (the version lives in `_version.py`); `tests/test_api.py` pins the names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time `__getattr__` imports on first use
    from .envs import Domain, Environment, Episode, FunctionCallingEnv, StatefulEnv, StatefulMetadata, state_tool
    from .errors import InfraError, ToolError, ToolgymError, UserError
    from .models import Model, ModelOptions, load_model
    from .run import RunConfig, evaluate, evaluate_async
    from .suites import Suite, load_suite, suite
    from .tools import tool
    from .train import DPORunConfig, GRPORunConfig, SFTRunConfig, train_dpo, train_grpo, train_sft
    from .types import Expected, ExpectedCall, Message, SamplingConfig, Task, Tool, ToolCall, Verdict

#: public name -> the subpackage or module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    # evaluation: the verbs and their config
    "evaluate": ".run",
    "evaluate_async": ".run",
    "RunConfig": ".run",
    # what a suite is made of
    "Suite": ".suites",
    "suite": ".suites",
    "load_suite": ".suites",
    "Task": ".types",
    "Expected": ".types",
    "ExpectedCall": ".types",
    "Message": ".types",
    "Tool": ".types",
    "ToolCall": ".types",
    "Verdict": ".types",
    "SamplingConfig": ".types",
    "tool": ".tools",
    # environments
    "Environment": ".envs",
    "Episode": ".envs",
    "FunctionCallingEnv": ".envs",
    "StatefulEnv": ".envs",
    "Domain": ".envs",
    "StatefulMetadata": ".envs",
    "state_tool": ".envs",
    # models
    "load_model": ".models",
    "Model": ".models",
    "ModelOptions": ".models",
    # post-training
    "train_sft": ".train",
    "train_dpo": ".train",
    "train_grpo": ".train",
    "SFTRunConfig": ".train",
    "DPORunConfig": ".train",
    "GRPORunConfig": ".train",
    # errors a caller may catch
    "ToolgymError": ".errors",
    "UserError": ".errors",
    "InfraError": ".errors",
    "ToolError": ".errors",
}

__all__ = [  # the same names as _EXPORTS (a test checks), written out for linters and type checkers
    "__version__", "evaluate", "evaluate_async", "RunConfig", "Suite", "suite", "load_suite", "Task", "Expected",
    "ExpectedCall", "Message", "Tool", "ToolCall", "Verdict", "SamplingConfig", "tool", "Environment",
    "Episode", "FunctionCallingEnv", "StatefulEnv", "Domain", "StatefulMetadata", "state_tool", "load_model", "Model",
    "ModelOptions", "train_sft", "train_dpo", "train_grpo", "SFTRunConfig", "DPORunConfig", "GRPORunConfig",
    "ToolgymError", "UserError", "InfraError", "ToolError",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562), and keep it so the next access is a plain lookup."""
    where = _EXPORTS.get(name)
    if where is None:
        raise AttributeError(f"module 'toolgym' has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
