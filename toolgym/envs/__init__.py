"""Environment kinds: what the tasks are, how an attempt acts on the world, how it is verified.

`__all__` holds what users and the layers below use; an episode class, a sandbox's raw result or the
canonical JSON form stay in their modules (`envs.mcp`, `envs.sandbox`, `envs.state`).

A `Suite` holds its environment instance (`suite.env`). `ENVIRONMENTS` maps a kind name to the class
a Suite built with only a kind name (`Suite(environment="stateful", ...)`, a JSONL file's kind) gets.
"""

from collections.abc import Callable

from ..registry import Registry
from .bfcl_memory import BfclMemoryEnv
from .bfcl_multi_turn import BfclMultiTurnEnv
from .code import PYTHON_TOOL, CodeEnv, extract_code
from .environment import Environment, Episode, ModeMixin, Prerequisites, check_mode
from .function_calling import FunctionCallingEnv
from .mcp import MCPEnv, list_server_tools
from .remote import RemoteEnvironment
from .sandbox import SandboxConfig, isolation_level, run_python
from .state import explain_diff, state_diff, state_hash
from .stateful import DOMAINS, Domain, StatefulEnv, StatefulEpisode, executed_calls, state_tool
from .stateful_metadata import StatefulMetadata
from .task_metadata import CodeMetadata, MCPMetadata, UserMetadata

__all__ = [
    "DOMAINS",
    "BfclMemoryEnv",
    "BfclMultiTurnEnv",
    "MCPEnv",
    "MCPMetadata",
    "ModeMixin",
    "Prerequisites",
    "PYTHON_TOOL",
    "CodeEnv",
    "CodeMetadata",
    "ENVIRONMENTS",
    "Domain",
    "Environment",
    "Episode",
    "FunctionCallingEnv",
    "RemoteEnvironment",
    "SandboxConfig",
    "StatefulEnv",
    "StatefulEpisode",
    "StatefulMetadata",
    "UserMetadata",
    "check_mode",
    "executed_calls",
    "explain_diff",
    "extract_code",
    "isolation_level",
    "list_server_tools",
    "run_python",
    "state_diff",
    "state_hash",
    "state_tool",
]

#: environment kind name -> factory
ENVIRONMENTS: Registry[Callable[..., Environment]] = Registry("environment")
ENVIRONMENTS.register("function_calling")(FunctionCallingEnv)
ENVIRONMENTS.register("code")(CodeEnv)
ENVIRONMENTS.register("stateful")(StatefulEnv)
ENVIRONMENTS.register("mcp")(MCPEnv)
ENVIRONMENTS.register("bfcl_multi_turn")(BfclMultiTurnEnv)
ENVIRONMENTS.register("bfcl_memory")(BfclMemoryEnv)
