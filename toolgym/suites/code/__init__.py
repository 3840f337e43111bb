"""code: toolgym's bundled suite of write-a-function tasks, verified by hidden tests in the sandbox.

42 hand-written problems over strings, lists and numbers (10 train, 32 test). Each task asks for one
function with a given signature; the agent may try code with the sandboxed `python` tool and answers
with a ```python block. `Task.expected.reference` holds a reference solution and
`Task.metadata["tests"]` the hidden assert statements; the `code` environment kind runs them.

Examples:
    >>> suite = code_suite()
    >>> suite.environment, len(suite.split("train")), len(suite.split("test"))
    ('code', 10, 32)
"""

from __future__ import annotations

from ...envs import CodeEnv
from ..suite import Suite
from .lists import LISTS
from .numbers import NUMBERS
from .problem import Problem
from .strings import STRINGS

__all__ = ["PROBLEMS", "Problem", "code_suite"]

#: category -> its problems, in suite order
PROBLEMS: dict[str, list[Problem]] = {"strings": STRINGS, "lists": LISTS, "math": NUMBERS}


def code_suite() -> Suite:
    """The bundled `code` suite: one task per problem, environment kind `code`."""
    tasks = [p.task(category) for category, problems in PROBLEMS.items() for p in problems]
    return Suite(name="code", env=CodeEnv(), tasks=tasks)
