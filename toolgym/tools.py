"""@tool: a typed, documented Python function becomes a `Tool`.

The JSON Schema of the arguments comes from the signature, the descriptions from the docstring
(Google or NumPy style). The docstring is product: the model reads it, so a parameter without a type
or a description is refused when the decorator runs, with a message naming the function, the
parameter and the fix.

| annotation                      | JSON Schema                                           |
| ------------------------------- | ----------------------------------------------------- |
| `str`, `int`, `float`, `bool`   | string, integer, number, boolean                      |
| `list[T]`                       | array with `items`                                    |
| `dict[str, T]`                  | object with `additionalProperties`                    |
| `Literal[...]`, an `Enum`       | `enum` with the values' type                          |
| a `TypedDict`                   | object with `properties` (described in `Attributes:`) |
| `T | None`, `Optional[T]`       | as `T`, not required                                  |

A parameter with a default is not required and its default is recorded as `"default"` (a default of
None means "absent" and is not recorded).
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin, overload

import docstring_parser

from .errors import UserError
from .types import Tool

__all__ = ["ToolDefinitionError", "parameters_schema", "tool"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_NOTHING = inspect.Parameter.empty


class ToolDefinitionError(UserError, TypeError):
    """A function `@tool` cannot turn into a Tool; the message names the function, parameter and fix."""


@overload
def tool(fn: Callable[..., Any], /) -> Tool: ...
@overload
def tool(*, name: str | None = None) -> Callable[[Callable[..., Any]], Tool]: ...


def tool(fn: Callable[..., Any] | None = None, /, *, name: str | None = None) -> Any:
    """Turn a typed, documented function into a `Tool` whose `fn` is that function.

    Use it bare (`@tool`) or with a name the model will see instead of the function's (`@tool(name=...)`).

    Examples:
        >>> @tool
        ... def get_current_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> dict:
        ...     '''Get the current weather in a city.
        ...
        ...     Args:
        ...         city: City name, e.g. "Lisbon".
        ...         unit: Temperature unit of the answer.
        ...     '''
        ...     return {"city": city, "temperature": 21, "unit": unit}
        >>> get_current_weather.parameters["required"]
        ['city']
        >>> get_current_weather.fn("Lisbon")["temperature"]
        21
    """
    if fn is None:
        return lambda f: _build(f, name)
    return _build(fn, name)


def parameters_schema(fn: Callable[..., Any]) -> dict[str, Any]:
    """The JSON Schema (`type: object`) of `fn`'s arguments, as `@tool` builds it."""
    return _build(fn, None).parameters


