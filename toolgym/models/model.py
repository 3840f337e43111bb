"""Model: the backend interface every engine layer talks to, and the `kind:name` spec registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from ..registry import Registry
from ..types import Completion, Message, SamplingConfig, Tool

__all__ = ["BACKENDS", "Model", "ModelOptions", "load_model"]


class ModelOptions(BaseModel):
    """Backend options a user can set on the CLI; each backend reads the ones it understands."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    base_url: str | None = None
    """OpenAI-compatible server URL (`http://localhost:8000/v1`); else OPENAI_BASE_URL, read by the CLI.
    Several, comma-separated, are replicas of one model: requests are balanced over the healthy ones."""
    api_key: str | None = None
    """API key sent as a Bearer token; OPENAI_API_KEY when not given."""
    timeout_s: float = Field(default=60.0, gt=0)
    """Per-request timeout in seconds (an HTTP request to the server; a timed-out request is retried)."""
    max_retries: int = 4
    """Retries of a request after an infrastructure error (connect, timeout, 429, 5xx)."""
    tool_mode: str = "native"
    """`native` (the API's tools field) or `prompt` (tools rendered into the system prompt, calls parsed from text)."""
    parser: str | None = None
    """Tool-call parser for raw text (hermes, llama3, pythonic, mistral); None picks from the model family."""
    device: str | None = None
    """Local models: `cpu`, `cuda`, or None for CUDA when present."""
    batch_size: int = 32
    """Local models: most requests generated together."""
    gpus_per_model: float | None = Field(default=None, ge=0, le=1)
    """Local models on Ray (--executor ray): the GPUs each model server holds (a server uses one GPU; 0.5 puts
    two on a GPU; 0 serves on a CPU). Default: 1 where the cluster has GPUs, else 0."""
    extra_body: dict | None = None
    """JSON object of extra request fields, merged last (tool_choice, chat_template_kwargs, top_k); null drops one."""


class Model(ABC):
    """A backend: turns a conversation and tools into a Completion.

    Implementations map their transport errors to `InfraError` (retried by the backend, then stored as
    infra_error by the scheduler) and never raise on malformed model output: that is a Completion with
    `parse_error` set.
    """

    spec: str = ""

    @abstractmethod
    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """One assistant turn.

        `task_id` and `sample` identify the request for backends that need it (replay looks recorded
        outputs up by task id); live backends ignore them.
        """

    async def aclose(self) -> None:  # noqa: B027 (optional hook: most backends hold nothing to close)
        """Release connections or devices."""

    def describe(self) -> dict:
        """What goes in the run manifest to identify this model (spec and key options)."""
        return {"spec": self.spec}


#: spec kind -> factory(name, options). `tiny`, `hf:PATH`, `openai:NAME`, `replay:FILE`.
BACKENDS: Registry[Callable[[str, ModelOptions], Model]] = Registry("model backend")


def load_model(spec: str, options: ModelOptions | None = None) -> Model:
    """Create the backend a `kind:name` spec names (`tiny` alone is the bundled model)."""
    kind, _, name = spec.partition(":")
    model = BACKENDS.get(kind)(name, options or ModelOptions())
    model.spec = spec
    return model
