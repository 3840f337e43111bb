"""toolgym's concepts: the data every layer speaks (DESIGN.md, "Concepts").

Pydantic models with closed vocabularies and no behaviour beyond validation and conversion to and
from the OpenAI chat/tools shapes. Field docstrings are the descriptions the CLI and JSON API show.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Completion",
    "Content",
    "ContentPart",
    "Expected",
    "ExpectedCall",
    "FailureKind",
    "ImagePart",
    "ImageURL",
    "Message",
    "Role",
    "Rollout",
    "SamplingConfig",
    "Split",
    "Task",
    "TextPart",
    "Tool",
    "ToolCall",
    "Usage",
    "Verdict",
    "text_of",
]

Role = Literal["system", "user", "assistant", "tool"]
Split = Literal["train", "test"]


def _config(frozen: bool = False) -> ConfigDict:
    return ConfigDict(extra="forbid", frozen=frozen, use_attribute_docstrings=True)


class FailureKind(StrEnum):
    """Why an attempt failed. One closed vocabulary shared by verifiers, store, stats and reports."""

    PARSE_ERROR = "parse_error"
    WRONG_FUNCTION = "wrong_function"
    MISSING_PARAM = "missing_param"
    UNEXPECTED_PARAM = "unexpected_param"
    WRONG_TYPE = "wrong_type"
    WRONG_VALUE = "wrong_value"
    WRONG_COUNT = "wrong_count"
    SHOULD_ABSTAIN = "should_abstain"
    SHOULD_CALL = "should_call"
    STATE_MISMATCH = "state_mismatch"
    MISSING_FACT = "missing_fact"
    MISSING_ACTION = "missing_action"
    TEST_FAILURE = "test_failure"
    LIMIT_REACHED = "limit_reached"
    INFRA_ERROR = "infra_error"
    REQUEST_REJECTED = "request_rejected"


class Tool(BaseModel):
    """A function the model may call: the OpenAI `tools[].function` shape, plus an optional implementation."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, arbitrary_types_allowed=True)

    name: str
    """Function name as the model sees it (may contain dots for BFCL-imported tools)."""
    description: str = ""
    """What the function does; shown to the model."""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    """JSON Schema of the arguments object (`type: object`, `properties`, `required`)."""
    fn: Callable[..., Any] | None = Field(default=None, exclude=True, repr=False)
    """Python implementation, when the tool can be executed (stateful environments)."""

    def to_openai(self) -> dict[str, Any]:
        """The entry of an OpenAI `tools` list."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }

    @classmethod
    def from_openai(cls, entry: dict[str, Any]) -> Tool:
        """Build from an OpenAI `tools` entry (`{"type": "function", "function": {...}}`) or a bare function."""
        fn = entry.get("function", entry)
        return cls(name=fn["name"], description=fn.get("description", ""), parameters=fn.get("parameters", {}))


class ToolCall(BaseModel):
    """A call the model asked for, after parsing."""

    model_config = _config()

    name: str
    """Function name as emitted by the model."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Keyword arguments, decoded from JSON (or from Python literals for pythonic output)."""
    positional: list[Any] = Field(default_factory=list)
    """Positional arguments from pythonic output (`f(1, b=2)`); BFCL drops them, toolgym binds them."""
    id: str | None = None
    """Call id, echoed by the tool message that answers it."""

    def to_openai(self) -> dict[str, Any]:
        """The entry of an assistant message's `tool_calls` (arguments as a JSON string)."""
        import json

        return {
            "id": self.id or f"call_{self.name}",
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(self.arguments)},
        }


class TextPart(BaseModel):
    """A text part of a message's content: OpenAI's `{"type": "text", "text": ...}`."""

    model_config = _config()

    type: Literal["text"] = "text"
    """Always `text`."""
    text: str
    """The text."""


