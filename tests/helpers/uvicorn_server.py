"""A real uvicorn server on 127.0.0.1 in a background thread, for any ASGI app under test."""

from __future__ import annotations

import threading
import time
from typing import Any


class UvicornThread:
    """`with UvicornThread(app) as server: httpx.get(server.url + "/...")`; stopped on exit."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        from toolgym.serve.network import listening_socket

        self._sock = listening_socket("127.0.0.1", 0)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> UvicornThread:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
