"""The Typer application and the helpers every command module shares."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from ..errors import UserError, invalid_input
from ..models import ModelOptions
from ..run import RunConfig, load_config_file
from .console import SafeConsole

__all__ = [
    "DB_ENV", "DB_HELP", "Interrupted", "app", "build_config", "console", "db_option", "err_console", "json_object",
    "model_options", "resolve_config",
]

C = TypeVar("C", bound=BaseModel)

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


def build_config(config_cls: type[C], from_file: dict[str, Any], flags: dict[str, Any]) -> C:
    """A config from defaults < TOOLGYM_DB < a config file's values < flags; a bad value names its flag."""
    values: dict[str, Any] = {}
    if "db" in config_cls.model_fields and os.environ.get(DB_ENV):
        values["db"] = os.environ[DB_ENV]
    values.update(from_file)
    values.update({k: v for k, v in flags.items() if v is not None})
    try:
        return config_cls(**values)
    except ValidationError as e:
        raise invalid_input(e, model=config_cls, flag=True) from None


def resolve_config(config_file: Path | None, flags: dict[str, Any], config_cls: type[C] = RunConfig) -> C:
    """`build_config` reading its file values from `config_file` (a YAML or JSON file), if any."""
    return build_config(config_cls, load_config_file(config_file, config_cls) if config_file else {}, flags)


def model_options(
    base_url: str | None,
    tool_mode: str | None,
    parser: str | None,
    *,
    api_key: str | None = None,
    request_timeout: float | None = None,
    extra_body: str | dict | None = None,
    gpus_per_model: float | None = None,
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
        extra_body=json_object(extra_body, f"{flag_prefix}extra-body") if isinstance(extra_body, str) else extra_body,
        gpus_per_model=gpus_per_model,
    )
    if request_timeout is not None:
        values["timeout_s"] = request_timeout
    return ModelOptions(**values)  # the values' checks are ModelFlags' (built from the same fields)


def json_object(text: str, flag: str) -> dict[str, Any]:
    """The JSON object a flag holds (`--extra-body '{"top_k": 5}'`), or one error naming the flag."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{flag}: not JSON ({e.msg} at column {e.colno}): {text!r}; "
                        """write e.g. '{"tool_choice": "required"}'""") from None
    if not isinstance(value, dict):
        raise UserError(f"{flag}: expected a JSON object of request fields, got {type(value).__name__}; "
                        """write e.g. '{"chat_template_kwargs": {"enable_thinking": false}}'""")
    return value