class ImageURL(BaseModel):
    """Where an image part's bytes are: OpenAI's `image_url` object."""

    model_config = _config()

    url: str
    """`data:image/png;base64,...` (the bytes themselves), `https://...`, or, in a suite file, a path
    relative to that file (read into a data URL when the suite loads, see `toolgym.images`)."""
    detail: Literal["auto", "low", "high"] | None = None
    """Resolution hint some APIs take; None leaves it to the server."""


class ImagePart(BaseModel):
    """An image part of a message's content: OpenAI's `{"type": "image_url", "image_url": {"url": ...}}`."""

    model_config = _config()

    type: Literal["image_url"] = "image_url"
    """Always `image_url`."""
    image_url: ImageURL
    """The image."""

    @classmethod
    def of(cls, url: str) -> ImagePart:
        """An image part for a data URL, an http(s) URL or a suite-relative path."""
        return cls(image_url=ImageURL(url=url))


# a smart union, not a discriminated one: stored transcripts drop default fields (`type` among them)
ContentPart = TextPart | ImagePart
"""One part of a message's content."""

Content = str | list[ContentPart]
"""A message's content: plain text, or a list of text and image parts."""


def text_of(content: Content | None, image: str = "") -> str:
    """The text of `content`, for consumers that read text only (verifiers, judges, text-only prompts).

    Text parts are joined by newlines; each image becomes `image` (nothing by default, `"[image]"` where
    a reader should know one was there). The one place content parts are flattened to text.
    """
    if content is None or isinstance(content, str):
        return content or ""
    pieces = (p.text if isinstance(p, TextPart) else image for p in content)
    return "\n".join(piece for piece in pieces if piece)


class Message(BaseModel):
    """One chat message in the OpenAI shape."""

    model_config = _config()

    role: Role
    """Who speaks: system, user, assistant or tool."""
    content: Content | None = None
    """Text of the message, or a list of text and image parts; None for an assistant message that only
    calls tools."""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    """Calls made by an assistant message."""
    tool_call_id: str | None = None
    """For a tool message: the id of the call it answers."""
    name: str | None = None
    """For a tool message: the tool's name."""
    parse_error: str | None = None
    """toolgym extension, never sent to an API: why tool calls could not be decoded from this message."""

    @property
    def text(self) -> str:
        """The message's text, images left out (`text_of`); "" when it has none."""
        return text_of(self.content)

    @property
    def images(self) -> list[ImagePart]:
        """The image parts of the message, in order."""
        return [] if self.content is None or isinstance(self.content, str) else [
            p for p in self.content if isinstance(p, ImagePart)]

    def to_openai(self) -> dict[str, Any]:
        """The message as the Chat Completions API expects it."""
        content = self.content
        if isinstance(content, list):
            content = [p.model_dump(exclude_none=True) for p in content]
        out: dict[str, Any] = {"role": self.role, "content": content}
        if self.tool_calls:
            out["tool_calls"] = [c.to_openai() for c in self.tool_calls]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None and self.role == "tool":
            out["name"] = self.name
        return out


class ExpectedCall(BaseModel):
    """One expected call in BFCL's possible-answer shape: each parameter with its acceptable values."""

    model_config = _config()

    name: str
    """Function that must be called."""
    arguments: dict[str, list[Any]] = Field(default_factory=dict)
    """Parameter -> acceptable values; `""` among them means the parameter may be omitted."""


class Expected(BaseModel):
    """What a correct attempt looks like. Each environment kind reads the fields it needs."""

    model_config = _config()

    calls: list[ExpectedCall] | None = None
    """Function calling: the calls to make (in any order for parallel); `[]` means make no call."""
    gold_actions: list[ToolCall] | None = None
    """Stateful environments: calls that, replayed on the initial state, give the goal state."""
    facts: list[str] = Field(default_factory=list)
    """Strings that must appear in the agent's messages."""
    reference: str | None = None
    """A reference answer (text, or code for the code suite)."""


