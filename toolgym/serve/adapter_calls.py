"""What the trainer adapters share: suites loaded once per process, tool calls worded as the agent loop words them.

The `verifiers` and NeMo-Gym adapters run inside those frameworks' processes (their own virtual
environments), so this module imports nothing beyond toolgym's core: no FastAPI, no MCP SDK.
"""

from __future__ import annotations

import functools
import logging

from ..envs import Environment, Episode
from ..errors import InfraError, ToolError, UserError
from ..suites import Suite, load_suite
from ..types import Task, ToolCall, text_of

__all__ = ["SuiteTasks", "call_tool", "suite_tasks"]

log = logging.getLogger(__name__)


class SuiteTasks:
    """A loaded suite, its environment in the chosen verifier mode, and its tasks by id."""

    def __init__(self, suite: Suite, mode: str) -> None:
        self.suite = suite
        self.env: Environment = suite.env.with_mode(mode)  # type: ignore[arg-type]
        self.by_id: dict[str, Task] = {task.id: task for task in suite.tasks}

    def task(self, task_id: str) -> Task:
        """The task `task_id`; a UserError naming the suite when it has none, or when only the agent loop plays it."""
        try:
            task = self.by_id[task_id]
        except KeyError:
            raise UserError(f"suite {self.suite.name!r} has no task {task_id!r}") from None
        refused = self.env.needs_agent_loop(task)
        if refused:
            raise UserError(f"{refused}; a trainer adapter serves one list of tools for one episode, so run this "
                            "suite with `toolgym eval` (the agent loop) instead")
        return task


@functools.lru_cache(maxsize=8)
def suite_tasks(spec: str, mode: str = "toolgym") -> SuiteTasks:
    """The suite `spec` loaded once per process (an adapter asks for it on every rollout)."""
    return SuiteTasks(load_suite(spec), mode)


def call_tool(episode: Episode, call: ToolCall) -> tuple[str, bool]:
    """Run one call on `episode`: (the tool message text, whether it failed), as `run/loop.py` words it.

    A tool's failure is a message the model sees, not a crash of the adapter; infrastructure failures
    (a remote environment that is down) propagate, so the framework retries or records them.
    """
    try:
        return text_of(episode.call(call), image="[image]"), False
    except InfraError:
        raise
    except ToolError as e:
        return f"Error: {e}", True
    except Exception as e:  # a bad call or a tool bug: the model sees it, as in a local episode
        log.warning("tool %s raised %s: %s", call.name, type(e).__name__, e)
        return f"Error: {type(e).__name__}: {e}", True
