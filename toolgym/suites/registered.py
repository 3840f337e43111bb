"""`@suite("name")`: a suite defined by one function, found by that name by every command.

Like inspect_ai's `@task` and verifiers' `load_environment`, the function builds the tasks and the
decorator gives them their name and environment. Registering happens when the module is imported:
bundled suites are registered by `toolgym.suites`, a user's by importing their file or module
(`py:FILE.py:NAME`, `package.module:NAME`, an entry point), so the name then works with
`load_suite` too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from ..envs import Environment, FunctionCallingEnv
from ..errors import UserError
from ..registry import Registry
from ..types import Task
from .suite import Suite

__all__ = ["SUITES", "SUITE_MARK", "suite"]

#: attribute an `@suite` function carries: the name it registered
SUITE_MARK = "__toolgym_suite__"

#: suite name -> function that builds it (bundled suites, and every `@suite` imported so far)
SUITES: Registry[Callable[[], Suite]] = Registry("suite")

SuiteFunction = Callable[[], Suite | Iterable[Task]]


def suite(name: str, *, env: Environment | None = None) -> Callable[[SuiteFunction], Callable[[], Suite]]:
    """Register a function that builds a suite's tasks (or a whole `Suite`) under `name`.

    The decorated function returns a `Suite` (named `name`); one that returns tasks gets `env`
    (default: single-turn function calling) as their environment.

    Examples:
        >>> from toolgym.types import Expected, Message, Task
        >>> @suite("doc-example")
        ... def doc_example():
        ...     return [Task(id="t1", category="irrelevance", messages=[Message(role="user", content="hi")],
        ...                  expected=Expected(calls=[]))]
        >>> built = doc_example()
        >>> built.name, built.environment, len(built.tasks), SUITES.get("doc-example") is doc_example
        ('doc-example', 'function_calling', 1, True)
    """

    def decorate(fn: SuiteFunction) -> Callable[[], Suite]:
        @functools.wraps(fn)
        def build() -> Suite:
            made = fn()
            if isinstance(made, Suite):
                if env is not None:
                    made = made.model_copy(update={"env": env, "environment": env.kind or type(env).__name__})
                return made if made.name == name else made.model_copy(update={"name": name})
            tasks = list(made) if isinstance(made, Iterable) else None
            if tasks is None or not all(isinstance(t, Task) for t in tasks):
                raise UserError(f"@suite({name!r}) {fn.__qualname__}() returned {type(made).__name__}; "
                                "return a list of Task or a Suite")
            return Suite(name=name, env=env or FunctionCallingEnv(), tasks=tasks)

        setattr(build, SUITE_MARK, name)
        SUITES.register(name)(build)
        return build

    return decorate
