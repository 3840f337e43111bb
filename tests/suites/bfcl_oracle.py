"""BFCL's own checker, imported from the installed bfcl-eval package, as the oracle for agreement tests.

`ast_checker` imports `constants.model_config`, which imports every model SDK BFCL supports
(anthropic, openai, ...) only to look up whether a model writes dots as underscores. Those SDKs are
not installed (bfcl-eval is installed with --no-deps), so that one module is replaced by a table
that answers "no" for every model; everything else is BFCL's code as shipped.
"""

from __future__ import annotations

import json
import sys
import types
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from toolgym.types import ToolCall

MODEL = "toolgym-oracle"


def _stub_model_config() -> None:
    name = "bfcl_eval.constants.model_config"
    if name not in sys.modules:
        stub = types.ModuleType(name)
        stub.MODEL_CONFIG_MAPPING = defaultdict(lambda: types.SimpleNamespace(underscore_to_dot=False))  # type: ignore[attr-defined]
        sys.modules[name] = stub


@cache
def bfcl_checker() -> Any:
    """BFCL's `ast_checker` and `Language`, or None when bfcl-eval is not installed."""
    try:
        import bfcl_eval  # noqa: F401  (installed?)
    except ImportError:
        return None
    _stub_model_config()
    from bfcl_eval.constants.enums import Language
    from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker

    return ast_checker, Language


@cache
def raw_entries(data: Path) -> dict[str, tuple[dict[str, Any], Any]]:
    """Task id -> (BFCL's question entry, its ground truth or None), read as BFCL reads them."""
    out: dict[str, tuple[dict[str, Any], Any]] = {}
    for path in sorted(data.glob("BFCL_v4_*.json")):
        answers_path = data / "possible_answer" / path.name
        answers = {}
        if answers_path.is_file():
            for line in answers_path.read_text().splitlines():
                if line.strip():
                    row = json.loads(line)
                    answers[row["id"]] = row["ground_truth"]
        for line in path.read_text().splitlines():
            if line.strip().startswith("{"):
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "function" in row:
                    out[row["id"]] = (row, answers.get(row["id"]))
    return out


def bfcl_verdict(bfcl_category: str, entry: dict[str, Any], truth: Any, calls: list[ToolCall]) -> bool:
    """BFCL's verdict on decoded `calls` (its `_evaluate_single_*_entry` after decoding)."""
    checker, language_enum = bfcl_checker()
    if "relevance" in bfcl_category:  # relevance and irrelevance: did the model call anything?
        made_call = bool(calls)
        return not made_call if "irrelevance" in bfcl_category else made_call
    language = (
        language_enum.JAVASCRIPT
        if "javascript" in bfcl_category
        else language_enum.JAVA
        if "java" in bfcl_category
        else language_enum.PYTHON
    )
    output = [{c.name: dict(c.arguments)} for c in calls]
    result = checker(entry["function"], output, truth, language, bfcl_category, MODEL)
    return bool(result["valid"])