class _Where:
    """Where an error happened, for messages: `file:line: @tool name(param)`."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        code = getattr(fn, "__code__", None)
        place = f"{code.co_filename}:{code.co_firstlineno}: " if code else ""
        self.head = f"{place}@tool {getattr(fn, '__qualname__', repr(fn))}"

    def fail(self, what: str, fix: str) -> ToolDefinitionError:
        return ToolDefinitionError(f"{self.head}: {what}; {fix}")


def _build(fn: Callable[..., Any], name: str | None) -> Tool:
    where = _Where(fn)
    if not callable(fn):
        raise where.fail(f"expected a function, got {type(fn).__name__}", "decorate a def")
    name = name if name is not None else fn.__name__
    if not _NAME.match(name):
        raise where.fail(
            f"tool name {name!r} is not allowed", "use letters, digits, '_', '.' or '-' (at most 64)"
        )
    doc = inspect.getdoc(fn)
    if not doc:
        raise where.fail(
            "has no docstring", "add one: a first line saying what the tool does, then `Args:` per parameter"
        )
    parsed = docstring_parser.parse(doc)
    description = _first_paragraph(doc)
    if not description or parsed.short_description is None:
        raise where.fail("the docstring has no description", "start it with a line saying what the tool does")
    return Tool(name=name, description=description, parameters=_object_schema(fn, parsed, where), fn=fn)


def _first_paragraph(doc: str) -> str:
    paragraph = doc.strip().split("\n\n")[0]
    if re.match(r"^\s*(Args|Arguments|Parameters|Returns|Raises)\s*:?\s*$", paragraph.splitlines()[0]):
        return ""
    return " ".join(paragraph.split())


def _object_schema(
    fn: Callable[..., Any], parsed: docstring_parser.Docstring, where: _Where
) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(fn)
    except Exception as e:  # a forward reference that does not resolve: say which
        raise where.fail(f"cannot resolve its annotations ({e})", "import the names they use") from None
    docs = {p.arg_name: " ".join((p.description or "").split()) for p in parsed.params}
    params = list(inspect.signature(fn).parameters.values())
    names = {p.name for p in params}
    for extra in docs.keys() - names:
        raise where.fail(f"the docstring describes {extra!r}, not a parameter", "remove or rename it")
    properties: dict[str, Any] = {}
    required: list[str] = []
    for p in params:
        at = f"parameter {p.name!r}"
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            star = "*" if p.kind is p.VAR_POSITIONAL else "**"
            raise where.fail(f"{star}{p.name} cannot be described to a model", "list each parameter by name")
        if p.kind is p.POSITIONAL_ONLY:
            raise where.fail(f"{at} is positional-only", "remove the `/` so it can be passed by name")
        if p.name not in hints:
            raise where.fail(f"{at} has no type annotation", f"annotate it, e.g. `{p.name}: str`")
        if not docs.get(p.name):
            raise where.fail(f"{at} has no description", f"describe it under `Args:` as `{p.name}: ...`")
        tp, nullable = _strip_none(hints[p.name], where, at)
        prop = {**_schema_for(tp, where, at), "description": docs[p.name]}
        if p.default is not _NOTHING and p.default is not None:
            prop["default"] = _default(p.default, prop, where, at)
        if p.default is _NOTHING and not nullable:
            required.append(p.name)
        properties[p.name] = prop
    return {"type": "object", "properties": properties, "required": required}


def _strip_none(tp: Any, where: _Where, at: str) -> tuple[Any, bool]:
    """`T | None` -> (T, True); a union of two real types is refused."""
    if get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in get_args(tp) if a is not type(None)]
        if len(rest) != 1:
            shown = " | ".join(getattr(a, "__name__", str(a)) for a in get_args(tp))
            raise where.fail(f"{at} has a union type {shown}", "pick one type (optionally `| None`)")
        return rest[0], len(rest) < len(get_args(tp))
    return tp, False


def _schema_for(tp: Any, where: _Where, at: str) -> dict[str, Any]:
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return _enum_schema(list(args), where, at)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_schema([m.value for m in tp], where, at)
    if tp is list or (origin is list and not args):
        raise where.fail(f"{at} is a bare list", "give the item type, e.g. `list[str]`")
    if origin is list:
        return {"type": "array", "items": _schema_for(_strip_none(args[0], where, at)[0], where, at)}
    if tp is dict or (origin is dict and not args):
        raise where.fail(f"{at} is a bare dict", "give the types, e.g. `dict[str, int]`, or use a TypedDict")
    if origin is dict:
        if args[0] is not str:
            raise where.fail(f"{at} has non-string keys", "JSON keys are strings: use `dict[str, ...]`")
        return {"type": "object", "additionalProperties": _schema_for(args[1], where, at)}
    if typing.is_typeddict(tp):
        return _typeddict_schema(tp, where, at)
    shown = getattr(tp, "__name__", None) or str(tp)
    raise where.fail(
        f"{at} has unsupported type {shown}",
        "use str, int, float, bool, list[T], dict[str, T], Literal, an Enum or a TypedDict",
    )


def _enum_schema(values: list[Any], where: _Where, at: str) -> dict[str, Any]:
    kinds = {_SCALARS.get(type(v)) for v in values}
    if len(kinds) != 1 or None in kinds:
        raise where.fail(f"{at} mixes enum value types {values!r}", "use values of one type: str, int, float")
    return {"type": kinds.pop(), "enum": values}


def _typeddict_schema(tp: Any, where: _Where, at: str) -> dict[str, Any]:
    parsed = docstring_parser.parse(inspect.getdoc(tp) or "")
    docs = {p.arg_name: " ".join((p.description or "").split()) for p in parsed.params}
    properties: dict[str, Any] = {}
    required: list[str] = []
    # include_extras keeps NotRequired[...] visible: under `from __future__ import annotations`
    # Python 3.11 files every key of a TypedDict as required
    for key, hint in typing.get_type_hints(tp, include_extras=True).items():
        field = f"{at}: field {tp.__name__}.{key}"
        if not docs.get(key):
            fix = f"describe it under `Attributes:` of {tp.__name__}"
            raise where.fail(f"{field} has no description", fix)
        marker = get_origin(hint)
        while get_origin(hint) in (typing.Annotated, typing.Required, typing.NotRequired):
            hint = get_args(hint)[0]
        inner, nullable = _strip_none(hint, where, field)
        properties[key] = {**_schema_for(inner, where, field), "description": docs[key]}
        listed = key in tp.__required_keys__ and marker is not typing.NotRequired
        is_required = marker is typing.Required or listed
        if is_required and not nullable:
            required.append(key)
    return {"type": "object", "properties": properties, "required": required}


def _default(value: Any, prop: dict[str, Any], where: _Where, at: str) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    try:
        same = json.loads(json.dumps(value)) == value and type(json.loads(json.dumps(value))) is type(value)
    except (TypeError, ValueError):
        same = False
    if not same or not _conforms(value, prop):
        raise where.fail(
            f"{at} has default {value!r}, which is not a JSON value of its type {prop['type']}",
            "give a default of the declared type (lists and dicts as JSON values) or None",
        )
    return value


def _conforms(value: Any, schema: dict[str, Any]) -> bool:
    """Whether a JSON value matches the subset of JSON Schema that `@tool` writes."""
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        return False
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list) and all(_conforms(v, schema["items"]) for v in value)
    if kind == "object" and isinstance(value, dict):
        extra = schema.get("additionalProperties")
        props = schema.get("properties", {})
        return all(_conforms(v, props[k] if k in props else extra or {}) for k, v in value.items())
    return kind is None
