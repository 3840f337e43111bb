"""Child processes that take Ctrl-C as they would at a terminal.

A shell that starts a job in the background (`cmd &`, `nohup`) sets SIGINT to "ignored", children
inherit it, and Python then never raises KeyboardInterrupt: a Ctrl-C test run from such a harness
would fail without anything being wrong. The tests that send SIGINT start their subprocess with
`preexec_fn=sigint_default`, so SIGINT reaches the process as from a terminal wherever the suite runs.
"""

from __future__ import annotations

import signal


def sigint_default() -> None:
    """Run in the child before exec: SIGINT back to its default action."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
