"""The Typer application and the helpers every command module shares."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import typer
from pydantic import BaseModel, ValidationError

from ..errors import UserError
from ..models import ModelOptions
from ..run import RunConfig, load_config_file
from .console import SafeConsole
from .usage import closest

__all__ = [
    "DB_ENV", "DB_HELP", "Interrupted", "app", "config_values", "console", "db_option", "err_console", "invalid_value",
    "model_opt", "model_options", "opt", "resolve_config",
]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Evaluate and post-train tool-using LLM agents.")
console = SafeConsole()
err_console = SafeConsole(stderr=True)

DB_ENV = "TOOLGYM_DB"
"""Environment variable naming the default database (below --config files and --db)."""
DB_HELP = "SQLite file path or SQLAlchemy URL of the store."


class Interrupted(Exception):  # noqa: N818  (named for what the user did, as KeyboardInterrupt is)
    """Ctrl-C stopped a job; the message says what was kept and how to go on. Exits 130."""


def db_option(help: str = DB_HELP) -> Any:
    """The `--db` option of commands without a config class: TOOLGYM_DB, else toolgym.db."""
    return typer.Option("--db", help=help, envvar=DB_ENV)


def config_values(config_cls: type[BaseModel], config_file: Path | None, flags: dict[str, Any]) -> dict[str, Any]:
    """Field values of a config: defaults < TOOLGYM_DB < `--config` file < flags."""
    values: dict[str, Any] = {}
    if "db" in config_cls.model_fields and os.environ.get(DB_ENV):
        values["db"] = os.environ[DB_ENV]
    if config_file:
        values.update(load_config_file(config_file, config_cls))
    values.update({k: v for k, v in flags.items() if v is not None})
    return values


def opt(name: str, *flags: str) -> Any:
    """A Typer option whose help is the RunConfig field's docstring, so help text is written once."""
    field = RunConfig.model_fields[name]
    return typer.Option(*flags, help=field.description, show_default=str(field.default))


def model_opt(name: str, *flags: str) -> Any:
    """A Typer option whose help is the ModelOptions field's docstring (help written once)."""
    return typer.Option(*flags, help=ModelOptions.model_fields[name].description)


def model_options(
    base_url: str | None,
    tool_mode: str | None,
    parser: str | None,
    *,
    api_key: str | None = None,
    request_timeout: float | None = None,
    extra_body: str | dict | None = None,
    flag_prefix: str = "--",
) -> ModelOptions:
    """Backend options; the environment fills what flags leave out (only the CLI reads os.environ).

    `extra_body` is the JSON text of `--extra-body` (or a config file's mapping); `flag_prefix`
    names the flags in errors (`--user-` for the simulated user's).
    """
    values: dict[str, Any] = dict(
        base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
        api_key=api_key or os.environ.get("OPENAI_API_KEY"),
        tool_mode=tool_mode or "native",
        parser=parser,
        extra_body=_json_object(extra_body, f"{flag_prefix}extra-body") if isinstance(extra_body, str) else extra_body,
    )
    if request_timeout is not None:
        values["timeout_s"] = request_timeout
    try:
        return ModelOptions(**values)
    except ValidationError as e:
        err = e.errors()[0]
        flag = {"timeout_s": "request-timeout"}.get(str(err["loc"][0]), str(err["loc"][0]).replace("_", "-"))
        raise UserError(f"{flag_prefix}{flag}: {err['msg']} (got {err.get('input')!r})") from None


def _json_object(text: str, flag: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{flag}: not JSON ({e.msg} at column {e.colno}): {text!r}; "
                        """write e.g. '{"tool_choice": "required"}'""") from None
    if not isinstance(value, dict):
        raise UserError(f"{flag}: expected a JSON object of request fields, got {type(value).__name__}; "
                        """write e.g. '{"chat_template_kwargs": {"enable_thinking": false}}'""")
    return value


def resolve_config(config_file: Path | None, flags: dict[str, Any]) -> RunConfig:
    """Defaults < `--config` file < flags; a bad value names the option."""
    values = config_values(RunConfig, config_file, flags)
    try:
        return RunConfig(**values)
    except ValidationError as e:
        raise UserError(invalid_value(RunConfig, e)) from None


def invalid_value(config_cls: type[BaseModel], e: ValidationError) -> str:
    """One line for a config's first invalid value: the flag, the problem, the value, a close choice."""
    err = e.errors()[0]
    flag = "--" + str(err["loc"][0]).replace("_", "-") if err["loc"] else "options"
    line = f"{flag}: {err['msg'].removeprefix('Value error, ')} (got {err.get('input')!r})"
    field = config_cls.model_fields.get(str(err["loc"][0])) if err["loc"] else None
    choices = [str(c) for c in get_args(field.annotation)] if field and get_origin(field.annotation) is Literal else []
    close = closest(str(err.get("input")), choices) if choices else None
    return line + (f"; did you mean {close!r}?" if close else "")
