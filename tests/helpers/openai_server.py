"""A real OpenAI-compatible HTTP server on loopback, in a thread, with scripted replies and faults.

The code under test talks to it over a real socket (`http://127.0.0.1:PORT/v1`). It serves
`POST /v1/chat/completions` (and `GET /v1/models`), records every request, and answers, in order:

1. from the seeded fault mix, when one is set (`FaultMix`): deterministic per request content;
2. from the scripted queue (`server.script(...)`), first in first out;
3. from the responder, a function of the request body (default `echo`: zero-latency text replies).

Replies are `Reply` values built with `completion(...)`, `calls(...)` or the faults: `status(500)`,
`rate_limited(retry_after)`, `hang(seconds)`, `truncated()`, `reset()`, `not_json()`,
`bad_arguments()`. `with_slots(responder, n, ...)` gives the server a concurrency limit.

    with OpenAIServer() as server:
        server.script(status(503), completion("hello"))
        model = OpenAIModel("m", ModelOptions(base_url=server.url))
        ...
        assert len(server.requests) == 2
"""

from __future__ import annotations

import collections
import hashlib
import json
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

__all__ = [
    "FaultMix",
    "OpenAIServer",
    "RecordedRequest",
    "Reply",
    "bad_arguments",
    "call_first_tool",
    "calls",
    "completion",
    "echo",
    "hang",
    "not_json",
    "rate_limited",
    "reset",
    "status",
    "tool_call",
    "truncated",
    "with_slots",
]

Fault = Literal["hang", "truncate", "reset"]


@dataclass
class Reply:
    """One scripted answer: an HTTP status and body, or a transport fault."""

    status: int = 200
    body: dict[str, Any] | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    fault: Fault | None = None


@dataclass
class RecordedRequest:
    """A request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    client: tuple[str, int]


@dataclass
class FaultMix:
    """Seeded random faults: each distinct request fails at most `max_per_request` times, then succeeds.

    The draw depends on the seed, the request's messages and seed, and how often that request was seen,
    so a run with enough retries always completes and the number of faults does not depend on timing.
    """

    seed: int = 0
    rate: float = 0.3
    kinds: tuple[str, ...] = ("500", "429", "reset", "truncate")
    max_per_request: int = 2
    retry_after_s: float = 0.0
    hang_s: float = 5.0

    def draw(self, key: str, attempt: int) -> Reply | None:
        rng = random.Random(f"{self.seed}:{key}:{attempt}")
        if attempt >= self.max_per_request or rng.random() >= self.rate:
            return None
        kind = rng.choice(self.kinds)
        return {
            "500": lambda: status(500),
            "503": lambda: status(503),
            "429": lambda: rate_limited(self.retry_after_s),
            "reset": reset,
            "truncate": truncated,
            "not_json": not_json,
            "hang": lambda: hang(self.hang_s),
        }[kind]()


# ---- reply builders ---------------------------------------------------------------------------


def tool_call(name: str, arguments: dict[str, Any] | str, id: str | None = None) -> dict[str, Any]:
    """An OpenAI `tool_calls` entry; a str `arguments` is sent as is (to inject invalid JSON)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": id or f"call_{name}", "type": "function", "function": {"name": name, "arguments": args}}


def completion(
    content: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    finish_reason: str | None = None,
    usage: tuple[int, int] = (10, 5),
    n: int = 1,
) -> Reply:
    """A 200 chat.completion with `n` identical choices."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    reason = finish_reason or ("tool_calls" if tool_calls else "stop")
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": i, "message": message, "finish_reason": reason} for i in range(n)],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }
    return Reply(body=body)


def calls(*entries: dict[str, Any]) -> Reply:
    """A completion that makes the given `tool_call(...)` entries."""
    return completion(tool_calls=list(entries))


def status(code: int, message: str = "injected fault", retry_after: str | None = None) -> Reply:
    """An error status with an OpenAI-style error body."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(status=code, body={"error": {"message": message, "code": code}}, headers=headers)


def rate_limited(retry_after_s: float) -> Reply:
    """429 with `Retry-After` in seconds."""
    return status(429, "rate limited", retry_after=f"{retry_after_s:g}")


def with_slots(respond: Callable[[Any], Reply], n: int, service_s: float, retry_after_s: float):
    """A responder with `n` request slots, as a hosted API's concurrency limit: each answer holds a slot
    for `service_s`, and a request that finds none free gets 429 with `Retry-After: retry_after_s`."""
    free = threading.BoundedSemaphore(n)

    def answer(body: Any) -> Reply:
        if not free.acquire(blocking=False):
            return rate_limited(retry_after_s)
        try:
            time.sleep(service_s)
            return respond(body)
        finally:
            free.release()

    return answer


def hang(seconds: float) -> Reply:
    """Accept the request, say nothing for `seconds`, then close the connection."""
    return Reply(fault="hang", delay_s=seconds)


def truncated() -> Reply:
    """Headers promise a full body; half of it is sent, then the connection closes."""
    return Reply(fault="truncate", body=completion("this body is cut short").body)


