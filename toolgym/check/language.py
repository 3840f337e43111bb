"""BFCL's Java and JavaScript parameters: a string in the language's syntax, read as a value.

BFCL offers every Java/JavaScript parameter as a string and its checker converts the string with
its own converters (`java_type_converter`, `js_type_converter` in the `bfcl-eval` package) before
the usual checks, against the converted Python type (`JAVA_TYPE_CONVERSION`). toolgym uses those
converters, imported from the installed package, so both modes read the strings exactly as BFCL
does; a non-string value is a wrong type, as in BFCL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import UserError
from ..types import FailureKind
from .issues import Issue, short
from .schema import LanguageType, ParamSpec

__all__ = ["convert_language_value", "language_literal"]

# BFCL's JAVA_TYPE_CONVERSION / JS_TYPE_CONVERSION (bfcl_eval.constants.type_mappings)
_PY: dict[str, dict[str, type]] = {
    "java": {
        "byte": int, "short": int, "integer": int, "float": float, "double": float, "long": int,
        "boolean": bool, "char": str, "Array": list, "ArrayList": list, "Set": set, "HashMap": dict,
        "Hashtable": dict, "Queue": list, "Stack": list, "String": str, "any": str,
    },
    "javascript": {
        "String": str, "integer": int, "float": float, "Bigint": int, "Boolean": bool, "dict": dict,
        "array": list, "any": str,
    },
}
_LIST_TYPES = ("Array", "ArrayList", "array")
_CONVERTERS: dict[str, Callable[..., Any]] = {}
_SPECS: dict[tuple[str, str, str | None], ParamSpec] = {}


def _converter(language: str) -> Callable[..., Any]:
    fn = _CONVERTERS.get(language)
    if fn is None:
        try:
            if language == "java":
                from bfcl_eval.eval_checker.ast_eval.type_convertor.java_type_converter import (
                    java_type_converter as fn,
                )
            else:
                from bfcl_eval.eval_checker.ast_eval.type_convertor.js_type_converter import (
                    js_type_converter as fn,
                )
        except ImportError:
            raise UserError(
                f"checking BFCL's {language} categories uses BFCL's own type converters: "
                "pip install --no-deps bfcl-eval"
            ) from None
        _CONVERTERS[language] = fn
    return fn


def _spec(lt: LanguageType) -> ParamSpec:
    key = (lt.language, lt.type_name, lt.items)
    spec = _SPECS.get(key)
    if spec is None:
        table = _PY[lt.language]
        items = None
        if lt.type_name in _LIST_TYPES and lt.items is not None:
            items = ParamSpec.exact(lt.items, table[lt.items])
        spec = _SPECS[key] = ParamSpec.exact(lt.type_name, table[lt.type_name], items)
    return spec


def convert_language_value(lt: LanguageType, value: Any, path: str) -> tuple[ParamSpec, Any] | Issue:
    """The value BFCL reads from a Java/JavaScript string, with the spec to check it against."""
    if type(value) is not str:
        return Issue.wrong_type(path, "String", value)
    nested = lt.items if lt.type_name in _LIST_TYPES else None
    try:
        if nested is None:
            converted = _converter(lt.language)(value, lt.type_name)
        else:
            converted = _converter(lt.language)(value, lt.type_name, nested)
    except (ValueError, TypeError, KeyError, IndexError, NotImplementedError, SyntaxError) as e:
        # BFCL's own run stops on these; here it is this answer's failure, with the reason
        why = f"parameter {path!r}: {short(value)} does not read as {lt.language} {lt.type_name} ({short(str(e), 60)})"
        return Issue(FailureKind.WRONG_TYPE, why, path)
    return _spec(lt), converted


def _java_scalar(kind: str | None, v: Any) -> str:
    if type(v) is bool:
        return "true" if v else "false"
    if kind == "long":
        return f"{v}L"
    if kind == "float":
        return f"{v}f"
    if kind is None and type(v) is str:
        return f'"{v}"'
    return str(v)


def _java_literal(lt: LanguageType, v: Any) -> str:
    kind = lt.type_name
    if kind == "HashMap" and type(v) is dict:
        puts = " ".join(f'put("{k}", {_java_scalar(None, x)});' for k, x in v.items())
        return f"new HashMap<String, Object>() {{{{ {puts} }}}}" if v else "new HashMap<String, Object>()"
    if kind == "ArrayList" and type(v) is list:
        if not v:
            return "new ArrayList<>()"
        quoted = lt.items in ("String", "char")
        items = ", ".join(f'"{x}"' if quoted else _java_scalar(lt.items, x) for x in v)
        return f"new ArrayList<>(Arrays.asList({items}))"
    if kind == "Array" and type(v) is list:
        return f"new {lt.items}[]{{{', '.join(_java_scalar(lt.items, x) for x in v)}}}"
    return _java_scalar(kind, v)


def _js_scalar(v: Any) -> str:
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is str:
        return f'"{v}"'
    if type(v) is list:
        return "[" + ", ".join(_js_scalar(x) for x in v) + "]"
    if type(v) is dict:
        return "{" + ", ".join(f"{k}: {_js_scalar(x)}" for k, x in v.items()) + "}"
    return str(v)


def _js_literal(lt: LanguageType, v: Any) -> str:
    kind = lt.type_name
    if kind == "Bigint" and type(v) is int:
        return f"{v}n"
    if kind in ("any",) and type(v) is str:
        return v
    if kind == "String" and type(v) is str:
        return f'"{v}"'
    return _js_scalar(v)


def language_literal(lt: LanguageType, value: Any) -> str:
    """`value` written as a Java/JavaScript literal that BFCL's converter reads back (references).

    A string answer for a non-string type is a variable name, which BFCL compares as written.
    """
    if type(value) is str and _PY[lt.language][lt.type_name] is not str:
        return value
    return _java_literal(lt, value) if lt.language == "java" else _js_literal(lt, value)
