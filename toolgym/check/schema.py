"""How the call verifiers read a tool's parameter schema.

Tools carry JSON Schema. BFCL-imported tools also keep their original Gorilla type name in
`x-bfcl-type` (`float`, `tuple`, `dict`, `any`), because BFCL's type check depends on it: `any`
means "a string" to BFCL, and only `tuple` parameters turn a Python tuple into a list. The verifier
reads each schema once into `ParamSpec`/`ToolSpec` records (cached per Tool object), so the hot path
does dictionary lookups on small slotted objects instead of walking JSON Schema on every call.
"""

from __future__ import annotations

from typing import Any

from ..types import Tool

__all__ = ["MISSING", "LanguageType", "ParamSpec", "ToolSpec", "tool_spec"]


class _Missing:
    """Marks a schema without a `default` (None is a valid default)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

NoneType = type(None)

# JSON Schema and Gorilla type names -> the Python types a decoded value must have exactly.
_PY_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "float": float,
    "boolean": bool,
    "array": list,
    "tuple": list,
    "object": dict,
    "dict": dict,
    "null": NoneType,
}


def _types_of(name: Any) -> tuple[type, ...] | None:
    """Python types for a schema `type` (a name or a list of names); None when unconstrained."""
    if name is None:
        return None
    names = name if isinstance(name, list) else [name]
    types = tuple(_PY_TYPES[n] for n in names if n in _PY_TYPES)
    return types or None


class ParamSpec:
    """One parameter's schema, read once: exact Python types, items, properties, default."""

    __slots__ = (
        "type_name",
        "py",
        "bfcl_py",
        "is_float",
        "is_tuple",
        "items",
        "properties",
        "required",
        "default",
        "language",
        "closed",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        json_type = schema.get("type")
        gorilla = schema.get("x-bfcl-type")
        self.type_name: str = str(gorilla or json_type or "any")
        """Type name for messages (the Gorilla name when the tool came from BFCL)."""
        self.py: tuple[type, ...] | None = _types_of(json_type)
        """Accepted Python types in toolgym mode (None: any value)."""
        self.bfcl_py: tuple[type, ...] | None = (
            (str,) if gorilla == "any" else _types_of(gorilla or json_type)
        )
        """Accepted Python types in bfcl mode, where Gorilla's `any` means str."""
        types = self.py or ()
        self.is_float: bool = float in types and int not in types
        """An int given here is taken as a float (the one numeric coercion)."""
        self.is_tuple: bool = gorilla == "tuple"
        """A Python tuple given here is taken as a list."""
        items = schema.get("items")
        self.items: ParamSpec | None = ParamSpec(items) if isinstance(items, dict) else None
        """Schema of array items, if any."""
        props = schema.get("properties")
        self.properties: dict[str, ParamSpec] | None = (
            {k: ParamSpec(v) for k, v in props.items() if isinstance(v, dict)}
            if isinstance(props, dict)
            else None
        )
        """Schemas of an object's keys; None for a free-form object."""
        self.closed: bool = schema.get("additionalProperties") is False
        """Keys outside `properties` are refused (JSON Schema allows them unless this is false)."""
        required = schema.get("required")
        self.required: tuple[str, ...] = tuple(required) if isinstance(required, list) else ()
        """Keys an object must have."""
        self.default: Any = schema.get("default", MISSING)
        """Documented default value, or MISSING."""
        language = schema.get("x-bfcl-language")
        self.language: LanguageType | None = (
            LanguageType(language, str(gorilla), schema.get("x-bfcl-items")) if language else None
        )
        """For BFCL's Java/JavaScript parameters: the language type the string value is read as."""

    @classmethod
    def exact(cls, type_name: str, py: type, items: ParamSpec | None = None) -> ParamSpec:
        """A spec accepting exactly `py` in both modes (a converted Java/JavaScript value)."""
        spec = cls({})
        spec.type_name, spec.py, spec.bfcl_py, spec.items = type_name, (py,), (py,), items
        return spec


class LanguageType:
    """A Java or JavaScript parameter type: BFCL's checker converts the model's string to a value."""

    __slots__ = ("language", "type_name", "items")

    def __init__(self, language: str, type_name: str, items: str | None) -> None:
        self.language = language
        """`java` or `javascript`."""
        self.type_name = type_name
        """The language type (`HashMap`, `long`, `Boolean`, ...)."""
        self.items = items
        """The element type of an array type, if any."""


class ToolSpec:
    """A tool's parameters, read once: specs by name, their declaration order and the required ones."""

    __slots__ = ("name", "params", "order", "required")

    def __init__(self, tool: Tool) -> None:
        params = ParamSpec(tool.parameters)
        self.name: str = tool.name
        """The function's name."""
        self.params: dict[str, ParamSpec] = params.properties or {}
        """Parameter name -> spec."""
        self.order: tuple[str, ...] = tuple(self.params)
        """Parameter names in schema order: positional arguments bind to these."""
        self.required: tuple[str, ...] = params.required
        """Parameters that must be passed."""


# id(tool) -> (tool, its parameters dict, spec). The entry holds the Tool itself, so its id cannot be
# reused while cached; a Tool whose `parameters` was replaced is read again.
_CACHE: dict[int, tuple[Tool, dict[str, Any], ToolSpec]] = {}
_CACHE_SIZE = 4096


def tool_spec(tool: Tool) -> ToolSpec:
    """The spec of `tool`, read once per Tool object."""
    entry = _CACHE.get(id(tool))
    if entry is not None and entry[0] is tool and entry[1] is tool.parameters:
        return entry[2]
    spec = ToolSpec(tool)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(tool)] = (tool, tool.parameters, spec)
    return spec
