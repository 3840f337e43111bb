"""Checking one parameter's value against its accepted values, in BFCL's way and in toolgym's.

The answer format is BFCL's: each parameter has a list of accepted values, where `""` means "may be
omitted". A dict parameter's accepted value is itself a dict of key -> accepted values, and so is
each dict inside an accepted list of dicts; other accepted values are literal.

`bfcl_issue` reproduces BFCL v4's AST checker for Python (type check one level deep, one string
normalisation, whole-list and flat-dict comparisons). `toolgym_issue` applies the same rules
recursively, with types at every depth; `check/calls.py` tabulates the differences.
"""

from __future__ import annotations

from typing import Any

from ..types import FailureKind
from .issues import Issue
from .language import convert_language_value
from .normalize import bfcl_standardize, safe_standardize
from .schema import MISSING, ParamSpec

__all__ = ["NOTHING", "bfcl_failure", "bfcl_issue", "bfcl_ok", "first_answer", "omittable", "same", "toolgym_issue"]

NOTHING: Any = object()
"""What `first_answer` returns when only omission is accepted."""


def first_answer(accepted: list[Any]) -> Any:
    """The first accepted value that is not the omission mark: its type is BFCL's "answer type"."""
    for a in accepted:
        if a != "" or type(a) is not str:
            return a
    return NOTHING


# ---------------------------------------------------------------- bfcl mode


def _bfcl_std(x: Any) -> Any:
    return bfcl_standardize(x) if type(x) is str else x


def _bfcl_items_typed(value: list[Any], item_types: tuple[type, ...], accepted: list[Any]) -> bool:
    """BFCL's one-level item type check, which also passes when an accepted value is not a list.

    Every item must have the items' schema type or the type of the accepted list's first value.
    """
    for cand in accepted:
        if type(cand) is not list:
            return True
        cand_type = type(first_answer(cand))
        if all(type(v) in item_types or type(v) is cand_type for v in value):
            return True
    return False


def _bfcl_dict(path: str, value: dict[str, Any], accepted: list[Any]) -> Issue | None:
    issue = Issue.bad_key(path, value, "no accepted dict")
    for cand in accepted:
        if type(cand) is str and cand == "":
            continue
        issue = _bfcl_dict_one(path, value, cand)
        if issue is None:
            return None
    return issue


def _bfcl_dict_one(path: str, value: dict[str, Any], cand: Any) -> Issue | None:
    if type(cand) is not dict:
        return Issue.wrong_value(path, value, cand)
    for key, v in value.items():
        if key not in cand:
            return Issue.bad_key(f"{path}.{key}", value, "unexpected key")
        if _bfcl_std(v) not in [_bfcl_std(c) for c in cand[key]]:
            return Issue.wrong_value(f"{path}.{key}", v, cand[key])
    for key, acc in cand.items():
        if key not in value and "" not in acc:
            return Issue.bad_key(f"{path}.{key}", value, "missing key")
    return None


def _bfcl_list_dict(path: str, value: list[Any], accepted: list[Any]) -> Issue | None:
    issue = Issue.wrong_value(path, value, accepted)
    for cand in accepted:
        if not hasattr(cand, "__len__") or len(value) != len(cand):
            issue = Issue.wrong_value(path, value, accepted)
            continue
        for v, c in zip(value, cand, strict=True):
            issue = _bfcl_dict_one(path, v, c) if type(v) is dict else Issue.wrong_value(path, v, c)
            if issue is not None:
                break
        else:
            return None
    return issue


def _bfcl_list(value: list[Any], accepted: list[Any]) -> bool:
    got = [_bfcl_std(v) for v in value]
    for cand in accepted:
        # like BFCL, iterate each accepted value: "" becomes [], a string its characters
        if isinstance(cand, list | str | tuple) and got == [_bfcl_std(c) for c in cand]:
            return True
    return False


def _bfcl_typed(spec: ParamSpec, value: Any, accepted: list[Any]) -> tuple[ParamSpec, Any, bool] | None:
    """BFCL's type check of a value: what is compared next, or None when the type is wrong.

    Returns the spec and value to compare (read from a Java/JavaScript string, an int read as a float,
    a tuple as a list) and whether the answer is a "variable" (compared as it is). `bfcl_issue`
    makes the same decisions while writing its messages.
    """
    if spec.language is not None:
        read = convert_language_value(spec.language, value, "")
        if type(read) is Issue:
            return None
        spec, value = read
    types = spec.bfcl_py
    if spec.is_tuple and type(value) is tuple:
        value = list(value)
    if spec.is_float and type(value) is int:
        value = float(value)
    answer = first_answer(accepted)
    answer_type = None if answer is NOTHING else type(answer)
    is_variable = answer_type is not None and types is not None and answer_type not in types
    if types is not None:
        tv = type(value)
        if tv in types:
            items = spec.items
            if list in types and items is not None and items.bfcl_py is not None:
                if not _bfcl_items_typed(value, items.bfcl_py, accepted):
                    return None
        elif tv is answer_type:
            is_variable = True
        else:
            return None
    return spec, value, is_variable


