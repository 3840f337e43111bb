"""Comparing JSON states: canonical hashing, and a short diff for verdict explanations.

Two states are equal when their canonical JSON is equal: object keys sorted, no insignificant
whitespace, so the order in which keys were inserted (`mkdir a; mkdir b` against `mkdir b; mkdir a`)
does not matter, while the order of list items does.

Examples:
    >>> state_hash({"b": 1, "a": [1, 2]}) == state_hash({"a": [1, 2], "b": 1})
    True
    >>> state_diff({"orders": {"W1": {"status": "cancelled"}}}, {"orders": {"W1": {"status": "pending"}}})
    ["orders.W1.status: 'pending' (goal 'cancelled')"]
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["canonical_json", "explain_diff", "state_diff", "state_hash"]

_MISSING = object()


def canonical_json(value: Any) -> str:
    """The canonical JSON text of `value`: sorted keys, compact separators, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def state_hash(value: Any) -> str:
    """16 hex digits of SHA-256 over the canonical JSON of `value`."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()[:16]


def state_diff(goal: Any, actual: Any, limit: int = 20) -> list[str]:
    """Where `actual` differs from `goal`, one line per differing path (at most `limit` lines).

    Paths are dotted (`orders.W1.status`, `items[2]`); a key only in `actual` reads `+path`, a key
    only in `goal` reads `-path`.
    """
    out: list[str] = []
    _walk(goal, actual, "", out, limit)
    return out


def explain_diff(goal: Any, actual: Any, shown: int = 3) -> str:
    """One line: the first `shown` differences and how many more there are."""
    lines = state_diff(goal, actual, limit=shown + 1000)
    if not lines:
        return "no difference"
    more = f"; +{len(lines) - shown} more" if len(lines) > shown else ""
    return "; ".join(lines[:shown]) + more


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, dict | list) else canonical_json(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(goal: Any, actual: Any, path: str, out: list[str], limit: int) -> None:
    if len(out) >= limit:
        return
    if isinstance(goal, dict) and isinstance(actual, dict):
        for key in sorted(goal.keys() | actual.keys(), key=str):
            g, a = goal.get(key, _MISSING), actual.get(key, _MISSING)
            sub = _join(path, str(key))
            if a is _MISSING:
                out.append(f"-{sub} (goal has {_short(g)})")
            elif g is _MISSING:
                out.append(f"+{sub} = {_short(a)} (not in goal)")
            else:
                _walk(g, a, sub, out, limit)
            if len(out) >= limit:
                return
        return
    if isinstance(goal, list) and isinstance(actual, list) and len(goal) == len(actual):
        for i, (g, a) in enumerate(zip(goal, actual, strict=True)):
            _walk(g, a, f"{path}[{i}]", out, limit)
        return
    if canonical_json(goal) != canonical_json(actual):
        out.append(f"{path or '(root)'}: {_short(actual)} (goal {_short(goal)})")
