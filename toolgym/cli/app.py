"""The Typer application and the helpers every command module shares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console

from ..errors import UserError
from ..models import ModelOptions
from ..run import RunConfig, load_config_file

__all__ = ["app", "console", "err_console", "model_options", "opt", "resolve_config"]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Evaluate and post-train tool-using LLM agents.")
console = Console()
err_console = Console(stderr=True)


def opt(name: str, *flags: str) -> Any:
    """A Typer option whose help is the RunConfig field's docstring, so help text is written once."""
    field = RunConfig.model_fields[name]
    return typer.Option(*flags, help=field.description, show_default=str(field.default))


def model_options(base_url: str | None, tool_mode: str | None, parser: str | None) -> ModelOptions:
    """Backend options; the environment fills what flags leave out (only the CLI reads os.environ)."""
    return ModelOptions(
        base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
        api_key=os.environ.get("OPENAI_API_KEY"),
        tool_mode=tool_mode or "native",
        parser=parser,
    )


def resolve_config(config_file: Path | None, flags: dict[str, Any]) -> RunConfig:
    """Defaults < `--config` file < flags; a bad value names the option."""
    values: dict[str, Any] = load_config_file(config_file) if config_file else {}
    values.update({k: v for k, v in flags.items() if v is not None})
    try:
        return RunConfig(**values)
    except ValidationError as e:
        err = e.errors()[0]
        flag = "--" + str(err["loc"][0]).replace("_", "-")
        raise UserError(f"{flag}: {err['msg']} (got {err.get('input')!r})") from None
