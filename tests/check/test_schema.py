"""Reading tool schemas once: Gorilla types kept for bfcl mode, JSON Schema for toolgym mode."""

from __future__ import annotations

from tests.check.cases import tool
from toolgym.check.schema import MISSING, ParamSpec, tool_spec


def test_gorilla_types_are_read_for_each_mode() -> None:
    any_ = ParamSpec({"x-bfcl-type": "any"})
    assert any_.py is None and any_.bfcl_py == (str,)
    tup = ParamSpec(
        {"type": "array", "x-bfcl-type": "tuple", "items": {"type": "number", "x-bfcl-type": "float"}}
    )
    assert tup.is_tuple and tup.py == (list,) and tup.items is not None and tup.items.is_float
    union = ParamSpec({"type": ["integer", "null"], "default": None})
    assert union.py == (int, type(None)) and not union.is_float and union.default is None
    assert ParamSpec({"type": "string"}).default is MISSING


def test_tool_spec_is_read_once_per_tool_and_again_when_parameters_change() -> None:
    t = tool("f", ("a",), a={"type": "integer"}, b={"type": "string"})
    spec = tool_spec(t)
    assert spec is tool_spec(t)
    assert spec.order == ("a", "b") and spec.required == ("a",)
    t.parameters = {"type": "object", "properties": {"c": {"type": "boolean"}}}
    assert tool_spec(t).order == ("c",)
