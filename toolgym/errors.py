"""toolgym's errors.

* ToolgymError
  + UserError    bad input the user can fix: suite file, schema, URL, model name
  + InfraError   timeout, HTTP 5xx, rate limit: retried, then recorded as infra_error
    + RequestRejected  a 4xx about one request (context overflow, a refused field): that
                       rollout fails as `request_rejected`, scored, not retried on resume
  + ToolError    raised inside a tool: becomes the tool message the model sees
  + RunFailed    a run stopped because its infrastructure failed (every rollout, or past
                 --max-infra-errors): what was done is stored, the run is marked `failed`

The CLI prints a `UserError` without a traceback and exits 2, a `RunFailed` likewise with exit 1;
any other exception is a bug and keeps its traceback. Garbage *model output* is never an exception:
it becomes a Verdict.
"""

from __future__ import annotations

import difflib
from typing import Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

__all__ = ["InfraError", "RequestRejected", "RunFailed", "ToolError", "ToolgymError", "UserError", "invalid_input"]


class ToolgymError(Exception):
    """Base of every error toolgym raises on purpose."""


class UserError(ToolgymError):
    """Bad input the user can fix; the message names the file, line or field, the value and the fix."""


class InfraError(ToolgymError):
    """A transport or server failure (timeout, 5xx, 429): retried, then stored as `infra_error`."""


class RequestRejected(InfraError):
    """A 4xx about one request, not the run: the rollout fails as `request_rejected` (scored; resume skips it).

    What the model wrote made the server refuse it (the conversation outgrew the context, a field the
    server refuses), so retrying the same request cannot help. An `InfraError` to the backends (never
    retried) and to the simulated user (whose refusals are not the agent's failure).
    """


class ToolError(ToolgymError):
    """Raised by a tool implementation; its message is returned to the model as the tool result."""


class RunFailed(ToolgymError):
    """A run stopped on infrastructure errors; the message says how many and quotes the first."""


def invalid_input(
    error: ValidationError,
    where: str = "",
    *,
    model: type[BaseModel] | None = None,
    flag: bool = False,
    quote: bool = True,
    missing_hint: str = "",
    partial: bool = False,
) -> UserError:
    """The one UserError for a pydantic `ValidationError`: where, which field, what is wrong, the value, a fix.

    Every loader and command maps validation errors through here, so a bad value reads the same
    whether it came from a flag, a config file or a data file. `where` is the file:line (or empty);
    `flag` names the field as its command-line flag (`--max-tokens`); `model` lists the known fields
    for an unknown one and suggests the closest choice of a Literal field; `quote` writes the field
    name as a Python string ('id'); `missing_hint` follows "is missing". With `partial` (a config
    file, which flags complete), the first error other than a missing field is the one named.
    """
    errors = error.errors()
    first = next((e for e in errors if e["type"] != "missing"), errors[0]) if partial else errors[0]
    loc = first["loc"]
    prefix = f"{where}: " if where else ""
    if flag:
        name = "--" + str(loc[0]).replace("_", "-") if loc else "options"
    else:
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    message = first["msg"].removeprefix("Value error, ")
    if not loc:
        return UserError(f"{prefix}{message}")
    shown = repr(name) if quote and not flag else name
    if first["type"] == "extra_forbidden" and model is not None:
        known = list(model.model_fields)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return UserError(f"{prefix}unknown field {shown}; {hint}known fields: {', '.join(known)}")
    if first["type"] == "missing":
        return UserError(f"{prefix}field {shown} is missing" + (f"; {missing_hint}" if missing_hint else ""))
    value = first.get("input")
    got = f" (got {value!r})" if "input" in first and not isinstance(value, dict | list) else ""
    line = f"{prefix}{shown}: {message}{got}" if flag else f"{prefix}field {shown}: {message}{got}"
    field = model.model_fields.get(str(loc[0])) if model is not None else None
    choices = [str(c) for c in get_args(field.annotation)] if field and get_origin(field.annotation) is Literal else []
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6) if choices else []
    return UserError(line + (f"; did you mean {close[0]!r}?" if close else ""))