def reset() -> Reply:
    """Close the connection with a TCP reset instead of answering."""
    return Reply(fault="reset")


def not_json() -> Reply:
    """HTTP 200 whose body is not JSON."""
    return Reply(body=b'{"choices": [{"message": ')


def bad_arguments(name: str = "get_weather") -> Reply:
    """HTTP 200 with a tool call whose arguments are not valid JSON (a model error)."""
    return calls(tool_call(name, '{"city": "Paris"'))


# ---- responders: reply as a function of the request ---------------------------------------------


def echo(body: Any) -> Reply:
    """Reply with the last user message's text (zero latency)."""
    messages = body.get("messages", []) if isinstance(body, dict) else []
    last = next((m.get("content") for m in reversed(messages) if m.get("role") == "user"), "")
    return completion(f"echo: {last}")


def call_first_tool(body: Any) -> Reply:
    """Call the first offered tool with no arguments; answer in text when no tool is offered."""
    tools = body.get("tools") or [] if isinstance(body, dict) else []
    if not tools:
        return echo(body)
    return calls(tool_call(tools[0]["function"]["name"], {}))


# ---- the server ---------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection pooling is observable
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.owner._record(self, None)
        if urlsplit(self.path).path.rstrip("/") == "/v1/models":
            self._send(Reply(body={"object": "list", "data": [{"id": "test-model", "object": "model"}]}))
        else:
            self._send(status(404, f"no route {self.path}"))

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        owner = self.server.owner
        owner._record(self, body)
        if urlsplit(self.path).path.rstrip("/") != "/v1/chat/completions":  # a query string is the client's
            self._send(status(404, f"no route {self.path}"))
            return
        reply = owner._reply_for(body)
        if isinstance(body, dict) and body.get("stream") and reply.status == 200 and isinstance(reply.body, dict):
            reply = Reply(body=_event_stream(reply.body), headers={"Content-Type": "text/event-stream"},
                          delay_s=reply.delay_s, fault=reply.fault)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        stop = self.server.owner._stop
        if reply.fault == "hang":
            stop.wait(reply.delay_s)
            self.close_connection = True
            return
        if reply.fault == "reset":
            # linger 0: close() sends RST, not FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if reply.delay_s:
            stop.wait(reply.delay_s)
        data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body or {}).encode()
        self.send_response(reply.status)
        if "Content-Type" not in reply.headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if reply.fault == "truncate":
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self.wfile.write(data)


def _event_stream(body: dict[str, Any]) -> bytes:
    """A chat.completion as the server-sent events of a `"stream": true` request: one delta, the finish, usage."""
    chunk = {k: body.get(k) for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    events = []
    for choice in body.get("choices", []):
        message = choice["message"]
        delta = {"role": "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            delta["tool_calls"] = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
        events.append(chunk | {"choices": [{"index": choice["index"], "delta": delta, "finish_reason": None}]})
        events.append(chunk | {"choices": [{"index": choice["index"], "delta": {},
                                            "finish_reason": choice["finish_reason"]}]})
    events.append(chunk | {"choices": [], "usage": body.get("usage")})
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # benchmarks open many connections at once
    owner: OpenAIServer


class OpenAIServer:
    """The loopback server; use as a context manager or call `start()` / `stop()`."""

    def __init__(
        self, responder: Callable[[Any], Reply] | None = None, fault_mix: FaultMix | None = None
    ) -> None:
        self.responder = responder or echo
        self.fault_mix = fault_mix
        self.requests: list[RecordedRequest] = []
        self.injected: collections.Counter[str] = collections.Counter()
        self._queue: collections.deque[Reply] = collections.deque()
        self._seen: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to give a client: `http://127.0.0.1:PORT/v1`."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def bodies(self) -> list[Any]:
        """JSON bodies of the chat-completion requests received, in order."""
        with self._lock:
            return [r.body for r in self.requests if r.path.startswith("/v1/chat/completions")]

    def script(self, *replies: Reply) -> None:
        """Queue replies, used in order before the responder."""
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> OpenAIServer:
        self._stop.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="openai-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wake handlers that hang or delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, handler: BaseHTTPRequestHandler, body: Any) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        request = RecordedRequest(handler.command, handler.path, headers, body, handler.client_address[:2])
        with self._lock:
            self.requests.append(request)

    def _reply_for(self, body: Any) -> Reply:
        with self._lock:
            if self.fault_mix is not None:
                key = _request_key(body)
                attempt = self._seen[key]
                self._seen[key] += 1
                fault = self.fault_mix.draw(key, attempt)
                if fault is not None:
                    self.injected[fault.fault or str(fault.status)] += 1
                    return fault
            if self._queue:
                return self._queue.popleft()
        return self.responder(body)


def _request_key(body: Any) -> str:
    content = body if not isinstance(body, dict) else {k: body.get(k) for k in ("messages", "seed", "n")}
    data = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]
