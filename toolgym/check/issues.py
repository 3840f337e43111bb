"""What a call check found wrong: a failure kind and a one-line message, built only on failure."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..types import FailureKind

__all__ = ["Issue", "short"]

_LIMIT = 80


def short(value: Any, limit: int = _LIMIT) -> str:
    """`repr(value)` cut to `limit` characters, so one explanation stays one readable line."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.replace("\n", "\\n")


class Issue(NamedTuple):
    """One thing wrong with a call."""

    kind: FailureKind
    """The failure kind the verdict reports."""
    message: str
    """What was wrong, naming the parameter, the value got and the values accepted."""
    path: str = ""
    """The parameter (dotted and indexed inside values) the issue is about."""

    @staticmethod
    def wrong_type(path: str, type_name: str, value: Any) -> Issue:
        """`value` has a type the parameter does not take."""
        got = type(value).__name__
        return Issue(
            FailureKind.WRONG_TYPE,
            f"parameter {path!r}: expected type {type_name}, got {got} {short(value)}",
            path,
        )

    @staticmethod
    def wrong_value(path: str, value: Any, accepted: Any) -> Issue:
        """`value` is none of the accepted values."""
        return Issue(
            FailureKind.WRONG_VALUE,
            f"parameter {path!r}: got {short(value)}, accepted {short(accepted)}",
            path,
        )

    @staticmethod
    def bad_key(path: str, value: Any, why: str) -> Issue:
        """An object's key is missing or unexpected (BFCL counts this as a wrong value)."""
        return Issue(FailureKind.WRONG_VALUE, f"parameter {path!r}: {why}; got {short(value)}", path)
