"""The `toolgym` command: wires suites, models, the run engine, the store, stats and reports together.

Only this package reads the environment (OPENAI_BASE_URL, OPENAI_API_KEY, TOOLGYM_DB) and installs
logging. A usage error or a UserError prints as one line and exits 2, a run that failed on its
infrastructure exits 1, Ctrl-C exits 130; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import typer
import typer.main
from rich.text import Text

from ..errors import RunFailed, UserError
from ..redact import RedactingFilter, redact_text
from . import arena, audit, evaluate, main_job, plan, report, runs, serve, train, view  # noqa: F401  (each registers its commands on `app`)
from .app import Interrupted, app, err_console
from .console import printable
from .usage import ClickException, UsageError, usage_message

__all__ = ["app", "main"]

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `toolgym` console script."""
    logging.basicConfig(level=os.environ.get("TOOLGYM_LOG", "WARNING"))
    for handler in logging.getLogger().handlers:  # httpx logs each request's URL, credentials included
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    args = sys.argv[1:] if argv is None else list(argv)
    command = typer.main.get_command(app)
    _no_help_when_bare(command)
    try:
        code = command.main(args=args, prog_name="toolgym", standalone_mode=False)
    except UserError as e:
        _fail("error: ", str(e), 2)
    except RunFailed as e:
        _fail("run failed: ", str(e), 1)
    except Interrupted as e:
        _interrupted(str(e), standalone=argv is None)
    except UsageError as e:
        _fail("usage: ", usage_message(e, args), 2)
    except ClickException as e:
        _fail("error: ", e.format_message(), getattr(e, "exit_code", 1))
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C while typer parses, or typer's own abort
        code = INTERRUPTED
    except typer.Exit as e:
        code = e.exit_code
    if code == INTERRUPTED:  # typer turns a Ctrl-C outside a run into Exit(130)
        _interrupted("stopped by Ctrl-C; run the same command again to go on", standalone=argv is None)
    if isinstance(code, int) and code:
        sys.exit(code)


def _no_help_when_bare(command: Any) -> None:
    """A bare group (`toolgym`, `toolgym arena`) fails with one line naming its commands, not a help page."""
    if hasattr(command, "commands"):
        command.no_args_is_help = False
        for sub in command.commands.values():
            _no_help_when_bare(sub)


def _interrupted(message: str, standalone: bool) -> None:
    """Print what Ctrl-C kept and exit 130.

    Everything worth keeping is stored and closed by now. The console script leaves at once
    (`os._exit`): tearing down torch's thread pools at interpreter exit takes seconds on a busy
    machine, and Ctrl-C must stop within two. Called in-process (tests, scripts), it raises SystemExit.
    """
    err_console.print(Text.assemble(("interrupted: ", "bold red"), printable(redact_text(message))), soft_wrap=True,
                      highlight=False)
    if standalone:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED)
    sys.exit(INTERRUPTED)


def _fail(label: str, message: str, code: int) -> None:
    err_console.print(Text.assemble((label, "bold red"), printable(redact_text(message))), soft_wrap=True,
                      highlight=False)
    sys.exit(code)
