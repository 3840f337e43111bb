"""Environment kinds: what the tasks are, how an attempt acts on the world, how it is verified.

A `Suite` holds its environment instance (`suite.env`). `ENVIRONMENTS` maps a kind name to the class
a Suite built with only a kind name (`Suite(environment="stateful", ...)`, a JSONL file's kind) gets.
"""

from collections.abc import Callable

from ..registry import Registry
from .bfcl_multi_turn import BfclMultiTurnEnv
from .code import PYTHON_TOOL, CodeEnv, extract_code
from .environment import Environment, Episode, ModeMixin, check_mode
from .function_calling import FunctionCallingEnv
from .mcp import MCPEnv, MCPEpisode, MCPSession, list_server_tools
from .remote import RemoteEnvironment, RemoteEpisode
from .sandbox import SandboxConfig, SandboxResult, isolation_level, run_python
from .state import canonical_json, explain_diff, state_diff, state_hash
from .stateful import DOMAINS, Domain, StatefulEnv, StatefulEpisode, executed_calls, state_tool
from .stateful_metadata import StatefulMetadata

__all__ = [
    "DOMAINS",
    "BfclMultiTurnEnv",
    "MCPEnv",
    "MCPEpisode",
    "MCPSession",
    "ModeMixin",
    "PYTHON_TOOL",
    "CodeEnv",
    "ENVIRONMENTS",
    "Domain",
    "Environment",
    "Episode",
    "FunctionCallingEnv",
    "RemoteEnvironment",
    "RemoteEpisode",
    "SandboxConfig",
    "SandboxResult",
    "StatefulEnv",
    "StatefulEpisode",
    "StatefulMetadata",
    "canonical_json",
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
