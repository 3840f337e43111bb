"""Python literals read safely: `ast.literal_eval` only (nothing is evaluated), turned into JSON values.

Pythonic calls carry their arguments as Python literals, and some Hermes fine-tunes write the call
object as a Python dict (`{'name': 'f', 'arguments': {'a': 1}}`) instead of JSON.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

__all__ = ["jsonable", "literal_value"]


def jsonable(value: Any) -> Any:
    """`value` as a JSON value: tuples become lists; sets, bytes, complex and non-string keys are refused.

    Raises:
        TypeError: naming the value JSON cannot hold.
    """
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        bad = [k for k in value if not isinstance(k, str)]
        if bad:
            raise TypeError(f"dict key {bad[0]!r} is not a string")
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset | bytes | complex):
        raise TypeError(f"a {type(value).__name__} is not a JSON value")
    return value


def literal_value(node_or_text: ast.expr | str) -> Any:
    """The JSON value of a Python literal (an `ast` node or source text).

    Raises:
        ValueError: when it is not a literal.
        TypeError: when it is a literal JSON cannot hold (a set, bytes, a non-string key).
    """
    try:
        with warnings.catch_warnings():
            # text such as '{"year": 2include}' would print "invalid decimal literal" to the user's terminal
            warnings.simplefilter("ignore")
            value = ast.literal_eval(node_or_text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as e:
        raise ValueError(f"not a Python literal ({type(e).__name__})") from None
    return jsonable(value)
