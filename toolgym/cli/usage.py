"""Usage errors as one line: what is wrong, where, and the closest valid choice.

typer ships its own copy of click (`typer._click` since typer 0.20), so `click.UsageError` never
matches what a typer app raises: the exception classes are taken from the module that defines
`typer.BadParameter`, whichever click that is.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any

import typer

__all__ = ["ClickException", "UsageError", "closest", "usage_message"]

_exceptions = sys.modules[typer.BadParameter.__module__]
UsageError: type[Exception] = _exceptions.UsageError
ClickException: type[Exception] = _exceptions.ClickException

_NO_SUCH_COMMAND = re.compile(r"No such command (['\"])(.*?)\1")
_BAD_CHOICE = re.compile(r"'(.*?)' is not one of")


def usage_message(e: Any, argv: list[str]) -> str:
    """One line for a usage error `e` raised on `argv`: the command, the problem, and a close match."""
    ctx = e.ctx
    path = ctx.command_path if ctx is not None else "toolgym"
    command = ctx.command if ctx is not None else None
    kind = type(e).__name__
    missing_command = kind == "NoArgsIsHelpError" or e.message.startswith("Missing command")
    if missing_command and command is not None and _is_group(command):
        return f"{path}: missing command; choose one of {', '.join(_commands(ctx))} ({path} --help says more)"
    if kind == "NoSuchOption":
        return f"{path}: unknown option {e.option_name}{_closest(e.option_name, _options(command))}"
    if kind == "MissingParameter" and e.param is not None:
        what = "argument" if e.param.param_type_name == "argument" else "option"
        name = _param_name(e.param)
        return f"{path}: missing {what} {name}; usage: {_usage(ctx)}"
    found = _NO_SUCH_COMMAND.search(e.message)
    if found and command is not None and _is_group(command):
        name = found.group(2)
        choices = _commands(ctx)
        close = closest(name, choices)
        hint = f"; did you mean {close!r}?" if close else f"; choose one of {', '.join(choices)}"
        return f"{path}: unknown command {name!r}{hint}"
    if kind == "BadParameter" and e.param is not None:
        return f"{path}: {_param_name(e.param)}: {_bad_value(e, argv)}"
    return f"{path}: {e.format_message()}"


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def _commands(ctx: Any) -> list[str]:
    return [c for c in ctx.command.list_commands(ctx) if not getattr(ctx.command.get_command(ctx, c), "hidden", False)]


def _options(command: Any) -> list[str]:
    if command is None:
        return []
    return [o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")] + ["--help"]


def closest(name: str, choices: list[str]) -> str | None:
    """The choice `name` was most likely meant to be: a transposition first (--modle), else difflib's best."""
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    swapped = [c for c in close if sorted(c) == sorted(name)]
    return (swapped or close or [None])[0]


def _closest(name: str, choices: list[str]) -> str:
    close = closest(name, choices)
    if close:
        return f"; did you mean {close}?"
    longs = sorted(c for c in choices if c.startswith("--"))
    return f"; options are {', '.join(longs)}" if longs else ""


def _param_name(param: Any) -> str:
    if param.param_type_name == "argument":
        return str(param.name).upper()
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts)[0]


def _usage(ctx: Any) -> str:
    args = [str(p.name).upper() for p in ctx.command.params if p.param_type_name == "argument"]
    return " ".join([ctx.command_path, "[OPTIONS]", *args])


def _bad_value(e: Any, argv: list[str]) -> str:
    value = _given(e.param, argv)
    descriptor = getattr(e.param, "type_descriptor", None)  # typer's own params; click's have .type
    choices = getattr(descriptor, "choices", None) or getattr(getattr(e.param, "type", None), "choices", None)
    if choices:
        choices = [str(getattr(c, "value", c)) for c in choices]
        close = closest(value, choices) if value is not None else None
        hint = f"; did you mean {close!r}?" if close else ""
        shown = f"{value!r} is not" if value is not None else "expected"
        return f"{shown} one of {', '.join(choices)}{hint}"
    message = e.message.rstrip(".")
    return f"{value!r}: {message}" if value is not None else message


def _given(param: Any, argv: list[str]) -> str | None:
    """The value the user wrote for option `param` (the last one, as click keeps), if it can be found."""
    found = None
    for i, token in enumerate(argv):
        for opt in param.opts:
            if token == opt and i + 1 < len(argv):
                found = argv[i + 1]
            elif token.startswith(opt + "="):
                found = token[len(opt) + 1:]
    return found