class Task(BaseModel):
    """One item of a suite."""

    model_config = _config()

    id: str
    """Unique within its suite."""
    messages: list[Message]
    """The conversation so far; the model answers the last one."""
    tools: list[Tool] = Field(default_factory=list)
    """Tools offered to the model."""
    category: str
    """Category name within the suite (e.g. simple, multiple, parallel, parallel_multiple, irrelevance)."""
    split: Split = "test"
    """train or test; test tasks are never used for training."""
    expected: Expected = Field(default_factory=Expected)
    """The expected outcome the verifier checks against."""
    metadata: dict[str, Any] = Field(default_factory=dict)
    """Free-form JSON-able facts about the task (template id, domain, source line)."""


class Verdict(BaseModel):
    """The verifier's judgement of one attempt."""

    model_config = _config(frozen=True)

    reward: float = Field(ge=0.0, le=1.0)
    """Score in [0, 1]; 1 means fully correct."""
    passed: bool
    """Whether the attempt counts as correct for accuracy."""
    failure: FailureKind | None = None
    """Why the attempt failed; None when it passed."""
    explanation: str = ""
    """One line a person can read: what was wrong, where."""
    components: dict[str, float] = Field(default_factory=dict)
    """Named partial checks (each in [0, 1]) so partial progress is visible."""
    flags: list[str] = Field(default_factory=list)
    """Notes on how the verdict was reached, e.g. `decode_failure_as_abstention` in bfcl mode."""

    @classmethod
    def ok(cls, explanation: str = "correct", **kw: Any) -> Verdict:
        """A passing verdict."""
        return cls(reward=1.0, passed=True, explanation=explanation, **kw)

    @classmethod
    def fail(cls, failure: FailureKind, explanation: str, **kw: Any) -> Verdict:
        """A failing verdict with its kind and one-line explanation."""
        return cls(reward=0.0, passed=False, failure=failure, explanation=explanation, **kw)


class SamplingConfig(BaseModel):
    """How to sample from a model."""

    model_config = _config(frozen=True)

    temperature: float = Field(default=0.0, ge=0.0)
    """0 means greedy."""
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    """Nucleus sampling mass."""
    max_tokens: int = Field(default=256, gt=0)
    """Upper bound on generated tokens per turn."""
    seed: int | None = None
    """Sampling seed; recorded in the manifest so runs reproduce."""


class Usage(BaseModel):
    """Token counts of one generation."""

    model_config = _config()

    prompt_tokens: int = 0
    """Tokens in the prompt."""
    completion_tokens: int = 0
    """Tokens generated."""


class Completion(BaseModel):
    """What a backend returns for one generation."""

    model_config = _config()

    text: str | None = None
    """Assistant text, with tool-call markup removed."""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    """Calls parsed from the output."""
    raw: str = ""
    """The raw output (text, or the JSON of native tool calls)."""
    parse_error: str | None = None
    """Why tool calls could not be decoded, if they could not."""
    usage: Usage = Field(default_factory=Usage)
    """Token counts."""
    latency_s: float = 0.0
    """Wall time of the request, in seconds."""
    finish_reason: str | None = None
    """Why generation stopped (stop, length, tool_calls)."""

    def to_message(self) -> Message:
        """The assistant message this completion adds to a transcript."""
        return Message(
            role="assistant", content=self.text, tool_calls=self.tool_calls, parse_error=self.parse_error
        )


class Rollout(BaseModel):
    """One attempt at one task by one model."""

    model_config = _config()

    task_id: str
    """The task attempted."""
    sample: int = 0
    """Index among the repeats of this task (0-based)."""
    seed: int | None = None
    """Seed used for this sample."""
    messages: list[Message] = Field(default_factory=list)
    """The full transcript, task messages included."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens summed over all turns."""
    latency_s: float = 0.0
    """Wall time of the rollout, in seconds."""
    model_s: float = 0.0
    """Time spent in the model's calls, summed over turns: the request (or the batch's generation), without
    waiting for a concurrency slot or a batch to start; tools and the simulated user not included."""
    error: str | None = None
    """Infrastructure error that ended the rollout (then it is not scored)."""
    end_reason: str = "answered"
    """Why the episode ended: answered, max_turns, max_tool_calls, max_tokens, timeout, user_stop,
    user_error, error."""
