"""The `toolgym` command: wires suites, models, the run engine, the store, stats and reports together.

Only this package reads the environment (OPENAI_BASE_URL, OPENAI_API_KEY) and installs logging. A
UserError prints as one line and exits 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import os
import sys

import click
from rich.text import Text

from ..errors import UserError
from ..redact import RedactingFilter, redact_text
from . import arena, audit, evaluate, main_job, plan, report, runs, serve, train, view  # noqa: F401  (each registers its commands on `app`)
from .app import app, err_console

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `toolgym` console script."""
    logging.basicConfig(level=os.environ.get("TOOLGYM_LOG", "WARNING"))
    for handler in logging.getLogger().handlers:  # httpx logs each request's URL, credentials included
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    try:
        app(args=argv, standalone_mode=False)
    except UserError as e:
        err_console.print(Text.assemble(("error: ", "bold red"), redact_text(str(e))))
        sys.exit(2)
    except click.exceptions.Abort:
        err_console.print("aborted: finished results are saved; run the same command again to resume")
        sys.exit(130)
    except click.exceptions.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
