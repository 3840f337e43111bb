"""`--json`: what a command prints, as one JSON document on stdout, for scripts.

Written straight to stdout, not through rich: no wrapping, highlighting or markup, and JSON escapes
every control character, so the document is exact (ratings unrounded) and safe in a terminal.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel

__all__ = ["JSON_HELP", "emit", "plain"]

JSON_HELP = "Print one JSON document instead of tables."


def plain(value: Any) -> Any:
    """`value` with pydantic models dumped to JSON-able data (recursively through dicts and lists)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def emit(value: Any) -> None:
    """Print `value` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(plain(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    sys.stdout.flush()
