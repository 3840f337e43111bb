"""Executor specs: `local` (the default) or `ray[:ADDRESS]`, checked where the config is read."""

from __future__ import annotations

from ...errors import UserError

__all__ = ["EXECUTOR_HELP", "check_executor", "parse_executor"]

EXECUTOR_HELP = "local, ray (a Ray cluster started for this run) or ray:ADDRESS (ray:auto, ray:HOST:6379)"


def parse_executor(spec: str) -> tuple[str, str | None]:
    """`(kind, address)` of an executor spec: ('local', None), ('ray', None) or ('ray', ADDRESS).

    Raises:
        UserError: not one of the forms above; the message quotes the value.
    """
    kind, sep, address = spec.strip().partition(":")
    if kind == "local" and not sep:
        return "local", None
    if kind == "ray" and (not sep or address):
        return "ray", address or None
    raise UserError(f"executor {spec!r} is not one of: {EXECUTOR_HELP}")


def check_executor(spec: str) -> str:
    """The spec unchanged when it parses (a pydantic validator); else `ValueError` quoting it."""
    try:
        parse_executor(spec)
    except UserError as e:
        raise ValueError(str(e)) from None
    return spec
