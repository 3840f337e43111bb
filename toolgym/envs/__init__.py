"""Environment kinds: what the tasks are, how an attempt acts on the world, how it is verified.

`ENVIRONMENTS` maps a kind name (a Suite's `environment`) to its factory.
"""

from collections.abc import Callable

from ..registry import Registry
from .environment import Environment, Episode
from .function_calling import FunctionCallingEnv

__all__ = ["ENVIRONMENTS", "Environment", "Episode", "FunctionCallingEnv"]

#: environment kind name -> factory
ENVIRONMENTS: Registry[Callable[..., Environment]] = Registry("environment")
ENVIRONMENTS.register("function_calling")(FunctionCallingEnv)
