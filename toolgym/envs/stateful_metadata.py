"""StatefulMetadata: what a stateful task carries in `Task.metadata`, typed and checked once.

A `Task` stays plain JSON (it travels in JSONL files and over HTTP), so the stateful contract is
stored in `Task.metadata`; this model is its schema. `StatefulEnv` parses each task's metadata once
(`StatefulMetadata.of`) and reads fields, never string keys, and a bad value is one `UserError` that
names the task, the field and the fix. Keys it does not define (the simulated user's
`user_instruction` and `user_turns`, a suite's own notes) pass through untouched.

Examples:
    >>> meta = StatefulMetadata(domain="notes", initial_state={"notes": []}, required_actions=["login"])
    >>> meta.as_metadata()
    {'domain': 'notes', 'initial_state': {'notes': []}, 'required_actions': ['login']}
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError

from .task_metadata import TaskMetadata

__all__ = ["StatefulMetadata"]

_FIXES = {
    "domain": 'name a stateful domain, e.g. "retail"',
    "initial_state": "give the database at the start as a JSON object",
    "state_seed": "give an int from which the domain builds the initial state",
    "required_actions": "list tool names that appear in expected.gold_actions",
}


class StatefulMetadata(TaskMetadata):
    """The metadata of a task of the `stateful` environment kind.

    Extra keys are allowed: the agent loop's users (`UserMetadata`) and suites keep their own notes
    in the same object. `load_suite` checks it for every task of a stateful suite.
    """

    domain: str
    """The stateful domain (`Domain`) whose tools run the task."""
    initial_state: dict[str, Any] | None = None
    """The database at the start, a JSON object; or else `state_seed`."""
    state_seed: int | None = None
    """A seed from which the domain's `build_state` makes the initial state (when `initial_state` is unset)."""
    required_actions: list[str] = Field(default_factory=list)
    """Tool names whose gold calls must each appear among the agent's calls (read-only calls, such as
    authentication, that the final state does not show)."""

    @classmethod
    def _problem(cls, error: ValidationError) -> str:
        # the stateful kind's own wording (older than the shared one, and asserted word for word)
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        top = str(first["loc"][0]) if first["loc"] else ""
        if first["type"] == "missing" and top == "domain":
            return f"metadata.domain is missing; {_FIXES['domain']}"
        got = f" (got {type(first['input']).__name__} {first['input']!r:.60})" if first["type"] != "missing" else ""
        if top == "initial_state":
            return f"metadata.initial_state must be a JSON object{got}; give it, or an int metadata.state_seed"
        return f"metadata.{field}: {first['msg']}{got}; {_FIXES.get(top, 'fix the value')}"
