"""Decoding JSON call objects (`{"name": ..., "arguments": {...}}`) with errors that say where.

Shared by the JSON-based formats (hermes, llama3, mistral), the OpenAI backend (native tool calls
carry their arguments as a JSON string) and replay files.
"""

from __future__ import annotations

import json
from typing import Any

from ...types import ToolCall
from .base import CallSyntaxError

__all__ = ["call_from_object", "decode_arguments", "decode_json_at", "json_type", "skip_space"]

_DECODER = json.JSONDecoder()
_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type (`object`, `array`, `null`, ...)."""
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def skip_space(text: str, pos: int, end: int | None = None) -> int:
    """The first index at or after `pos` (and before `end`) that is not whitespace."""
    end = len(text) if end is None else end
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def decode_json_at(text: str, pos: int, number: int) -> tuple[Any, int]:
    """Decode the JSON value that starts at `text[pos]`; returns it and the index just after it.

    Raises:
        CallSyntaxError: naming call `number`, the offset of the fault and the text there.
    """
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as e:
        near = f"near {text[e.pos : e.pos + 20]!r}" if e.pos < len(text) else "at the end"
        raise CallSyntaxError(number, pos, f"invalid JSON: {e.msg} at char {e.pos} ({near})") from None
    except RecursionError:
        raise CallSyntaxError(number, pos, "invalid JSON: nested too deeply") from None
    except ValueError as e:  # e.g. an integer literal past Python's digit limit
        raise CallSyntaxError(number, pos, f"invalid JSON: {e}") from None


def decode_arguments(value: Any, label: str = "arguments") -> dict[str, Any]:
    """A call's arguments as a dict, from a JSON object, a JSON string holding one, or nothing.

    `None` and `""` mean no arguments (servers send `""` for functions without parameters). `label`
    names the field in error messages.

    Raises:
        ValueError: saying what the arguments were instead of an object.
    """
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as e:
            near = f"near {e.doc[e.pos : e.pos + 20]!r}" if e.pos < len(e.doc) else "at the end"
            raise ValueError(f"{label} are not valid JSON: {e.msg} at char {e.pos} ({near})") from None
        except RecursionError:
            raise ValueError(f"{label} are not valid JSON: nested too deeply") from None
        except ValueError as e:  # e.g. an integer literal past Python's digit limit
            raise ValueError(f"{label} are not valid JSON: {e}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{label} must be a JSON object, got {json_type(value)}")
    return value


def call_from_object(obj: Any, number: int, pos: int) -> ToolCall:
    """A ToolCall from a decoded call object.

    Accepts `{"name", "arguments"}`, Llama's `{"name", "parameters"}` and the OpenAI
    `{"type": "function", "function": {...}}` wrapping; an `"id"` string is kept.

    Raises:
        CallSyntaxError: naming call `number` at `pos` and the field at fault.
    """
    if not isinstance(obj, dict):
        raise CallSyntaxError(number, pos, f'expected a JSON object with "name", got {json_type(obj)}')
    if "name" not in obj and isinstance(obj.get("function"), dict):
        call_id = obj.get("id")
        obj = {**obj["function"], "id": call_id} if isinstance(call_id, str) else obj["function"]
    name = obj.get("name")
    if name is None:
        raise CallSyntaxError(number, pos, f'the object has no "name" (keys: {sorted(map(str, obj))})')
    if not isinstance(name, str) or not name.strip():
        raise CallSyntaxError(number, pos, f'"name" must be a non-empty string, got {json.dumps(name)}')
    key = "arguments" if "arguments" in obj else "parameters"
    try:
        arguments = decode_arguments(obj.get(key), f'"{key}"')
    except ValueError as e:
        raise CallSyntaxError(number, pos, f"{name.strip()}: {e}") from None
    call_id = obj.get("id")
    return ToolCall(name=name.strip(), arguments=arguments, id=call_id if isinstance(call_id, str) else None)
