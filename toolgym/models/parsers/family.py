"""Which tool-call format a model writes, guessed from its name when the user did not say."""

from __future__ import annotations

__all__ = ["parser_for_model"]

# first match wins: more specific families before the ones whose names they contain
_FAMILIES = (
    ("llama-3.2", "pythonic"),
    ("llama3.2", "pythonic"),
    ("llama-4", "pythonic"),
    ("llama4", "pythonic"),
    ("llama", "llama3"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("magistral", "mistral"),
    ("devstral", "mistral"),
    ("ministral", "mistral"),
)


def parser_for_model(model_name: str, chat_template: str | None = None) -> str:
    """The tool-call parser name for a model name (and its chat template, when known).

    A chat template that writes `<tool_call>` blocks (Qwen, Hermes, toolgym's tiny model, which is
    typed llama) -> hermes. Else by name: Llama 3.2/4 -> pythonic, other Llama -> llama3, the
    Mistral family -> mistral, anything else -> hermes.
    """
    if isinstance(chat_template, str) and "<tool_call>" in chat_template:
        return "hermes"
    lowered = model_name.lower()
    return next((parser for family, parser in _FAMILIES if family in lowered), "hermes")
