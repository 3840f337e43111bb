"""@tool: the schema comes from the signature, the descriptions from the docstring, mistakes fail early."""

# Annotations are strings here on purpose: @tool must resolve them (and TypedDict's NotRequired under
# Python 3.11's postponed evaluation).
from __future__ import annotations

import enum
import inspect
import json
import keyword
from typing import Any, Literal, NotRequired, Optional, TypedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolgym.errors import UserError
from toolgym.tools import ToolDefinitionError, parameters_schema, tool
from toolgym.types import Tool


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 3


class Item(TypedDict):
    """One order line.

    Attributes:
        sku: Product code.
        quantity: Units to order.
        note: Free text for the packer.
    """

    sku: str
    quantity: int
    note: NotRequired[str]


@tool
def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius", days: int = 3) -> dict[str, Any]:
    """Get the weather in a city.

    The rest of the docstring is not part of the description.

    Args:
        city: City name, e.g. "Lisbon".
        unit: Temperature unit.
        days: Days to forecast.
    """
    return {"city": city, "unit": unit, "days": days}


def test_decorator_returns_a_tool_that_keeps_the_function():
    assert isinstance(get_weather, Tool)
    assert get_weather.name == "get_weather"
    assert get_weather.description == "Get the weather in a city."
    assert get_weather.fn is not None and get_weather.fn("Oslo")["days"] == 3


def test_defaults_are_recorded_and_not_required():
    props = get_weather.parameters["properties"]
    assert get_weather.parameters["required"] == ["city"]
    assert props["unit"] == {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit.",
                             "default": "celsius"}
    assert props["days"]["default"] == 3 and props["days"]["type"] == "integer"


def test_name_can_be_given():
    @tool(name="weather.now")
    def f(city: str) -> None:
        """Weather now.

        Args:
            city: City.
        """

    assert f.name == "weather.now" and f.fn is not None


def test_scalars_lists_and_dicts_map_to_json_types():
    def f(a: str, b: int, c: float, d: bool, e: list[int], g: dict[str, float], h: list[list[str]]) -> None:
        """F.

        Args:
            a: A. b: unused.
            b: B.
            c: C.
            d: D.
            e: E.
            g: G.
            h: H.
        """

    props = parameters_schema(f)["properties"]
    assert [props[k]["type"] for k in "abcd"] == ["string", "integer", "number", "boolean"]
    assert props["e"]["items"] == {"type": "integer"}
    assert props["g"]["additionalProperties"] == {"type": "number"}
    assert props["h"]["items"] == {"type": "array", "items": {"type": "string"}}


def test_optional_and_none_default_are_not_required_and_none_is_not_recorded():
    def f(a: str | None, b: Optional[int] = None, c: list[str] | None = None) -> None:  # noqa: UP045 - both spellings
        """F.

        Args:
            a: A.
            b: B.
            c: C.
        """

    schema = parameters_schema(f)
    assert schema["required"] == []
    assert "default" not in schema["properties"]["b"] and schema["properties"]["b"]["type"] == "integer"
    assert schema["properties"]["c"]["items"] == {"type": "string"}


def test_enums_keep_their_value_type():
    def f(color: Color = Color.BLUE, level: Level = Level.LOW, n: Literal[1, 2, 4] = 2) -> None:
        """F.

        Args:
            color: Color.
            level: Level.
            n: N.
        """

    props = parameters_schema(f)["properties"]
    assert props["color"] == {"type": "string", "enum": ["red", "blue"], "description": "Color.", "default": "blue"}
    assert props["level"]["type"] == "integer" and props["level"]["enum"] == [1, 3]
    assert props["level"]["default"] == 1
    assert props["n"]["type"] == "integer" and props["n"]["enum"] == [1, 2, 4]


def test_typeddict_becomes_an_object_with_described_fields():
    def f(items: list[Item], first: Item) -> None:
        """F.

        Args:
            items: Lines.
            first: Line.
        """

    props = parameters_schema(f)["properties"]
    obj = props["items"]["items"]
    assert obj["type"] == "object" and obj["required"] == ["sku", "quantity"]
    assert obj["properties"]["quantity"] == {"type": "integer", "description": "Units to order."}
    assert props["first"]["properties"]["note"]["description"] == "Free text for the packer."


def test_numpy_docstrings_and_multiline_descriptions():
    def f(city: str, days: int = 1) -> None:
        """Get the forecast
        for a city.

        Parameters
        ----------
        city : str
            City name,
            in English.
        days
            Days ahead.
        """

    t = tool(f)
    assert t.description == "Get the forecast for a city."
    assert t.parameters["properties"]["city"]["description"] == "City name, in English."
    assert t.parameters["properties"]["days"]["description"] == "Days ahead."


def _doc(*names: str) -> str:
    return "Do it.\n\nArgs:\n" + "".join(f"    {n}: The {n}.\n" for n in names)


def _fn(params: list[inspect.Parameter], doc: str | None, name: str = "generated") -> Any:
    def fn(**kwargs: Any) -> Any:
        return kwargs

    fn.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in params if p.annotation is not inspect.Parameter.empty}
    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = name
    return fn


KW = inspect.Parameter.KEYWORD_ONLY


def _p(name: str, annotation: Any = inspect.Parameter.empty, **kw: Any) -> inspect.Parameter:
    return inspect.Parameter(name, kw.pop("kind", KW), annotation=annotation, **kw)


class Undescribed(TypedDict):
    """No attributes section."""

    x: int


