"""`remote:URL` suites: the tasks of a `toolgym serve-env` server, verified by that server.

Loading lists the server's tasks and registers a `RemoteEnvironment` factory as the suite's
environment kind (named like the spec), the way a bundled suite registers its domain when loaded:
`ENVIRONMENTS.get(suite.environment)(mode=...)` then gives the remote client everywhere a local
environment would be built. The served tasks are the same JSON, so the suite's version (content
hash) equals the local suite's and runs of either resume one another. The bearer token, when the
server needs one, comes from the TOOLGYM_ENV_TOKEN environment variable.
"""

from __future__ import annotations

import functools
import os

from ..envs import ENVIRONMENTS, RemoteEnvironment
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
        info = client.info
        tasks = client.tasks()
    finally:
        client.close()
    if spec not in ENVIRONMENTS:
        ENVIRONMENTS.register(spec)(functools.partial(RemoteEnvironment, url, token=token, info=info))
    return Suite(name=spec, environment=spec, tasks=tasks)