def _bfcl_equal(spec: ParamSpec, value: Any, accepted: list[Any], is_variable: bool) -> bool:
    """BFCL's comparison of a value of the right type with the accepted values."""
    if not is_variable:
        kind = type(value) if spec.bfcl_py is None else spec.bfcl_py[0]
        if kind is str:
            return bfcl_standardize(value) in _standardized(accepted)
        if kind is dict:
            return type(value) is not dict or _bfcl_dict("", value, accepted) is None
        if kind is list:
            if spec.items is not None and spec.items.bfcl_py == (dict,):
                return _bfcl_list_dict("", value, accepted) is None
            return _bfcl_list(value, accepted)
    return value in accepted


def bfcl_ok(spec: ParamSpec, value: Any, accepted: list[Any]) -> bool:
    """Whether BFCL's check passes the value: `bfcl_issue(...) is None`, without building a message.

    Most checks fail (parallel matching tries every pair), and the message is wanted once at most.
    """
    typed = _bfcl_typed(spec, value, accepted)
    return typed is not None and _bfcl_equal(typed[0], typed[1], accepted, typed[2])


def bfcl_failure(spec: ParamSpec, value: Any, accepted: list[Any]) -> FailureKind | None:
    """The kind of `bfcl_issue(...)`, without building its message: wrong type, wrong value or None."""
    typed = _bfcl_typed(spec, value, accepted)
    if typed is None:
        return FailureKind.WRONG_TYPE
    return None if _bfcl_equal(typed[0], typed[1], accepted, typed[2]) else FailureKind.WRONG_VALUE


# id(accepted list) -> (the list, its strings standardized): answers are checked again and again
_STANDARDIZED: dict[int, tuple[list[Any], int, frozenset[str]]] = {}


def _standardized(accepted: list[Any]) -> frozenset[str]:
    entry = _STANDARDIZED.get(id(accepted))
    if entry is not None and entry[0] is accepted and entry[1] == len(accepted):
        return entry[2]
    strings = frozenset(bfcl_standardize(c) for c in accepted if type(c) is str)
    if len(_STANDARDIZED) >= 1 << 16:
        _STANDARDIZED.clear()
    _STANDARDIZED[id(accepted)] = (accepted, len(accepted), strings)
    return strings


def bfcl_issue(spec: ParamSpec, value: Any, accepted: list[Any], path: str) -> Issue | None:
    """BFCL's check of one parameter value (`simple_function_checker`'s loop body)."""
    if spec.language is not None:
        read = convert_language_value(spec.language, value, path)
        if type(read) is Issue:
            return read
        spec, value = read
    types = spec.bfcl_py
    if spec.is_tuple and type(value) is tuple:
        value = list(value)
    if spec.is_float and type(value) is int:
        value = float(value)
    answer = first_answer(accepted)
    answer_type = None if answer is NOTHING else type(answer)
    # an answer whose type is not the schema's is a variable name, compared as it is
    is_variable = answer_type is not None and types is not None and answer_type not in types
    if types is not None:
        if type(value) in types:
            items = spec.items
            if list in types and items is not None and items.bfcl_py is not None:
                if not _bfcl_items_typed(value, items.bfcl_py, accepted):
                    return Issue.wrong_type(path, f"{spec.type_name} of {items.type_name}", value)
        elif type(value) is answer_type:
            is_variable = True
        else:
            return Issue.wrong_type(path, spec.type_name, value)
    if not is_variable:
        kind = type(value) if types is None else types[0]
        if kind is dict:
            return _bfcl_dict(path, value, accepted) if type(value) is dict else None
        if kind is list and spec.items is not None and spec.items.bfcl_py == (dict,):
            return _bfcl_list_dict(path, value, accepted)
        if kind is str:
            if bfcl_standardize(value) in _standardized(accepted):
                return None
            return Issue.wrong_value(path, value, accepted)
        if kind is list:
            return None if _bfcl_list(value, accepted) else Issue.wrong_value(path, value, accepted)
    return None if value in accepted else Issue.wrong_value(path, value, accepted)


# ---------------------------------------------------------------- toolgym mode


def same(a: Any, b: Any) -> bool:
    """Equality with types: True is not 1, 1 equals 1.0, containers compared item by item."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta in (int, float) and tb in (int, float):
        return a == b
    if ta is not tb:
        return False
    if ta is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if ta is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def _coerce(spec: ParamSpec | None, value: Any) -> Any:
    if spec is not None:
        if spec.is_tuple and type(value) is tuple:
            return list(value)
        if spec.is_float and type(value) is int:
            return float(value)
    return value


def _is_answer_dict(spec: ParamSpec, cand: dict[str, Any]) -> bool:
    """A typed object's accepted value maps keys to accepted lists; any other dict is literal."""
    return spec.py == (dict,) and all(type(v) is list for v in cand.values())