BAD = [
    ("untyped", [_p("city")], _doc("city"), ["city", "no type annotation", "city: str"]),
    ("undescribed", [_p("city", str)], "Do it.", ["city", "no description", "Args:"]),
    ("var_positional", [_p("rest", int, kind=inspect.Parameter.VAR_POSITIONAL)], _doc("rest"), ["*rest", "by name"]),
    ("var_keyword", [_p("extra", int, kind=inspect.Parameter.VAR_KEYWORD)], _doc("extra"), ["**extra", "by name"]),
    ("tuple", [_p("pair", tuple)], _doc("pair"), ["pair", "unsupported type tuple", "list[T]"]),
    ("bare_list", [_p("xs", list)], _doc("xs"), ["xs", "bare list", "list[str]"]),
    ("int_keys", [_p("m", dict[int, str])], _doc("m"), ["m", "non-string keys", "dict[str, ...]"]),
    ("union", [_p("v", int | str)], _doc("v"), ["v", "union", "pick one type"]),
    ("mixed_enum", [_p("v", Literal["a", 1])], _doc("v"), ["v", "mixes enum value types", "one type"]),
    ("bad_default", [_p("n", int, default="3")], _doc("n"), ["n", "default '3'", "declared type"]),
    ("enum_default", [_p("u", Literal["c", "f"], default="k")], _doc("u"), ["u", "default 'k'"]),
    ("no_docstring", [_p("a", int)], None, ["no docstring", "Args:"]),
    ("stale_doc", [_p("a", int)], _doc("a", "b"), ["'b'", "not a parameter", "remove"]),
    ("positional_only", [_p("a", int, kind=inspect.Parameter.POSITIONAL_ONLY)], _doc("a"), ["a", "positional-only"]),
    ("field_undescribed", [_p("u", Undescribed)], _doc("u"), ["Undescribed.x", "no description", "Attributes:"]),
]


@pytest.mark.parametrize("params, doc, needles", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_unusable_functions_fail_at_decoration_naming_function_parameter_and_fix(params, doc, needles):
    with pytest.raises(ToolDefinitionError) as info:
        tool(_fn(params, doc, name="lookup"))
    message = str(info.value)
    assert "@tool lookup" in message
    for needle in needles:
        assert needle in message
    assert isinstance(info.value, UserError) and isinstance(info.value, TypeError)


def test_a_bad_name_is_refused():
    with pytest.raises(ToolDefinitionError, match="not allowed"):
        tool(name="has space")(_fn([_p("a", int)], _doc("a")))


def test_error_names_the_file_and_line():
    def untyped(a):  # noqa: ANN001 - the point of the test
        """F.

        Args:
            a: A.
        """

    with pytest.raises(ToolDefinitionError, match=r"test_tools\.py:\d+: @tool .*untyped"):
        tool(untyped)


# -- properties over generated signatures --------------------------------------------------------------

TYPES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (str, st.text(max_size=5)),
    (int, st.integers(-(10**6), 10**6)),
    (float, st.floats(allow_nan=False, allow_infinity=False, width=32)),
    (bool, st.booleans()),
    (list[int], st.lists(st.integers(0, 9), max_size=3)),
    (list[str], st.lists(st.text(max_size=3), max_size=3)),
    (dict[str, float], st.dictionaries(st.text(max_size=3), st.floats(-5, 5), max_size=2)),
    (Literal["a", "b", "c"], st.sampled_from(["a", "b", "c"])),
    (Literal[1, 2, 3], st.sampled_from([1, 2, 3])),
    (Color, st.sampled_from(list(Color))),
    (str | None, st.none()),
    (list[Item], st.just([])),
]

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))


@st.composite
def signatures(draw: st.DrawFn) -> list[inspect.Parameter]:
    params = []
    for name in draw(st.lists(names, min_size=0, max_size=6, unique=True)):
        annotation, defaults = draw(st.sampled_from(TYPES))
        kw = {"default": draw(defaults)} if draw(st.booleans()) else {}
        params.append(_p(name, annotation, **kw))
    return params


JSON_TYPES = {"string", "integer", "number", "boolean", "array", "object"}


def _check_shape(schema: dict[str, Any]) -> None:
    assert schema["type"] in JSON_TYPES
    if "enum" in schema:
        assert schema["enum"] and all(type(v).__name__ in ("str", "int", "float") for v in schema["enum"])
    if schema["type"] == "array":
        _check_shape(schema["items"])
    for sub in schema.get("properties", {}).values():
        assert sub["description"]
        _check_shape(sub)
    if isinstance(schema.get("additionalProperties"), dict):
        _check_shape(schema["additionalProperties"])


@settings(max_examples=150, deadline=None)
@given(signatures())
def test_generated_signatures_give_well_formed_schemas(params):
    t = tool(_fn(params, _doc(*(p.name for p in params))))
    schema = t.parameters
    assert schema["type"] == "object"
    assert list(schema["properties"]) == [p.name for p in params]
    expected_required = [p.name for p in params if p.default is inspect.Parameter.empty and p.annotation != str | None]
    assert schema["required"] == expected_required
    for p in params:
        prop = schema["properties"][p.name]
        assert prop["description"] == f"The {p.name}." and prop["type"] in JSON_TYPES
        _check_shape(prop)
        if p.default is not inspect.Parameter.empty and p.default is not None:
            default = p.default.value if isinstance(p.default, enum.Enum) else p.default
            assert prop["default"] == default
            assert "enum" not in prop or default in prop["enum"]
        else:
            assert "default" not in prop
    entry = json.loads(json.dumps(t.to_openai()))
    back = Tool.from_openai(entry)
    assert (back.name, back.description, back.parameters) == (t.name, t.description, t.parameters)
