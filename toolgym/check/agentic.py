r"""BFCL's agentic answer check: is one of the possible answers in the model's final text?

BFCL's `agentic_checker` (bfcl-eval, `eval_checker/agentic_eval/`) standardizes both sides (drops
`,./-_*^()`, lowercases, `'` -> `"`; whitespace is kept, whatever its docstring says) and accepts when
a standardized possible answer occurs between word boundaries (`\b...\b`) in the standardized
reply. bfcl mode is exactly that. toolgym mode fixes two flaws, each tested on the same input:

* Edges of the answer. bfcl: `\b`, so an answer that starts or ends with a non-word character
  (`$49.99`) matches only right after or before a letter or digit (`USD$49.99`), never after a space
  or a quote. toolgym: the answer is not inside a longer word (no letter or digit right before or
  after it).
* Where it is looked for. bfcl: the whole reply, the requested `'context'` explanation included, so
  `{'answer': 'I do not know', 'context': '... Michael ...'}` passes. toolgym: the `'answer'` field
  when the reply has the requested `{'answer': ..., 'context': ...}` form; the whole reply otherwise.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from .calls import Mode

__all__ = ["agentic_answer_found", "agentic_standardize"]

_DROPPED = re.compile(r"[\,\.\/\-\_\*\^\(\)]")


def agentic_standardize(text: str) -> str:
    """BFCL's agentic `standardize_string`: drop `,./-_*^()`, lowercase, `'` -> `"` (spaces stay)."""
    return _DROPPED.sub("", text).lower().replace("'", '"')


def _answer_field(reply: str) -> str | None:
    """The `answer` of a reply in BFCL's requested form (a Python or JSON dict literal), else None."""
    text = reply.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    for read in (ast.literal_eval, json.loads):
        try:
            value: Any = read(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, dict) and isinstance(value.get("answer"), str):
            return value["answer"]
    return None


def agentic_answer_found(reply: str, possible: list[str], mode: Mode = "bfcl") -> bool:
    """Whether `reply` (the model's final text) holds one of the `possible` answers, by `mode`'s rule."""
    if mode == "toolgym":
        field = _answer_field(reply)
        text = agentic_standardize(field if field is not None else reply)
        return any(re.search(rf"(?<!\w){re.escape(agentic_standardize(a))}(?!\w)", text) for a in possible)
    text = agentic_standardize(reply)
    return any(re.search(rf"\b{re.escape(agentic_standardize(a))}\b", text) for a in possible)
