"""Problem: one code task as written by hand (signature, spec, reference solution, hidden tests)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ...envs import PYTHON_TOOL
from ...types import Expected, Message, Split, Task

__all__ = ["Problem"]

_PROMPT = """\
Write a Python function:

    {signature}

{description}

You can run code with the `python` tool to check your work (each call is a fresh process with no \
network). When you are done, reply with the complete function, with any imports it needs, in one \
```python code block."""


@dataclass(frozen=True)
class Problem:
    """A function to implement, with a reference solution and hidden assert tests."""

    name: str
    """The function's name (the tests call it)."""
    signature: str
    """The `def` line shown to the model, e.g. `def chunk(items: list, size: int) -> list[list]:`."""
    description: str
    """What the function must do, with an example or two; the hidden tests check exactly this."""
    reference: str
    """A solution that passes every test."""
    tests: tuple[str, ...]
    """Hidden tests: assert statements over the function."""
    split: Split = "test"
    """train or test."""

    def task(self, category: str) -> Task:
        """The suite task for this problem, in `category`."""
        prompt = _PROMPT.format(signature=self.signature, description=textwrap.dedent(self.description).strip())
        return Task(
            id=f"code-{category}-{self.name}",
            messages=[Message(role="user", content=prompt)],
            tools=[PYTHON_TOOL],
            category=category,
            split=self.split,
            expected=Expected(reference=textwrap.dedent(self.reference).strip() + "\n"),
            metadata={"tests": list(self.tests), "entry_point": self.name, "signature": self.signature},
        )