def _match(spec: ParamSpec | None, value: Any, cand: Any, path: str) -> Issue | None:
    """Whether `value` is the accepted value `cand`, with types checked at every depth."""
    value = _coerce(spec, value)
    tv = type(value)
    if spec is not None and spec.py is not None and tv not in spec.py:
        if tv is type(cand):  # a variable name where the schema wants a value (BFCL's rule)
            return None if same(value, cand) else Issue.wrong_value(path, value, cand)
        return Issue.wrong_type(path, spec.type_name, value)
    if tv is dict:
        if type(cand) is not dict:
            return Issue.wrong_value(path, value, cand)
        if spec is not None and _is_answer_dict(spec, cand):
            return _answer_dict(spec, value, cand, path)
        if value.keys() != cand.keys():
            return Issue.bad_key(path, value, f"keys differ from {short_keys(cand)}")
        props = spec.properties if spec is not None else None
        for k, v in value.items():
            issue = _match(props.get(k) if props else None, v, cand[k], f"{path}.{k}")
            if issue is not None:
                return issue
        return None
    if tv is list:
        if type(cand) is not list or len(value) != len(cand):
            return Issue.wrong_value(path, value, cand)
        items = spec.items if spec is not None else None
        for i, (v, c) in enumerate(zip(value, cand, strict=True)):
            issue = _match(items, v, c, f"{path}[{i}]")
            if issue is not None:
                return issue
        return None
    if tv is str:
        if type(cand) is str and safe_standardize(value) == safe_standardize(cand):
            return None
        return Issue.wrong_value(path, value, cand)
    return None if same(value, cand) else Issue.wrong_value(path, value, cand)


def short_keys(d: dict[str, Any]) -> str:
    """The keys of `d`, for a message."""
    return "[" + ", ".join(repr(k) for k in list(d)[:8]) + (", ...]" if len(d) > 8 else "]")


def _answer_dict(spec: ParamSpec, value: dict[str, Any], cand: dict[str, Any], path: str) -> Issue | None:
    props = spec.properties
    for k, v in value.items():
        if props is not None and k not in props and spec.closed:
            # listed properties are often placeholders (live_multiple_189-83-0): others are allowed
            return Issue.bad_key(f"{path}.{k}", value, "key not in the schema (additionalProperties is false)")
        if k not in cand:
            return Issue.bad_key(f"{path}.{k}", value, f"unexpected key (accepted keys {short_keys(cand)})")
        issue = toolgym_issue(props.get(k) if props else None, v, cand[k], f"{path}.{k}")
        if issue is not None:
            return issue
    for k, acc in cand.items():
        if k not in value and not omittable(props.get(k) if props else None, acc):
            return Issue.bad_key(f"{path}.{k}", value, "missing key")
    for k in spec.required:
        if k not in value:
            return Issue.bad_key(f"{path}.{k}", value, "missing required key")
    return None


def omittable(spec: ParamSpec | None, accepted: list[Any]) -> bool:
    """Whether leaving the parameter out is accepted: `""` is accepted, or its default is."""
    if "" in accepted:
        return True
    if spec is None or spec.default is MISSING:
        return False
    return any(
        _match(spec, spec.default, c, "") is None for c in accepted if not (type(c) is str and c == "")
    )


def toolgym_issue(spec: ParamSpec | None, value: Any, accepted: list[Any], path: str) -> Issue | None:
    """Toolgym's check of one parameter value: BFCL's rules, recursive and typed at every depth."""
    if spec is not None and spec.language is not None:
        read = convert_language_value(spec.language, value, path)
        if type(read) is Issue:
            return read
        spec, value = read
    value = _coerce(spec, value)
    types = spec.py if spec is not None else None
    type_name = spec.type_name if spec is not None else "any"
    answer = first_answer(accepted)
    if types is not None and answer is not NOTHING:
        ta = type(answer)
        variable = type(value) is ta and type(value) not in types
        if variable or (ta not in types and not (ta is int and float in types)):
            # the answer is a variable name (or a value of another type): compare as it is
            if any(same(value, c) for c in accepted):
                return None
            if type(value) in types or variable:
                return Issue.wrong_value(path, value, accepted)
            return Issue.wrong_type(path, type_name, value)
    first: Issue | None = None
    omission = False
    for cand in accepted:
        if type(cand) is str and cand == "":
            omission = True
            # an empty string reads as omitted (as in BFCL); an empty list or dict does not
            if type(value) is str and safe_standardize(value) == "":
                return None
            continue
        issue = _match(spec, value, cand, path)
        if issue is None:
            return None
        if first is None:
            first = issue
    if omission and spec is not None and spec.default is not MISSING:
        if _match(spec, value, spec.default, path) is None:
            return None  # passing the documented default is omitting the parameter
    if first is None:  # only omission is accepted
        if types is not None and type(value) not in types:
            return Issue.wrong_type(path, type_name, value)
        return Issue.wrong_value(path, value, accepted)
    if first.kind is FailureKind.WRONG_VALUE and first.path == path:
        return Issue.wrong_value(path, value, accepted)  # name every accepted value, not the first
    return first
