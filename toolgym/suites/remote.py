"""`remote:URL` suites: the tasks of a `toolgym serve-env` server, verified by that server.

Loading lists the server's tasks; the suite holds a `RemoteEnvironment` client as its environment
(`suite.env`), so the remote client serves everywhere a local environment would. The served tasks
are the same JSON, so the suite's version (content hash) equals the local suite's and runs of either
resume one another. The bearer token, when the server needs one, comes from the TOOLGYM_ENV_TOKEN
environment variable.
"""

from __future__ import annotations

import os

from ..envs import RemoteEnvironment
from ..errors import UserError
from .suite import Suite

__all__ = ["load_remote_suite"]


def load_remote_suite(spec: str) -> Suite:
    """The suite served at the URL of `spec` (`remote:http://HOST:PORT`)."""
    url = spec.removeprefix("remote:")
    if not url.startswith(("http://", "https://")):
        raise UserError(f"suite spec {spec!r}: write remote:http://HOST:PORT (the address of `toolgym serve-env`)")
    token = os.environ.get("TOOLGYM_ENV_TOKEN") or None
    client = RemoteEnvironment(url, token=token)
    try:
        tasks = client.tasks()
    except BaseException:
        client.close()
        raise
    return Suite(name=spec, environment=spec, env=client, tasks=tasks)
