"""The `openai` backend: any server that speaks the OpenAI Chat Completions API.

Spec `openai:NAME`, where NAME is the model name the server knows; the base URL comes from
`ModelOptions.base_url` (the CLI fills it from `--base-url` or OPENAI_BASE_URL, else OpenAI's own
`https://api.openai.com/v1`) and the key from `ModelOptions.api_key` (`--api-key`, OPENAI_API_KEY).

Pointing it at a server:

* vLLM: `vllm serve Qwen/Qwen2.5-7B-Instruct --enable-auto-tool-choice --tool-call-parser hermes`
  then `--model openai:Qwen/Qwen2.5-7B-Instruct --base-url http://localhost:8000/v1` (use
  `--tool-call-parser llama3_json`, `pythonic` or `mistral` for those families).
* SGLang: `python -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --tool-call-parser
  qwen25` then `--base-url http://localhost:30000/v1`.
* Ollama: `--model openai:qwen2.5:7b --base-url http://localhost:11434/v1` (any API key).
* llama.cpp: `llama-server -m model.gguf --jinja` (the chat template's tool support needs `--jinja`)
  then `--base-url http://localhost:8080/v1`.
* Hosted APIs (OpenAI, Together, Fireworks, Groq, OpenRouter, ...): their `/v1` URL and an API key.

A server without native tool calling works in prompt mode (`tool_mode="prompt"`): the tools go into
the system prompt and calls are parsed from the text with `ModelOptions.parser` (default: guessed
from the model name, else hermes). In native mode, an explicitly set parser is also used as a
fallback when the server returns calls as plain text (a server started without its tool parser).

Sampling fields (temperature, top_p, max_tokens, seed) come from `SamplingConfig`;
`ModelOptions.extra_body` is merged into the request last, so it can set `tool_choice`,
`parallel_tool_calls` or the server's own fields (vLLM's `top_k`, `repetition_penalty`,
`chat_template_kwargs`; SGLang's `regex`), and a field set to null there is removed from the request
(`{"max_tokens": null, "max_completion_tokens": 512}` for OpenAI's reasoning models).

Errors are split at this boundary. Connection failures, timeouts, 429, 5xx and broken or non-JSON
bodies are retried (`RetryPolicy`, honouring Retry-After) and then raised as one `InfraError`
naming the URL, the last status and the attempts. Other 4xx answers are sorted by what they are about:

* the whole run (401/403: the key; 404: the model name or URL; a server without tool support) raise
  `UserError` at once, with a hint for that cause, and the run stops;
* this request only, because of what the model wrote (`transformers serve` answers 400 when the
  model's `<tool_call>` holds broken JSON or a name that is not a string): a Completion with
  `parse_error` quoting the server, scored as the model's parse error, and the run goes on;
* this request only, for another reason (context too long, a field the server refuses): a
  `RequestRejected`, which the run records on that rollout as a `request_rejected` failure (scored,
  not retried on resume: the same request would be refused again).

A 200 whose tool-call arguments are not valid JSON is the model's fault too: a Completion with
`parse_error`, never retried.
Function names with dots (BFCL's `math.factorial`), which the API refuses, are sent as `math_factorial`
and mapped back in the reply.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from typing import Any, NamedTuple

import httpx

from ..errors import RequestRejected, UserError
from ..redact import redact_text, redact_url
from ..types import Completion, Message, SamplingConfig, Tool, Usage
from .conversions import choose_parser, completion_from_openai, openai_message, openai_tools
from .model import BACKENDS, Model, ModelOptions
from .prompt_tools import prompt_messages
from .retry import RetryableError, RetryPolicy, parse_retry_after, with_retries

__all__ = ["DEFAULT_BASE_URL", "OpenAIModel", "RequestRejected"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_RETRY_STATUS = frozenset({408, 409, 425, 429})
_API_NAME = re.compile(r"[^a-zA-Z0-9_-]")
_RUN_HINTS = {
    401: "check the API key (--api-key or OPENAI_API_KEY)",
    403: "check the API key (--api-key or OPENAI_API_KEY) and its access to this model",
    404: "check the model name and that the base URL ends in /v1",
}
_NO_TOOLS_HINT = ("the server does not take the tools field: start it with tool calling (vLLM: "
                  "--enable-auto-tool-choice --tool-call-parser NAME) or use --tool-mode prompt")
# what servers say when they cannot turn the model's text into tool calls (transformers serve, vLLM)
_OUTPUT_NOT_PARSED = re.compile(
    r"could not parse|parse region|as JSON|JSONDecodeError|Expecting (property name|value|',' delimiter)"
    r"|Unterminated string|Extra data|ToolCall|tool[_ ]call", re.IGNORECASE)
_NO_TOOL_SUPPORT = re.compile(
    r"enable-auto-tool-choice|tool[_ ]choice.{0,40}(not supported|requires)|(does not|doesn't) support tools"
    r"|tools? (is|are) not supported", re.IGNORECASE)
_UNKNOWN_MODEL = re.compile(r"model\b.{0,80}\b(does not exist|not found|unknown|is not served)", re.I | re.S)
_TOO_LONG = re.compile(r"context length|context window|maximum context|too long|max_model_len|prompt is too", re.I)


class _ApiNames:
    """Tool names as the API accepts them (`^[a-zA-Z0-9_-]{1,64}$`) and the way back, per request."""

    def __init__(self, tools: list[Tool]) -> None:
        self.out: dict[str, str] = {}
        self.back: dict[str, str] = {}
        # names the API accepts keep themselves; only the others are renamed, around them
        for tool in sorted(tools, key=lambda t: _API_NAME.search(t.name) is not None or len(t.name) > 64):
            self.to_api(tool.name)

    def to_api(self, name: str) -> str:
        if name in self.out:
            return self.out[name]
        api, n = _API_NAME.sub("_", name)[:64] or "_", 1
        while api in self.back:  # two names that sanitize alike: keep both distinct
            n += 1
            api = f"{_API_NAME.sub('_', name)[:60]}_{n}"
        self.out[name], self.back[api] = api, name
        return api

    def from_api(self, name: str) -> str:
        return self.back.get(name, name)


def _endpoint(base_url: str) -> httpx.URL:
    """The chat-completions URL under `base_url`; its user, password and query string are kept for requests."""
    shown = redact_url(base_url)
    try:
        parsed = httpx.URL(base_url.strip())
    except httpx.InvalidURL as e:
        hint = "write e.g. http://localhost:8000/v1"
        raise UserError(f"base URL {shown!r} is not a URL ({redact_text(str(e))}); {hint}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UserError(
            f"base URL {shown!r} must start with http:// or https:// and name a host; "
            "write e.g. http://localhost:8000/v1 (--base-url or OPENAI_BASE_URL)"
        )
    return parsed.copy_with(path=parsed.path.rstrip("/") + "/chat/completions")


def _snippet(response: httpx.Response) -> str:
    return repr(redact_text(response.text[:200]))  # a server may echo the request URL, key included


def _usage(data: dict[str, Any]) -> Usage:
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    counts = {k: usage.get(k) for k in ("prompt_tokens", "completion_tokens")}
    return Usage(**{k: v for k, v in counts.items() if isinstance(v, int) and v >= 0})


class _Unparsed(NamedTuple):
    """A 4xx that blames the model's output: why, and the server's body (kept as the raw output)."""

    reason: str
    body: str


class OpenAIModel(Model):
    """A model behind an OpenAI-compatible `/chat/completions` endpoint.

    One pooled keep-alive `httpx.AsyncClient` per instance; call `aclose()` when done.

    Examples:
        >>> model = OpenAIModel("qwen2.5:7b", ModelOptions(base_url="http://localhost:11434/v1"))
        >>> model.url
        'http://localhost:11434/v1/chat/completions'
    """

    def __init__(self, name: str, options: ModelOptions, *, retry: RetryPolicy | None = None) -> None:
        if not name:
            raise UserError("model spec 'openai:' needs a model name, e.g. openai:Qwen/Qwen2.5-7B-Instruct")
        if options.tool_mode not in ("native", "prompt"):
            raise UserError(f"tool_mode {options.tool_mode!r} is not one of 'native', 'prompt'")
        self.name = name
        self.options = options
        self.spec = f"openai:{name}"
        self._endpoint = _endpoint(options.base_url or DEFAULT_BASE_URL)
        self.url = redact_url(str(self._endpoint))
        """The endpoint as shown in messages: user, password and query values hidden (`toolgym.redact`)."""
        self.retry = retry or RetryPolicy.from_retries(options.max_retries)
        self.parser = choose_parser(options.parser, name)
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._rng = random.Random()

    def describe(self) -> dict:
        """Spec, URL, tool mode, parser and extra body (never the API key)."""
        out = {"spec": self.spec, "url": self.url, "tool_mode": self.options.tool_mode}
        if self.options.tool_mode == "prompt" or self.options.parser:
            out["parser"] = self.parser
        if self.options.extra_body:
            out["extra_body"] = self.options.extra_body
        return out

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """One assistant turn (see the module docstring for the error split)."""
        return (await self._complete(messages, tools, sampling, None))[0]

    async def generate_many(
        self, messages: list[Message], tools: list[Tool], sampling: SamplingConfig, n: int
    ) -> list[Completion]:
        """`n` samples of one turn in one request (the API's `n`); usage is all on the first."""
        return await self._complete(messages, tools, sampling, n)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()

    async def _complete(
        self, messages: list[Message], tools: list[Tool], sampling: SamplingConfig, n: int | None
    ) -> list[Completion]:
        names = _ApiNames(tools)
        body = self._body(messages, tools, sampling, n, names)
        data, latency = await with_retries(
            lambda: self._post(body), self.retry, what=f"POST {self.url}", rng=self._rng
        )
        if isinstance(data, _Unparsed):  # the server choked on the model's output: the model's parse error
            return [Completion(text=None, raw=data.body, parse_error=data.reason, latency_s=latency)] * (n or 1)
        choices = sorted(data["choices"], key=lambda c: c.get("index", 0) if isinstance(c, dict) else 0)
        out = [self._completion(c, names, latency) for c in choices]
        out[0].usage = _usage(data)
        return out

    def _body(
        self, messages: list[Message], tools: list[Tool], s: SamplingConfig, n: int | None, names: _ApiNames
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.name}
        if self.options.tool_mode == "prompt":
            body["messages"] = prompt_messages(messages, tools, self.parser)
        else:
            body["messages"] = [openai_message(m, names.to_api) for m in messages]
            if tools:
                body["tools"] = openai_tools(tools, names.to_api)
                body["tool_choice"] = "auto"
        body |= {"temperature": s.temperature, "top_p": s.top_p, "max_tokens": s.max_tokens}
        if s.seed is not None:
            body["seed"] = s.seed
        if n is not None:
            body["n"] = n
        for key, value in (self.options.extra_body or {}).items():
            if value is None:
                body.pop(key, None)
            else:
                body[key] = value
        return body

    def _client_now(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            # pooled connections belong to the event loop that opened them
            headers = {"User-Agent": "toolgym"}
            if self.options.api_key:
                headers["Authorization"] = f"Bearer {self.options.api_key}"
            self._client = httpx.AsyncClient(
                headers=headers,
                timeout=httpx.Timeout(self.options.timeout_s),
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
                trust_env=False,  # below the CLI nothing reads the environment (proxies included)
            )
            self._loop = loop
        return self._client

    async def _post(self, body: dict[str, Any]) -> tuple[dict[str, Any] | _Unparsed, float]:
        """One attempt: the decoded body and the request's wall time, or a RetryableError."""
        client = self._client_now()
        start = time.perf_counter()
        timeout = self.options.timeout_s
        try:
            async with asyncio.timeout(timeout):
                response = await client.post(self._endpoint, json=body)
        except (TimeoutError, httpx.TimeoutException) as e:
            kind = "connect timeout" if isinstance(e, httpx.ConnectTimeout) else "timeout"
            hint = "raise the timeout (timeout_s) or lower the concurrency"
            raise RetryableError(f"no response within {timeout:g}s ({kind})", hint=hint) from None
        except httpx.ConnectError as e:
            hint = "is the server running, and is the base URL right?"
            raise RetryableError(f"cannot connect ({redact_text(str(e))})", hint=hint) from None
        except httpx.TransportError as e:
            raise RetryableError(f"connection broken ({type(e).__name__}: {redact_text(str(e))})") from None
        return self._decode(response), time.perf_counter() - start

    def _decode(self, response: httpx.Response) -> dict[str, Any] | _Unparsed:
        status = response.status_code
        if status in _RETRY_STATUS or status >= 500:
            ms = parse_retry_after(response.headers.get("retry-after-ms"))
            wait = ms / 1000 if ms is not None else parse_retry_after(response.headers.get("retry-after"))
            raise RetryableError(f"HTTP {status} {response.reason_phrase} (body: {_snippet(response)})", wait)
        if status >= 300:
            return self._rejected(response)
        try:
            data = response.json()
        except ValueError:
            raise RetryableError(
                f"HTTP {status} with a body that is not JSON: {_snippet(response)}"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list) or not data["choices"]:
            raise RetryableError(f"HTTP {status} with no choices in the body: {_snippet(response)}")
        return data

    def _rejected(self, response: httpx.Response) -> _Unparsed:
        """Sort a 4xx (see the module docstring): the run's fault raises UserError, this request's returns or raises."""
        status, text = response.status_code, response.text
        where = f"POST {self.url} returned HTTP {status} for model {self.name!r}: {_snippet(response)}"
        if status in _RUN_HINTS:
            raise UserError(f"{where}; {_RUN_HINTS[status]}")
        if _UNKNOWN_MODEL.search(text):  # some servers answer 400 for a model they do not serve
            raise UserError(f"{where}; {_RUN_HINTS[404]}")
        if self.options.tool_mode == "native" and _NO_TOOL_SUPPORT.search(text):
            raise UserError(f"{where}; {_NO_TOOLS_HINT}")
        if status in (400, 422) and _OUTPUT_NOT_PARSED.search(text):
            reason = f"the server could not parse the model output as tool calls (HTTP {status}: {text[:300]})"
            return _Unparsed(reason, text)
        if _TOO_LONG.search(text):
            raise RequestRejected(f"{where}; the conversation outgrew the model's context: lower --max-tokens, "
                                  "the turns, or use a model with a longer context")
        hint = "check --extra-body" if self.options.extra_body else "see the body for the server's reason"
        raise RequestRejected(f"{where}; the server refused this request ({hint})")

    def _completion(self, choice: Any, names: _ApiNames, latency: float) -> Completion:
        choice = choice if isinstance(choice, dict) else {}
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        # an explicit parser also reads calls a server returned as plain text (started without its tool parser)
        parser = self.parser if self.options.tool_mode == "prompt" or self.options.parser else None
        completion = completion_from_openai(message, names.from_api, parser)
        reason = choice.get("finish_reason")
        completion.latency_s = latency
        completion.finish_reason = reason if isinstance(reason, str) else None
        return completion


@BACKENDS.register("openai")
def openai_backend(name: str, options: ModelOptions) -> Model:
    """Factory for `openai:NAME` specs; several comma-separated base URLs make a `ReplicaPool`."""
    if options.base_url and "," in options.base_url:
        from .replicas import ReplicaPool  # imports this module

        return ReplicaPool(name, options)
    return OpenAIModel(name, options)
