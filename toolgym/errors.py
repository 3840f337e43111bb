"""toolgym's errors.

* ToolgymError
  + UserError    bad input the user can fix: suite file, schema, URL, model name
  + InfraError   timeout, HTTP 5xx, rate limit: retried, then recorded as infra_error
  + ToolError    raised inside a tool: becomes the tool message the model sees
  + RunFailed    a run stopped because its infrastructure failed (every rollout, or past
                 --max-infra-errors): what was done is stored, the run is marked `failed`

The CLI prints a `UserError` without a traceback and exits 2, a `RunFailed` likewise with exit 1;
any other exception is a bug and keeps its traceback. Garbage *model output* is never an exception:
it becomes a Verdict.
"""

from __future__ import annotations

__all__ = ["InfraError", "RunFailed", "ToolError", "ToolgymError", "UserError"]


class ToolgymError(Exception):
    """Base of every error toolgym raises on purpose."""


class UserError(ToolgymError):
    """Bad input the user can fix; the message names the file, line or field, the value and the fix."""


class InfraError(ToolgymError):
    """A transport or server failure (timeout, 5xx, 429): retried, then stored as `infra_error`."""


class ToolError(ToolgymError):
    """Raised by a tool implementation; its message is returned to the model as the tool result."""


class RunFailed(ToolgymError):
    """A run stopped on infrastructure errors; the message says how many and quotes the first."""
